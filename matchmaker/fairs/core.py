"""What every part of running a fair shares: the refusal type, slots in venue time, participant
and schedule-run lookups, and the ids the optimizer uses (``"p<participant id>"``, ``"t<table id>"``,
slot ids ``YYYYMMDDTHHMM`` in venue time)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..organizations.records import Organization
from ..records import utcnow
from .records import Fair, FairMeeting, FairParticipant, FairScheduleRun

BUYER_KINDS = {"buyer", "buying_agent"}
MAKER_KINDS = {"maker", "coordinator"}


# -- time and slots ------------------------------------------------------------------------------

@dataclass(frozen=True)
class SlotInfo:
    id: str
    start: datetime
    end: datetime
    session: str


def slot_key(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M")


def venue_time(fair: Fair, moment: datetime) -> datetime:
    """``moment`` on the venue's wall clock, without a zone (how fair times are stored); a naive
    ``moment`` already is one."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(ZoneInfo(fair.timezone)).replace(tzinfo=None)


def now_local(fair: Fair) -> datetime:
    """The app's now (:func:`matchmaker.records.utcnow`) on the venue's wall clock."""
    return venue_time(fair, utcnow())


def is_over(fair: Fair) -> bool:
    """Whether the fair's last session has ended (venue time): its schedule is then what was held."""
    return bool(fair.sessions) and now_local(fair) >= max(s.ends_at for s in fair.sessions)


def has_started(fair: Fair, starts_at: datetime, now: datetime | None = None) -> bool:
    """Whether a slot starting at ``starts_at`` (venue time, or zone-aware) has begun by ``now``
    (default: the app's now): only then can a meeting in it have been held, missed or followed up."""
    return venue_time(fair, now or utcnow()) >= venue_time(fair, starts_at)


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


def requests_open(fair: Fair) -> bool:
    """Whether participants may still mark whom they want to meet: before the request deadline, if the fair
    has one, and never once the fair is over."""
    if is_over(fair):
        return False
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


# -- ids of the optimizer and schedule runs --------------------------------------------------

def pid(p_id: int) -> str:
    return f"p{p_id}"


def tid(t_id: int) -> str:
    return f"t{t_id}"


def _num(text: str) -> int:
    return int(text[1:])

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
