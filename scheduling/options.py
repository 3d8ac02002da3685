"""What :func:`scheduling.solve` takes and gives: its options and its result (with the proof of quality)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from .diagnose import InfeasibilityReport
from .problem import Meeting
from .schedule import Metrics, Schedule
from .weights import DEFAULT_WEIGHTS, Weights

Placement = tuple[str, str, str]  # (buyer, maker, slot)

#: Solver logs (``SolveOptions.log``) go here, never to stdout: the app's
#: command line and gunicorn workers own stdout.
logger = logging.getLogger("scheduling.solver")


#: fewer seconds left than this: a stage (the fill stage, the gap pass) is skipped, not started late
MIN_SOLVE_SECONDS = 0.5
#: the least a solver call is given when its share of the limit is already spent (it then keeps its hint)
MIN_CALL_SECONDS = 0.05


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
