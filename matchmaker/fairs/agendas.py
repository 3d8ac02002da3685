"""What participants and the organizer read: agendas (page, PDF, ICS and calendar feed), what a
repair changed, the organizer's grid and the schedule CSV."""
from __future__ import annotations

import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

import scheduling as sch

from ..exports import safe_csv_text
from ..accounts.records import User
from . import formatting as fmt
from .core import _num, current_run, fair_slots, participant_dict, pid, run_meetings, tid
from .problem import Built, build_problem
from .video import video_links, virtual_pairs
from .records import Fair, FairCalendarEntry, FairChange, FairMeeting, FairPairSetting, FairParticipant

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

def agenda(session: Session, fair: Fair, participant: FairParticipant, organizer: bool,
           own: bool = False) -> dict:
    """A participant's agenda; before publication only the organizer sees meetings.

    Every meeting says whether it is ``virtual``; its ``video_url`` is given only when ``own`` (the
    reader acts for this participant, one of the meeting's two sides), never to the organizer."""
    run = current_run(session, fair)
    links = video_links(session, fair) if own else {}
    virtual = virtual_pairs(session, fair)
    visible = run is not None and (organizer or run.publication != "draft")
    meetings = [m for m in run_meetings(session, run) if participant.id in
                (m.buyer_participant_id, m.maker_participant_id)] if visible else []
    items = []
    for m in meetings:
        other = m.maker if m.buyer_participant_id == participant.id else m.buyer
        items.append({"id": m.id, "start": m.starts_at.isoformat(), "end": m.ends_at.isoformat(),
                      "starts_at": m.starts_at, "ends_at": m.ends_at, "slot": m.slot_id, "table": m.table.label,
                      "with": other.organization.name, "with_participant_id": other.id, "status": m.status,
                      "locked": m.locked, "sample_requested": m.sample_requested, "order_placed": m.order_placed,
                      "buyer_participant_id": m.buyer_participant_id, "maker_participant_id": m.maker_participant_id,
                      "virtual": (m.buyer_participant_id, m.maker_participant_id) in virtual,
                      "video_url": links.get((m.buyer_participant_id, m.maker_participant_id))})
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


def _video_by_ids(session: Session, fair: Fair) -> dict[tuple[str, str], str]:
    return {(pid(b), pid(m)): url for (b, m), url in video_links(session, fair).items()}


def agenda_pdf(session: Session, fair: Fair, participant: FairParticipant, lang: str = "en", own: bool = False,
               check_in_url=None) -> bytes:
    """The agenda handout: video links only when ``own``; ``check_in_url(buyer_pid, maker_pid)`` gives
    the URL of each meeting's QR code (none without it)."""
    built, schedule = _exportable(session, fair)
    text = {"agenda": fmt.tr(lang, "Agenda"), "time": fmt.tr(lang, "Time"), "table": fmt.tr(lang, "Table"),
            "with": fmt.tr(lang, "Meeting with"), "none": fmt.tr(lang, "No meetings scheduled."),
            "video": fmt.tr(lang, "Video"), "video_links": fmt.tr(lang, "Video meetings"),
            "check_in": fmt.tr(lang, "Check-in codes: the organizer or your counterpart scans one to mark "
                                     "the meeting held")}
    if own:
        video = _video_by_ids(session, fair)
    else:  # the organizer's copy says which meetings are virtual, without their links
        video = {(pid(b), pid(m)): "" for b, m in virtual_pairs(session, fair)}
    check = (lambda _p, m: check_in_url(_num(m.buyer), _num(m.maker))) if check_in_url else None
    return sch.agenda_pdf(built.problem, schedule, pid(participant.id), venue=fair.venue, fair_name=fair.name,
                          text=text, when=lambda slot: fmt.span(slot.start, slot.end, lang),
                          table_label=lambda label: fmt.table_label(label, lang), video=video, check_in=check)


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
    virtual = {(s.buyer_participant_id, s.maker_participant_id) for s in session.scalars(
        select(FairPairSetting).where(FairPairSetting.fair_id == fair.id, FairPairSetting.virtual.is_(True)))}
    for key, m in active.items():
        fingerprint = f"{m.slot_id}|{m.table_id}" + ("|video" if key in virtual else "")
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


def agenda_ics(session: Session, fair: Fair, participant: FairParticipant, lang: str = "en",
               own: bool = False) -> bytes:
    """The participant's calendar; a virtual meeting's LOCATION and URL are its link when ``own``."""
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
                               summary=fmt.tr(lang, "{fair}: meeting with {name}"),
                               video=_video_by_ids(session, fair) if own else None,
                               video_text=fmt.tr(lang, "Video meeting: {url}"))


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
