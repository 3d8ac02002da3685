"""Issue 12, item 6: where the time of ONE search request goes, end to end.

Two views of the same request (``bench_issue12_app.SEARCH_URL``: text, three filters, five facets, 20 rows):

1. in process through Flask's test client: a cProfile of N requests, folded into the request's steps
   (bearer token check, route rules, parameter parsing, engine, page from stored sources, facet labels,
   JSON, and the rest: Flask/Werkzeug/test client), each as CPU ms per request under the profiler
   (cProfile roughly doubles pure-Python time, so the shares matter more than the sums), plus the
   request's wall p50/p95 without the profiler;
2. through gunicorn (1 worker, 1 thread, so one request at a time): the wall time of sequential
   requests over one keep-alive connection, and the server's own share (WSGI server, HTTP parsing,
   socket) as that wall time minus the in-process wall time.

The request is the same each time, so after the first one the engine answers it from its per-commit cache;
``--no-cache`` turns that cache off (``SEARCH_EMBEDDED_OPTIONS = {"result_cache": 0}``) to profile the engine's
own work.

Run: ``.venv/bin/python bench/profile_issue12_search.py --makers 10000 [--no-cache]`` (database and index under
bench/out/api-<N>/, shared with bench_api.py and bench_issue12_app.py).
"""
from __future__ import annotations

import argparse
import cProfile
import http.client
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_api import build, timed, token  # noqa: E402

from bench.harness import gunicorn_server  # noqa: E402
from bench_issue12_app import SEARCH_URL  # noqa: E402

#: (step, file suffix, function name): cumulative time of that function is the step's time
STEPS = (
    ("bearer token check", "matchmaker/auth.py", "_user_from_bearer"),
    ("route rules (the view's @allow)", "matchmaker/access.py", "rule_allows"),
    ("parse parameters", "matchmaker/search/queries.py", "maker_query"),
    ("engine (tantivy search + facets)", "indexing/tantivy_backend.py", "search"),
    ("page from stored sources", "matchmaker/search/service.py", "maker_page"),
    ("facet labels", "matchmaker/search/service.py", "labelled_facets"),
    ("JSON response", "flask/json/provider.py", "response"),
    ("session close (teardown)", "matchmaker/db.py", "_close_session"),
)


def _cum(stats: pstats.Stats, suffix: str, name: str) -> float:
    total = 0.0
    for (file, _line, func), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():
        if func == name and file.endswith(suffix):
            total += ct
    return total


def in_process(n: int, cache: bool = True) -> float:
    from matchmaker import create_app
    app = create_app(None if cache else {"SEARCH_EMBEDDED_OPTIONS": {"result_cache": 0}})
    tok = token(app)
    headers = {"Authorization": f"Bearer {tok}"}
    client = app.test_client()
    p50, p95 = timed(client, SEARCH_URL, headers, n)
    print(f"in process (test client), wall without profiler: p50 {p50:.2f} ms, p95 {p95:.2f} ms")
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(n):
        client.get(SEARCH_URL, headers=headers)
    prof.disable()
    stats = pstats.Stats(prof)
    whole = _cum(stats, "werkzeug/test.py", "get") / n * 1000
    print(f"cProfile, {n} requests, CPU ms per request under the profiler (whole request {whole:.2f} ms):")
    named = 0.0
    for label, suffix, func in STEPS:
        ms = _cum(stats, suffix, func) / n * 1000
        named += ms
        print(f"  {label:<34} {ms:6.2f} ms  {100 * ms / whole:4.1f} %")
    rest = whole - named
    print(f"  {'Flask, Werkzeug, test client':<34} {rest:6.2f} ms  {100 * rest / whole:4.1f} %")
    print("  top 12 by own time:")
    rows = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:12]
    for (file, line, func), (_cc, nc, tt, _ct, _c) in rows:
        print(f"    {tt / n * 1000:6.3f} ms  {nc / n:6.1f} calls  {func}  {Path(file).name}:{line}")
    return p50


def token_checks(n: int) -> None:
    """The bearer check alone, per mode, thread CPU ms per request (steadier than wall time on a loaded box):
    a fresh session each time, as a request has, closed afterwards."""
    from flask import g

    from matchmaker import create_app
    from matchmaker import auth, db

    for mode in ("off", "database", "redis://127.0.0.1:6379/9"):
        app = create_app({"TOKEN_CACHE": mode})
        tok = token(app)
        samples = []
        for i in range(n + 20):
            with app.test_request_context("/api/v1/makers", headers={"Authorization": f"Bearer {tok}"}):
                t = time.thread_time()
                user = auth._user_from_bearer()
                db._close_session(None)
                g.pop("actor", None)
                if i >= 20:
                    samples.append((time.thread_time() - t) * 1000)
                assert user is not None
        samples.sort()
        print(f"  bearer check alone, cache {mode.split(':')[0]:<8}: CPU p50 {statistics.median(samples):.3f} ms, "
              f"p95 {samples[int(0.95 * len(samples)) - 1]:.3f} ms")


def through_gunicorn(env: dict, n: int, in_process_p50: float) -> None:
    from matchmaker import create_app
    tok = token(create_app())
    with gunicorn_server(env, workers=1, threads=1) as (base, _):
        port = int(base.rsplit(":", 1)[1])
        samples = []
        headers = {"Authorization": f"Bearer {tok}"}
        for i in range(n + 20):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)  # gunicorn gthread closes idle ones
            t = time.perf_counter()
            conn.request("GET", SEARCH_URL, headers=headers)
            r = conn.getresponse()
            r.read()
            if i >= 20:
                samples.append((time.perf_counter() - t) * 1000)
            assert r.status == 200, r.status
            conn.close()
        samples.sort()
        p50 = statistics.median(samples)
        print(f"gunicorn 1 worker x 1 thread, sequential requests (connect + request): p50 {p50:.2f} ms, "
              f"p95 {samples[int(0.95 * len(samples)) - 1]:.2f} ms; server and HTTP share of p50 "
              f"{p50 - in_process_p50:.2f} ms beyond the in-process request")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--makers", type=int, default=10000)
    ap.add_argument("-n", type=int, default=300)
    ap.add_argument("--no-cache", action="store_true", help="the engine's per-commit answer cache off")
    args = ap.parse_args()
    env = build(ROOT / "bench" / "out" / f"api-{args.makers}", args.makers)
    print(f"[{args.makers} makers] load average {os.getloadavg()[0]:.1f} (2 cores shared with other helpers)")
    token_checks(args.n)
    p50 = in_process(args.n, cache=not args.no_cache)
    through_gunicorn(env, args.n, p50)


if __name__ == "__main__":
    main()
