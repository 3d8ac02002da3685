"""Issue 13 scheduler checks on random fairs: stands, relocking, fill-minimums, gap pass.

For each seed: solve a synthetic fair (``bench_scheduling.synthetic_fair``: some makers have a
fixed table), then count (a) meetings of other makers seated at a maker's fixed table,
(b) hard-constraint violations by ``verify``, (c) locks lost when the solver's own schedule is
locked and re-solved, (d) minimum-meeting shortfall with and without
``SolveOptions(fill_minimums=True)``, and (e) what the idle-gap pass reports. Single worker.

    .venv/bin/python bench/bench_issue13_scheduler.py [--fairs 6] [--buyers 20 --makers 60 --tables 12]
"""
from __future__ import annotations

import argparse
import io
import sys
import time
from contextlib import redirect_stdout
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scheduling import synthetic_fair  # noqa: E402

from scheduling import SolveOptions, solve, verify  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--fairs", type=int, default=6)
    ap.add_argument("--buyers", type=int, default=20)
    ap.add_argument("--makers", type=int, default=60)
    ap.add_argument("--slots", type=int, default=8)
    ap.add_argument("--tables", type=int, default=12)
    ap.add_argument("--pairs", type=int, default=300)
    ap.add_argument("--sparse-pairs", type=int, default=80)
    ap.add_argument("--time-limit", type=float, default=10.0)
    a = ap.parse_args()
    opts = SolveOptions(time_limit=a.time_limit, workers=1)
    print(f"{a.fairs} fairs of {a.buyers} buyers x {a.makers} makers, {a.slots} slots, {a.tables} tables, "
          f"{a.pairs} pairs; time limit {a.time_limit} s, 1 worker")
    tot = dict(meetings=0, at_stand=0, violations=0, locks=0, lost=0, short=0, short_fill=0, stdout=0)
    for seed in range(a.fairs):
        p = synthetic_fair(a.buyers, a.makers, a.slots, a.tables, a.pairs, seed=seed)
        stand = {m.fixed_table: m.id for m in p.makers if m.fixed_table}
        out = io.StringIO()
        t0 = time.perf_counter()
        with redirect_stdout(out):
            r = solve(p, opts)
        wall = time.perf_counter() - t0
        at_stand = sum(1 for m in r.schedule.meetings if m.table in stand and m.maker != stand[m.table])
        again = solve(p.replace(locked=list(r.schedule.meetings)), opts)
        lost = len(set(r.schedule.meetings) - set(again.schedule.meetings))
        # fill_minimums where marks are thin (few requested pairs), so capacity is not what binds
        sparse = synthetic_fair(a.buyers, a.makers, a.slots, a.tables, a.sparse_pairs, seed=seed)
        plain = solve(sparse, opts)
        fill = solve(sparse, SolveOptions(time_limit=a.time_limit, workers=1, fill_minimums=True))
        gp = r.stats["gap_pass"]
        print(f"  seed {seed}: {len(r.schedule.meetings)} meetings ({r.status}, gap {r.gap:.4f}, {wall:.1f} s), "
              f"{at_stand} at another maker's stand, {len(verify(p, r.schedule))} violations; relock: "
              f"{lost} of {len(r.schedule.meetings)} lost, {len(again.dropped_locked)} dropped; shortfall "
              f"{sum(plain.report.shortfalls.values())} -> {sum(fill.report.shortfalls.values())} with fill_minimums "
              f"on the {a.sparse_pairs}-pair fair (objective {plain.objective:.0f} -> {fill.objective:.0f}, "
              f"{fill.stats.get('fill_meetings', 0)} fill meetings); gap pass {gp['status']}, "
              f"{gp['before']} -> {gp['after']} (lower bound {gp['lower_bound']})")
        tot["meetings"] += len(r.schedule.meetings)
        tot["at_stand"] += at_stand
        tot["violations"] += len(verify(p, r.schedule)) + len(verify(sparse, fill.schedule))
        tot["locks"] += len(r.schedule.meetings)
        tot["lost"] += lost
        tot["short"] += sum(plain.report.shortfalls.values())
        tot["short_fill"] += sum(fill.report.shortfalls.values())
        tot["stdout"] += len(out.getvalue())
    print(f"TOTAL: {tot['at_stand']} of {tot['meetings']} meetings at another maker's stand; "
          f"{tot['violations']} violations; {tot['lost']} of {tot['locks']} locks lost on re-solve; "
          f"shortfall {tot['short']} -> {tot['short_fill']} meetings with fill_minimums; "
          f"{tot['stdout']} characters on stdout (Python-level) during solves")


if __name__ == "__main__":
    main()
