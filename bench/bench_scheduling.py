"""Benchmark the scheduling optimizer against the greedy baseline.

Generates a deterministic synthetic fair (mutual must, one-sided must,
would-like and recommended pairs; min/max caps; some unavailability; a few
fixed tables and locked meetings), runs the greedy baseline and the CP-SAT
optimizer, and prints both side by side.

    .venv/bin/python bench/bench_scheduling.py --buyers 300 --makers 600 \
        --slots 16 --tables 120 --pairs 20000 --workers 2 --time-limit 60
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scheduling import (Buyer, Maker, Meeting, PairPreference, Problem, Slot,  # noqa: E402
                        SolveOptions, Table, baseline, solve, verify)


def synthetic_fair(buyers: int, makers: int, slots: int, tables: int, pairs: int,
                   seed: int = 7) -> Problem:
    """A reproducible fair. Roughly: 5% of pairs mutual must, 15% one-sided
    must, 30% would-like, 45% recommendation only, 5% vetoed."""
    rng = random.Random(seed)
    day = datetime(2025, 3, 12, 9, 0)
    half = slots // 2
    slot_list = []
    for i in range(slots):
        start = day + timedelta(minutes=30 * i) + (timedelta(hours=1) if i >= half else timedelta())
        slot_list.append(Slot(f"S{i+1:02d}", start, start + timedelta(minutes=25),
                              "morning" if i < half else "afternoon"))
    sids = [s.id for s in slot_list]
    table_list = [Table(f"T{i+1:03d}", f"Mesa {i+1}") for i in range(tables)]

    def unavailable() -> frozenset[str]:
        r = rng.random()
        if r < 0.05:
            return frozenset(sids[:half] if rng.random() < 0.5 else sids[half:])
        if r < 0.25:
            return frozenset(rng.sample(sids, rng.randint(1, 4)))
        return frozenset()

    buyer_list = [Buyer(f"B{i+1:04d}", f"Buyer {i+1}", 3, rng.choice([8, 10, 12, 12]), unavailable())
                  for i in range(buyers)]
    n_fixed = min(tables // 2, makers // 20)
    maker_list = [Maker(f"M{i+1:04d}", f"Maker {i+1}", 2, rng.choice([6, 8, 10]), unavailable(),
                        table_list[i].id if i < n_fixed else None)
                  for i in range(makers)]
    # Skewed popularity: some makers are asked for far more than others.
    mweights = [1.0 / (1 + i) ** 0.5 for i in range(makers)]
    seen: set[tuple[int, int]] = set()
    prefs: list[PairPreference] = []
    pairs = min(pairs, buyers * makers)
    while len(prefs) < pairs:
        b = rng.randrange(buyers)
        m = rng.choices(range(makers), mweights)[0] if rng.random() < 0.5 else rng.randrange(makers)
        if (b, m) in seen:
            continue
        seen.add((b, m))
        r = rng.random()
        score = round(rng.random(), 3)
        if r < 0.05:
            bm, mm = "must", "must"
        elif r < 0.20:
            bm, mm = ("must", rng.choice([None, "would_like"])) if rng.random() < 0.6 \
                else (rng.choice([None, "would_like"]), "must")
        elif r < 0.50:
            bm, mm = rng.choice([("would_like", None), (None, "would_like"),
                                 ("would_like", "would_like")])
        elif r < 0.95:
            bm, mm = None, None
        else:
            bm, mm = ("no", rng.choice([None, "must"])) if rng.random() < 0.5 else (None, "no")
        prefs.append(PairPreference(buyer_list[b].id, maker_list[m].id, bm, mm, score))
    locked = []
    for p in prefs:
        if len(locked) >= 10:
            break
        if p.mutual_must:
            b, m = next(x for x in buyer_list if x.id == p.buyer), next(x for x in maker_list if x.id == p.maker)
            free = [s for s in sids if s not in b.unavailable | m.unavailable]
            if free and not m.fixed_table:
                locked.append(Meeting(p.buyer, p.maker, free[len(locked) % len(free)],
                                      table_list[-1 - len(locked)].id))
    return Problem(slot_list, table_list, buyer_list, maker_list, prefs, locked)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--buyers", type=int, default=300)
    ap.add_argument("--makers", type=int, default=600)
    ap.add_argument("--slots", type=int, default=16)
    ap.add_argument("--tables", type=int, default=120)
    ap.add_argument("--pairs", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--relative-gap", type=float, default=0.0)
    ap.add_argument("--no-gaps", action="store_true", help="skip the idle-gap reduction pass")
    ap.add_argument("--log", action="store_true", help="show CP-SAT search log")
    a = ap.parse_args()

    t = time.perf_counter()
    print(f"generating fair: {a.buyers} buyers, {a.makers} makers, {a.slots} slots, "
          f"{a.tables} tables, {a.pairs} pairs (seed {a.seed})", flush=True)
    prob = synthetic_fair(a.buyers, a.makers, a.slots, a.tables, a.pairs, a.seed)
    print(f"  done in {time.perf_counter() - t:.1f}s", flush=True)

    print("running greedy round-robin baseline ...", flush=True)
    base = baseline(prob)
    print(f"  done in {base.wall_time:.1f}s", flush=True)

    print(f"running CP-SAT optimizer (workers={a.workers}, limit={a.time_limit}s) ...", flush=True)
    res = solve(prob, SolveOptions(time_limit=a.time_limit, workers=a.workers,
                                   relative_gap=a.relative_gap, reduce_gaps=not a.no_gaps,
                                   log=a.log))
    print(f"  done in {res.wall_time:.1f}s (model build {res.stats['build_time']:.1f}s, "
          f"{res.stats['variables']} variables, {res.stats['candidate_pairs']} candidate pairs)")
    print("  stats: " + ", ".join(f"{k}={v:.1f}" if isinstance(v, float) else f"{k}={v}"
                                  for k, v in res.stats.items()))
    bad = verify(prob, res.schedule) + verify(prob, base.schedule)
    print(f"  independent check: {'OK' if not bad else bad[:5]}")
    print(f"  status {res.status}  objective {res.objective:.0f}  bound {res.bound:.0f}  "
          f"gap {100 * res.gap:.3f}%")

    so, bm = res.metrics, base.metrics
    rows = [("meetings", so.meetings, bm.meetings),
            (f"requested pairs met (of {so.requests})", so.requests_fulfilled, bm.requests_fulfilled),
            (f"must-meets met (of {so.must})", so.must_fulfilled, bm.must_fulfilled),
            (f"mutual must-meets met (of {so.mutual_must})", so.mutual_must_fulfilled,
             bm.mutual_must_fulfilled),
            ("participants below min", len(so.below_min), len(bm.below_min)),
            ("weighted value", so.value, bm.value)]
    print(f"\n{'':42s}{'optimizer':>12s}{'baseline':>12s}")
    for name, s, b in rows:
        print(f"{name:42s}{s:>12}{b:>12}")
    print(f"\noptimizer fulfils {so.requests_fulfilled - bm.requests_fulfilled:+d} requested "
          f"meetings and {so.must_fulfilled - bm.must_fulfilled:+d} must-meets vs the baseline")


if __name__ == "__main__":
    main()
