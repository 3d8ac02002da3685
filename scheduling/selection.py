"""Phase 1 of a large fair (pair selection as a MILP with HiGHS) and the greedy passes around it:
topping up leftover capacity and the organizer's option to fill minimum shortfalls with unmarked pairs."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections import Counter

from ortools.linear_solver import pywraplp

from .cpsat_model import _Instance
from .options import MIN_CALL_SECONDS, Placement, logger
from .problem import Problem


@contextlib.contextmanager
def _native_stdout_to_log(enabled: bool):
    """Capture what native code (HiGHS) writes to file descriptor 1.

    HiGHS prints its banner even when told to be quiet; OR-Tools gives no
    callback for it. The captured lines go to :data:`logger` when ``enabled``,
    else they are dropped. The redirection is process-wide for its duration.
    """
    sys.stdout.flush()
    saved = os.dup(1)
    with tempfile.TemporaryFile(mode="w+b") as sink:
        os.dup2(sink.fileno(), 1)
        try:
            yield
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            if enabled:
                sink.seek(0)
                for line in sink.read().decode("utf-8", "replace").splitlines():
                    if line.strip():
                        logger.info("HiGHS: %s", line)


def _selection(inst: _Instance, seconds: float) -> tuple[set[tuple[str, str]], float, str]:
    """Phase 1: which pairs meet, ignoring slot order.

    A MILP solved with HiGHS (through OR-Tools' wrapper: the standalone
    ``highspy`` wheel clashes with OR-Tools' bundled HiGHS in one process).
    Its LP relaxation is nearly integral (a bipartite b-matching plus one
    capacity row), so it solves fast with a tight bound. Returns the chosen
    pairs, a proven upper bound for the full problem, and the status.
    """
    problem, w = inst.problem, inst.options.weights
    people = problem.participants()
    makers = {m.id: m for m in problem.makers}
    lp = pywraplp.Solver.CreateSolver("HIGHS") or pywraplp.Solver.CreateSolver("CBC")
    inf = lp.infinity()
    n_slots = len(problem.slots)
    total = lp.RowConstraint(-inf, problem.shared_tables() * n_slots, "total")
    rows: dict[tuple, pywraplp.Constraint] = {}

    def row(key: tuple, lo: float, hi: float) -> pywraplp.Constraint:
        if key not in rows:
            rows[key] = lp.RowConstraint(lo, hi, "")
        return rows[key]

    obj = lp.Objective()
    y: dict[tuple[str, str], pywraplp.Variable] = {}
    for (b, m), slots in inst.allowed.items():
        if not slots:
            continue
        var = lp.IntVar(1.0 if (b, m) in inst.locked_at else 0.0, 1.0, "")
        y[b, m] = var
        if not makers[m].fixed_table:
            total.SetCoefficient(var, 1)
        for pid in (b, m):
            row(("cap", pid), -inf, problem.cap(people[pid])).SetCoefficient(var, 1)
            if people[pid].min_meetings > 0:
                row(("min", pid), people[pid].min_meetings, inf).SetCoefficient(var, 1)
        if makers[m].fixed_table:
            row(("fixed", makers[m].fixed_table), -inf, n_slots).SetCoefficient(var, 1)
        obj.SetCoefficient(var, max(inst.coef((b, m, s)) for s in slots))
    for pid, p in people.items():          # soft minimums: shortfall columns
        if p.min_meetings > 0:
            sf = lp.IntVar(0.0, float(p.min_meetings), "")
            row(("min", pid), p.min_meetings, inf).SetCoefficient(sf, 1)
            obj.SetCoefficient(sf, -w.shortfall)
    obj.SetMaximization()
    lp.SetTimeLimit(int(1000 * max(MIN_CALL_SECONDS, seconds)))
    lp.SetNumThreads(max(1, inst.options.workers))
    prm = pywraplp.MPSolverParameters()
    prm.SetDoubleParam(prm.RELATIVE_MIP_GAP, max(1e-6, inst.options.relative_gap / 4))
    if inst.options.log:      # HiGHS prints to stdout: captured by _native_stdout_to_log
        lp.EnableOutput()
    else:
        lp.SuppressOutput()
    with _native_stdout_to_log(inst.options.log):
        status = lp.Solve(prm)
    names = {lp.OPTIMAL: "OPTIMAL", lp.FEASIBLE: "FEASIBLE", lp.INFEASIBLE: "INFEASIBLE",
             lp.NOT_SOLVED: "NOT_SOLVED", lp.ABNORMAL: "ABNORMAL"}
    if status not in (lp.OPTIMAL, lp.FEASIBLE):
        return set(inst.locked_at), float("inf"), names.get(status, str(status))
    bound = obj.BestBound() if status == lp.FEASIBLE else obj.Value()
    return {k for k, v in y.items() if v.solution_value() > 0.5}, bound, names[status]


def _top_up(inst: _Instance, placed: list[Placement]) -> list[Placement]:
    """Greedily add remaining candidates (best value first) into leftover
    capacity: first slot where both sides are free and a table is free."""
    problem = inst.problem
    people = problem.participants()
    makers = {m.id: m for m in problem.makers}
    count: Counter = Counter()
    busy, fixed_used, per_slot, met = set(), set(), Counter(), set()
    for b, m, s in placed:
        busy |= {(b, s), (m, s)}
        count[b] += 1
        count[m] += 1
        met.add((b, m))
        if makers[m].fixed_table:
            fixed_used.add((makers[m].fixed_table, s))
        else:
            per_slot[s] += 1
    cap = {pid: problem.cap(p) for pid, p in people.items()}
    n_shared = problem.shared_tables()
    below = lambda pid: count[pid] < people[pid].min_meetings  # noqa: E731
    order = sorted((k for k in inst.value if k not in met),
                   key=lambda k: -(inst.value[k] + inst.options.weights.shortfall
                                   * (below(k[0]) + below(k[1]))))
    out = list(placed)
    for b, m in order:
        if count[b] >= cap[b] or count[m] >= cap[m]:
            continue
        fixed = makers[m].fixed_table
        for s in inst.allowed[b, m]:
            room = (fixed, s) not in fixed_used if fixed else per_slot[s] < n_shared
            if (b, s) not in busy and (m, s) not in busy and room:
                busy |= {(b, s), (m, s)}
                count[b] += 1
                count[m] += 1
                if fixed:
                    fixed_used.add((fixed, s))
                else:
                    per_slot[s] += 1
                out.append((b, m, s))
                break
    return out


def _fill_pairs(problem: Problem, banned: set[tuple[str, str]],
                needy: set[str] | None = None) -> set[tuple[str, str]]:
    """Pairs with no 'no' and not banned that touch someone in ``needy`` (default:
    everyone with a minimum; ``SolveOptions.fill_minimums``); pairs already
    candidates are removed later."""
    prefs = problem.preference_map()
    if needy is None:
        needy = {p.id for p in [*problem.buyers, *problem.makers] if p.min_meetings > 0}
    return {(b.id, m.id) for b in problem.buyers for m in problem.makers
            if (b.id in needy or m.id in needy) and (b.id, m.id) not in banned
            and not ((b.id, m.id) in prefs and prefs[b.id, m.id].vetoed)}


def _drop_unneeded_fill(problem: Problem, placed: list[Placement],
                        fill: set[tuple[str, str]], locked_at: dict) -> list[Placement]:
    """Remove fill meetings that do not keep anyone at their minimum.

    Fill pairs are worth 0, so the solver may place them anywhere; removing
    one whose two sides both stay at or above their minimum costs nothing."""
    people = problem.participants()
    count: Counter = Counter()
    for b, m, _ in placed:
        count[b] += 1
        count[m] += 1
    out = []
    for k in sorted(placed, key=lambda k: k[:2] in fill, reverse=True):
        b, m, _ = k
        if (k[:2] in fill and k[:2] not in locked_at
                and count[b] > people[b].min_meetings and count[m] > people[m].min_meetings):
            count[b] -= 1
            count[m] -= 1
            continue
        out.append(k)
    return out
