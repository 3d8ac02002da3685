"""Matchmaker's fair meeting scheduler: plain data in, plain data out.

Never imports the Flask app. Typical use::

    from scheduling import Problem, solve, baseline, repair
    result = solve(problem)            # optimal schedule + bound + gap
    result.schedule.meetings           # list[Meeting]
    result.report.messages()           # what could not be met, and why
"""

from .agenda import (CalledOff, Grid, agenda_pdf, meeting_uid, organizer_grid, participant_ics,
                     read_csv, schedule_csv)
from .baseline import BaselineResult, baseline
from .diagnose import Finding, InfeasibilityReport, diagnose
from .problem import (Buyer, Maker, Meeting, PairPreference, Participant, Problem,
                      ProblemError, Slot, Table, check, validate)
from .repair import Cancellation, Change, NoShow, RepairResult, Withdrawal, repair
from .schedule import Metrics, Schedule, evaluate, verify
from .solver import SolveOptions, SolveResult, solve
from .weights import DEFAULT_WEIGHTS, Weights

__all__ = [
    "BaselineResult", "Buyer", "CalledOff", "Cancellation", "Change", "DEFAULT_WEIGHTS", "Finding", "Grid",
    "InfeasibilityReport", "Maker", "Meeting", "Metrics", "NoShow", "PairPreference",
    "Participant", "Problem", "ProblemError", "RepairResult", "Schedule", "Slot",
    "SolveOptions", "SolveResult", "Table", "Weights", "Withdrawal", "agenda_pdf", "baseline",
    "check", "diagnose", "evaluate", "meeting_uid", "organizer_grid", "participant_ics", "read_csv", "repair",
    "schedule_csv", "solve", "validate", "verify",
]
