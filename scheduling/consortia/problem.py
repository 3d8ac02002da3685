"""The consortium problem as plain data: stages, candidates, weights, and what a team is.

Also the two rules every part shares: how transport between sites is reckoned, and what
input is refused (``TeamError`` names the field).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

#: Road transport assumed between sites: km per day, and a day for loading at least.
KM_PER_DAY = 500.0


class TeamError(ValueError):
    """Input that cannot describe a consortium problem; ``field`` names what is wrong."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


@dataclass(frozen=True)
class Stage:
    """One step of the order, in sequence. ``code`` is a process code (e.g. ``sewing``)."""

    code: str
    volume: int


@dataclass(frozen=True)
class Candidate:
    """A maker able to take ``stage``. ``capacity`` is spare units for this order's period."""

    maker: str
    stage: str
    fit: float
    capacity: int
    lead_days: int
    firm: str | None = None
    min_units: int = 0
    lat: float | None = None
    lon: float | None = None
    unit_cost: float | None = None
    risk: float = 0.0
    small: bool = False

    @property
    def owner(self) -> str:
        return self.firm or self.maker


@dataclass(frozen=True)
class Weights:
    """How much each objective term counts. Fit is per unit of fit; lead per day; cost per
    currency unit per piece over the stage; risk per unit of risk; cohesion per pair score."""

    fit: float = 10.0
    lead_day: float = 0.1
    cost: float = 1.0
    risk: float = 4.0
    cohesion: float = 1.0
    small_share: float = 20.0
    late_day: float = 1.0


@dataclass(frozen=True)
class TeamProblem:
    stages: tuple[Stage, ...]
    candidates: tuple[Candidate, ...]
    #: ``{(firm_a, firm_b): score}`` for pairs that have worked together (score 0–1).
    cohesion: Mapping[tuple[str, str], float] = field(default_factory=dict)
    weights: Weights = Weights()
    max_per_stage: int = 2
    small_share: float = 0.0
    single_firm: bool = False
    #: ``{stage_code: (maker, ...)}`` assignments the coordinator fixed.
    locked: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: Units of a maker's capacity already promised to other proposals.
    committed: Mapping[str, int] = field(default_factory=dict)
    #: The buyer's lead time: every day the plan runs past it costs ``Weights.late_day``.
    deadline_days: int | None = None


@dataclass(frozen=True)
class Assignment:
    stage: str
    maker: str
    units: int
    fit: float
    lead_days: int


@dataclass
class Team:
    """One consortium: assignments per stage and the objective split into its terms."""

    assignments: list[Assignment]
    objective: float
    terms: dict[str, float]
    lead_days: int
    bound: float | None = None
    gap: float | None = None
    status: str = "optimal"
    seconds: float = 0.0

    def makers(self, stage: str) -> tuple[str, ...]:
        return tuple(sorted(a.maker for a in self.assignments if a.stage == stage))

    def key(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        return tuple((s, self.makers(s)) for s in sorted({a.stage for a in self.assignments}))


@dataclass
class TeamResult:
    """``shortfalls[stage]`` says why no team exists when a stage cannot be covered at all:
    ``"no_candidate"``, ``"capacity"`` (the best ``max_per_stage`` makers together fall short)
    or ``"no_option"`` (minimum parts or locks leave no way to split it)."""

    teams: list[Team]
    greedy: Team | None
    seconds: float
    candidates_used: int
    shortfalls: dict[str, str] = field(default_factory=dict)


#: Sites are placed on a grid of this many degrees; transport is reckoned between cell centres.
CELL_DEGREES = 0.5


def cell(c: Candidate) -> tuple[int, int] | None:
    if c.lat is None or c.lon is None:
        return None
    return (math.floor(c.lat / CELL_DEGREES), math.floor(c.lon / CELL_DEGREES))


def cell_days(a: tuple[int, int] | None, b: tuple[int, int] | None) -> int:
    """Days between two grid cells: one for loading plus centre-to-centre great-circle km
    at ``KM_PER_DAY``, rounded up; one day when either site is unknown or both share a cell."""
    if a is None or b is None or a == b:
        return 1
    (la, oa), (lb, ob) = [((r + 0.5) * CELL_DEGREES, (c + 0.5) * CELL_DEGREES) for r, c in (a, b)]
    p1, p2 = math.radians(la), math.radians(lb)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(ob - oa) / 2) ** 2
    km = 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))
    return 1 + math.ceil(km / KM_PER_DAY)


def transport_days(here: Sequence[Candidate], there: Sequence[Candidate]) -> int:
    """Days to move a stage's goods to the next stage: 0 when one firm does both stages alone
    (same site or its own logistics), else the longest leg between the two stages' sites."""
    if not here or not there:
        return 0
    if len(here) == 1 and len(there) == 1 and here[0].owner == there[0].owner:
        return 0
    return max(cell_days(cell(a), cell(b)) for a in here for b in there)


def validate(problem: TeamProblem) -> None:
    if not problem.stages:
        raise TeamError("stages", "at least one stage is needed")
    codes = [s.code for s in problem.stages]
    if len(set(codes)) != len(codes):
        raise TeamError("stages", "each stage appears once")
    for s in problem.stages:
        if s.volume <= 0:
            raise TeamError(f"stages.{s.code}.volume", "must be a positive number of units")
    if problem.max_per_stage < 1:
        raise TeamError("max_per_stage", "must be at least 1")
    if not 0.0 <= problem.small_share <= 1.0:
        raise TeamError("small_share", "must be between 0 and 1")
    known = set(codes)
    for c in problem.candidates:
        if c.stage not in known:
            raise TeamError("candidates.stage", f"{c.maker} names unknown stage {c.stage!r}")
        if c.capacity < 0 or c.min_units < 0 or c.lead_days < 0:
            raise TeamError("candidates", f"{c.maker}: capacity, min_units and lead_days must be ≥ 0")
    for stage, makers in problem.locked.items():
        if stage not in known:
            raise TeamError("locked", f"unknown stage {stage!r}")
        offered = {c.maker for c in problem.candidates if c.stage == stage}
        for m in makers:
            if m not in offered:
                raise TeamError("locked", f"{m} is not a candidate for {stage}")
