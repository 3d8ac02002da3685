"""Issue 12: where the engine's time goes in distinct searches (cache off), phase by phase, CPU ms.

Opens the app's bench index (bench/out/api-<N>/search, built by bench_api.build) with the result cache off and
runs ``--distinct`` different searches shaped like the app's (bench_issue12_gunicorn.distinct_search_urls: 2-4
words + 3 filters + 5 facets) twice (warm-up, then timed), with thread CPU time per search and per phase:
the text query's building, the page with its exact count, the facet aggregation, the did-you-mean.

Run: ``.venv/bin/python bench/bench_search_phases.py --makers 100000 [--distinct 400]``; ``--index DIR`` searches
another backend directory with the same maker spec instead, e.g. the generated documents of
``bench_issue12_engine.py`` (``child_build``), much cheaper to build at 100k than the app's database.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_issue12_gunicorn import distinct_search_urls  # noqa: E402

PHASES = {"text query": ("text", "build"), "counting query": ("text", "matching"),
          "page + exact count": (None, "_by_score"),
          "facets": (None, "_facets"), "did-you-mean": (None, "suggest"), "page hits": (None, "_hits")}


def pct(s: list[float], p: float) -> float:
    s = sorted(s)
    return s[min(len(s) - 1, int(p * len(s)))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--makers", type=int, default=10000)
    ap.add_argument("--distinct", type=int, default=400)
    ap.add_argument("--index", help="a backend directory (default: the app's bench index of --makers)")
    ap.add_argument("--app", action="store_true", help="whole requests through the test client instead")
    args = ap.parse_args()
    if args.app:
        return in_app(args.makers, args.distinct)
    from werkzeug.datastructures import MultiDict

    from indexing import open_backend, tantivy_search
    from matchmaker.search.queries import maker_query

    path = args.index or ROOT / "bench" / "out" / f"api-{args.makers}" / "search"
    be = open_backend(str(path), result_cache=0)
    queries = [maker_query(MultiDict(parse_qsl(urlsplit(u).query))) for u in distinct_search_urls(args.distinct)]
    spent: dict[str, float] = defaultdict(float)
    calls: dict[str, int] = defaultdict(int)

    def wrap(owner, name, label):
        fn = getattr(owner, name)

        def timed(*a, **k):
            t = time.thread_time()
            try:
                return fn(*a, **k)
            finally:
                spent[label] += time.thread_time() - t
                calls[label] += 1
        setattr(owner, name, timed)

    for label, (attr, name) in PHASES.items():
        wrap(tantivy_search.TextQuery if attr else tantivy_search.Searching, name, label)
    for q in queries:
        be.search("makers", q)
    spent.clear()
    calls.clear()
    cpu, zero = [], 0
    for q in queries:
        t = time.thread_time()
        r = be.search("makers", q)
        cpu.append((time.thread_time() - t) * 1000)
        zero += r.total == 0
    n = len(queries)
    docs = be._open("makers").searcher().num_docs
    from harness import cpu_reference
    print(f"[{path}: {docs} makers, {n} distinct searches, {zero} with no hit] load {os.getloadavg()[0]:.1f}, "
          f"10M CPython additions in {cpu_reference():.2f} s")
    print(f"  engine CPU per search: p50 {statistics.median(cpu):.2f} / p95 {pct(cpu, 0.95):.2f} ms, "
          f"mean {statistics.mean(cpu):.2f}")
    for label in PHASES:
        print(f"  {label:<20} {spent[label] * 1000 / n:6.2f} ms per search ({calls[label]} calls)")


def in_app(makers: int, distinct: int) -> None:
    """The same searches as API requests through Flask's test client (engine result cache on, as served),
    CPU per request and the engine's share."""
    from bench_api import build, token

    build(ROOT / "bench" / "out" / f"api-{makers}", makers)
    from indexing import tantivy_backend
    from matchmaker import create_app

    spent = [0.0]
    search = tantivy_backend.TantivyBackend.search

    def timed(self, *a, **k):
        t = time.thread_time()
        try:
            return search(self, *a, **k)
        finally:
            spent[0] += time.thread_time() - t
    tantivy_backend.TantivyBackend.search = timed
    app = create_app()
    headers = {"Authorization": f"Bearer {token(app)}"}
    client = app.test_client()
    urls = distinct_search_urls(distinct)   # a cycle longer than the result cache: never answered from it
    for u in urls:
        client.get(u, headers=headers)
    spent[0], cpu = 0.0, []
    for u in urls:
        t = time.thread_time()
        assert client.get(u, headers=headers).status_code == 200
        cpu.append((time.thread_time() - t) * 1000)
    print(f"[{makers} makers, {len(urls)} distinct requests in process] load {os.getloadavg()[0]:.1f}: CPU p50 "
          f"{statistics.median(cpu):.2f} / p95 {pct(cpu, 0.95):.2f} ms; engine {spent[0] * 1000 / len(urls):.2f} ms "
          f"of the {statistics.mean(cpu):.2f} ms mean")


if __name__ == "__main__":
    main()
