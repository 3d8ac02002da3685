"""What the in-process benchmarks share: a scratch app, the timing loop, signing in.

``scratch_app`` builds the real app on a fresh SQLite database (or the given URL), migrated, with its own
search index and model folder. ``time_requests`` warms up, calls a request ``n`` times and reports p50/p95:
it times wall clock and this process's CPU for each call (the CPU figure is the steadier
one on a shared machine) and checks every response's status, so a benchmark never times error pages;
``sign_in`` logs a test client in through the real login form (CSRF token included).
"""
from __future__ import annotations

import os
import re
import statistics
import tempfile
import time
from pathlib import Path
from typing import Callable

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
