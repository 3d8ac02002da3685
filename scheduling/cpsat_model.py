"""The CP-SAT side of the solver: the (pair, slot) model, running it, and the idle-gap pass."""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from .options import MIN_CALL_SECONDS, MIN_SOLVE_SECONDS, Placement, SolveOptions, logger
from .problem import Meeting, Problem
from .schedule import Schedule


@dataclass
class _Instance:
    """Prepared data shared by the phases."""

    problem: Problem
    options: SolveOptions
    value: dict[tuple[str, str], int]            # candidate pair -> objective coefficient base
    allowed: dict[tuple[str, str], list[str]]    # candidate pair -> slots it may use
    keep_bonus: dict[Placement, int]
    pair_bonus: dict[tuple[str, str], int]
    locked_at: dict[tuple[str, str], str]

    def coef(self, k: Placement) -> int:
        return self.value[k[:2]] + self.pair_bonus.get(k[:2], 0) + self.keep_bonus.get(k, 0)


def _params(solver: cp_model.CpSolver, options: SolveOptions, seconds: float) -> None:
    prm = solver.parameters
    prm.max_time_in_seconds = max(MIN_CALL_SECONDS, seconds)
    prm.num_workers = max(1, options.workers)
    prm.random_seed = options.seed
    prm.relative_gap_limit = options.relative_gap
    prm.log_search_progress = options.log
    prm.log_to_stdout = False
    if options.log:
        solver.log_callback = lambda line: logger.info("CP-SAT: %s", line)


def _slot_model(inst: _Instance, pairs: list[tuple[str, str]], gaps: bool = False):
    """Full (pair, slot) model over ``pairs``. Returns (model, x).

    With ``gaps`` every pair in ``pairs`` must meet and the objective is to
    minimize idle gaps (the secondary pass); otherwise maximize value."""
    problem, w = inst.problem, inst.options.weights
    people = problem.participants()
    makers = {m.id: m for m in problem.makers}
    model = cp_model.CpModel()
    x: dict[Placement, cp_model.IntVar] = {}
    by_person_slot: dict[tuple[str, str], list] = defaultdict(list)
    by_slot: dict[str, list] = defaultdict(list)
    by_fixed_slot: dict[tuple[str, str], list] = defaultdict(list)
    by_person: dict[str, list] = defaultdict(list)
    by_pair: dict[tuple[str, str], list] = defaultdict(list)
    obj_vars: list = []
    obj_coefs: list[int] = []
    for b, m in pairs:
        for s in inst.allowed[b, m]:
            var = model.NewBoolVar(f"x|{b}|{m}|{s}")
            x[b, m, s] = var
            by_person_slot[b, s].append(var)
            by_person_slot[m, s].append(var)
            if not makers[m].fixed_table:
                by_slot[s].append(var)
            by_person[b].append(var)
            by_person[m].append(var)
            by_pair[b, m].append(var)
            if makers[m].fixed_table:
                by_fixed_slot[makers[m].fixed_table, s].append(var)
            coef = inst.coef((b, m, s))
            if coef and not gaps:
                obj_vars.append(var)
                obj_coefs.append(coef)

    for (b, m), s in inst.locked_at.items():
        if (b, m, s) in x:
            model.Add(x[b, m, s] == 1)
    for vars_ in by_pair.values():
        if gaps:
            model.AddExactlyOne(vars_)
        elif len(vars_) > 1:
            model.AddAtMostOne(vars_)
    n_shared = problem.shared_tables()   # stands hold only their maker's meetings
    for vars_ in by_slot.values():
        if len(vars_) > n_shared:
            model.Add(cp_model.LinearExpr.Sum(vars_) <= n_shared)
    for vars_ in by_fixed_slot.values():
        if len(vars_) > 1:
            model.AddAtMostOne(vars_)
    for pid, vars_ in by_person.items():
        cap = problem.cap(people[pid])
        if len(vars_) > cap:
            model.Add(cp_model.LinearExpr.Sum(vars_) <= cap)

    busy: dict[tuple[str, str], object] = {}
    for (pid, s), vars_ in by_person_slot.items():
        if gaps:
            if len(vars_) == 1:
                busy[pid, s] = vars_[0]
            else:
                flag = model.NewBoolVar(f"busy|{pid}|{s}")
                model.Add(cp_model.LinearExpr.Sum(vars_) == flag)
                busy[pid, s] = flag
        elif len(vars_) > 1:
            model.AddAtMostOne(vars_)

    for pid, p in people.items():
        if p.min_meetings > 0 and not gaps:
            sf = model.NewIntVar(0, p.min_meetings, f"short|{pid}")
            model.Add(cp_model.LinearExpr.Sum(by_person.get(pid, [])) + sf >= p.min_meetings)
            obj_vars.append(sf)
            obj_coefs.append(-w.shortfall)

    # Idle gaps per session: (#runs of consecutive meetings) - (1 if any).
    if gaps:
        sessions: dict[str, list[str]] = defaultdict(list)
        for s in problem.slots:
            sessions[s.session].append(s.id)
        active: dict[str, set[str]] = defaultdict(set)
        for pid, s in busy:
            active[pid].add(s)
        for pid, act in active.items():
            for sess, order in sessions.items():
                if sum(s in act for s in order) < 2:
                    continue
                any_ = model.NewBoolVar(f"any|{pid}|{sess}")
                model.Add(any_ <= cp_model.LinearExpr.Sum([busy[pid, s] for s in order if s in act]))
                obj_vars.append(any_)
                obj_coefs.append(1)
                prev = None
                for s in order:
                    if s in act:
                        st = model.NewBoolVar(f"start|{pid}|{s}")
                        model.Add(st >= busy[pid, s] - (busy[pid, prev] if prev else 0))
                        obj_vars.append(st)
                        obj_coefs.append(-1)
                    prev = s if s in act else None

    model.Maximize(cp_model.LinearExpr.WeightedSum(obj_vars, obj_coefs))
    return model, x


class _StopAt(cp_model.CpSolverSolutionCallback):
    """Stop the slotting phase once it is within the target of the bound."""

    def __init__(self, target: float) -> None:
        super().__init__()
        self.target = target

    def on_solution_callback(self) -> None:
        if self.ObjectiveValue() >= self.target:
            self.StopSearch()


def _reduce_gaps(inst: _Instance, placed: list[Placement], seconds: float,
                 stats: dict) -> list[Placement]:
    """Secondary pass: same meetings, re-slotted to minimize idle gaps.

    Records what it achieved in ``stats["gap_pass"]``: ``status`` (``optimal``
    = no schedule of these meetings has fewer gaps; ``improved`` / ``no
    improvement`` = time ran out first; ``skipped: ...`` with the reason),
    idle gaps ``before`` and ``after``, the proven ``lower_bound`` on gaps for
    these meetings, and the ``seconds`` spent."""
    from .schedule import idle_gaps
    t0 = time.perf_counter()
    count = lambda pl: sum(idle_gaps(inst.problem, Schedule(  # noqa: E731
        [Meeting(b, m, s, "") for b, m, s in pl])).values())
    before = count(placed)
    stats["idle_gaps_before"] = stats["idle_gaps"] = before
    report = stats["gap_pass"] = dict(status="", before=before, after=before,
                                      lower_bound=None, seconds=0.0)
    if before == 0:
        report.update(status="optimal", lower_bound=0)
        return placed
    if seconds < MIN_SOLVE_SECONDS:
        report["status"] = f"skipped: only {max(0.0, seconds):.2f}s of the time limit left"
        return placed
    model, x = _slot_model(inst, sorted({k[:2] for k in placed}), gaps=True)
    opts = replace(inst.options, relative_gap=0.0)
    new, solver, status = _run(model, x, set(placed), opts, seconds)
    after = count(new) if new else before
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        # The model maximizes -(idle gaps): its bound is minus a lower bound.
        report["lower_bound"] = max(0, math.ceil(-solver.BestObjectiveBound() - 1e-6))
    best = new if new and after < before else placed
    report["after"] = stats["idle_gaps"] = min(before, after)
    if status == cp_model.OPTIMAL:
        report["status"] = "optimal"
    else:
        report["status"] = "improved" if after < before else "no improvement"
    report["seconds"] = round(time.perf_counter() - t0, 3)
    return best


def _run(model: cp_model.CpModel, x: dict, hint: set, options: SolveOptions, seconds: float,
         stop_at: float | None = None):
    for key, var in x.items():
        model.AddHint(var, key in hint)
    solver = cp_model.CpSolver()
    _params(solver, options, seconds)
    status = solver.Solve(model, _StopAt(stop_at) if stop_at is not None else None)
    if status == cp_model.MODEL_INVALID:
        raise RuntimeError(f"CP-SAT rejected the model: {model.Validate()}")
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return [k for k, var in x.items() if solver.BooleanValue(var)], solver, status
    return None, solver, status
