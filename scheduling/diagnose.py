"""Explain which settings cannot all be met, in words organizers understand.

Minimums are soft, so the solver always returns a schedule; this module says
*why* someone ended below their minimum, or why a locked meeting was dropped.
Static causes are checked first (they hold for every possible schedule);
anything else is attributed to competition for shared capacity.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .problem import Problem, ProblemError, locked_conflicts


@dataclass
class Finding:
    """One binding constraint. ``subject`` is a participant/slot id or ``"*"``."""

    constraint: str   # e.g. "min_meetings>available_slots", "locked_conflict"
    subject: str
    message: str


@dataclass
class InfeasibilityReport:
    """Settings that cannot all be met, plus shortfalls left in the schedule."""

    findings: list[Finding] = field(default_factory=list)
    shortfalls: dict[str, int] = field(default_factory=dict)   # id -> missing meetings

    @property
    def ok(self) -> bool:
        return not self.findings and not self.shortfalls

    def messages(self) -> list[str]:
        return [f.message for f in self.findings]

    def about(self, subject: str) -> list[Finding]:
        return [f for f in self.findings if f.subject == subject]


def _candidate_pairs(problem: Problem, also=()) -> set[tuple[str, str]]:
    pairs = {(p.buyer, p.maker) for p in problem.preferences
             if not p.vetoed and (p.requested or (p.score or 0) > 0)}
    return pairs | set(also)


def candidate_partners(problem: Problem, also=()) -> Counter:
    """How many partners each participant could possibly meet (not vetoed,
    with a request or a positive score, or in ``also``: unmarked pairs the
    organizer lets fill minimums)."""
    n: Counter = Counter()
    for b, m in _candidate_pairs(problem, also):
        n[b] += 1
        n[m] += 1
    return n


def diagnose(problem: Problem, conflicts: list[ProblemError] | None = None,
             also=()) -> InfeasibilityReport:
    """Static analysis: which settings can never be met together."""
    rep = InfeasibilityReport()
    if conflicts is None:
        conflicts = locked_conflicts(problem)[1]
    for e in conflicts:
        rep.findings.append(Finding("locked_conflict", e.field, f"{e.field}: {e.message}"))
    partners = candidate_partners(problem, also)
    slot_ids = {s.id for s in problem.slots}
    for role, group in (("buyer", problem.buyers), ("maker", problem.makers)):
        for p in group:
            if p.min_meetings <= 0:
                continue
            avail = len(slot_ids - p.unavailable)
            if p.max_meetings is not None and p.min_meetings > p.max_meetings:
                rep.findings.append(Finding("min_meetings>max_meetings", p.id,
                    f"{role} {p.id} needs min {p.min_meetings} meetings but max is {p.max_meetings}"))
            elif p.min_meetings > avail:
                rep.findings.append(Finding("min_meetings>available_slots", p.id,
                    f"{role} {p.id} needs min {p.min_meetings} meetings but has only "
                    f"{avail} available slots"))
            elif p.min_meetings > partners[p.id]:
                rep.findings.append(Finding("min_meetings>possible_partners", p.id,
                    f"{role} {p.id} needs min {p.min_meetings} meetings but has only "
                    f"{partners[p.id]} possible partners (pairs with a request or "
                    f"recommendation{' or let to fill minimums' if also else ''} and no 'no')"))
    capacity = len(problem.tables) * len(problem.slots)
    for role, group in (("buyers", problem.buyers), ("makers", problem.makers)):
        need = sum(p.min_meetings for p in group)
        if need > capacity:
            rep.findings.append(Finding("sum_min>table_capacity", "*",
                f"{role} together need at least {need} meetings but {len(problem.slots)} slots x "
                f"{len(problem.tables)} tables allow only {capacity}"))
    return rep


def explain_shortfalls(problem: Problem, counts: Counter, report: InfeasibilityReport,
                       also=()) -> None:
    """Record who ended below their minimum, adding a cause if none is known."""
    cap = {p.id: problem.cap(p) for p in [*problem.buyers, *problem.makers]}
    partner_of: dict[str, list[str]] = {}
    for b, m in sorted(_candidate_pairs(problem, also)):
        partner_of.setdefault(b, []).append(m)
        partner_of.setdefault(m, []).append(b)
    for p in [*problem.buyers, *problem.makers]:
        missing = p.min_meetings - counts[p.id]
        if missing <= 0:
            continue
        report.shortfalls[p.id] = missing
        if report.about(p.id):
            continue
        full = [q for q in partner_of.get(p.id, []) if counts[q] >= cap[q]]
        detail = (f"{len(full)} of {len(partner_of.get(p.id, []))} possible partners are "
                  f"already at their maximum") if full else \
            "partners' free slots do not line up with theirs, or tables were full"
        report.findings.append(Finding("competition", p.id,
            f"{p.id} got {counts[p.id]} of min {p.min_meetings} meetings: {detail}; "
            f"higher-value meetings used the shared capacity"))
