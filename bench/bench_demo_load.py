"""Time generate + load of the demo cluster into a fresh SQLite file.

    .venv/bin/python bench/bench_demo_load.py --makers 100000 --buyers 300
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine  # noqa: E402

from matchmaker.demo import generate  # noqa: E402
from matchmaker.records import Base  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--makers", type=int, default=100_000)
    ap.add_argument("--buyers", type=int, default=300)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--db", help="SQLite file (default: a fresh temp file, removed afterwards)")
    ap.add_argument("--url", help="any SQLAlchemy URL instead of SQLite (tables are created, must be empty)")
    args = ap.parse_args()

    tmp = None
    if args.url:
        url = args.url
    else:
        path = args.db or os.path.join(tempfile.mkdtemp(prefix="demo_bench_"), "demo.db")
        tmp = None if args.db else path
        if os.path.exists(path):
            os.remove(path)
        url = f"sqlite:///{path}"
    engine = create_engine(url)
    Base.metadata.create_all(engine)

    phase_time: dict[str, float] = defaultdict(float)
    last = [time.perf_counter(), "start"]

    def progress(phase: str, done: int, total: int) -> None:
        now = time.perf_counter()
        phase_time[last[1]] += now - last[0]
        last[0], last[1] = now, phase.split(" ")[0] if phase.startswith("write") else phase

    t0 = time.perf_counter()
    summary = generate(engine, makers=args.makers, buyers=args.buyers, seed=args.seed, progress=progress)
    total = time.perf_counter() - t0
    phase_time[last[1]] += time.perf_counter() - last[0]
    print(summary.describe())
    print(f"\nwall time generate+load: {total:.1f} s  "
          f"(makers={args.makers}, buyers={args.buyers}, {url.split(':')[0]})")
    print("time by phase (s): " + ", ".join(f"{k} {v:.1f}" for k, v in phase_time.items() if k != "start"))
    if tmp:
        print(f"database size: {os.path.getsize(tmp) / 1e6:.0f} MB")
        os.remove(tmp)


if __name__ == "__main__":
    main()
