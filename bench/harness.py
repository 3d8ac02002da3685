"""What the in-process benchmarks share: a scratch app, the timing loop, signing in.

``scratch_app`` builds the real app on a fresh SQLite database (or the given URL), migrated, with its own
search index and model folder. ``time_requests`` warms up, calls a request ``n`` times and reports p50/p95:
it times wall clock and this process's CPU for each call (the CPU figure is the steadier
one on a shared machine) and checks every response's status, so a benchmark never times error pages;
``sign_in`` logs a test client in through the real login form (CSRF token included). ``gunicorn_server``
serves ``wsgi:app`` on a free local port until the block ends, and ``warm`` asks it until its workers answer fast.
"""
from __future__ import annotations

import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def scratch_app(prefix: str, database_url: str | None = None):
    """``(app, url, folder)``: the app on ``database_url`` or a new SQLite file in a fresh temporary folder,
    migrated to the latest revision (the environment names the same database, for child processes)."""
    from matchmaker import create_app
    from matchmaker.cli import upgrade_database

    folder = Path(tempfile.mkdtemp(prefix=prefix))
    url = database_url or f"sqlite:///{folder / 'bench.db'}"
    os.environ["MATCHMAKER_DATABASE_URL"] = url
    upgrade_database(url)
    app = create_app({"SECRET_KEY": "bench", "TESTING": True, "SEARCH_PATH": str(folder / "search"),
                      "MODEL_DIR": str(folder / "models")})
    return app, url, folder


def cpu_reference() -> float:
    """Seconds this machine's CPython takes for ten million additions in a loop (best of three).

    Figures measured in different sessions run on machines of different speed (the same code's figures
    moved 3-4x between two sessions): printed beside a bench's figures, this says how fast the machine was."""
    best = float("inf")
    for _ in range(3):
        t, s = time.perf_counter(), 0
        for i in range(10_000_000):
            s += i
        best = min(best, time.perf_counter() - t)
    return best


def percentile(values, q: float) -> float:
    """The ``q`` quantile (0–1) of ``values`` by nearest rank."""
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def time_requests(name: str, call: Callable[[int], object], n: int, status: int | None = 200, warmup: int = 10,
                  cpu: bool = False) -> dict:
    """Call ``call(i)`` ``warmup`` times untimed, then ``n`` times timed; print and return p50/p95 in ms.
    Each response must have ``status`` (``None``: ``call`` checks its own outcome)."""
    for i in range(warmup):
        call(i)
    wall, used = [], []
    for i in range(n):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = call(i)
        wall.append((time.perf_counter() - start) * 1000)
        used.append((time.process_time() - start_cpu) * 1000)
        assert status is None or response.status_code == status, (name, response.status_code)
    out = {"p50": statistics.median(wall), "p95": percentile(wall, 0.95),
           "cpu_p50": statistics.median(used), "cpu_p95": percentile(used, 0.95)}
    if cpu:
        print(f"{name}: wall p50 {out['p50']:.1f} / p95 {out['p95']:.1f} ms, "
              f"CPU p50 {out['cpu_p50']:.1f} / p95 {out['cpu_p95']:.1f} ms ({n} requests)")
    else:
        print(f"{name}: p50 {out['p50']:.1f} ms, p95 {out['p95']:.1f} ms ({n} requests)")
    return out


def sign_in(client, email: str, password: str) -> None:
    """Log ``client`` in through ``/login`` as a person would (the form's CSRF token, then a redirect)."""
    token = _CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    r = client.post("/login", data={"csrf_token": token, "email": email, "password": password})
    assert r.status_code == 302, r.status_code


def free_port() -> int:
    """A TCP port nobody listens on now, on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn_server(env: dict, workers: int = 2, threads: int = 4, options: tuple[str, ...] = (),
                    log: Path | None = None) -> Iterator[tuple[str, subprocess.Popen]]:
    """``(base URL, process)`` of gunicorn serving ``wsgi:app`` with ``env`` over this environment, once /health
    answers; stopped when the block ends. ``log``: a file for gunicorn's output (else it is dropped)."""
    port = free_port()
    out = open(log, "w") if log is not None else subprocess.DEVNULL
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", str(workers), "--threads", str(threads),
                               "--bind", f"127.0.0.1:{port}", *options, "wsgi:app"], cwd=ROOT,
                              env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"{base}/health", timeout=5).read()
                break
            except urllib.error.HTTPError:  # it answers, unhealthy maybe: the benchmark says what it serves
                break
            except OSError:
                time.sleep(0.2)
        yield base, server
    finally:
        server.terminate()
        server.wait()
        if log is not None:
            out.close()


def warm(url: str, headers: dict, quick: float = 0.5, times: int = 6) -> None:
    """Ask ``url`` until ``times`` answers in a row came within ``quick`` seconds: every worker loaded its indices."""
    ready = 0
    while ready < times:
        t = time.perf_counter()
        urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=60).read()
        ready = ready + 1 if time.perf_counter() - t < quick else 0
