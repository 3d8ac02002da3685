"""Why each firm was picked for its stage, and what the runner-up lacked.

Reasons are message codes with parameters; the app translates them. They use only what
the problem holds (the requester's requirement and the candidates' public figures: fit,
capacity, lead time, site, risk, firm size), never a maker's clients or prices beyond the
unit cost the problem was given (and then only as "cheapest", never the figure), and pairs of
firms that worked together (cohesion) as the problem states them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .problem import Candidate, Team, TeamProblem

#: Codes a reason may carry, for the app's catalogue test.
CODES = (
    "picked_best_fit", "picked_capacity", "picked_fast", "picked_low_risk", "picked_small_share",
    "picked_locked", "split_volume", "runner_up_lower_fit", "runner_up_capacity", "runner_up_slower",
    "runner_up_riskier", "runner_up_same_firm", "runner_up_farther", "no_runner_up",
    "picked_cheapest", "picked_cohesion", "runner_up_costlier",
)


@dataclass(frozen=True)
class Reason:
    code: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class StageExplanation:
    stage: str
    makers: tuple[str, ...]
    reasons: tuple[Reason, ...]
    runner_up: str | None
    runner_up_reasons: tuple[Reason, ...]


def _spare(problem: TeamProblem, c: Candidate) -> int:
    return max(0, c.capacity - problem.committed.get(c.maker, 0))


def _partners(problem: TeamProblem, team: Team, c: Candidate) -> list[str]:
    """Makers of other firms in ``team`` that ``c``'s firm has worked with (a cohesion pair)."""
    if not problem.cohesion:
        return []
    owner = {(x.stage, x.maker): x.owner for x in problem.candidates}
    out = []
    for a in team.assignments:
        other = owner[(a.stage, a.maker)]
        pair = tuple(sorted((c.owner, other)))
        if other != c.owner and problem.cohesion.get(pair, problem.cohesion.get(pair[::-1], 0)) > 0 \
                and a.maker not in out:
            out.append(a.maker)
    return out


def explain(problem: TeamProblem, team: Team) -> list[StageExplanation]:
    """One explanation per stage of ``team``, in stage order."""
    out = []
    for stage in problem.stages:
        makers = team.makers(stage.code)
        pool = [c for c in problem.candidates if c.stage == stage.code]
        chosen = [c for c in pool if c.maker in makers]
        others = sorted((c for c in pool if c.maker not in makers), key=lambda c: (-c.fit, c.maker))
        reasons = []
        if stage.code in problem.locked:
            reasons.append(Reason("picked_locked"))
        best_fit = max((c.fit for c in pool), default=0.0)
        for c in chosen:
            units = next(a.units for a in team.assignments if a.stage == stage.code and a.maker == c.maker)
            if c.fit >= best_fit - 1e-9:
                reasons.append(Reason("picked_best_fit", {"maker": c.maker, "fit": round(c.fit, 2)}))
            if c.lead_days <= min(o.lead_days for o in pool):
                reasons.append(Reason("picked_fast", {"maker": c.maker, "days": c.lead_days}))
            if c.risk <= min(o.risk for o in pool):
                reasons.append(Reason("picked_low_risk", {"maker": c.maker}))
            costs = [o.unit_cost for o in pool if o.unit_cost is not None]
            if c.unit_cost is not None and len(costs) > 1 and c.unit_cost <= min(costs):
                reasons.append(Reason("picked_cheapest", {"maker": c.maker}))
            for partner in _partners(problem, team, c):
                reasons.append(Reason("picked_cohesion", {"maker": c.maker, "partner": partner}))
            if c.small and problem.small_share > 0:
                reasons.append(Reason("picked_small_share", {"maker": c.maker, "units": units}))
            reasons.append(Reason("picked_capacity", {"maker": c.maker, "units": units,
                                                      "spare": _spare(problem, c)}))
        if len(chosen) > 1:
            reasons.append(Reason("split_volume", {"volume": stage.volume, "makers": len(chosen)}))
        runner = others[0] if others else None
        lacks = []
        if runner is None:
            lacks.append(Reason("no_runner_up"))
        else:
            lead = chosen[0] if chosen else None
            owners = {c.owner for c in chosen}
            if runner.owner in owners:
                lacks.append(Reason("runner_up_same_firm", {"maker": runner.maker}))
            if lead and runner.fit < min(c.fit for c in chosen):
                lacks.append(Reason("runner_up_lower_fit", {"maker": runner.maker, "fit": round(runner.fit, 2),
                                                            "chosen_fit": round(min(c.fit for c in chosen), 2)}))
            if _spare(problem, runner) < stage.volume:
                lacks.append(Reason("runner_up_capacity", {"maker": runner.maker, "spare": _spare(problem, runner),
                                                           "volume": stage.volume}))
            if lead and runner.lead_days > max(c.lead_days for c in chosen):
                lacks.append(Reason("runner_up_slower", {"maker": runner.maker, "days": runner.lead_days,
                                                         "chosen_days": max(c.lead_days for c in chosen)}))
            if lead and runner.risk > max(c.risk for c in chosen):
                lacks.append(Reason("runner_up_riskier", {"maker": runner.maker}))
            chosen_costs = [c.unit_cost for c in chosen if c.unit_cost is not None]
            if runner.unit_cost is not None and chosen_costs and runner.unit_cost > max(chosen_costs):
                lacks.append(Reason("runner_up_costlier", {"maker": runner.maker}))
            if not lacks:
                # equal on the stage itself: it lost on the team (transport, cohesion, time)
                lacks.append(Reason("runner_up_farther", {"maker": runner.maker}))
        out.append(StageExplanation(stage.code, makers, tuple(reasons), runner.maker if runner else None,
                                    tuple(lacks)))
    return out
