"""A real multi-worker gunicorn on a given database, and a barrier to fire requests at it together.

Used by the race tests (``tests/vetting/test_races.py``) and ``bench/bench_races.py``: several
worker processes, each with its own connection pool, are how the app is served in production,
so a race between them is a race between separate database sessions, not threads of one.
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SECRET_KEY = "race-test-secret-key"  # the served app's; a worker run beside it (notify send) uses the same
BOOT_SECONDS = 240  # workers import numpy, scikit-learn and the search index: slow on a shared machine


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(database_url: str, workers: int = 4, threads: int = 2, root: Path | None = None,
             args: tuple[str, ...] = ()):
    """Serve ``wsgi:app`` on ``database_url`` (``args``: more gunicorn flags, e.g. ``-c CONFIG``); yields the
    base URL and stops the server afterwards. Its output is in ``root/gunicorn.log``."""
    root = Path(root or tempfile.mkdtemp(prefix="mm-live-"))
    root.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {**os.environ, "MATCHMAKER_DATABASE_URL": database_url, "MATCHMAKER_SECRET_KEY": SECRET_KEY,
           "MATCHMAKER_SEARCH_PATH": str(root / "search"), "MATCHMAKER_MODEL_DIR": str(root / "models")}
    env.pop("MATCHMAKER_DEMO", None)
    # ranked lists in the model's order: a served list with a randomised pair or interleaved (5 % each in
    # production) would move a maker between two loads of the same page in a test that reads positions
    env.setdefault("MATCHMAKER_RANKING_SWAP_SHARE", "0")
    env.setdefault("MATCHMAKER_RANKING_INTERLEAVE_SHARE", "0")
    log = open(root / "gunicorn.log", "w+b")
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--threads", str(threads), "--timeout", "120", "--no-control-socket", *args, "wsgi:app"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + BOOT_SECONDS
        while True:
            if proc.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"gunicorn exited with {proc.returncode}:\n"
                                   f"{log.read().decode(errors='replace')[-3000:]}")
            try:
                with urllib.request.urlopen(f"{base}/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer /health within {BOOT_SECONDS} s")
            time.sleep(0.2)
        _wait_for_workers(base, workers)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _wait_for_workers(base: str, workers: int) -> None:
    """Give every worker time to boot, so the first race is not a race against start-up."""
    deadline = time.monotonic() + BOOT_SECONDS
    ok = 0
    while ok < workers * 3 and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/health", timeout=5):
                ok += 1
        except OSError:
            time.sleep(0.2)


def call(base: str, method: str, path: str, body: dict | None = None, headers: dict | None = None,
         timeout: float = 60) -> tuple[int, dict | None]:
    """One JSON request; returns (status, parsed body or None)."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            raw, status = response.read(), response.status
    except urllib.error.HTTPError as exc:
        raw, status = exc.read(), exc.code
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, None


def race(requests: list[tuple]) -> list[tuple[int, dict | None]]:
    """Fire every ``(base, method, path, body, headers)`` at once from its own thread (a barrier)."""
    barrier = threading.Barrier(len(requests))
    results: list = [None] * len(requests)

    def run(i, args):
        barrier.wait()
        try:
            results[i] = call(*args)
        except Exception as exc:  # a dropped connection counts as a failure, not a crash of the test
            results[i] = (0, {"error": repr(exc)})

    threads = [threading.Thread(target=run, args=(i, args)) for i, args in enumerate(requests)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
