"""Issue 12: search requests/s through gunicorn, with the CPU each request costs (steadier than req/s
on a shared machine).

wrk (2 threads × 16 connections, 10 s, on the same 2 cores as the server) against gunicorn on 127.0.0.1
with the given workers × threads. Besides wrk's requests/s and errors it reads the CPU time (user + system,
``/proc/<pid>/stat``) that the gunicorn workers and wrk spent during the run, so the report gives

* ``server CPU ms/request``: what one search costs the workers (framework, auth, engine, JSON, HTTP);
* ``--distinct N``: wrk cycles through N different searches (text, process, quality and state varied; each
  wrk thread its own half), so no worker ever answers a query it still keeps (the engine keeps 256 per
  process): the figure without the engine's answer cache. Without it every request is the one same search.
* ``capacity on 2 cores``: 2 000 ms / (server + wrk CPU ms per request), the requests/s two otherwise
  idle cores would serve with the load tool beside them. On a loaded box wrk's requests/s is far below it.
* ``per worker``: the CPU seconds each worker spent in the run; one near 0 means one worker held every
  connection (the imbalance ``scripts/gunicorn_conf.py`` caps away; ``--no-config`` serves without it).

gunicorn runs with ``-c scripts/gunicorn_conf.py`` (as ``scripts/demo.sh`` and ``flask serve``), and wrk starts
only once every worker has booted and warmed up (its ``screener warm-up`` log line), so no worker still loading
the app leaves its share of the connections to the others.

Run: ``.venv/bin/python bench/bench_issue12_gunicorn.py --makers 10000 [--workers 2 --threads 4]
[--url list|search] [--distinct 800] [--preload] [--no-config] [--runs 3] [-- more gunicorn flags]``
(database and index under bench/out/api-<N>/, built once, shared
with bench_api.py and bench_issue12_app.py).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_api import build, token  # noqa: E402

from bench.harness import gunicorn_server  # noqa: E402
from bench_issue12_app import LIST_URL, SEARCH_URL  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK   # utime, stime


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


WORDS = ("pantalón", "stretch", "lavado", "láser", "mezclilla", "playera", "denim", "bordado", "costura",
         "chamarra", "vestido", "algodón", "jeans", "uniformes", "camisa", "sudadera")
STATES = ("Jalisco", "Guanajuato", "Puebla", "Aguascalientes", "Ciudad de México")
PROCESSES = ("sewing", "cutting", "laundry", "finishing", "laser", "embellishment")
QUALITY = ("basic", "standard", "premium")


def distinct_search_urls(n: int) -> list[str]:
    """``n`` different maker searches shaped like ``SEARCH_URL`` (text of 2–4 words + 3 filters + facets)."""
    import random
    from urllib.parse import urlencode

    rng, seen, out = random.Random(12), set(), []
    while len(out) < n:
        args = {"q": " ".join(rng.sample(WORDS, rng.randint(2, 4))), "process": rng.choice(PROCESSES),
                "min_quality": rng.choice(QUALITY), "state": rng.choice(STATES)}
        url = "/api/v1/search/makers?" + urlencode(args)
        if url not in seen:
            seen.add(url)
            out.append(url)
    return out


def run_wrk(url: str, tok: str, seconds: int, paths: list[str] | None = None) -> tuple[str, float, int, float]:
    """wrk's summary line, its requests/s, total requests and the CPU seconds wrk itself used.
    With ``paths``, each wrk thread cycles through its own half of them."""
    script = ROOT / "bench" / "out" / "auth.lua"
    lua = f'wrk.headers["Authorization"] = "Bearer {tok}"\n'
    if paths:
        quoted = ",".join('"' + p.replace('"', '\\"') + '"' for p in paths)
        lua += (f"local paths = {{{quoted}}}\nlocal n = 0\nlocal tid = 0\n"
                "function setup(thread) thread:set('id', tid); tid = tid + 1 end\n"
                "function init(args) n = id or 0 end\n"
                "function request() n = n + 2; return wrk.format('GET', paths[(n % #paths) + 1]) end\n")
    script.write_text(lua)
    before = os.times()
    out = subprocess.run(["wrk", "-t2", "-c16", f"-d{seconds}s", "-s", str(script), url],
                         capture_output=True, text=True).stdout
    after = os.times()
    wrk_cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    keep = [line.strip() for line in out.splitlines()
            if "Requests/sec" in line or "Non-2xx" in line or "Socket errors" in line or "Latency" in line]
    return " | ".join(keep), rps, total, wrk_cpu


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--makers", type=int, default=10000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--url", choices=("search", "list"), default="search")
    ap.add_argument("--distinct", type=int, default=0, help="cycle through this many different searches")
    ap.add_argument("--preload", action="store_true", help="gunicorn --preload (app imported once, forked)")
    ap.add_argument("--no-config", action="store_true", help="without scripts/gunicorn_conf.py (as before)")
    ap.add_argument("--runs", type=int, default=1, help="wrk runs against the same server (fresh connections)")
    ap.add_argument("gunicorn_args", nargs="*", help="more gunicorn flags after --, e.g. -- --keep-alive 0")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk not installed (apt-get install wrk)")
    env = build(ROOT / "bench" / "out" / f"api-{args.makers}", args.makers)
    from matchmaker import create_app
    tok = token(create_app())
    log_path = ROOT / "bench" / "out" / "gunicorn.log"
    options = (*(["--preload"] if args.preload else []),
               *([] if args.no_config else ["-c", str(ROOT / "scripts" / "gunicorn_conf.py")]), *args.gunicorn_args)
    with gunicorn_server(env, args.workers, args.threads, tuple(options), log=log_path) as (base, server):
        url = base + (SEARCH_URL if args.url == "search" else LIST_URL)
        while not args.no_config and log_path.read_text().count("screener warm-up") < args.workers:
            if server.poll() is not None:
                sys.exit(f"gunicorn exited: {log_path.read_text()[-2000:]}")
            time.sleep(0.2)  # every worker booted and warm before wrk opens its connections
        for _ in range(20 * args.workers):  # every worker warm
            req = urllib.request.Request(url, headers={"Authorization": f"Bearer {tok}"})
            urllib.request.urlopen(req, timeout=60).read()
        workers = children(server.pid)
        paths = distinct_search_urls(args.distinct) if args.distinct and args.url == "search" else None
        from harness import cpu_reference
        print(f"machine speed: 10M CPython additions in {cpu_reference():.2f} s (harness.cpu_reference)")
        for _ in range(args.runs):
            load = os.getloadavg()[0]
            before = {p: cpu_seconds(p) for p in workers}
            summary, rps, total, wrk_cpu = run_wrk(url, tok, args.seconds, paths)
            spent = [cpu_seconds(p) - before[p] for p in workers]
            per = 1000 * sum(spent) / max(1, total)
            wrk_per = 1000 * wrk_cpu / max(1, total)
            print(f"[{args.makers} makers] {args.url}, gunicorn {args.workers} workers x {args.threads} threads"
                  f"{' --preload' if args.preload else ''}{' (no config)' if args.no_config else ''}"
                  f"{' ' + ' '.join(args.gunicorn_args) if args.gunicorn_args else ''}"
                  f"{f', {args.distinct} distinct searches' if paths else ', one same request'}, "
                  f"wrk 2 x 16 on the same cores, load {load:.1f} -> "
                  f"{os.getloadavg()[0]:.1f}")
            print(f"  {summary}")
            print(f"  server CPU {per:.2f} ms/request (per worker {', '.join(f'{c:.1f}' for c in spent)} s), "
                  f"wrk CPU {wrk_per:.2f} ms/request -> capacity on 2 idle cores "
                  f"{2000 / (per + wrk_per):.0f} requests/s (measured {rps:.0f}/s)")


if __name__ == "__main__":
    main()
