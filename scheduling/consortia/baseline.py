"""Evaluating a team by the stated objective, the greedy baseline, and pre-filtering.

``describe`` scores any team term by term, so the optimizer's answers and the greedy
coordinator's are compared on the same scale.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from .problem import Assignment, Team, TeamProblem, transport_days

def shortfalls(problem: TeamProblem) -> dict[str, str]:
    out = {}
    for s in problem.stages:
        caps = sorted((max(0, c.capacity - problem.committed.get(c.maker, 0))
                       for c in problem.candidates if c.stage == s.code), reverse=True)
        if not caps:
            out[s.code] = "no_candidate"
        elif sum(caps[:problem.max_per_stage]) < s.volume:
            out[s.code] = "capacity"
    return out


def describe(problem: TeamProblem, assignments: Sequence[Assignment]) -> Team:
    """Evaluate a team's terms (used for the solver's answers and the greedy baseline alike)."""
    w = problem.weights
    cand = {(c.stage, c.maker): c for c in problem.candidates}
    volume = {s.code: s.volume for s in problem.stages}
    terms = {"fit": 0.0, "risk": 0.0, "cost": 0.0, "lead": 0.0, "cohesion": 0.0, "small_share": 0.0,
             "late": 0.0}
    for a in assignments:
        c = cand[(a.stage, a.maker)]
        share = a.units / volume[a.stage]
        terms["fit"] += w.fit * c.fit * share
        terms["risk"] -= w.risk * c.risk * share
        if c.unit_cost is not None:
            terms["cost"] -= w.cost * c.unit_cost * share
    lead = 0
    for i, s in enumerate(problem.stages):
        here = [cand[(a.stage, a.maker)] for a in assignments if a.stage == s.code]
        lead += max((c.lead_days for c in here), default=0)
        if i + 1 < len(problem.stages):
            nxt = [cand[(a.stage, a.maker)] for a in assignments if a.stage == problem.stages[i + 1].code]
            lead += transport_days(here, nxt)
    terms["lead"] = -w.lead_day * lead
    if problem.deadline_days is not None:
        terms["late"] = -w.late_day * max(0, lead - problem.deadline_days)
    if problem.small_share > 0:
        total = sum(volume.values())
        target = math.ceil(problem.small_share * total)
        small = sum(a.units for a in assignments if cand[(a.stage, a.maker)].small)
        terms["small_share"] = -w.small_share * max(0, target - small) / total
    owners = {cand[(a.stage, a.maker)].owner for a in assignments}
    for (fa, fb), score in problem.cohesion.items():
        if fa != fb and fa in owners and fb in owners:
            terms["cohesion"] += w.cohesion * score
    return Team(list(assignments), sum(terms.values()), terms, lead)


def greedy(problem: TeamProblem) -> Team | None:
    """Best-ranked available maker per stage, in stage order, splitting only when the best
    one lacks capacity: what a coordinator does by hand. ``None`` when it gets stuck."""
    left = {c.maker: max(0, c.capacity - problem.committed.get(c.maker, 0)) for c in problem.candidates}
    out: list[Assignment] = []
    firm_of = None
    for s in problem.stages:
        need, used = s.volume, 0
        pool = [c for c in problem.candidates if c.stage == s.code]
        if s.code in problem.locked:
            pool = [c for c in pool if c.maker in problem.locked[s.code]]
        if problem.single_firm and firm_of:
            pool = [c for c in pool if c.owner == firm_of]
        for c in sorted(pool, key=lambda c: (-c.fit, c.maker)):
            if need == 0 or used == problem.max_per_stage:
                break
            take = min(need, left[c.maker])
            last_place = used == problem.max_per_stage - 1
            if take < max(1, c.min_units) or (last_place and take < need):
                continue  # too small for its minimum, or the last place must finish the stage
            out.append(Assignment(s.code, c.maker, take, c.fit, c.lead_days))
            left[c.maker] -= take
            need -= take
            used += 1
            firm_of = firm_of or c.owner
        if need:
            return None
    return describe(problem, out)


def prefilter(problem: TeamProblem, per_stage: int = 15) -> TeamProblem:
    """Keep the ``per_stage`` best-fitting candidates of each stage (plus locked makers and
    every candidate of a firm kept elsewhere): how 100,000 makers become a model CP-SAT
    solves in seconds. The index does the same with its filters and ranking upstream."""
    keep: set[int] = set()
    by_stage: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(problem.candidates):
        by_stage[c.stage].append(i)
    c = problem.candidates
    for stage, idx in by_stage.items():
        usable = [i for i in idx if c[i].capacity > 0]
        # the best fits, and beside them the largest and the fastest, so that volume
        # and lead time can still be met, and small firms when a share is required
        orders = [lambda i: -c[i].fit, lambda i: -c[i].capacity * c[i].fit, lambda i: c[i].lead_days - c[i].fit]
        if problem.small_share > 0:
            orders.append(lambda i: (not c[i].small, -c[i].fit))
        for order in orders:
            keep.update(sorted(usable, key=order)[:per_stage])
        keep.update(i for i in idx if c[i].maker in problem.locked.get(stage, ()))
    cands = tuple(problem.candidates[i] for i in sorted(keep))
    return replace(problem, candidates=cands)


def plan(problem: TeamProblem, team: Team) -> list[tuple[str, int, int]]:
    """``(stage, start_day, end_day)`` along the sequence: each stage starts when the goods of
    the previous one arrive (its end plus the transport leg) and lasts as long as its slowest
    maker; the last end is the team's lead time."""
    cand = {(c.stage, c.maker): c for c in problem.candidates}
    out, day, prev = [], 0, []
    for s in problem.stages:
        here = [cand[(a.stage, a.maker)] for a in team.assignments if a.stage == s.code]
        day += transport_days(prev, here)
        end = day + max((c.lead_days for c in here), default=0)
        out.append((s.code, day, end))
        day, prev = end, here
    return out
