"""The exact model: choose one *option* per stage with OR-Tools CP-SAT.

An option is one maker taking the whole stage, or two makers splitting it. For a fixed
set of makers the stage's terms are linear in the split, so the best split lies at an end
of its range: one maker takes as much as its capacity allows and the other the rest (both
ends are offered). Fit, risk, cost and the stage's duration are then constants of the
option, which makes the relaxation tight; only transport between consecutive stages'
sites, cohesion between firms and the small-firm share couple the stages. Compared with
choosing units maker by maker, CP-SAT proves optimality in a fraction of the time.

Pairs are formed only where they can matter: a pair whose better maker (by fit, risk and
cost per unit) could take the whole stage alone is dominated by that maker on fit, risk,
cost, duration and transport, so it is dropped (cohesion is the one term it could gain),
unless a small-firm share is asked for and one of the two is small, or both are among the
stage's ``ALTERNATIVE_PAIRS`` best (so the diverse alternatives have splits to offer).
Both ends of the split are offered with a small firm in a share-seeking pair, else only the
one where the better maker takes all it can.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .baseline import describe
from .problem import Assignment, Candidate, Stage, Team, TeamProblem, cell, cell_days

#: Objective terms are scaled by this and rounded, since CP-SAT works in integers.
SCALE = 100_000
#: Among this many best makers of a stage, pairs are offered even when one of them could
#: take the stage alone (they are worse, but they are alternatives a coordinator may want).
ALTERNATIVE_PAIRS = 5


@dataclass(frozen=True)
class _Option:
    stage: Stage
    parts: tuple[tuple[Candidate, int], ...]  # (candidate, units)

    @property
    def owners(self) -> frozenset[str]:
        return frozenset(c.owner for c, _ in self.parts)

    def value(self, problem: TeamProblem) -> float:
        w, vol = problem.weights, self.stage.volume
        out = 0.0
        for c, units in self.parts:
            share = units / vol
            out += (w.fit * c.fit - w.risk * c.risk - (w.cost * c.unit_cost if c.unit_cost is not None else 0)) * share
        return out - w.lead_day * max(c.lead_days for c, _ in self.parts)


def _spare(problem: TeamProblem, c: Candidate) -> int:
    return max(0, c.capacity - problem.committed.get(c.maker, 0))


def stage_options(problem: TeamProblem, stage: Stage, pool: list[Candidate]) -> list[_Option]:
    vol = stage.volume
    locked = set(problem.locked.get(stage.code, ()))
    out = []
    usable = [c for c in pool if _spare(problem, c) >= max(1, c.min_units)]
    for c in usable:
        if _spare(problem, c) >= vol >= c.min_units and (not locked or locked == {c.maker}):
            out.append(_Option(stage, ((c, vol),)))
    if problem.max_per_stage < 2:
        return out
    want_small = problem.small_share > 0
    w = problem.weights

    def per_unit(c: Candidate) -> float:
        return w.fit * c.fit - w.risk * c.risk - (w.cost * c.unit_cost if c.unit_cost is not None else 0)

    # dominated pairs are still distinct teams: keep them among the stage's best few, so the
    # diverse alternatives can differ by a split, not only by a worse maker
    top = {c.maker for c in sorted(usable, key=lambda c: (-per_unit(c), c.maker))[:ALTERNATIVE_PAIRS]}
    for i, a in enumerate(usable):
        for b in usable[i + 1:]:
            if a.owner == b.owner or (locked and locked != {a.maker, b.maker}):
                continue
            better, other = (a, b) if (per_unit(a), b.maker) > (per_unit(b), a.maker) else (b, a)
            small_pair = want_small and (a.small or b.small)
            if _spare(problem, better) >= vol and not small_pair and not {a.maker, b.maker} <= top:
                continue  # the better maker alone is at least as good on every term but cohesion
            orders = ((better, other), (other, better)) if small_pair else ((better, other),)
            for first, second in orders:
                units = min(_spare(problem, first), vol - max(1, second.min_units))
                rest = vol - units
                if units >= max(1, first.min_units) and max(1, second.min_units) <= rest <= _spare(problem, second):
                    out.append(_Option(stage, ((first, units), (second, rest))))
    return list({(o.parts): o for o in out}.values())


class OptionModel:
    """One CP-SAT model per problem; :meth:`forbid` cuts off a team to find the next one."""

    def __init__(self, problem: TeamProblem) -> None:
        self.p = problem
        w = problem.weights
        m = self.m = cp_model.CpModel()
        pools = defaultdict(list)
        for c in problem.candidates:
            pools[c.stage].append(c)
        self.options: dict[str, list[_Option]] = {}
        self.o: dict[tuple[str, int], cp_model.IntVar] = {}
        objective = []
        total = sum(s.volume for s in problem.stages)
        small_units = []
        owner_vars: dict[str, list] = defaultdict(list)
        self.cells: dict[str, dict] = {}
        self.empty: list[str] = []
        for s in problem.stages:
            opts = self.options[s.code] = stage_options(problem, s, pools[s.code])
            vars_ = []
            by_cell = defaultdict(list)
            for n, opt in enumerate(opts):
                v = self.o[(s.code, n)] = m.new_bool_var(f"o_{s.code}_{n}")
                vars_.append(v)
                objective.append(int(round(opt.value(problem) * SCALE)) * v)
                small = sum(units for c, units in opt.parts if c.small)
                if small:
                    small_units.append(small * v)
                for owner in opt.owners:
                    owner_vars[owner].append(v)
                for c, _ in opt.parts:
                    by_cell[cell(c)].append(v)
            if not vars_:
                self.empty.append(s.code)  # minimums or locks leave no way to cover it
            m.add_exactly_one(vars_)
            self.cells[s.code] = {}
            for key, group in by_cell.items():
                u = m.new_bool_var(f"u_{s.code}_{key}")
                for v in group:
                    m.add_implication(v, u)
                m.add(u <= sum(group))
                self.cells[s.code][key] = u
        legs = [self._transport(a, b) for a, b in zip(problem.stages, problem.stages[1:])]
        for leg in legs:
            objective.append(-int(round(w.lead_day * SCALE)) * leg)
        if problem.deadline_days is not None:
            durations = [sum(max(c.lead_days for c, _ in opt.parts) * self.o[(s.code, n)]
                             for n, opt in enumerate(self.options[s.code])) for s in problem.stages]
            late = m.new_int_var(0, 10_000, "late")
            m.add(late >= sum(durations) + sum(legs) - problem.deadline_days)
            objective.append(-int(round(w.late_day * SCALE)) * late)
        owners = {o: m.new_bool_var(f"y_{o}") for o in owner_vars}
        for o, group in owner_vars.items():
            for v in group:
                m.add_implication(v, owners[o])
            m.add(owners[o] <= sum(group))
        for (fa, fb), score in problem.cohesion.items():
            if fa != fb and fa in owners and fb in owners and score > 0:
                z = m.new_bool_var(f"z_{fa}_{fb}")
                m.add_implication(z, owners[fa])
                m.add_implication(z, owners[fb])
                objective.append(int(round(w.cohesion * score * SCALE)) * z)
        if problem.single_firm:
            m.add(sum(owners.values()) == 1)
        if problem.small_share > 0:
            target = math.ceil(problem.small_share * total)
            short = m.new_int_var(0, target, "small_short")
            m.add(sum(small_units) + short >= target)
            objective.append(-int(round(w.small_share * SCALE / total)) * short)
        m.maximize(sum(objective))

    def _transport(self, a: Stage, b: Stage):
        """Days between stage ``a``'s sites and ``b``'s: the longest leg, none when one
        firm alone does both stages (see :func:`problem.transport_days`)."""
        m = self.m
        same_terms = []
        for n, oa in enumerate(self.options[a.code]):
            if len(oa.parts) != 1:
                continue
            for k, ob in enumerate(self.options[b.code]):
                if len(ob.parts) == 1 and oa.parts[0][0].owner == ob.parts[0][0].owner:
                    same_terms.append((self.o[(a.code, n)], self.o[(b.code, k)]))
        same = m.new_bool_var(f"same_{a.code}")
        if same_terms:
            pair_vars = []
            for va, vb in same_terms:
                pv = m.new_bool_var("")
                m.add_implication(pv, va)
                m.add_implication(pv, vb)
                pair_vars.append(pv)
            m.add(same <= sum(pair_vars))
        else:
            m.add(same == 0)
        cells_a, cells_b = self.cells[a.code], self.cells[b.code]
        top = max((cell_days(x, y) for x in cells_a for y in cells_b), default=0)
        days = m.new_int_var(0, top, f"t_{a.code}")
        for ka, ua in cells_a.items():
            for kb, ub in cells_b.items():
                m.add(days >= cell_days(ka, kb)).only_enforce_if([ua, ub, same.Not()])
        # implied by the pairs above, and what keeps the relaxation honest: a site used by
        # one stage is at least its nearest distance from every site of the other
        for mine, theirs in ((cells_a, cells_b), (cells_b, cells_a)):
            for k, u in mine.items():
                nearest = min((cell_days(k, other) for other in theirs), default=0)
                if nearest:
                    m.add(days >= nearest * u - nearest * same)
        return days

    def _chosen(self, team: Team) -> list:
        out = []
        for s in self.p.stages:
            want = {(a.maker, a.units) for a in team.assignments if a.stage == s.code}
            for n, opt in enumerate(self.options[s.code]):
                if {(c.maker, u) for c, u in opt.parts} == want:
                    out.append(self.o[(s.code, n)])
        return out

    def hint(self, team: Team) -> None:
        """Start the search from a known team (the greedy one), so the answer is never worse."""
        chosen = {v.index for v in self._chosen(team)}
        for v in self.o.values():
            self.m.add_hint(v, v.index in chosen)

    def forbid(self, team: Team) -> None:
        """No-good cut: every later team differs from ``team`` in at least one stage's makers
        (another split between the same makers is not a new team)."""
        same = []
        for s in self.p.stages:
            makers = team.makers(s.code)
            same += [self.o[(s.code, n)] for n, opt in enumerate(self.options[s.code])
                     if tuple(sorted(c.maker for c, _ in opt.parts)) == makers]
        self.m.add(sum(same) <= len(self.p.stages) - 1)

    def solve(self, seconds: float, workers: int) -> Team | None:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.05, seconds)
        solver.parameters.num_workers = workers
        status = solver.solve(self.m)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        assignments = []
        for s in self.p.stages:
            for n, opt in enumerate(self.options[s.code]):
                if solver.value(self.o[(s.code, n)]):
                    assignments += [Assignment(s.code, c.maker, units, c.fit, c.lead_days) for c, units in opt.parts]
        team = describe(self.p, assignments)
        objective, bound = solver.objective_value / SCALE, solver.best_objective_bound / SCALE
        team.bound = bound
        team.gap = 0.0 if status == cp_model.OPTIMAL else abs(bound - objective) / max(1e-9, abs(bound))
        team.status = "optimal" if status == cp_model.OPTIMAL else "feasible"
        team.seconds = solver.wall_time
        return team
