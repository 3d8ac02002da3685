"""Full-package consortia: assign each stage of one order to the makers best able to do it.

Plain data in, plain data out; never imports the Flask app. A coordinator splits a
requirement into stages (cutting, sewing, laundry, finishing, packing …) and needs, for
each stage, one or a few makers that offer it, have the spare capacity for their part and
can take at least their minimum order. :func:`build_teams` answers with up to ``k``
*diverse* teams (each differs from the earlier ones in at least one stage's makers), each
solved exactly by OR-Tools CP-SAT within a time limit, with the proven bound and gap, and
the greedy answer (best-ranked available maker per stage) computed beside it.

The objective, maximised, is a sum of terms the coordinator can read (``Weights``):

* **fit** — the ranking score of each assignment (0–1), weighted by its share of the stage;
* **lead time** — days along the stage sequence: each stage lasts as long as its slowest
  chosen maker, plus transport between consecutive stages' sites (:func:`transport_days`:
  distance between grid cells, none when one firm does both stages alone);
* **cost** — unit cost times units where a price band or quote exists;
* **risk** — a track-record risk per maker (0–1, shrunk towards the prior for newcomers);
* **cohesion** — a bonus for pairs of firms that have worked together well;
* **lateness** — every day past the buyer's lead time (``deadline_days``), at ``late_day``;
* **small firms** — a stated share of the volume for small firms (``small_share``), every
  unit short of it costing ``Weights.small_share`` per share of the order.

Respect rules: one owner's several legal units count as one firm (``Candidate.firm``: a
firm appears at most once per stage), a maker's capacity for a stage is what it can put
through that stage (a vertically integrated firm cuts and sews the same pieces) less the
units ``committed`` to other proposals made at the same time, and ``single_firm=True``
(the buyer forbids subcontracting) allows only teams of one firm.
"""

from __future__ import annotations

import time

from .baseline import describe, greedy, plan, prefilter, shortfalls
from .explain import CODES as REASON_CODES
from .explain import Reason, StageExplanation, explain
from .model import OptionModel
from .problem import (CELL_DEGREES, KM_PER_DAY, Assignment, Candidate, Stage, Team, TeamError, TeamProblem,
                      TeamResult, Weights, cell_days, transport_days, validate)

__all__ = ["Assignment", "CELL_DEGREES", "Candidate", "KM_PER_DAY", "REASON_CODES", "Reason", "Stage",
           "StageExplanation", "explain", "Team", "TeamError", "TeamProblem",
           "TeamResult", "Weights", "build_teams", "cell_days", "describe", "greedy", "plan", "prefilter", "shortfalls",
           "transport_days", "validate"]


def build_teams(problem: TeamProblem, k: int = 3, time_limit: float = 5.0, workers: int = 2) -> TeamResult:
    """Up to ``k`` diverse teams, best first, each with its bound and gap, and the greedy
    baseline. ``time_limit`` is split across the ``k`` solves."""
    validate(problem)
    if k < 1:
        raise TeamError("k", "must be at least 1")
    started = time.perf_counter()
    missing = shortfalls(problem)
    if missing:
        return TeamResult([], None, time.perf_counter() - started, len(problem.candidates), missing)
    baseline = greedy(problem)
    model = OptionModel(problem)
    if model.empty:
        return TeamResult([], baseline, time.perf_counter() - started, len(problem.candidates),
                          {code: "no_option" for code in model.empty})
    if baseline is not None:
        model.hint(baseline)
    teams: list[Team] = []
    for n in range(k):
        remaining = time_limit - (time.perf_counter() - started)
        if remaining <= 0.05:
            break
        # the best team gets most of the time, the alternatives share the rest
        share = remaining * 0.6 if n == 0 and k > 1 else remaining / (k - n)
        team = model.solve(share, workers)
        if team is None:
            break
        teams.append(team)
        model.forbid(team)
    return TeamResult(teams, baseline, time.perf_counter() - started, len(problem.candidates))
