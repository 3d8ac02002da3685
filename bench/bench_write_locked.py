"""Write latency while the embedded index file is locked by another process (issue 10, part 4).

For each sync mode (``inline``: the request drains the outbox itself, the behaviour before;
``background``: a drainer thread per worker), a real gunicorn serves the app on a fresh
SQLite database and index; the script posts requirements through the JSON API (each write
queues one outbox row) and times each request:

1. index free: ``--writes`` posts;
2. index write-locked by another process (``BEGIN EXCLUSIVE`` held, as a stuck writer or a
   backup would): ``--writes`` posts in background mode, ``--inline-writes`` in inline mode
   (each of those waits for SQLite's 10 s busy timeout);
3. lock released: seconds until the outbox is empty again (read from ``/health``), with no
   further write (inline mode only retries on the next write).

Run: ``.venv/bin/python bench/bench_write_locked.py --writes 200 --inline-writes 8 --workers 2``
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REQUIREMENT = {"title": "Women's stretch jeans, laser wash", "product_line": "jeans_stretch_women",
               "quantity": 1200, "lead_time_days": 30, "processes": ["sewing", "laundry"], "status": "open"}

_HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.read()
"""


def seed(url: str) -> str:
    """A migrated database with one cleared buyer; returns its API token."""
    from matchmaker.cli import upgrade_database
    upgrade_database(url)
    os.environ["MATCHMAKER_DATABASE_URL"] = url
    from matchmaker import create_app, db
    from matchmaker.auth import issue_token
    from matchmaker.accounts.records import User
    from matchmaker.organizations.records import Organization
    from tests.support.vetting import clear_buyer
    app = create_app({"SECRET_KEY": "bench", "SEARCH_SYNC": "worker"})
    with app.app_context():
        sess = db.session()
        buyer = Organization(kind="buyer", name="Denim Co", country="US")
        sess.add(buyer)
        sess.flush()
        user = User(email="buyer@bench.test", name="Buyer", role="buyer_user", organization_id=buyer.id,
                    password_hash="!")
        sess.add(user)
        sess.flush()
        clear_buyer(sess, buyer.id)
        token = issue_token(user)
        sess.commit()
    app.extensions["matchmaker.engine"].dispose()
    return token


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base: str, path: str, token: str | None = None, body: dict | None = None) -> tuple[int, dict]:
    req = urllib.request.Request(base + path, method="POST" if body is not None else "GET",
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json",
                                          **({"Authorization": f"Bearer {token}"} if token else {})})
    with urllib.request.urlopen(req, timeout=120) as r:
        return r.status, json.loads(r.read())


def pending(base: str) -> int:
    return call(base, "/health")[1]["search"]["pending_changes"]


def wait_drained(base: str, timeout: float) -> float:
    start = time.perf_counter()
    while pending(base) and time.perf_counter() - start < timeout:
        time.sleep(0.05)
    return time.perf_counter() - start


def writes(base: str, token: str, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        status, _ = call(base, "/api/v1/requirements", token, REQUIREMENT)
        out.append((time.perf_counter() - t) * 1000)
        assert status == 201
    return out


def pct(samples: list[float], q: float) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1] if len(samples) > 1 else samples[0]


def run(mode: str, n_free: int, n_locked: int, workers: int) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix=f"bench-wl-{mode}-"))
    url = f"sqlite:///{tmp / 'm.db'}"
    token = seed(url)
    port = free_port()
    env = {**os.environ, "MATCHMAKER_DATABASE_URL": url, "MATCHMAKER_SECRET_KEY": "bench",
           "MATCHMAKER_SEARCH_PATH": str(tmp / "search"), "MATCHMAKER_MODEL_DIR": str(tmp / "models"),
           "MATCHMAKER_SEARCH_SYNC": mode}
    log = open(tmp / "gunicorn.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers",
                             str(workers), "--timeout", "120", "wsgi:app"], cwd=ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                call(base, "/health")
                break
            except OSError:
                time.sleep(0.1)
        writes(base, token, 3)                          # creates the index; warms the workers
        assert wait_drained(base, 30) < 30
        free = writes(base, token, n_free)
        wait_drained(base, 60)
        alias = json.loads((tmp / "search" / "requirements.alias").read_text())["physical"]
        holder = subprocess.Popen([sys.executable, "-c", _HOLDER, str(tmp / "search" / f"{alias}.sqlite")],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert holder.stdout.readline().strip() == "locked"
        locked = writes(base, token, n_locked)
        queued = pending(base)
        health = call(base, "/health")[1]["search"]
        holder.stdin.close()
        holder.wait()
        catch_up = wait_drained(base, 20)   # no write follows: inline mode never retries by itself
        left = pending(base)
    finally:
        proc.terminate()
        proc.wait(30)
        log.close()
    return {"mode": mode, "free": free, "locked": locked, "queued_while_locked": queued,
            "oldest_age_s": health["oldest_pending_age_s"], "catch_up_s": catch_up, "left": left}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--writes", type=int, default=200)
    ap.add_argument("--inline-writes", type=int, default=8)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    print(f"gunicorn -w {args.workers}, SQLite database, embedded index, POST /api/v1/requirements")
    print("| mode | index | writes | p50 ms | p95 ms | max ms |")
    print("|---|---|---|---|---|---|")
    results = [run("inline", args.writes, args.inline_writes, args.workers),
               run("background", args.writes, args.writes, args.workers)]
    for r in results:
        for state in ("free", "locked"):
            s = r[state]
            print(f"| {r['mode']} | {state} | {len(s)} | {pct(s, 50):.1f} | {pct(s, 95):.1f} | {max(s):.1f} |")
    for r in results:
        done = (f"drained {r['catch_up_s']:.1f} s after the lock was released" if not r["left"]
                else f"{r['left']} still queued {r['catch_up_s']:.0f} s after the lock was released (no write came)")
        print(f"{r['mode']}: {r['queued_while_locked']} changes queued while locked "
              f"(oldest {r['oldest_age_s']} s); {done}")


if __name__ == "__main__":
    main()
