"""The fair's rows as the ``scheduling`` package's problem (participants, marks, scores, locks)."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

import scheduling as sch

from .core import SlotInfo, fair_slots, now_local, participants, pid, tid
from .marks import _score, all_requests, request_live
from .records import Fair, FairMeeting, FairParticipant

RECOMMENDED_PER_BUYER = 10      # score-only pairs offered to the optimizer per buyer
MIN_RECOMMENDED_SCORE = 0.3


@dataclass
class Built:
    problem: sch.Problem
    people: dict[str, FairParticipant]
    slots: dict[str, SlotInfo]


def build_problem(session: Session, fair: Fair, with_scores: bool = True,
                  locked: list[FairMeeting] | None = None) -> Built:
    zone = ZoneInfo(fair.timezone)
    slots = fair_slots(fair)
    slot_ids = {s.id for s in slots}
    people = participants(session, fair)
    by_id = {pid(p.id): p for p in people}

    def person(cls, p: FairParticipant):
        kwargs = dict(id=pid(p.id), name=p.organization.name, min_meetings=p.min_meetings,
                      max_meetings=p.max_meetings, unavailable=frozenset(p.unavailable or []) & slot_ids)
        if cls is sch.Maker:
            kwargs["fixed_table"] = tid(p.fixed_table_id) if p.fixed_table_id else None
        return cls(**kwargs)

    buyers = [person(sch.Buyer, p) for p in people if p.side == "buyer"]
    makers = [person(sch.Maker, p) for p in people if p.side == "maker"]
    marks: dict[tuple[str, str], dict] = defaultdict(dict)
    side = {p.id: p.side for p in people}
    now = now_local(fair)
    for r in all_requests(session, fair):
        if r.from_participant_id not in side or r.to_participant_id not in side or not request_live(r, now):
            continue  # an expired mark no longer binds the schedule
        if side[r.from_participant_id] == "buyer":
            marks[pid(r.from_participant_id), pid(r.to_participant_id)]["buyer_mark"] = r.mark
        else:
            marks[pid(r.to_participant_id), pid(r.from_participant_id)]["maker_mark"] = r.mark
    scores: dict[tuple[str, str], float] = {}
    if with_scores:
        cache: dict = {}
        for b in (p for p in people if p.side == "buyer"):
            ranked = sorted(((_score(session, b, m, cache).score, pid(m.id))
                             for m in people if m.side == "maker"), reverse=True)
            for score, m_id in ranked[:RECOMMENDED_PER_BUYER]:
                if score >= MIN_RECOMMENDED_SCORE:
                    scores[pid(b.id), m_id] = score
    prefs = [sch.PairPreference(b, m, marks.get((b, m), {}).get("buyer_mark"),
                                marks.get((b, m), {}).get("maker_mark"), scores.get((b, m)))
             for b, m in sorted(set(marks) | set(scores))]
    locked_meetings = [sch.Meeting(pid(m.buyer_participant_id), pid(m.maker_participant_id), m.slot_id, tid(m.table_id))
                       for m in (locked or []) if m.slot_id in slot_ids]
    problem = sch.Problem(
        slots=[sch.Slot(s.id, s.start.replace(tzinfo=zone), s.end.replace(tzinfo=zone), s.session) for s in slots],
        tables=[sch.Table(tid(t.id), t.label) for t in fair.tables],
        buyers=buyers, makers=makers, preferences=prefs, locked=locked_meetings)
    return Built(problem, by_id, {s.id: s for s in slots})


def _names_in(text: str, people: dict[str, FairParticipant], fair: Fair) -> str:
    """Replace internal ids (p12, t3) in solver messages by names and labels."""
    tables = {tid(t.id): t.label for t in fair.tables}

    def swap(match: re.Match) -> str:
        key = match.group(0)
        if key in people:
            return people[key].organization.name
        return tables.get(key, key)
    return re.sub(r"\b[pt]\d+\b", swap, text)
