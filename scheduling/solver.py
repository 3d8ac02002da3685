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

import contextlib
import logging
import math
import os
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from .diagnose import InfeasibilityReport, diagnose, explain_shortfalls
from .problem import Meeting, Problem, check, locked_conflicts
from .schedule import Metrics, Schedule, assign_tables, evaluate
from .weights import DEFAULT_WEIGHTS, Weights

Placement = tuple[str, str, str]  # (buyer, maker, slot)

#: Solver logs (``SolveOptions.log``) go here, never to stdout: the app's
#: command line and gunicorn workers own stdout.
logger = logging.getLogger("scheduling.solver")


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


@dataclass
class SolveOptions:
    """Knobs for :func:`solve`.

    ``relative_gap`` lets CP-SAT stop early once proven within that gap
    (0 = prove optimality or run until ``time_limit``). ``reduce_gaps`` runs
    the idle-gap pass for up to ``gap_pass_share`` of the time limit.
    ``warm_start`` hints CP-SAT with the greedy baseline schedule.
    ``fill_minimums`` (an organizer's choice, off by default) lets pairs that
    nobody marked and nobody vetoed meet, but only where that meeting brings a
    participant up to their minimum. :func:`solve` first solves without them
    (60 % of the time); only if someone is short does it re-solve, warm-started
    from that schedule, with unmarked pairs for the short participants only,
    and keeps the better of the two, so the option never makes a schedule worse.
    ``monolithic_limit``: above this many (pair, slot) variables the
    two-phase method is used (see module docstring). ``log`` sends the CP-SAT
    and HiGHS search logs to the ``scheduling.solver`` logger (INFO), never to
    stdout.
    """

    time_limit: float = 30.0
    workers: int = 2
    monolithic_limit: int = 60_000
    weights: Weights = DEFAULT_WEIGHTS
    relative_gap: float = 0.0
    reduce_gaps: bool = True
    gap_pass_share: float = 0.2
    warm_start: bool = True
    fill_minimums: bool = False
    seed: int = 0
    log: bool = False


@dataclass
class SolveResult:
    """A schedule plus the proof of its quality.

    ``status`` is ``"optimal"`` (gap 0 proven), ``"feasible"`` (time limit hit;
    ``gap`` says how far from optimal at most) or ``"fallback"`` (no solver
    solution in time; the warm-start schedule is returned).
    ``objective`` and ``bound`` are in weight units (see ``weights.py``).
    """

    schedule: Schedule
    status: str
    objective: float
    bound: float
    gap: float
    wall_time: float
    metrics: Metrics
    report: InfeasibilityReport
    dropped_locked: list[Meeting] = field(default_factory=list)
    stats: dict = field(default_factory=dict)


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
    rest = max(1.0, options.time_limit - (time.perf_counter() - t0))
    second = solve_with(problem, replace(options, time_limit=rest), fill_for=short,
                        hint=[(m.buyer, m.maker, m.slot) for m in first.schedule.meetings])
    best = second if second.objective >= first.objective else first
    best.stats["fill_stage"] = dict(short_before=sum(first.report.shortfalls.values()),
                                    short_after=sum(second.report.shortfalls.values()),
                                    kept="fill" if best is second else "without fill")
    best.wall_time = time.perf_counter() - t0
    return best


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
    prm.max_time_in_seconds = max(0.5, seconds)
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
    lp.SetTimeLimit(int(1000 * max(1.0, seconds)))
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
    if seconds < 0.5:
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
    main_deadline = deadline - (options.gap_pass_share * options.time_limit
                                if options.reduce_gaps and not keep_bonus else 0.0)

    if n_vars <= options.monolithic_limit:
        stats["method"] = "monolithic"
        model, x = _slot_model(inst, list(value))
        stats["build_time"] = time.perf_counter() - t0
        placed, solver, status = _run(model, x, hint_set, options,
                                      main_deadline - time.perf_counter())
        bound = solver.BestObjectiveBound()
        label = {cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible"}.get(status, "fallback")
        stats["cpsat_status"] = solver.StatusName(status)
    else:
        stats["method"] = "two-phase"
        chosen, bound, st1 = _selection(inst, 0.4 * options.time_limit)
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
        placed, solver, status = _run(model, x, set(pre) | hint_set, options,
                                      main_deadline - time.perf_counter(), target)
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
        budget = min(deadline - time.perf_counter(), 1.0 + len(placed) / 200)
        placed = _reduce_gaps(inst, placed, budget, stats)
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
