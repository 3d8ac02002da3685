"""The journey crawl as a benchmark: every demo login follows every reachable link, English then Spanish;
prints the slowest pages (top 10 by default) and the status counts.

Uses the demo cluster the test suite makes and caches (``tests/journeys/conftest.py``: the real
``db upgrade`` + ``demo-data`` at default size, keyed by the generator's code hash), so run the
journeys tests once first, or pass ``--build`` to make it here (about 1.5 minutes of CPU).

    .venv/bin/python bench/bench_crawl.py [--per-shape 3] [--top 10] [--build] [--repeat 1]

In process through the Flask test client on SQLite, as in the tests: page rendering and queries,
no network. ``--repeat`` crawls again with warm caches and reports the best time per URL.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def _cluster(build: bool) -> Path:
    from tests.journeys.conftest import build_demo_cluster, generator_hash

    cached = REPO / ".pytest_cache" / "d" / "demo-cluster" / generator_hash()
    if not (cached / "build.txt").exists():
        if not build:
            sys.exit(f"no cached demo cluster at {cached}: run the journeys tests first, or pass --build")
        seconds, _ = build_demo_cluster(cached)
        print(f"built the demo cluster in {seconds:.1f} s")
    copy = Path(tempfile.mkdtemp(prefix="bench-crawl-")) / "cluster"
    shutil.copytree(cached, copy)
    return copy


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-shape", type=int, default=3)
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--build", action="store_true", help="make the demo cluster if it is not cached")
    args = ap.parse_args()

    from matchmaker import create_app
    from tests.journeys.conftest import DemoCluster
    from tests.journeys.crawl import Crawler, CrawlReport

    root = _cluster(args.build)
    cluster = DemoCluster(root=root, logins=json.loads((root / "instance" / "demo-logins.json").read_text()),
                          build_seconds=0.0, build_output="")
    app = create_app(cluster.config())
    app.instance_path = str(root / "instance")
    import logging
    logging.getLogger().setLevel(logging.WARNING)

    best: dict[tuple[str, str, str], float] = {}
    report = CrawlReport()
    started = time.perf_counter()
    for _ in range(args.repeat):
        report = CrawlReport()
        for login in cluster.logins:
            Crawler(app, per_shape=args.per_shape).journey(login["email"], login["email"], login["password"],
                                                           report=report)
        for v in report.visits:
            key = (v.who, v.lang, v.url)
            best[key] = min(best.get(key, v.seconds), v.seconds)
    wall = time.perf_counter() - started
    for v in report.visits:
        v.seconds = best[(v.who, v.lang, v.url)]

    times = [v.seconds for v in report.visits]
    print(f"{len(report.visits)} page views by {len(cluster.logins)} logins (en + es), per shape {args.per_shape}, "
          f"{args.repeat} round(s) in {wall:.1f} s")
    print(f"status counts: {dict(sorted(report.by_status().items()))}; failures: {len(report.failures())}")
    q = statistics.quantiles(times, n=20)
    print(f"per page: median {statistics.median(times) * 1000:.0f} ms, p95 {q[18] * 1000:.0f} ms, "
          f"max {max(times) * 1000:.0f} ms")
    print(f"slowest {args.top}:")
    print(f"  {'ms':>7}  {'login':<26} {'lang':<4} url")
    for v in report.slowest(args.top):
        print(f"  {v.seconds * 1000:>7.0f}  {v.who:<26} {v.lang:<4} {v.url}")
    if report.failures():
        print(report.describe_failures())
    shutil.rmtree(root.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
