"""The first ``/vetting/buyers`` page a fresh gunicorn worker serves, with and without the boot warm-up.

Starts gunicorn (one worker, as ``scripts/demo.sh`` would, optionally with ``-c CONFIG``) on an existing demo
database, waits for ``/health``, signs in as the association's staff through the sign-in form, then times
the first and the second ``GET /vetting/buyers`` (the worker's first and second page that scores buyers).
``boot`` is the time from the process start to the first ``/health`` answer (the warm-up moves work there).

Run (database, models and index made by ``flask demo-data``)::

    .venv/bin/python bench/bench_screener_warmup.py --database sqlite:////tmp/demo.db --models /tmp/models \\
        --search /tmp/search [--config scripts/gunicorn_conf.py] [--root DIR] [--runs 3]
"""
from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def one_run(args, root: Path) -> dict:
    port = free_port()
    env = {**os.environ, "MATCHMAKER_DATABASE_URL": args.database, "MATCHMAKER_MODEL_DIR": args.models,
           "MATCHMAKER_SEARCH_PATH": args.search, "MATCHMAKER_SECRET_KEY": "bench-warmup-secret",
           "MATCHMAKER_SESSION_COOKIE_SECURE": "0"}  # plain HTTP on 127.0.0.1
    env.pop("MATCHMAKER_DEMO", None)
    cmd = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2",
           "--timeout", "300", "--no-control-socket"]
    if args.config:
        cmd += ["-c", args.config]
    log = open(f"/tmp/bench-warmup-{port}.log", "w+b")
    start = time.monotonic()
    proc = subprocess.Popen(cmd + ["wsgi:app"], cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        while True:
            if proc.poll() is not None:
                log.seek(0)
                raise RuntimeError(log.read().decode(errors="replace")[-3000:])
            try:
                with urllib.request.urlopen(f"{base}/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.1)
        boot = time.monotonic() - start
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = opener.open(f"{base}/login").read().decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        opener.open(f"{base}/login", data=urllib.parse.urlencode(
            {"csrf_token": token, "email": args.email, "password": args.password}).encode()).read()
        times = []
        for _ in range(2):
            t0 = time.monotonic()
            with opener.open(f"{base}/vetting/buyers") as response:
                body = response.read().decode()
                assert response.status == 200 and "data-testid" in body or "<table" in body, body[:300]
            times.append(time.monotonic() - t0)
        return {"boot": boot, "first": times[0], "second": times[1]}
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--database", required=True)
    p.add_argument("--models", required=True)
    p.add_argument("--search", required=True)
    p.add_argument("--config", default="")
    p.add_argument("--root", default=str(ROOT), help="the checkout to serve from (a baseline worktree)")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--email", default="staff@jeans-gdl.demo")
    p.add_argument("--password", default="matchmaker-demo")
    args = p.parse_args()
    print(f"load before: {os.getloadavg()}")
    runs = [one_run(args, Path(args.root)) for _ in range(args.runs)]
    for r in runs:
        print(f"boot {r['boot']:.2f} s  first /vetting/buyers {r['first'] * 1000:.0f} ms  "
              f"second {r['second'] * 1000:.0f} ms")
    med = {k: sorted(r[k] for r in runs)[len(runs) // 2] for k in ("boot", "first", "second")}
    print(f"median: boot {med['boot']:.2f} s, first {med['first'] * 1000:.0f} ms, second {med['second'] * 1000:.0f} ms")
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
