"""A meeting during the fair: over video when the buyer cannot travel, and checked in by QR code.

* **Video**: a pair's meeting is virtual when the organizer chooses it or the buyer asks for it;
  its link is ``FAIR_VIDEO_URL_TEMPLATE`` filled with the fair, the pair's setting id and an
  unguessable token kept for the pair (``FairPairSetting``), so the link survives re-runs and
  repairs. Only the meeting's two sides are shown the link.
* **Check-in**: each participant's agenda carries, per meeting, a QR code of a signed URL naming
  the fair, the pair and whose agenda it is on. Scanned by the organizer or by the *other* side
  (never the holder itself), it marks the meeting held or no-show. The mark is one conditional
  UPDATE (``status = 'scheduled'``), so of two concurrent marks one wins and a different second
  one is a 409; the same mark again is answered as already done. Before the meeting's slot starts
  it cannot be marked either way (409 ``not_started``).
"""
from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..records import utcnow
from .agendas import sync_calendar
from .core import current_run
from .meetings import _outcome, require_started
from .records import Fair, FairMeeting, FairPairSetting
from .video import pair_setting
from ..errors import DomainError

CHECK_IN_SALT = "fair-check-in"
CHECK_IN_MARKS = ("held", "no_show")


def set_virtual(session: Session, fair: Fair, meeting: FairMeeting, virtual: bool, by: str) -> FairPairSetting:
    """Make a meeting virtual (or in person again); ``by`` is ``organizer`` or ``buyer``."""
    if meeting.status not in ("scheduled", "held"):
        raise DomainError("invalid", "a {state} meeting cannot change how it is held", field="virtual",
                          params={'state': meeting.status})
    try:
        setting = pair_setting(session, fair, meeting)
    except IntegrityError:  # the pair's row was made by a concurrent request
        session.rollback()
        raise DomainError("conflict", "someone else changed this meeting at the same moment; try again",
                          field="virtual", status=409) from None
    if by == "buyer" and not virtual and setting.virtual and setting.virtual_by == "organizer":
        raise DomainError("forbidden",
                          "the organizer made this meeting virtual; ask the organizer to change it",
                          field="virtual", status=403)
    setting.virtual, setting.virtual_by = virtual, (by if virtual else None)
    session.flush()
    sync_calendar(session, fair)  # the calendar event's location changes: its SEQUENCE grows
    session.commit()
    return setting


# -- check-in -----------------------------------------------------------------------------------

def _serializer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=CHECK_IN_SALT)


def check_in_token(secret: str, fair_id: int, buyer_pid: int, maker_pid: int, holder: str) -> str:
    """Signed ``[fair, buyer participant, maker participant, holder side]``: whose agenda shows it."""
    return _serializer(secret).dumps([fair_id, buyer_pid, maker_pid, holder])


def read_check_in_token(secret: str, token: str) -> tuple[int, int, int, str] | None:
    if not token or len(token) > 300:
        return None
    try:
        data = _serializer(secret).loads(token)
    except BadSignature:
        return None
    if (not isinstance(data, list) or len(data) != 4 or data[3] not in ("buyer", "maker")
            or not all(isinstance(x, int) and not isinstance(x, bool) for x in data[:3])):
        return None
    return data[0], data[1], data[2], data[3]


def pair_meeting(session: Session, fair: Fair, buyer_pid: int, maker_pid: int) -> FairMeeting | None:
    """The pair's meeting in the current schedule (a pair meets at most once)."""
    run = current_run(session, fair)
    if run is None:
        return None
    return session.scalar(select(FairMeeting).where(
        FairMeeting.run_id == run.id, FairMeeting.buyer_participant_id == buyer_pid,
        FairMeeting.maker_participant_id == maker_pid).order_by(FairMeeting.id.desc()).limit(1))


def check_in(session: Session, fair: Fair, meeting: FairMeeting, mark: str, user_id: int | None) -> bool:
    """Mark a scheduled meeting held or no-show. True when this call marked it; False when it was
    already marked the same way (idempotent); a different earlier mark is a 409."""
    if mark not in CHECK_IN_MARKS:
        raise DomainError("invalid", "choose held or no_show", field="status")
    require_started(fair, meeting, "status")
    done = session.execute(update(FairMeeting).where(FairMeeting.id == meeting.id,
                                                     FairMeeting.status == "scheduled")
                           .values(status=mark).execution_options(synchronize_session=False)).rowcount
    if not done:
        session.rollback()
        session.refresh(meeting)
        if meeting.status == mark:
            return False
        raise DomainError("conflict", "the meeting is already marked {state}", field="status", status=409,
                          params={'state': meeting.status})
    session.refresh(meeting)
    if mark == "held":
        _outcome(session, meeting, "meeting_held")
    setting = pair_setting(session, fair, meeting)
    setting.checked_in_by_id, setting.checked_in_at = user_id, utcnow()
    session.flush()
    sync_calendar(session, fair)
    session.commit()
    return True
