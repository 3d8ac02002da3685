"""Exact meeting optimizer (OR-Tools CP-SAT) that reports a bound and gap.

Model. Tables are interchangeable except makers' fixed tables, so the solver
decides only *which pair meets in which slot*: one boolean ``x[pair, slot]``
per candidate pair (any request or positive score, no veto) and per slot both
sides can attend. Tables enter as a per-slot capacity (meetings of makers
without a fixed table <= tables that are nobody's fixed table, since a fixed
table is that maker's stand and holds only their meetings; plus at most one
meeting per fixed table), and a cheap post-pass
(:func:`scheduling.schedule.assign_tables`) gives each meeting a table. This
keeps the model at pairs x slots instead of pairs x slots x tables.

Hard: one meeting per person per slot, availability, maximum meetings, slot
capacity, fixed tables, a pair meets at most once, locked meetings kept.
Soft: minimum meetings (penalized shortfall). Idle gaps in a participant's
day are a *secondary* goal: once the meeting set is chosen, a second CP-SAT
pass re-slots the same meetings to minimize gaps (lexicographic, so it never
costs objective value). Putting gaps into the main objective made even tiny
instances hard to prove optimal (weak LP relaxation), hence this split.

CP-SAT always gives a proven upper bound on the objective; we report it with
the relative gap, so organizers can see how far from the best a schedule is.

Large fairs (more than ``SolveOptions.monolithic_limit`` variables) are solved
in two exact-bounded phases, because slots are nearly interchangeable and a
monolithic model spends its time on symmetric choices:

1. *Selection*: choose which pairs meet, subject to every per-person cap,
   soft minimums and total table capacity (slots x tables). This relaxes the
   full model, so its proven bound is a valid bound for the whole problem.
   Solved as a MILP with HiGHS via OR-Tools (near-integral LP, fast).
2. *Slotting*: place the selected pairs into slots with the full model
   restricted to them (warm-started from a greedy placement), then top up
   leftover capacity greedily with the remaining candidates.

The reported gap compares the final schedule against the phase-1 bound, so
it is honest even though the phases are solved separately.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import replace

from ortools.sat.python import cp_model

from .cpsat_model import _Instance, _reduce_gaps, _run, _slot_model
from .diagnose import diagnose, explain_shortfalls
from .options import MIN_CALL_SECONDS, MIN_SOLVE_SECONDS, Placement, SolveOptions, SolveResult, logger
from .problem import Problem, check, locked_conflicts
from .schedule import Schedule, assign_tables, evaluate
from .selection import _drop_unneeded_fill, _fill_pairs, _native_stdout_to_log, _selection, _top_up

__all__ = ["Placement", "SolveOptions", "SolveResult", "logger", "solve", "solve_with",
           "_native_stdout_to_log"]


def solve(problem: Problem, options: SolveOptions | None = None) -> SolveResult:
    """Schedule ``problem`` optimally (within ``options.time_limit``).

    Raises :class:`~scheduling.problem.ProblemError` for invalid data only;
    conflicting settings are dropped/penalized and explained in ``report``.
    """
    options = options or SolveOptions()
    if not options.fill_minimums:
        return solve_with(problem, options)
    t0 = time.perf_counter()
    first = solve_with(problem, replace(options, fill_minimums=False,
                                        time_limit=0.6 * options.time_limit))
    short = set(first.report.shortfalls)
    if not short:
        return first
    rest = options.time_limit - (time.perf_counter() - t0)
    if rest < MIN_SOLVE_SECONDS:   # the limit is the organizer's: no fill stage rather than a late answer
        first.stats["fill_stage"] = dict(short_before=sum(first.report.shortfalls.values()), short_after=None,
                                         kept=f"without fill: only {max(0.0, rest):.2f}s of the time limit left")
        return first
    offset = time.perf_counter() - t0     # when the fill stage starts
    second = solve_with(problem, replace(options, time_limit=rest), fill_for=short,
                        hint=[(m.buyer, m.maker, m.slot) for m in first.schedule.meetings])
    best = second if second.objective >= first.objective else first
    best.stats["fill_stage"] = dict(short_before=sum(first.report.shortfalls.values()),
                                    short_after=sum(second.report.shortfalls.values()),
                                    kept="fill" if best is second else "without fill")
    best.stats["call_ends"] = {**{f"without fill: {k}": v for k, v in first.stats["call_ends"].items()},
                               **{f"fill: {k}": round(offset + v, 3) for k, v in second.stats["call_ends"].items()}}
    best.wall_time = time.perf_counter() - t0
    return best


class _Budget:
    """The seconds each solver call may take, and when (from the solve's start) each must end by: every
    call's end lies within the time limit, whatever the calls before it took."""

    def __init__(self, t0: float, ends: dict) -> None:
        self.t0, self.ends = t0, ends

    def grant(self, name: str, until: float) -> float:
        now = time.perf_counter()
        seconds = max(MIN_CALL_SECONDS, until - now)
        self.ends[name] = round(now - self.t0 + seconds, 3)
        return seconds


def solve_with(problem: Problem, options: SolveOptions, *,
               keep_bonus: dict[Placement, int] | None = None,
               pair_bonus: dict[tuple[str, str], int] | None = None,
               banned: set[tuple[str, str]] | None = None,
               closed_slots: set[str] | None = None,
               hint: list[Placement] | None = None,
               preferred_tables: dict[tuple[str, str], str] | None = None,
               fill_for: set[str] | None = None) -> SolveResult:
    """Core solve used by :func:`solve` and by repair.

    ``keep_bonus``/``pair_bonus`` reward keeping an existing meeting in the
    same slot / at all (they are part of the reported objective); ``banned``
    pairs may not meet; ``closed_slots`` take no new meetings (past slots);
    ``hint`` warm-starts the search (default: the greedy baseline);
    ``fill_for`` limits ``options.fill_minimums`` to these participants.
    """
    from .baseline import greedy_placements

    t0 = time.perf_counter()
    deadline = t0 + options.time_limit - min(2.0, 0.05 * options.time_limit)  # post-pass slack
    check(problem)
    w = options.weights
    keep_bonus = keep_bonus or {}
    pair_bonus = pair_bonus or {}
    banned = banned or set()
    closed = closed_slots or set()
    locked_ok, conflicts = locked_conflicts(problem)
    dropped = [m for m in problem.locked if m not in locked_ok]
    problem = problem.replace(locked=locked_ok)
    people = problem.participants()
    prefs = problem.preference_map()
    fill = _fill_pairs(problem, banned, fill_for) if options.fill_minimums else set()
    report = diagnose(problem, conflicts, also=fill)

    slot_ids = [s.id for s in problem.slots]
    locked_at = {(m.buyer, m.maker): m.slot for m in locked_ok}

    # Candidate pairs: any request or positive score, no veto, not banned.
    value: dict[tuple[str, str], int] = {}
    for p in problem.preferences:
        k = (p.buyer, p.maker)
        if not p.vetoed and (p.requested or (p.score or 0) > 0) and k not in banned:
            value[k] = w.pair_value(p)
    for k in [*locked_at, *pair_bonus, *((b, m) for b, m, _ in keep_bonus)]:
        if k not in value and not (k in prefs and prefs[k].vetoed) and (k not in banned or k in locked_at):
            value[k] = w.pair_value(prefs[k]) if k in prefs else 0
    fill -= set(value)
    for k in fill:          # worth nothing by itself; only lowers a shortfall
        value[k] = 0
    allowed: dict[tuple[str, str], list[str]] = {}
    for b, m in value:
        if (b, m) in locked_at:
            allowed[b, m] = [locked_at[b, m]]
        else:
            gone = people[b].unavailable | people[m].unavailable | closed
            allowed[b, m] = [s for s in slot_ids if s not in gone]
    n_vars = sum(len(v) for v in allowed.values())
    inst = _Instance(problem, options, value, allowed, keep_bonus, pair_bonus, locked_at)

    if hint is None and options.warm_start:
        hint = greedy_placements(problem, banned=banned, closed_slots=closed)
    hint_set = set(hint or [])
    stats: dict = dict(variables=n_vars, candidate_pairs=len(value), fill_pairs=len(fill))
    #: per solver call, the second from the start by which it must end (all within ``options.time_limit``)
    budget = _Budget(t0, stats.setdefault("call_ends", {}))
    main_deadline = deadline - (options.gap_pass_share * options.time_limit
                                if options.reduce_gaps and not keep_bonus else 0.0)

    if n_vars <= options.monolithic_limit:
        stats["method"] = "monolithic"
        model, x = _slot_model(inst, list(value))
        stats["build_time"] = time.perf_counter() - t0
        placed, solver, status = _run(model, x, hint_set, options, budget.grant("slotting", main_deadline))
        bound = solver.BestObjectiveBound()
        label = {cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible"}.get(status, "fallback")
        stats["cpsat_status"] = solver.StatusName(status)
    else:
        stats["method"] = "two-phase"
        until = min(main_deadline, t0 + 0.4 * options.time_limit)
        chosen, bound, st1 = _selection(inst, budget.grant("selection", until))
        stats["selection_status"], stats["selected_pairs"] = st1, len(chosen)
        stats["selection_time"] = time.perf_counter() - t0
        # Warm start for slotting: greedy placement of the chosen pairs only.
        sub = problem.replace(preferences=[p for p in problem.preferences
                                           if (p.buyer, p.maker) in chosen])
        pre = greedy_placements(sub, banned=banned, closed_slots=closed, all_candidates=True)
        model, x = _slot_model(inst, sorted(chosen))
        stats["build_time"] = time.perf_counter() - t0
        # Global bound known: stop as soon as the target gap is proven.
        target = bound - options.relative_gap * abs(bound)
        placed, solver, status = _run(model, x, set(pre) | hint_set, options, budget.grant("slotting", main_deadline),
                                      target)
        stats["cpsat_status"] = solver.StatusName(status)
        placed = _top_up(inst, placed if placed is not None else pre)
        label = "feasible"
    if placed is None:
        placed = [k for k in hint_set if k[:2] in value] or [(m.buyer, m.maker, m.slot) for m in locked_ok]
    if fill:
        # CP-SAT may not even reach its hint on the larger model in the time left:
        # a greedy pass puts fill pairs of those still short into leftover capacity.
        placed = _drop_unneeded_fill(problem, _top_up(inst, placed), fill, locked_at)
        stats["fill_meetings"] = sum(k[:2] in fill for k in placed)
    if options.reduce_gaps and not keep_bonus and placed:
        # Weak LP bound: the pass rarely proves optimality, so cap its time.
        until = min(deadline, time.perf_counter() + 1.0 + len(placed) / 200)
        if until - time.perf_counter() >= MIN_SOLVE_SECONDS:
            placed = _reduce_gaps(inst, placed, budget.grant("gap pass", until), stats)
        else:
            placed = _reduce_gaps(inst, placed, until - time.perf_counter(), stats)  # records why it skipped
    else:
        why = ("turned off" if not options.reduce_gaps else
               "repair keeps meetings in their slots" if keep_bonus else "no meetings")
        stats["gap_pass"] = dict(status=f"skipped: {why}", before=None, after=None,
                                 lower_bound=None, seconds=0.0)

    schedule = Schedule(assign_tables(problem, placed, preferred_tables))
    metrics = evaluate(problem, schedule, w)
    objective = float(metrics.value + sum(
        pair_bonus.get(k[:2], 0) + keep_bonus.get(k, 0) for k in placed))
    gap = max(0.0, bound - objective) / max(1.0, abs(bound))
    if label == "feasible" and gap < 1e-9:
        label = "optimal"
    counts: Counter = Counter()
    for mt in schedule.meetings:
        counts[mt.buyer] += 1
        counts[mt.maker] += 1
    explain_shortfalls(problem, counts, report, also=fill)
    return SolveResult(
        schedule=schedule, status=label, objective=objective, bound=bound, gap=gap,
        wall_time=time.perf_counter() - t0, metrics=metrics, report=report,
        dropped_locked=dropped, stats=stats)
