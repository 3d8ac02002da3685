"""Greedy round-robin baseline: what typical event tools do.

Participants take turns (buyers and makers interleaved); on each turn a
participant takes their next-best own request (must before would-like, then
by score) and puts it into the first slot where both sides are free and a
table is free. No look-ahead, no proof of quality. Used to show organizers
what the optimizer gains, and as a warm start for the optimizer.
"""

from __future__ import annotations

import time
from collections import Counter, deque
from dataclasses import dataclass
from itertools import zip_longest

from .problem import Problem
from .schedule import Metrics, Schedule, assign_tables, evaluate
from .weights import DEFAULT_WEIGHTS, Weights

Placement = tuple[str, str, str]


@dataclass
class BaselineResult:
    schedule: Schedule
    metrics: Metrics
    wall_time: float


def greedy_placements(problem: Problem, *, banned: set[tuple[str, str]] | None = None,
                      closed_slots: set[str] | None = None,
                      all_candidates: bool = False) -> list[Placement]:
    """Round-robin greedy (buyer, maker, slot) placements; locked kept first.

    Assumes ``problem.locked`` holds only mutually compatible meetings. With
    ``all_candidates`` unrequested (score-only) pairs are queued too, after
    requests; the optimizer uses that to warm-start its slotting phase.
    """
    banned = banned or set()
    closed = closed_slots or set()
    people = problem.participants()
    makers = {m.id: m for m in problem.makers}
    cap = {pid: problem.cap(p) for pid, p in people.items()}
    n_shared = problem.shared_tables()   # stands hold only their maker's meetings
    slots = [s.id for s in problem.slots if s.id not in closed]
    busy: set[tuple[str, str]] = set()
    fixed_used: set[tuple[str, str]] = set()
    per_slot: Counter = Counter()
    count: Counter = Counter()
    met: set[tuple[str, str]] = set()
    out: list[Placement] = []

    def place(b: str, m: str, s: str) -> None:
        busy.update({(b, s), (m, s)})
        if makers[m].fixed_table:
            fixed_used.add((makers[m].fixed_table, s))
        else:
            per_slot[s] += 1
        count[b] += 1
        count[m] += 1
        met.add((b, m))
        out.append((b, m, s))

    for lk in problem.locked:
        place(lk.buyer, lk.maker, lk.slot)

    rank = {"must": 0, "would_like": 1}
    wants: dict[str, list] = {pid: [] for pid in people}
    for p in problem.preferences:
        if p.vetoed or (p.buyer, p.maker) in banned:
            continue
        if p.buyer_mark in rank:
            wants[p.buyer].append((rank[p.buyer_mark], -(p.score or 0), p.maker, (p.buyer, p.maker)))
        if p.maker_mark in rank:
            wants[p.maker].append((rank[p.maker_mark], -(p.score or 0), p.buyer, (p.buyer, p.maker)))
        if all_candidates and p.buyer_mark not in rank and p.maker_mark not in rank:
            wants[p.buyer].append((2, -(p.score or 0), p.maker, (p.buyer, p.maker)))
    queues = {pid: deque(k for *_, k in sorted(v)) for pid, v in wants.items()}

    def first_slot(b: str, m: str) -> str | None:
        gone = people[b].unavailable | people[m].unavailable
        fixed = makers[m].fixed_table
        for s in slots:
            if (s not in gone and (b, s) not in busy and (m, s) not in busy
                    and ((fixed, s) not in fixed_used if fixed else per_slot[s] < n_shared)):
                return s
        return None

    order = [p.id for pair in zip_longest(problem.buyers, problem.makers) for p in pair if p]
    active = [pid for pid in order if queues[pid]]
    while active:
        still = []
        for pid in active:
            q = queues[pid]
            while q and count[pid] < cap[pid]:
                b, m = q.popleft()
                other = m if pid == b else b
                if (b, m) in met or count[other] >= cap[other]:
                    continue
                s = first_slot(b, m)
                if s is not None:
                    place(b, m, s)
                    break
            if q and count[pid] < cap[pid]:
                still.append(pid)
        active = still
    return out


def baseline(problem: Problem, weights: Weights = DEFAULT_WEIGHTS) -> BaselineResult:
    """Run the greedy baseline on a valid problem (locked conflicts dropped)."""
    from .problem import check, locked_conflicts
    t0 = time.perf_counter()
    check(problem)
    problem = problem.replace(locked=locked_conflicts(problem)[0])
    sched = Schedule(assign_tables(problem, greedy_placements(problem)))
    return BaselineResult(sched, evaluate(problem, sched, weights), time.perf_counter() - t0)
