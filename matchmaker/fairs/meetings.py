"""One meeting: locks, held / no-show marks, follow-up events in the outcome log, and repair after a
cancellation or a no-show."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

import scheduling as sch

from .. import events as signals  # "events" is a local name in disrupt()
from ..ranking.records import OutcomeEvent
from ..records import utcnow
from . import schemas as fs
from .agendas import sync_calendar
from .core import _num, current_run, has_started, now_local, pid, run_meetings, tid
from .problem import _names_in, build_problem
from .records import Fair, FairChange, FairMeeting, FairScheduleRun
from .runs import _new_run, _store_meeting
from ..catalog import N_
from ..errors import DomainError

# refusals by the meeting's status: one sentence each, so Spanish readers get the status in words
CANNOT_LOCK = {"no_show": N_("a no-show meeting cannot be locked"), "cancelled": N_("a cancelled meeting cannot be locked")}
CANNOT_LOCK_OTHER = N_("a meeting with status {status} cannot be locked")
ALREADY = {"held": N_("the meeting is already held"), "no_show": N_("the meeting is already marked no-show"),
           "cancelled": N_("the meeting is already cancelled")}
ALREADY_OTHER = N_("the meeting is already {status}")
# what cannot be said of a meeting before its slot starts, by the field that says it
NOT_STARTED = {
    "status": N_("the meeting starts at {start}; it can be marked held or no-show once it has started"),
    "kind": N_("the meeting starts at {start}; a no-show can be recorded once it has started"),
    "event": N_("the meeting starts at {start}; a sample request or an order can be recorded once it has started"),
    "meeting_id": N_("the meeting starts at {start}; its follow-up can be answered once it has started"),
}


def require_started(fair: Fair, meeting: FairMeeting, field: str, now: datetime | None = None) -> None:
    """Refuse (409, like a follow-up wave not yet due) an outcome of a meeting whose slot has not started:
    before then it cannot have been held, missed, or led to a sample or an order."""
    if not has_started(fair, meeting.starts_at, now):
        raise DomainError("not_started", NOT_STARTED[field], field=field, status=409,
                          params={"start": f"{meeting.starts_at:%Y-%m-%d %H:%M}"})


def get_meeting(session: Session, fair: Fair, meeting_id: int) -> FairMeeting | None:
    m = session.get(FairMeeting, meeting_id)
    run = current_run(session, fair)
    return m if m is not None and run is not None and m.run_id == run.id else None


def update_meeting(session: Session, meeting: FairMeeting, data: fs.MeetingPatch) -> FairMeeting:
    fair = _fair_of(session, meeting)
    marking = data.status is not None and data.status != meeting.status
    if marking and meeting.status == "cancelled":  # every refusal before anything changes
        raise DomainError("invalid", "a cancelled meeting cannot be marked", field="status")
    if marking and data.status in ("held", "no_show"):
        require_started(fair, meeting, "status")
    if data.locked is not None:
        if meeting.status not in ("scheduled", "held"):
            raise DomainError("invalid", CANNOT_LOCK.get(meeting.status, CANNOT_LOCK_OTHER), field="locked",
                              params={"status": meeting.status})
        meeting.locked = data.locked
    if marking:
        meeting.status = data.status
        if data.status == "held":
            _outcome(session, meeting, "meeting_held")
    session.flush()
    sync_calendar(session, fair)
    session.commit()
    return meeting


def _fair_of(session: Session, meeting: FairMeeting) -> Fair:
    return session.get(Fair, meeting.fair_id)


def record_follow_up(session: Session, meeting: FairMeeting, event: str) -> FairMeeting:
    """A follow-up implies the meeting took place; each event is logged once per meeting."""
    if meeting.status == "cancelled":
        raise DomainError("invalid", "the meeting was cancelled", field="event")
    require_started(_fair_of(session, meeting), meeting, "event")
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
        raise DomainError("conflict", ALREADY.get(meeting.status, ALREADY_OTHER), field="kind", status=409,
                          params={"status": meeting.status})
    if data.kind == "no_show":  # a cancellation may come before the meeting; a no-show only once it began
        require_started(fair, meeting, "kind")
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
            raise DomainError("invalid", "the absent participant must be the buyer or the maker "
                            "of this meeting",
                              field="absent_participant_id")
        events.append(sch.NoShow(pid(absent), meeting.slot_id))
        from_slot = meeting.slot_id
    try:
        res = sch.repair(built.problem, schedule, events, from_slot=from_slot,
                         options=sch.SolveOptions(time_limit=data.time_limit, workers=2))
    except sch.ProblemError as exc:
        raise DomainError("invalid", _names_in(exc.message, built.people, fair), field=exc.field) from None
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
