"""Plain input model for a fair's meeting schedule, and its validation.

The Flask app converts its database rows into these dataclasses and hands
them to :func:`scheduling.solve`. Nothing here knows about the app: ids are
plain strings, times are plain datetimes.

Validation separates two kinds of trouble:

* ``invalid`` -- the data itself is wrong (unknown ids, zero tables, a
  participant who is unavailable in every slot...). :func:`check` raises a
  :class:`ProblemError` for the first one; the solver refuses such input.
* ``conflict`` -- the data is well formed but some settings cannot all be met
  (two locked meetings for one person in one slot...). These never crash the
  solver: the offending locked meeting is dropped and reported.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

#: A participant's mark on a pair. ``None`` means "no opinion".
Mark = Literal["must", "would_like", "no"] | None
MARKS: tuple[Mark, ...] = ("must", "would_like", "no", None)


class ProblemError(ValueError):
    """A problem with the input, naming the offending ``field``.

    ``kind`` is ``"invalid"`` (malformed data, refused) or ``"conflict"``
    (settings that cannot all be met; reported, not raised, by the solver).
    """

    def __init__(self, field: str, message: str, kind: str = "invalid") -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.kind = kind


@dataclass(frozen=True)
class Slot:
    """A meeting time slot. Slots in one ``session`` (e.g. a morning) are
    consecutive; an idle slot between two meetings of a session is a gap."""

    id: str
    start: datetime
    end: datetime
    session: str = ""


@dataclass(frozen=True)
class Table:
    """A physical meeting table; ``label`` is what participants are told."""

    id: str
    label: str = ""


@dataclass(frozen=True)
class Participant:
    """Fields shared by buyers and makers.

    ``max_meetings`` of ``None`` means "as many as there are slots".
    ``unavailable`` holds slot ids the participant cannot attend.
    """

    id: str
    name: str = ""
    min_meetings: int = 0
    max_meetings: int | None = None
    unavailable: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Buyer(Participant):
    """A vetted foreign buyer."""


@dataclass(frozen=True)
class Maker(Participant):
    """A local maker; ``fixed_table`` pins all their meetings to one table
    (their stand), which makes that table non-interchangeable."""

    fixed_table: str | None = None


@dataclass(frozen=True)
class PairPreference:
    """Both sides' marks on one (buyer, maker) pair plus an optional
    recommendation score in [0, 1]. A ``"no"`` from either side is absolute."""

    buyer: str
    maker: str
    buyer_mark: Mark = None
    maker_mark: Mark = None
    score: float | None = None

    @property
    def vetoed(self) -> bool:
        return self.buyer_mark == "no" or self.maker_mark == "no"

    @property
    def requested(self) -> bool:
        """True if either side asked for the meeting (must or would_like)."""
        return not self.vetoed and (
            self.buyer_mark in ("must", "would_like")
            or self.maker_mark in ("must", "would_like")
        )

    @property
    def must(self) -> bool:
        return not self.vetoed and "must" in (self.buyer_mark, self.maker_mark)

    @property
    def mutual_must(self) -> bool:
        return self.buyer_mark == "must" and self.maker_mark == "must"


@dataclass(frozen=True, order=True)
class Meeting:
    """One scheduled (or locked) meeting."""

    buyer: str
    maker: str
    slot: str
    table: str


@dataclass
class Problem:
    """Everything the optimizer needs to know about one fair."""

    slots: list[Slot]
    tables: list[Table]
    buyers: list[Buyer]
    makers: list[Maker]
    preferences: list[PairPreference] = field(default_factory=list)
    locked: list[Meeting] = field(default_factory=list)

    def replace(self, **changes) -> Problem:
        return dataclasses.replace(self, **changes)

    # Convenience look-ups (recomputed on every call; problems are small).
    def slot_index(self) -> dict[str, int]:
        return {s.id: i for i, s in enumerate(self.slots)}

    def participants(self) -> dict[str, Participant]:
        return {p.id: p for p in [*self.buyers, *self.makers]}

    def preference_map(self) -> dict[tuple[str, str], PairPreference]:
        return {(p.buyer, p.maker): p for p in self.preferences}

    def cap(self, p: Participant) -> int:
        """Effective maximum: explicit max, bounded by available slots."""
        avail = len(self.slots) - len(p.unavailable & {s.id for s in self.slots})
        return avail if p.max_meetings is None else min(p.max_meetings, avail)

    def stand_tables(self) -> set[str]:
        """Tables that are some maker's fixed table: they hold only that maker's meetings."""
        return {m.fixed_table for m in self.makers if m.fixed_table}

    def shared_tables(self) -> int:
        """Tables any pair without a fixed table may use, in each slot."""
        stands = self.stand_tables()
        return sum(t.id not in stands for t in self.tables)


def _dupes(ids: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for i in ids:
        if i in seen:
            out.append(i)
        seen.add(i)
    return out


def validate(problem: Problem) -> list[ProblemError]:
    """Return every problem found, invalid data first, then locked conflicts."""
    errs: list[ProblemError] = []
    add = lambda f, m, k="invalid": errs.append(ProblemError(f, m, k))  # noqa: E731

    if not problem.slots:
        add("slots", "there are no slots")
    if not problem.tables:
        add("tables", "there are zero tables; at least one is needed")
    for name, items in (("slots", problem.slots), ("tables", problem.tables),
                        ("buyers", problem.buyers), ("makers", problem.makers)):
        for d in _dupes(x.id for x in items):
            add(name, f"duplicate id {d!r}")
    clash = {b.id for b in problem.buyers} & {m.id for m in problem.makers}
    for c in sorted(clash):
        add("participants", f"id {c!r} is used by both a buyer and a maker")
    for s in problem.slots:
        if s.end <= s.start:
            add(f"slots[{s.id}]", "slot ends before it starts")

    slot_ids = {s.id for s in problem.slots}
    table_ids = {t.id for t in problem.tables}
    buyers = {b.id for b in problem.buyers}
    makers = {m.id: m for m in problem.makers}
    for role, group in (("buyer", problem.buyers), ("maker", problem.makers)):
        for p in group:
            f = f"{role}s[{p.id}]"
            unknown = sorted(p.unavailable - slot_ids)
            if unknown:
                add(f"{f}.unavailable", f"unknown slot ids {unknown}")
            if problem.slots and not slot_ids - p.unavailable:
                add(f"{f}.unavailable", f"{role} {p.id} has no available slot")
            if p.min_meetings < 0 or (p.max_meetings is not None and p.max_meetings < 0):
                add(f, "meeting counts must not be negative")
            if p.max_meetings is not None and p.min_meetings > p.max_meetings:
                add(f, f"min_meetings {p.min_meetings} exceeds max_meetings {p.max_meetings}")
            fixed = getattr(p, "fixed_table", None)
            if fixed is not None and fixed not in table_ids:
                add(f"{f}.fixed_table", f"unknown table id {fixed!r}")

    seen_pairs: set[tuple[str, str]] = set()
    for i, pref in enumerate(problem.preferences):
        f = f"preferences[{i}]"
        if pref.buyer not in buyers:
            add(f"{f}.buyer", f"unknown buyer id {pref.buyer!r}")
        if pref.maker not in makers:
            add(f"{f}.maker", f"unknown maker id {pref.maker!r}")
        for side, mark in (("buyer_mark", pref.buyer_mark), ("maker_mark", pref.maker_mark)):
            if mark not in MARKS:
                add(f"{f}.{side}", f"unknown mark {mark!r}; use must/would_like/no/None")
        if pref.score is not None and not 0.0 <= pref.score <= 1.0:
            add(f"{f}.score", f"score {pref.score} is outside [0, 1]")
        if (pref.buyer, pref.maker) in seen_pairs:
            add(f, f"duplicate preference for pair ({pref.buyer}, {pref.maker})")
        seen_pairs.add((pref.buyer, pref.maker))

    for i, m in enumerate(problem.locked):
        f = f"locked[{i}]"
        for attr, known in (("buyer", buyers), ("maker", makers),
                            ("slot", slot_ids), ("table", table_ids)):
            if getattr(m, attr) not in known:
                add(f"{f}.{attr}", f"unknown {attr} id {getattr(m, attr)!r}")

    if not errs:
        errs.extend(locked_conflicts(problem)[1])
    return errs


def check(problem: Problem) -> None:
    """Raise :class:`ProblemError` for the first invalid-data problem."""
    for e in validate(problem):
        if e.kind == "invalid":
            raise e


def locked_conflicts(problem: Problem) -> tuple[list[Meeting], list[ProblemError]]:
    """Split locked meetings into those that can all be kept and conflicts.

    Locked meetings are accepted in order; one is rejected if it clashes with
    an already accepted one or with the participants' settings.
    """
    ok: list[Meeting] = []
    errs: list[ProblemError] = []
    people = problem.participants()
    prefs = problem.preference_map()
    makers = {m.id: m for m in problem.makers}
    fixed_owner = {}  # table id -> makers whose stand it is
    for m in problem.makers:
        if m.fixed_table:
            fixed_owner.setdefault(m.fixed_table, set()).add(m.id)
    busy: set[tuple[str, str]] = set()      # (person, slot)
    tables: set[tuple[str, str]] = set()    # (table, slot)
    pairs: set[tuple[str, str]] = set()
    count: dict[str, int] = {}
    for i, m in enumerate(problem.locked):
        f = f"locked[{i}]"
        why = None
        pref = prefs.get((m.buyer, m.maker))
        maker = makers[m.maker]
        if pref is not None and pref.vetoed:
            why = f"buyer {m.buyer} and maker {m.maker} have a 'no' on this pair"
        elif (m.buyer, m.maker) in pairs:
            why = f"buyer {m.buyer} and maker {m.maker} are already locked to meet"
        else:
            for pid in (m.buyer, m.maker):
                if m.slot in people[pid].unavailable:
                    why = f"{pid} is unavailable in slot {m.slot}"
                elif (pid, m.slot) in busy:
                    why = f"{pid} already has a locked meeting in slot {m.slot}"
                elif count.get(pid, 0) + 1 > problem.cap(people[pid]):
                    why = f"{pid} would exceed their maximum of {problem.cap(people[pid])} meetings"
                if why:
                    break
        if why is None:
            if maker.fixed_table and maker.fixed_table != m.table:
                why = f"maker {m.maker} has fixed table {maker.fixed_table}, not {m.table}"
            elif (m.table, m.slot) in tables:
                why = f"table {m.table} is already locked in slot {m.slot}"
            elif m.table in fixed_owner and m.maker not in fixed_owner[m.table]:
                why = f"table {m.table} is the fixed table of {sorted(fixed_owner[m.table])}"
        if why:
            errs.append(ProblemError(f, f"locked meeting conflicts: {why}", "conflict"))
            continue
        ok.append(m)
        busy |= {(m.buyer, m.slot), (m.maker, m.slot)}
        tables.add((m.table, m.slot))
        pairs.add((m.buyer, m.maker))
        count[m.buyer] = count.get(m.buyer, 0) + 1
        count[m.maker] = count.get(m.maker, 0) + 1
    return ok, errs
