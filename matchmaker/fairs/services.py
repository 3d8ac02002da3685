"""Running a fair: creation, registration, requests, scheduling, publication, repair, outcomes.

The API and the pages both call these functions; permission checks stay in the views
(rules in ``matchmaker.permissions``). The optimizer is the plain ``scheduling`` package:
:func:`build_problem` turns the database rows into its dataclasses (participant ids are
``"p<participant id>"``, table ids ``"t<table id>"``, slot ids ``YYYYMMDDTHHMM`` in venue time).
"""
from __future__ import annotations

import re
import secrets
import threading
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

import scheduling as sch

from .. import events as signals  # "events" is a local name in disrupt()
from ..exports import safe_csv_text
from ..schema import MakerProfile, Membership, Organization, OutcomeEvent, User, utcnow
from . import gating
from . import schemas as fs
from .recommend import buyer_needs, pair_score
from . import formatting as fmt
from .records import (
    Fair, FairBreak, FairCalendarEntry, FairChange, FairMeeting, FairParticipant, FairRequest, FairScheduleRun,
    FairSession, FairTable,
)

BUYER_KINDS = {"buyer", "buying_agent"}
MAKER_KINDS = {"maker", "coordinator"}
RECOMMENDED_PER_BUYER = 10      # score-only pairs offered to the optimizer per buyer
MIN_RECOMMENDED_SCORE = 0.3


class FairError(Exception):
    """Bad input or a state that forbids the action; ``field`` names what is wrong."""

    def __init__(self, field: str, message: str, code: str = "invalid", status: int = 422, **params):
        text = message.format(**params) if params else message
        super().__init__(f"{field}: {text}")
        self.field, self.message, self.code, self.status = field, text, code, status
        self.template, self.params = message, params  # the pages translate the template

    def as_dict(self) -> dict:
        return {"field": self.field, "code": self.code, "template": self.template,
                "params": {k: str(v) for k, v in self.params.items()}}


# -- time and slots ------------------------------------------------------------------------------

@dataclass(frozen=True)
class SlotInfo:
    id: str
    start: datetime
    end: datetime
    session: str


def slot_key(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M")


def now_local(fair: Fair) -> datetime:
    return datetime.now(ZoneInfo(fair.timezone)).replace(tzinfo=None)


def cut_slots(sessions, breaks, minutes: int) -> list[SlotInfo]:
    """Slots of ``minutes`` from each session's start; a slot touching a break restarts after it."""
    length = timedelta(minutes=minutes)
    out: list[SlotInfo] = []
    for index, s in enumerate(sessions):
        t = s.starts_at if hasattr(s, "starts_at") else s.start
        end = s.ends_at if hasattr(s, "ends_at") else s.end
        label = (getattr(s, "label", "") or f"session {index + 1}")
        while t + length <= end:
            clash = next((b for b in breaks if _start(b) < t + length and t < _end(b)), None)
            if clash is not None:
                t = max(t + timedelta(minutes=1), _end(clash))
                continue
            out.append(SlotInfo(slot_key(t), t, t + length, f"{index}:{label}"))
            t += length
    return out


def _start(p):
    return p.starts_at if hasattr(p, "starts_at") else p.start


def _end(p):
    return p.ends_at if hasattr(p, "ends_at") else p.end


def fair_slots(fair: Fair) -> list[SlotInfo]:
    return cut_slots(fair.sessions, fair.breaks, fair.slot_minutes)


def fair_days(fair: Fair) -> list[str]:
    return sorted({s.starts_at.date().isoformat() for s in fair.sessions})


# -- fairs -------------------------------------------------------------------------------------

def create_fair(session: Session, data: fs.FairIn, association_id: int, user_id: int | None) -> Fair:
    slots = cut_slots(data.sessions, data.breaks, data.slot_minutes)
    if not slots:
        raise FairError("breaks", "the breaks leave no meeting slot in any session")
    fair = Fair(association_id=association_id, name=data.name, venue=data.venue, timezone=data.timezone,
                slot_minutes=data.slot_minutes, request_deadline=data.request_deadline,
                default_min_meetings=data.default_min_meetings, default_max_meetings=data.default_max_meetings,
                created_by_id=user_id)
    fair.sessions = [FairSession(label=s.label, starts_at=s.start, ends_at=s.end) for s in data.sessions]
    fair.breaks = [FairBreak(label=b.label, starts_at=b.start, ends_at=b.end) for b in data.breaks]
    fair.tables = [FairTable(label=t.label) for t in data.tables]
    session.add(fair)
    session.commit()
    return fair


def fair_dict(fair: Fair, with_slots: bool = True) -> dict:
    data = {
        "id": fair.id, "association_id": fair.association_id, "name": fair.name, "venue": fair.venue,
        "timezone": fair.timezone, "slot_minutes": fair.slot_minutes, "days": fair_days(fair),
        "request_deadline": fair.request_deadline.isoformat() if fair.request_deadline else None,
        "default_min_meetings": fair.default_min_meetings, "default_max_meetings": fair.default_max_meetings,
        "sessions": [{"id": s.id, "label": s.label, "start": s.starts_at.isoformat(), "end": s.ends_at.isoformat()}
                     for s in fair.sessions],
        "breaks": [{"id": b.id, "label": b.label, "start": b.starts_at.isoformat(), "end": b.ends_at.isoformat()}
                   for b in fair.breaks],
        "tables": [{"id": t.id, "label": t.label} for t in fair.tables],
    }
    if with_slots:
        data["slots"] = [{"id": s.id, "start": s.start.isoformat(), "end": s.end.isoformat()}
                         for s in fair_slots(fair)]
    return data


def requests_open(fair: Fair) -> bool:
    return fair.request_deadline is None or now_local(fair) <= fair.request_deadline


# -- participants ---------------------------------------------------------------------------------

def participants(session: Session, fair: Fair, side: str | None = None) -> list[FairParticipant]:
    stmt = select(FairParticipant).where(FairParticipant.fair_id == fair.id)
    if side:
        stmt = stmt.where(FairParticipant.side == side)
    return list(session.scalars(stmt.join(Organization).order_by(FairParticipant.side, Organization.name)))


def participant_for_org(session: Session, fair: Fair, organization_id: int | None) -> FairParticipant | None:
    if organization_id is None:
        return None
    return session.scalar(select(FairParticipant).where(FairParticipant.fair_id == fair.id,
                                                        FairParticipant.organization_id == organization_id))


def get_participant(session: Session, fair: Fair, participant_id: int) -> FairParticipant | None:
    p = session.get(FairParticipant, participant_id)
    return p if p is not None and p.fair_id == fair.id else None


def participant_dict(p: FairParticipant) -> dict:
    return {"id": p.id, "organization_id": p.organization_id, "name": p.organization.name, "side": p.side,
            "min_meetings": p.min_meetings, "max_meetings": p.max_meetings, "fixed_table_id": p.fixed_table_id,
            "unavailable": list(p.unavailable or [])}


def register(session: Session, fair: Fair, data: fs.ParticipantIn, user_id: int | None,
             by_organizer: bool) -> FairParticipant:
    org = session.get(Organization, data.organization_id)
    if org is None:
        raise FairError("organization_id", "no organization {id}", "not_found", 404, id=data.organization_id)
    if org.kind in BUYER_KINDS:
        side = "buyer"
    elif org.kind in MAKER_KINDS:
        side = "maker"
    else:
        raise FairError("organization_id", "{name} is neither a buyer nor a maker; only buyers and makers attend fairs",
                        name=org.name)
    if participant_for_org(session, fair, org.id) is not None:
        raise FairError("organization_id", "{name} is already registered for this fair", "conflict", 409,
                        name=org.name)
    if side == "buyer" and not gating.buyer_may_attend(session, org.id, fair.association_id):
        raise FairError("organization_id", "buyer {name} is not cleared by the hosting association's "
                        "vetting ({standing}); only cleared buyers may register", "not_cleared", 422,
                        name=org.name, standing=buyer_standing(session, fair, org.id))
    if side == "maker" and not by_organizer and not _is_member(session, fair.association_id, org.id):
        raise FairError("organization_id", "{name} is not a member of the hosting association; "
                        "the organizer may add it", "not_member", 403, name=org.name)
    p = FairParticipant(fair_id=fair.id, organization_id=org.id, side=side, registered_by_id=user_id,
                        min_meetings=fair.default_min_meetings if data.min_meetings is None else data.min_meetings,
                        max_meetings=fair.default_max_meetings if data.max_meetings is None else data.max_meetings,
                        unavailable=[])
    p.organization = org
    _apply_participant(session, fair, p, data.fixed_table_id, data.unavailable)
    session.add(p)
    session.commit()
    return p


def buyer_standing(session: Session, fair: Fair, buyer_id: int) -> str:
    """Why a buyer is not cleared, in English (pages translate the phrase)."""
    return gating.NOT_CLEARED.get(gating.standings(session, [buyer_id], fair.association_id)[buyer_id],
                                  "not cleared")


def registration_candidates(session: Session, fair: Fair, query: str, limit: int = 20) -> list[dict]:
    """Firms the organizer may register whose name contains ``query``: buyers, with whether they are
    cleared and why not, and member makers. Already registered firms are left out."""
    text = " ".join(query.split())[:100]
    if len(text) < 2:
        return []
    registered = select(FairParticipant.organization_id).where(FairParticipant.fair_id == fair.id)
    like = f"%{text.replace('%', '').replace('_', ' ')}%"
    buyers = session.scalars(select(Organization).where(Organization.kind.in_(BUYER_KINDS),
                                                        Organization.name.ilike(like),
                                                        Organization.id.not_in(registered))
                             .order_by(Organization.name).limit(limit)).all()
    makers = session.scalars(select(Organization).where(Organization.kind.in_(MAKER_KINDS),
                                                        Organization.name.ilike(like),
                                                        Organization.id.not_in(registered))
                             .order_by(Organization.name).limit(limit)).all()
    members = set(session.scalars(select(Membership.organization_id).where(
        Membership.association_id == fair.association_id,
        Membership.organization_id.in_([m.id for m in makers]))))
    standing = gating.standings(session, [b.id for b in buyers], fair.association_id)
    out = [{"organization_id": b.id, "name": b.name, "country": b.country, "side": "buyer",
            "offered": standing[b.id] == "cleared",
            "reason": None if standing[b.id] == "cleared" else gating.NOT_CLEARED[standing[b.id]]} for b in buyers]
    out += [{"organization_id": m.id, "name": m.name, "country": m.country, "side": "maker", "offered": True,
             "reason": None, "member": m.id in members} for m in makers]
    out.sort(key=lambda r: (not r["offered"], r["name"].lower()))
    return out[:limit]


def register_rows(session: Session, fair: Fair, rows: list[dict], user_id: int | None) -> list[dict]:
    """Register each CSV row's firm (by ``organization_id`` or exact ``name``); one report line per row:
    ``{"row", "firm", "registered", "error"}`` with ``row`` the line number in the file (header = 1)."""
    report = []
    for number, raw in enumerate(rows, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        ident, name = row.get("organization_id", ""), row.get("name", "")
        org = None
        try:
            if ident:
                if not ident.isdigit():
                    raise FairError("organization_id", "{value} is not an organization id", value=ident)
                org = session.get(Organization, int(ident))
                if org is None:
                    raise FairError("organization_id", "no organization {id}", "not_found", 404, id=ident)
            elif name:
                found = session.scalars(select(Organization).where(
                    func.lower(Organization.name) == name.lower()).limit(2)).all()
                if len(found) != 1:
                    raise FairError("name", "no single firm is called {name}" if found else
                                    "no firm is called {name}", name=name)
                org = found[0]
            else:
                raise FairError("organization_id", "the row names no firm")
            register(session, fair, fs.ParticipantIn(organization_id=org.id), user_id, by_organizer=True)
            report.append({"row": number, "firm": org.name, "registered": True, "error": None})
        except FairError as exc:
            session.rollback()
            report.append({"row": number, "firm": org.name if org is not None else (name or ident),
                           "registered": False, "error": exc})
    return report


def remove_participant(session: Session, fair: Fair, p: FairParticipant) -> int:
    """Unregister a firm: its marks go, its meetings in the current schedule are released (the
    counterparts' calendars show them as called off). Returns how many meetings were released."""
    run = current_run(session, fair)
    released = 0
    for m in run_meetings(session, run):
        if p.id in (m.buyer_participant_id, m.maker_participant_id):
            released += m.status in ("scheduled", "held")
    session.flush()
    # history of earlier runs and repairs names the participant: it goes with it
    for model, cols in ((FairChange, ("participant_id", "counterpart_id")),
                        (FairRequest, ("from_participant_id", "to_participant_id")),
                        (FairMeeting, ("buyer_participant_id", "maker_participant_id"))):
        table = model.__table__
        session.execute(table.delete().where(table.c.fair_id == fair.id)
                        .where((table.c[cols[0]] == p.id) | (table.c[cols[1]] == p.id)))
    session.delete(p)
    session.flush()
    session.expire_all()
    sync_calendar(session, fair)
    session.commit()
    return released


def _is_member(session: Session, association_id: int, org_id: int) -> bool:
    return session.scalar(select(Membership.id).where(Membership.association_id == association_id,
                                                      Membership.organization_id == org_id)) is not None


def update_participant(session: Session, fair: Fair, p: FairParticipant, data: fs.ParticipantPatch) -> FairParticipant:
    sent = data.model_fields_set
    if "min_meetings" in sent and data.min_meetings is not None:
        p.min_meetings = data.min_meetings
    if "max_meetings" in sent:
        p.max_meetings = data.max_meetings
    if p.max_meetings is not None and p.min_meetings > p.max_meetings:
        raise FairError("min_meetings", "min_meetings must not exceed max_meetings")
    _apply_participant(session, fair, p, data.fixed_table_id if "fixed_table_id" in sent else p.fixed_table_id,
                       data.unavailable if data.unavailable is not None else p.unavailable)
    session.commit()
    return p


def _apply_participant(session: Session, fair: Fair, p: FairParticipant, fixed_table_id, unavailable) -> None:
    slots = [s.id for s in fair_slots(fair)]
    unknown = sorted(set(unavailable) - set(slots))
    if unknown:
        raise FairError("unavailable", "unknown slot(s) {unknown}; slots are {slots}", unknown=", ".join(unknown),
                        slots=", ".join(slots))
    if not set(slots) - set(unavailable):
        raise FairError("unavailable", "{name} would have no available slot; leave at least one slot free",
                        name=p.organization.name)
    if fixed_table_id is not None:
        if p.side != "maker":
            raise FairError("fixed_table_id", "only a maker may keep a fixed table")
        if fixed_table_id not in {t.id for t in fair.tables}:
            raise FairError("fixed_table_id", "table {id} is not a table of this fair", id=fixed_table_id)
        other = session.scalar(select(FairParticipant).where(
            FairParticipant.fair_id == fair.id, FairParticipant.fixed_table_id == fixed_table_id,
            FairParticipant.id != (p.id or -1)))
        if other is not None:
            raise FairError("fixed_table_id", "this table is already the fixed table of {name}", "conflict", 409,
                            name=other.organization.name)
    p.fixed_table_id = fixed_table_id
    p.unavailable = [s for s in slots if s in set(unavailable)]


# -- requests -------------------------------------------------------------------------------------

def request_live(r: FairRequest, now: datetime) -> bool:
    """A mark counts until its own expiry (venue time), if it has one."""
    return r.expires_at is None or now <= r.expires_at


def set_request(session: Session, fair: Fair, source: FairParticipant, to_participant_id: int, mark: str | None,
                by_organizer: bool = False, expires_at: datetime | None = None) -> FairRequest | None:
    if expires_at is not None:
        if expires_at.tzinfo is not None:
            expires_at = expires_at.astimezone(ZoneInfo(fair.timezone)).replace(tzinfo=None)
        if expires_at <= now_local(fair):
            raise FairError("expires_at", "the expiry date must be in the future.")
    if not by_organizer and not requests_open(fair):
        raise FairError("mark", "the request deadline ({deadline}) has passed; requests are closed",
                        "deadline_passed", 409, deadline=f"{fair.request_deadline:%Y-%m-%d %H:%M}")
    target = get_participant(session, fair, to_participant_id)
    if target is None:
        raise FairError("to_participant_id", "participant {id} is not registered for this fair", id=to_participant_id)
    if target.side == source.side:
        raise FairError("to_participant_id", "{name} is on your side of the fair; requests go between buyers "
                        "and makers", name=target.organization.name)
    row = session.scalar(select(FairRequest).where(FairRequest.fair_id == fair.id,
                                                   FairRequest.from_participant_id == source.id,
                                                   FairRequest.to_participant_id == target.id))
    if mark is None:
        if row is not None:
            session.delete(row)
        session.commit()
        return None
    if row is None:
        row = FairRequest(fair_id=fair.id, from_participant_id=source.id, to_participant_id=target.id, mark=mark)
        session.add(row)
    row.mark = mark
    row.expires_at = expires_at
    session.commit()
    return row


def marks_of(session: Session, fair: Fair, participant: FairParticipant) -> tuple[dict[int, str], dict[int, str]]:
    """(marks this participant gave, by counterpart; marks received, by counterpart).

    Received marks are only must/would_like: a "no" from the other side is never revealed."""
    given = dict(session.execute(select(FairRequest.to_participant_id, FairRequest.mark).where(
        FairRequest.fair_id == fair.id, FairRequest.from_participant_id == participant.id)).all())
    now = now_local(fair)
    received = {r.from_participant_id: r.mark for r in session.scalars(select(FairRequest).where(
        FairRequest.fair_id == fair.id, FairRequest.to_participant_id == participant.id,
        FairRequest.mark != "no")) if request_live(r, now)}
    return given, received


def expiries_of(session: Session, fair: Fair, participant: FairParticipant) -> dict[int, datetime]:
    """Expiry dates of the marks this participant gave, by counterpart."""
    return dict(session.execute(select(FairRequest.to_participant_id, FairRequest.expires_at).where(
        FairRequest.fair_id == fair.id, FairRequest.from_participant_id == participant.id,
        FairRequest.expires_at.is_not(None))).all())


def all_requests(session: Session, fair: Fair) -> list[FairRequest]:
    return list(session.scalars(select(FairRequest).where(FairRequest.fair_id == fair.id).order_by(FairRequest.id)))


def request_dict(r: FairRequest) -> dict:
    return {"from_participant_id": r.from_participant_id, "to_participant_id": r.to_participant_id, "mark": r.mark,
            "expires_at": r.expires_at.isoformat() if r.expires_at else None,
            "updated_at": r.updated_at.isoformat() if r.updated_at else None}


# -- recommendations -----------------------------------------------------------------------------

def _score(session: Session, buyer: FairParticipant, maker: FairParticipant, needs_cache: dict, lang: str = "en"):
    if buyer.organization_id not in needs_cache:
        needs_cache[buyer.organization_id] = buyer_needs(session, buyer.organization_id)
    return pair_score(needs_cache[buyer.organization_id], session.get(MakerProfile, maker.organization_id), lang)


def recommendations(session: Session, fair: Fair, participant: FairParticipant, limit: int = 10,
                    lang: str = "en") -> list[dict]:
    """Counterparts ranked by the rule score, with reasons; those already marked are left out."""
    given, _ = marks_of(session, fair, participant)
    other_side = "maker" if participant.side == "buyer" else "buyer"
    cache: dict = {}
    out = []
    for other in participants(session, fair, other_side):
        if other.id in given:
            continue
        buyer, maker = (participant, other) if participant.side == "buyer" else (other, participant)
        rec = _score(session, buyer, maker, cache, lang)
        if rec.score > 0:
            out.append({"participant_id": other.id, "name": other.organization.name,
                        "organization_id": other.organization_id, "score": rec.score, "reasons": rec.reasons})
    out.sort(key=lambda r: (-r["score"], r["name"]))
    return out[:limit]


# -- the scheduling problem ----------------------------------------------------------------------

def pid(p_id: int) -> str:
    return f"p{p_id}"


def tid(t_id: int) -> str:
    return f"t{t_id}"


def _num(text: str) -> int:
    return int(text[1:])


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


# -- schedule runs ---------------------------------------------------------------------------------

def current_run(session: Session, fair: Fair) -> FairScheduleRun | None:
    return session.scalar(select(FairScheduleRun).where(FairScheduleRun.fair_id == fair.id,
                                                        FairScheduleRun.current.is_(True))
                          .order_by(FairScheduleRun.id.desc()))


def run_meetings(session: Session, run: FairScheduleRun | None, active_only: bool = False) -> list[FairMeeting]:
    if run is None:
        return []
    stmt = select(FairMeeting).where(FairMeeting.run_id == run.id)
    if active_only:
        stmt = stmt.where(FairMeeting.status.in_(("scheduled", "held")))
    return list(session.scalars(stmt.order_by(FairMeeting.starts_at, FairMeeting.table_id)))


def _metrics_dict(metrics: sch.Metrics) -> dict:
    return {"meetings": metrics.meetings, "requests": metrics.requests,
            "requests_fulfilled": metrics.requests_fulfilled, "must": metrics.must,
            "must_fulfilled": metrics.must_fulfilled, "mutual_must": metrics.mutual_must,
            "mutual_must_fulfilled": metrics.mutual_must_fulfilled, "below_min": len(metrics.below_min),
            "value": metrics.value, "idle_gaps": metrics.idle_gaps}


def _findings(result: sch.SolveResult, built: Built, fair: Fair) -> list[dict]:
    out = [{"constraint": f.constraint, "subject": _names_in(f.subject, built.people, fair),
            "message": _names_in(f.message, built.people, fair)} for f in result.report.findings]
    for m in result.dropped_locked:
        out.append({"constraint": "locked_dropped", "subject": _names_in(m.buyer, built.people, fair),
                    "message": _names_in(f"locked meeting {m.buyer} / {m.maker} in slot {m.slot} could not be "
                                         "kept", built.people, fair)})
    return out


def check_schedulable(session: Session, fair: Fair) -> None:
    """The cheap checks done in the request before a scheduling job is queued."""
    sides = {p.side for p in participants(session, fair)}
    if not {"buyer", "maker"} <= sides:
        raise FairError("participants", "register at least one buyer and one maker before scheduling")


def run_schedule(session: Session, fair: Fair, time_limit: float, user_id: int | None,
                 report=None) -> FairScheduleRun:
    """Optimize the whole fair; locked meetings of the current schedule are kept (if they still fit).

    ``report(fraction, code)`` hears the progress (codes: preparing, solving, baseline, saving)."""
    report = report or (lambda fraction, code: None)
    report(0.02, "preparing")
    previous = current_run(session, fair)
    locked = [m for m in run_meetings(session, previous, active_only=True) if m.locked]
    built = build_problem(session, fair, locked=locked)
    if not built.problem.buyers or not built.problem.makers:
        raise FairError("participants", "register at least one buyer and one maker before scheduling")
    options = sch.SolveOptions(time_limit=time_limit, workers=2)
    try:
        with _ticking(report, time_limit):
            result = sch.solve(built.problem, options)
        report(0.92, "baseline")
        base = sch.baseline(built.problem)
    except sch.ProblemError as exc:
        raise FairError(exc.field, _names_in(exc.message, built.people, fair)) from None
    report(0.96, "saving")
    run = _new_run(session, fair, "optimize", result, user_id, time_limit, built)
    run.baseline = _metrics_dict(base.metrics) | {"wall_time": round(base.wall_time, 4)}
    lock_keys = {(m.buyer_participant_id, m.maker_participant_id, m.slot_id) for m in locked}
    for m in result.schedule.meetings:
        _store_meeting(session, fair, run, built, m,
                       locked=(_num(m.buyer), _num(m.maker), m.slot) in lock_keys)
    session.flush()
    sync_calendar(session, fair)
    session.commit()
    return run


@contextmanager
def _ticking(report, seconds: float):
    """Report the solver's share of its time limit every half second while it runs."""
    stop = threading.Event()
    start = time.monotonic()

    def tick():
        while not stop.wait(0.5):
            report(0.05 + 0.85 * min(1.0, (time.monotonic() - start) / max(seconds, 0.1)), "solving")
    ticker = threading.Thread(target=tick, daemon=True)
    ticker.start()
    try:
        yield
    finally:
        stop.set()
        ticker.join()


SCHEDULE_JOB = "fair_schedule"


def schedule_job(fair_id: int, time_limit: float, user_id: int | None = None) -> dict:
    """The job function (``matchmaker.jobs``): one optimizer run of a fair, with progress."""
    from flask import current_app

    from .. import db, jobs

    me, app = jobs.current_job_id(), current_app._get_current_object()

    def report(fraction: float, code: str) -> None:
        with app.app_context():
            jobs.progress(me, fraction, code)
    session = db.session()
    fair = session.get(Fair, fair_id)
    if fair is None:
        raise jobs.JobError(f"fair {fair_id} no longer exists")
    try:
        run = run_schedule(session, fair, time_limit, user_id, report=report)
    except FairError:
        session.rollback()
        raise
    return {"run_id": run.id, "status": run.solver_status, "wall_time": run.wall_time, "time_limit": time_limit}


def submit_schedule(session: Session, fair: Fair, time_limit: float, user_id: int | None) -> str:
    """Queue one scheduling job for the fair (or return the one already queued or running)."""
    from .. import jobs

    check_schedulable(session, fair)
    busy = jobs.latest(f"fair:{fair.id}", SCHEDULE_JOB)
    if busy is not None and busy.status in ("queued", "running"):
        limit = float((busy.kwargs or {}).get("time_limit", 600))
        created = busy.created_at if busy.created_at.tzinfo else busy.created_at.replace(tzinfo=timezone.utc)
        if utcnow() - created < timedelta(seconds=limit * 3 + 120):
            return busy.id  # one run at a time; a job older than that died with its process
    return jobs.submit(SCHEDULE_JOB, "matchmaker.fairs.services:schedule_job",
                       {"fair_id": fair.id, "time_limit": time_limit, "user_id": user_id},
                       subject=f"fair:{fair.id}", user_id=user_id, timeout=time_limit * 3 + 60)


def _new_run(session: Session, fair: Fair, kind: str, result: sch.SolveResult, user_id, time_limit,
             built: Built, publication: str = "draft") -> FairScheduleRun:
    session.execute(FairScheduleRun.__table__.update().where(FairScheduleRun.fair_id == fair.id)
                    .values(current=False))
    run = FairScheduleRun(fair_id=fair.id, kind=kind, current=True, publication=publication,
                          solver_status=result.status, objective=result.objective, bound=result.bound,
                          gap=result.gap, wall_time=round(result.wall_time, 4), time_limit=time_limit,
                          metrics=_metrics_dict(result.metrics), baseline={},
                          findings=_findings(result, built, fair), created_by_id=user_id)
    session.add(run)
    session.flush()
    return run


def _store_meeting(session: Session, fair: Fair, run: FairScheduleRun, built: Built, m: sch.Meeting,
                   **fields) -> FairMeeting:
    slot = built.slots[m.slot]
    row = FairMeeting(fair_id=fair.id, run_id=run.id, buyer_participant_id=_num(m.buyer),
                      maker_participant_id=_num(m.maker), slot_id=m.slot, starts_at=slot.start, ends_at=slot.end,
                      table_id=_num(m.table), **fields)
    session.add(row)
    return row


def run_dict(run: FairScheduleRun | None) -> dict | None:
    if run is None:
        return None
    return {"id": run.id, "kind": run.kind, "publication": run.publication, "status": run.solver_status,
            "objective": run.objective, "bound": run.bound, "gap": run.gap, "wall_time": run.wall_time,
            "time_limit": run.time_limit, "metrics": run.metrics, "baseline": run.baseline,
            "findings": run.findings, "created_at": run.created_at.isoformat() if run.created_at else None}


def meeting_dict(m: FairMeeting) -> dict:
    return {"id": m.id, "buyer_participant_id": m.buyer_participant_id, "buyer": m.buyer.organization.name,
            "maker_participant_id": m.maker_participant_id, "maker": m.maker.organization.name,
            "slot": m.slot_id, "start": m.starts_at.isoformat(), "end": m.ends_at.isoformat(),
            "table_id": m.table_id, "table": m.table.label, "status": m.status, "locked": m.locked,
            "sample_requested": m.sample_requested, "order_placed": m.order_placed}


def publish(session: Session, fair: Fair, level: str) -> FairScheduleRun:
    run = current_run(session, fair)
    if run is None:
        raise FairError("level", "there is no schedule to publish yet; run the scheduler first", "conflict", 409)
    run.publication = level
    signals.agenda_published.send(session, fair=fair, run=run, level=level)
    session.commit()
    return run


def get_meeting(session: Session, fair: Fair, meeting_id: int) -> FairMeeting | None:
    m = session.get(FairMeeting, meeting_id)
    run = current_run(session, fair)
    return m if m is not None and run is not None and m.run_id == run.id else None


def update_meeting(session: Session, meeting: FairMeeting, data: fs.MeetingPatch) -> FairMeeting:
    if data.locked is not None:
        if meeting.status not in ("scheduled", "held"):
            raise FairError("locked", f"a {meeting.status} meeting cannot be locked")
        meeting.locked = data.locked
    if data.status is not None and data.status != meeting.status:
        if meeting.status == "cancelled":
            raise FairError("status", "a cancelled meeting cannot be marked")
        meeting.status = data.status
        if data.status == "held":
            _outcome(session, meeting, "meeting_held")
    session.flush()
    sync_calendar(session, _fair_of(session, meeting))
    session.commit()
    return meeting


def _fair_of(session: Session, meeting: FairMeeting) -> Fair:
    return session.get(Fair, meeting.fair_id)


def record_follow_up(session: Session, meeting: FairMeeting, event: str) -> FairMeeting:
    """A follow-up implies the meeting took place; each event is logged once per meeting."""
    if meeting.status == "cancelled":
        raise FairError("event", "the meeting was cancelled")
    if meeting.status != "held":
        meeting.status = "held"
        _outcome(session, meeting, "meeting_held")
    if not getattr(meeting, event):
        setattr(meeting, event, True)
        _outcome(session, meeting, event)
    session.commit()
    return meeting


def _outcome(session: Session, meeting: FairMeeting, event: str) -> None:
    """Log an outcome once per meeting (the meeting's flags remember what was logged)."""
    flag = {"meeting_held": "held_logged"}.get(event)
    if flag is not None:
        if getattr(meeting, flag):
            return
        setattr(meeting, flag, True)
    session.add(OutcomeEvent(buyer_id=meeting.buyer.organization_id, maker_id=meeting.maker.organization_id,
                             event=event, source="fair", occurred_at=utcnow()))


# -- repair ---------------------------------------------------------------------------------------

def disrupt(session: Session, fair: Fair, meeting: FairMeeting, data: fs.DisruptionIn,
            user_id: int | None) -> FairScheduleRun:
    """Cancel a meeting or record a no-show, then repair the schedule changing as little as possible."""
    if meeting.status not in ("scheduled",):
        raise FairError("kind", f"the meeting is already {meeting.status}", "conflict", 409)
    run = current_run(session, fair)
    rows = run_meetings(session, run)
    active = [m for m in rows if m.status in ("scheduled", "held")]
    built = build_problem(session, fair, locked=[m for m in active if m.locked])
    schedule = sch.Schedule([sch.Meeting(pid(m.buyer_participant_id), pid(m.maker_participant_id), m.slot_id,
                                         tid(m.table_id)) for m in active])
    events: list = []
    for m in rows:  # earlier disruptions still hold
        if m.status == "cancelled":
            events.append(sch.Cancellation(pid(m.buyer_participant_id), pid(m.maker_participant_id)))
    from_slot = None
    if data.kind == "cancellation":
        events.append(sch.Cancellation(pid(meeting.buyer_participant_id), pid(meeting.maker_participant_id)))
        now = now_local(fair)
        upcoming = [s for s in built.problem.slots if s.start.replace(tzinfo=None) >= now]
        if upcoming and upcoming[0].id != built.problem.slots[0].id:
            from_slot = upcoming[0].id
    else:
        absent = data.absent_participant_id or meeting.maker_participant_id
        if absent not in (meeting.buyer_participant_id, meeting.maker_participant_id):
            raise FairError("absent_participant_id", "the absent participant must be the buyer or the maker "
                            "of this meeting")
        events.append(sch.NoShow(pid(absent), meeting.slot_id))
        from_slot = meeting.slot_id
    try:
        res = sch.repair(built.problem, schedule, events, from_slot=from_slot,
                         options=sch.SolveOptions(time_limit=data.time_limit, workers=2))
    except sch.ProblemError as exc:
        raise FairError(exc.field, _names_in(exc.message, built.people, fair)) from None
    new_run = _new_run(session, fair, "repair", res.result, user_id, data.time_limit, built,
                       publication=run.publication)
    new_run.note = (f"{data.kind.replace('_', '-')}: {meeting.buyer.organization.name} / "
                    f"{meeting.maker.organization.name} at {meeting.starts_at:%Y-%m-%d %H:%M}; "
                    f"kept {res.kept}, moved {res.moved}, removed {res.removed}, added {res.added}")
    new_run.metrics = dict(new_run.metrics) | {"repair": {
        "kind": data.kind, "buyer": meeting.buyer.organization.name, "maker": meeting.maker.organization.name,
        "at": meeting.starts_at.isoformat(), "kept": res.kept, "moved": res.moved, "removed": res.removed,
        "added": res.added}}  # what the note says, for pages in the reader's language
    new_run.baseline = run.baseline
    old_by_pair = {(m.buyer_participant_id, m.maker_participant_id): m for m in active}
    for m in res.schedule.meetings:
        old = old_by_pair.get((_num(m.buyer), _num(m.maker)))
        carry = {"status": old.status, "locked": old.locked, "sample_requested": old.sample_requested,
                 "order_placed": old.order_placed, "held_logged": old.held_logged} if old is not None else {}
        _store_meeting(session, fair, new_run, built, m, **carry)
    # the record of what did not happen stays on the schedule
    for m in rows:
        if m.status in ("cancelled", "no_show") or m.id == meeting.id:
            status = m.status if m.id != meeting.id else ("cancelled" if data.kind == "cancellation" else "no_show")
            session.add(FairMeeting(fair_id=fair.id, run_id=new_run.id, buyer_participant_id=m.buyer_participant_id,
                                    maker_participant_id=m.maker_participant_id, slot_id=m.slot_id,
                                    starts_at=m.starts_at, ends_at=m.ends_at, table_id=m.table_id, status=status))
    tables = {tid(t.id): t.label for t in fair.tables}
    for person, changes in res.changes.items():
        for ch in changes:
            counterpart = ch.meeting.maker if person == ch.meeting.buyer else ch.meeting.buyer
            session.add(FairChange(
                fair_id=fair.id, run_id=new_run.id, participant_id=_num(person), kind=ch.kind,
                counterpart_id=_num(counterpart), slot_id=ch.meeting.slot, table_label=tables.get(ch.meeting.table, ""),
                previous_slot_id=ch.previous.slot if ch.previous else None,
                previous_table_label=tables.get(ch.previous.table) if ch.previous else None))
    session.flush()
    sync_calendar(session, fair)
    signals.schedule_repaired.send(session, fair=fair, run=new_run)
    session.commit()
    return new_run


def changes_for(session: Session, fair: Fair, participant: FairParticipant) -> list[FairChange]:
    return list(session.scalars(select(FairChange).where(FairChange.fair_id == fair.id,
                                                         FairChange.participant_id == participant.id)
                                .order_by(FairChange.id.desc())))


def change_dict(c: FairChange) -> dict:
    return {"kind": c.kind, "counterpart": c.counterpart.organization.name, "slot": c.slot_id,
            "start": _slot_time(c.slot_id), "table": c.table_label,
            "previous_slot": c.previous_slot_id,
            "previous_start": _slot_time(c.previous_slot_id) if c.previous_slot_id else None,
            "previous_table": c.previous_table_label, "run_id": c.run_id}


def _slot_time(key: str) -> str:
    return datetime.strptime(key, "%Y%m%dT%H%M").isoformat()


# -- agendas and exports --------------------------------------------------------------------------

def agenda(session: Session, fair: Fair, participant: FairParticipant, organizer: bool) -> dict:
    """A participant's agenda; before publication only the organizer sees meetings."""
    run = current_run(session, fair)
    visible = run is not None and (organizer or run.publication != "draft")
    meetings = [m for m in run_meetings(session, run) if participant.id in
                (m.buyer_participant_id, m.maker_participant_id)] if visible else []
    items = []
    for m in meetings:
        other = m.maker if m.buyer_participant_id == participant.id else m.buyer
        items.append({"id": m.id, "start": m.starts_at.isoformat(), "end": m.ends_at.isoformat(),
                      "starts_at": m.starts_at, "ends_at": m.ends_at, "slot": m.slot_id, "table": m.table.label,
                      "with": other.organization.name, "with_participant_id": other.id, "status": m.status,
                      "locked": m.locked, "sample_requested": m.sample_requested, "order_placed": m.order_placed})
    changes = [change_dict(c) for c in changes_for(session, fair, participant)] if visible else []
    return {"participant": participant_dict(participant), "publication": run.publication if run else None,
            "visible": visible, "meetings": items, "changes": changes}


def _exportable(session: Session, fair: Fair) -> tuple[Built, sch.Schedule]:
    run = current_run(session, fair)
    built = build_problem(session, fair, with_scores=False)
    meetings = [m for m in run_meetings(session, run, active_only=True) if pid(m.buyer_participant_id) in built.people
                and pid(m.maker_participant_id) in built.people]
    return built, sch.Schedule([sch.Meeting(pid(m.buyer_participant_id), pid(m.maker_participant_id), m.slot_id,
                                            tid(m.table_id)) for m in meetings])


def participant_language(session: Session, participant: FairParticipant) -> str:
    """The language the firm's people chose (their first user's), else English."""
    lang = session.scalar(select(User.locale).where(User.organization_id == participant.organization_id)
                          .order_by(User.id).limit(1))
    return lang if lang in ("en", "es") else "en"


def agenda_pdf(session: Session, fair: Fair, participant: FairParticipant, lang: str = "en") -> bytes:
    built, schedule = _exportable(session, fair)
    text = {"agenda": fmt.tr(lang, "Agenda"), "time": fmt.tr(lang, "Time"), "table": fmt.tr(lang, "Table"),
            "with": fmt.tr(lang, "Meeting with"), "none": fmt.tr(lang, "No meetings scheduled.")}
    return sch.agenda_pdf(built.problem, schedule, pid(participant.id), venue=fair.venue, fair_name=fair.name,
                          text=text, when=lambda slot: fmt.span(slot.start, slot.end, lang),
                          table_label=lambda label: fmt.table_label(label, lang))


def calendar_domain(fair: Fair) -> str:
    return f"fair{fair.id}.matchmaker"


def sync_calendar(session: Session, fair: Fair) -> None:
    """Bring every pair's calendar entry in line with the current schedule.

    A pair keeps its UID for good; its SEQUENCE grows when its time or table changes, when it
    is called off, and when it comes back, so subscribed calendars replace the event."""
    run = current_run(session, fair)
    active = {(m.buyer_participant_id, m.maker_participant_id): m for m in run_meetings(session, run, active_only=True)}
    entries = {(e.buyer_participant_id, e.maker_participant_id): e for e in session.scalars(
        select(FairCalendarEntry).where(FairCalendarEntry.fair_id == fair.id))}
    domain = calendar_domain(fair)
    for key, m in active.items():
        fingerprint = f"{m.slot_id}|{m.table_id}"
        e = entries.get(key)
        if e is None:
            e = FairCalendarEntry(fair_id=fair.id, buyer_participant_id=key[0], maker_participant_id=key[1],
                                  uid=sch.meeting_uid(sch.Meeting(pid(key[0]), pid(key[1]), "", ""), domain),
                                  sequence=0, fingerprint=fingerprint, active=True)
            session.add(e)
        elif e.fingerprint != fingerprint or not e.active:
            e.sequence, e.fingerprint, e.active = e.sequence + 1, fingerprint, True
        e.starts_at, e.ends_at, e.table_label = m.starts_at, m.ends_at, m.table.label
        e.buyer_name, e.maker_name = m.buyer.organization.name, m.maker.organization.name
    for key, e in entries.items():
        if key not in active and e.active:
            e.active, e.sequence, e.fingerprint = False, e.sequence + 1, "off"


def agenda_ics(session: Session, fair: Fair, participant: FairParticipant, lang: str = "en") -> bytes:
    built, schedule = _exportable(session, fair)
    entries = list(session.scalars(select(FairCalendarEntry).where(
        FairCalendarEntry.fair_id == fair.id,
        (FairCalendarEntry.buyer_participant_id == participant.id)
        | (FairCalendarEntry.maker_participant_id == participant.id))))
    zone = ZoneInfo(fair.timezone)
    off = []
    for e in entries:
        if e.active:
            continue
        other = e.maker_name if e.buyer_participant_id == participant.id else e.buyer_name
        off.append(sch.CalledOff(e.uid, e.starts_at.replace(tzinfo=zone), e.ends_at.replace(tzinfo=zone),
                                 fmt.tr(lang, "Called off: meeting with {name}", name=other), e.sequence))
    return sch.participant_ics(built.problem, schedule, pid(participant.id), venue=fair.venue,
                               fair_name=fair.name, domain=calendar_domain(fair),
                               sequences={e.uid: e.sequence for e in entries if e.active}, called_off=off,
                               summary=fmt.tr(lang, "{fair}: meeting with {name}"))


def calendar_token(session: Session, participant: FairParticipant) -> str:
    """The participant's private subscription token (made on first use)."""
    if not participant.calendar_token:
        participant.calendar_token = secrets.token_urlsafe(32)
        session.commit()
    return participant.calendar_token


def participant_by_token(session: Session, fair: Fair, token: str) -> FairParticipant | None:
    if not token or len(token) > 64:
        return None
    p = session.scalar(select(FairParticipant).where(FairParticipant.fair_id == fair.id,
                                                     FairParticipant.calendar_token == token))
    return p if p is not None and secrets.compare_digest(p.calendar_token or "", token) else None


def schedule_csv(session: Session, fair: Fair) -> str:
    built, schedule = _exportable(session, fair)
    return safe_csv_text(sch.schedule_csv(built.problem, schedule))  # firm names never run as formulas


def grid(session: Session, fair: Fair) -> dict:
    """Organizer grid: rows of slots, one cell per table (a meeting row or None)."""
    run = current_run(session, fair)
    slots = fair_slots(fair)
    col = {t.id: j for j, t in enumerate(fair.tables)}
    cells = {s.id: [None] * len(fair.tables) for s in slots}
    others: list[FairMeeting] = []
    for m in run_meetings(session, run):
        if m.status in ("scheduled", "held") and m.slot_id in cells:
            cells[m.slot_id][col[m.table_id]] = m
        else:
            others.append(m)
    return {"slots": slots, "tables": fair.tables, "rows": [(s, cells[s.id]) for s in slots], "others": others}

