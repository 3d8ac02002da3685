"""Re-optimize after a withdrawal, cancellation or no-show, disturbing as
few other meetings as possible, and say who must be told what changed.

Stability is bought with bonuses in the objective: every surviving meeting
earns ``keep_slot_bonus`` if it stays in its slot, or ``keep_pair_bonus`` if
the pair still meets in another slot. With the defaults (2000 / 1500, both
above a mutual must-meet's 1000) the optimizer never drops a surviving
meeting to make room for a new one, and moves one only if that makes room
for new meetings worth more than 500. Meetings in slots before ``from_slot``
(already held) are frozen. Tables are kept where possible.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Literal

from .problem import Meeting, Problem
from .schedule import Schedule
from .solver import SolveOptions, SolveResult, solve_with


@dataclass(frozen=True)
class Withdrawal:
    """A participant leaves the fair (from ``from_slot`` on)."""

    participant: str


@dataclass(frozen=True)
class Cancellation:
    """One meeting is cancelled; with ``rebook`` the pair may meet later."""

    buyer: str
    maker: str
    rebook: bool = False


@dataclass(frozen=True)
class NoShow:
    """A participant missed ``slot``: treat them as absent for the rest of
    that slot's session."""

    participant: str
    slot: str


Event = Withdrawal | Cancellation | NoShow


@dataclass(frozen=True)
class Change:
    """What one participant must be told. ``kind`` is added/removed/moved;
    for moved, ``previous`` is the old meeting."""

    kind: Literal["added", "removed", "moved"]
    meeting: Meeting
    previous: Meeting | None = None


@dataclass
class RepairResult:
    schedule: Schedule
    result: SolveResult
    changes: dict[str, list[Change]] = field(default_factory=dict)  # participant -> changes
    kept: int = 0           # surviving meetings left exactly as they were
    moved: int = 0
    removed: int = 0
    added: int = 0


def _absent(problem: Problem, pid: str, slots: set[str]) -> Problem:
    """Mark ``pid`` unavailable in ``slots`` (and drop their minimum)."""
    def upd(p):
        if p.id != pid:
            return p
        return dataclasses.replace(p, unavailable=p.unavailable | slots, min_meetings=0)
    return problem.replace(buyers=[upd(b) for b in problem.buyers],
                           makers=[upd(m) for m in problem.makers])


def repair(problem: Problem, schedule: Schedule, events: list[Event], *,
           from_slot: str | None = None, options: SolveOptions | None = None,
           keep_slot_bonus: int = 2000, keep_pair_bonus: int = 1500) -> RepairResult:
    """Apply ``events`` to ``problem`` and re-optimize ``schedule``.

    ``from_slot``: first slot that may still change (earlier slots are past
    and frozen); ``None`` means the whole day may change.
    """
    options = options or SolveOptions(time_limit=10.0)
    order = problem.slot_index()
    start = order[from_slot] if from_slot is not None else 0
    closed = {s.id for s in problem.slots if order[s.id] < start}
    open_slots = {s.id for s in problem.slots} - closed
    banned: set[tuple[str, str]] = set()
    prob = problem
    for ev in events:
        if isinstance(ev, Withdrawal):
            prob = _absent(prob, ev.participant, open_slots)
        elif isinstance(ev, NoShow):
            sess = next(s.session for s in prob.slots if s.id == ev.slot)
            gone = {s.id for s in prob.slots
                    if s.session == sess and order[s.id] >= order[ev.slot]} & open_slots
            prob = _absent(prob, ev.participant, gone)
        elif isinstance(ev, Cancellation) and not ev.rebook:
            banned.add((ev.buyer, ev.maker))
    cancelled = {(e.buyer, e.maker) for e in events if isinstance(e, Cancellation)}

    # A participant left with no slot at all is absent for good: drop them.
    slot_ids = {s.id for s in prob.slots}
    gone_ids = {p.id for p in [*prob.buyers, *prob.makers] if not slot_ids - p.unavailable}
    if gone_ids:
        prob = prob.replace(
            buyers=[b for b in prob.buyers if b.id not in gone_ids],
            makers=[m for m in prob.makers if m.id not in gone_ids],
            preferences=[p for p in prob.preferences
                         if p.buyer not in gone_ids and p.maker not in gone_ids])

    people = prob.participants()

    def survives(m: Meeting) -> bool:
        return (m.buyer in people and m.maker in people
                and m.slot not in people[m.buyer].unavailable
                and m.slot not in people[m.maker].unavailable
                and (m.buyer, m.maker) not in cancelled)

    old = schedule.meetings
    alive = [m for m in old if survives(m)]
    past = [m for m in alive if m.slot in closed]
    locked = [m for m in prob.locked if survives(m) and m.slot not in closed]
    prob = prob.replace(locked=past + [m for m in locked if m not in past])

    keep_bonus = {(m.buyer, m.maker, m.slot): keep_slot_bonus - keep_pair_bonus
                  for m in alive if m.slot not in closed}
    pair_bonus = {(m.buyer, m.maker): keep_pair_bonus for m in alive if m.slot not in closed}
    res = solve_with(prob, options, keep_bonus=keep_bonus, pair_bonus=pair_bonus,
                     banned=banned, closed_slots=closed,
                     hint=[(m.buyer, m.maker, m.slot) for m in alive],
                     preferred_tables={(m.buyer, m.maker): m.table for m in alive})

    before = {(m.buyer, m.maker): m for m in old}
    after = {(m.buyer, m.maker): m for m in res.schedule.meetings}
    out = RepairResult(res.schedule, res)

    def tell(m: Meeting, change: Change) -> None:
        for pid in (m.buyer, m.maker):
            out.changes.setdefault(pid, []).append(change)

    for k, m in before.items():
        if k not in after:
            tell(m, Change("removed", m))
            out.removed += 1
        elif after[k] != m:
            tell(m, Change("moved", after[k], m))
            out.moved += 1
        else:
            out.kept += 1
    for k, m in after.items():
        if k not in before:
            tell(m, Change("added", m))
            out.added += 1
    return out
