"""Plain output model: a schedule, its quality figures, and a checker.

:func:`verify` re-checks every hard constraint from scratch; it shares no
code with the solver so it can catch solver bugs (and vet manual edits made
by organizers in the app).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .problem import Meeting, Problem
from .weights import DEFAULT_WEIGHTS, Weights


@dataclass
class Schedule:
    """A list of meetings, sorted by slot order then table."""

    meetings: list[Meeting] = field(default_factory=list)

    def for_participant(self, pid: str) -> list[Meeting]:
        return [m for m in self.meetings if pid in (m.buyer, m.maker)]

    def pairs(self) -> set[tuple[str, str]]:
        return {(m.buyer, m.maker) for m in self.meetings}


@dataclass
class Metrics:
    """The figures organizers compare between schedules."""

    meetings: int
    requests: int               # pairs with any request (must/would_like)
    requests_fulfilled: int
    must: int                   # pairs with at least one must
    must_fulfilled: int
    mutual_must: int
    mutual_must_fulfilled: int
    below_min: list[str]        # participant ids under their minimum
    value: int                  # objective: pair values - shortfall penalties
    idle_gaps: int = 0          # idle runs between meetings (secondary goal)

    def as_dict(self) -> dict:
        return dict(self.__dict__, below_min=len(self.below_min))


def evaluate(problem: Problem, schedule: Schedule, weights: Weights = DEFAULT_WEIGHTS) -> Metrics:
    """Count fulfilled requests and compute the weighted value (incl. penalties)."""
    met = schedule.pairs()
    prefs = problem.preference_map()
    req = [k for k, p in prefs.items() if p.requested]
    must = [k for k, p in prefs.items() if p.must]
    mutual = [k for k, p in prefs.items() if p.mutual_must]
    count = Counter()
    for m in schedule.meetings:
        count[m.buyer] += 1
        count[m.maker] += 1
    below = [p.id for p in [*problem.buyers, *problem.makers] if count[p.id] < p.min_meetings]
    value = sum(weights.pair_value(prefs[k]) for k in met if k in prefs)
    value -= weights.shortfall * sum(
        max(0, p.min_meetings - count[p.id]) for p in [*problem.buyers, *problem.makers])
    return Metrics(
        meetings=len(schedule.meetings),
        requests=len(req), requests_fulfilled=sum(k in met for k in req),
        must=len(must), must_fulfilled=sum(k in met for k in must),
        mutual_must=len(mutual), mutual_must_fulfilled=sum(k in met for k in mutual),
        below_min=below, value=value,
        idle_gaps=sum(idle_gaps(problem, schedule).values()),
    )


def idle_gaps(problem: Problem, schedule: Schedule) -> dict[str, int]:
    """Per participant: number of idle runs between meetings within a session."""
    order = problem.slot_index()
    session = {s.id: s.session for s in problem.slots}
    busy: dict[tuple[str, str], list[int]] = defaultdict(list)
    for m in schedule.meetings:
        for pid in (m.buyer, m.maker):
            busy[pid, session[m.slot]].append(order[m.slot])
    sess_slots: dict[str, list[int]] = defaultdict(list)
    for s in problem.slots:
        sess_slots[s.session].append(order[s.id])
    gaps: Counter = Counter()
    for (pid, sess), idx in busy.items():
        pos = sorted(sess_slots[sess].index(i) for i in idx)
        gaps[pid] += sum(1 for a, b in zip(pos, pos[1:]) if b > a + 1)
    return dict(gaps)


def verify(problem: Problem, schedule: Schedule) -> list[str]:
    """Return every hard-constraint violation (empty list = valid schedule)."""
    out: list[str] = []
    people = problem.participants()
    buyers = {b.id for b in problem.buyers}
    makers = {m.id: m for m in problem.makers}
    slots = {s.id for s in problem.slots}
    tables = {t.id for t in problem.tables}
    prefs = problem.preference_map()
    stands = problem.stand_tables()
    per_slot_person: Counter = Counter()
    per_slot_table: Counter = Counter()
    per_slot: Counter = Counter()
    pairs: Counter = Counter()
    count: Counter = Counter()
    for m in schedule.meetings:
        if m.buyer not in buyers or m.maker not in makers:
            out.append(f"{m}: unknown participant")
            continue
        if m.slot not in slots or m.table not in tables:
            out.append(f"{m}: unknown slot or table")
            continue
        pref = prefs.get((m.buyer, m.maker))
        if pref is not None and pref.vetoed:
            out.append(f"{m}: pair has a 'no'")
        for pid in (m.buyer, m.maker):
            if m.slot in people[pid].unavailable:
                out.append(f"{m}: {pid} unavailable in {m.slot}")
            per_slot_person[pid, m.slot] += 1
            count[pid] += 1
        fixed = makers[m.maker].fixed_table
        if fixed and m.table != fixed:
            out.append(f"{m}: maker {m.maker} must sit at {fixed}")
        elif not fixed and m.table in stands:
            out.append(f"{m}: table {m.table} is another maker's fixed table")
        per_slot_table[m.table, m.slot] += 1
        per_slot[m.slot] += 1
        pairs[m.buyer, m.maker] += 1
    out += [f"{p} has {n} meetings in slot {s}" for (p, s), n in per_slot_person.items() if n > 1]
    out += [f"table {t} used {n} times in slot {s}" for (t, s), n in per_slot_table.items() if n > 1]
    out += [f"slot {s} has {n} meetings > {len(tables)} tables"
            for s, n in per_slot.items() if n > len(tables)]
    out += [f"pair {k} meets {n} times" for k, n in pairs.items() if n > 1]
    for pid, n in count.items():
        mx = people[pid].max_meetings
        if mx is not None and n > mx:
            out.append(f"{pid} has {n} meetings > max {mx}")
    have = set(schedule.meetings)
    from .problem import locked_conflicts  # keepable locked meetings only
    for m in locked_conflicts(problem)[0]:
        if m not in have:
            out.append(f"locked meeting {m} missing")
    return out


def assign_tables(problem: Problem, placed: list[tuple[str, str, str]],
                  preferred: dict[tuple[str, str], str] | None = None) -> list[Meeting]:
    """Give each (buyer, maker, slot) a table: locked and fixed tables first,
    then the ``preferred`` table (e.g. the one before a repair) if free, then
    the first free table. Assumes per-slot capacity already holds."""
    preferred = preferred or {}
    makers = {m.id: m for m in problem.makers}
    locked = {(m.buyer, m.maker, m.slot): m.table for m in problem.locked}
    order = problem.slot_index()
    by_slot: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for b, m, s in placed:
        by_slot[s].append((b, m))
    out: list[Meeting] = []
    for s, pairs in by_slot.items():
        used: set[str] = set()
        table_of: dict[tuple[str, str], str] = {}

        def rank(pair: tuple[str, str]) -> int:
            if (*pair, s) in locked:  # noqa: B023  (called by the sort below, in this iteration)
                return 0
            return 1 if makers[pair[1]].fixed_table else 2

        pairs.sort(key=lambda k: (rank(k), k))
        # Tables reserved in this slot by locked/fixed meetings come first.
        for k in pairs:
            t = locked.get((*k, s)) or makers[k[1]].fixed_table
            if t is not None and t not in used:
                table_of[k] = t
                used.add(t)
        reserved = problem.stand_tables()   # a stand holds only its maker's meetings
        free = [t.id for t in problem.tables if t.id not in used and t.id not in reserved]
        for k in pairs:  # keep previous tables (repair) before filling the rest
            if k not in table_of and preferred.get(k) in free:
                table_of[k] = preferred[k]
                free.remove(preferred[k])
        for k in pairs:
            if k not in table_of:
                table_of[k] = free.pop(0)
        out += [Meeting(b, m, s, table_of[b, m]) for b, m in pairs]
    out.sort(key=lambda x: (order[x.slot], x.table, x.buyer, x.maker))
    return out
