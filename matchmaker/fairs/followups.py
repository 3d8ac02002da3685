"""After the fair: a week and again three months later both sides of every meeting that took place
are asked to rate it (1–5) and name the next step (none, negotiation started, sample, order).

The asks are the participant's task list (its fair page and ``GET /fairs/{id}/follow-ups``): one
per meeting, side and wave once the wave is due (the fair's last session plus 7 or 91 days) and
not yet answered. An answer is a ``FairFollowUp`` row, once per pair, side and wave (a unique key,
so a second answer, even a concurrent one, is a 409), and one row of the outcome log with
``source="fair_follow_up"``: ``sample_requested`` / ``order_placed`` the first time a meeting's
answers name them (the meeting's flags, shared with the organizer's follow-up events, keep the
ranker's track record from counting one order twice), ``negotiation_started`` the first time a
negotiation is named, ``meeting_rated`` otherwise. The follow-up row keeps the context: fair,
pair, side, wave, rating and the outcome row it wrote. The other side is told in the same transaction
(``events.fair_follow_up_answered``; the contact package writes the notice and email, in its language).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..ranking.records import OutcomeEvent
from ..records import utcnow
from .core import current_run, now_local, run_meetings
from .. import events
from .meetings import _outcome, require_started
from .records import Fair, FairFollowUp, FairMeeting, FairParticipant
from ..errors import DomainError

WAVES = {"week": timedelta(days=7), "quarter": timedelta(days=91)}
NEXT_STEPS = ("none", "negotiation", "sample", "order")
STEP_EVENT = {"sample": ("sample_requested", "sample_requested"), "order": ("order_placed", "order_placed")}
ASKED = ("held", "scheduled")  # meetings that took place, or that nobody marked either way


def fair_end(fair: Fair) -> datetime:
    return max(s.ends_at for s in fair.sessions)


def wave_due(fair: Fair, wave: str) -> datetime:
    return fair_end(fair) + WAVES[wave]


def answers(session: Session, fair: Fair, participant: FairParticipant | None = None) -> list[FairFollowUp]:
    stmt = select(FairFollowUp).where(FairFollowUp.fair_id == fair.id)
    if participant is not None:
        column = FairFollowUp.buyer_participant_id if participant.side == "buyer" else FairFollowUp.maker_participant_id
        stmt = stmt.where(column == participant.id, FairFollowUp.side == participant.side)
    return list(session.scalars(stmt.order_by(FairFollowUp.id)))


def due_asks(session: Session, fair: Fair, participant: FairParticipant, now: datetime | None = None) -> list[dict]:
    """The participant's unanswered, due follow-ups: ``{"meeting", "wave", "due", "with"}``."""
    now = now or now_local(fair)
    if not fair.sessions:
        return []
    waves = [w for w in WAVES if wave_due(fair, w) <= now]
    if not waves:
        return []
    done = {(a.buyer_participant_id, a.maker_participant_id, a.wave) for a in answers(session, fair, participant)}
    out = []
    for m in run_meetings(session, current_run(session, fair)):
        if participant.id not in (m.buyer_participant_id, m.maker_participant_id) or m.status not in ASKED:
            continue
        other = m.maker if participant.side == "buyer" else m.buyer
        for w in waves:
            if (m.buyer_participant_id, m.maker_participant_id, w) not in done:
                out.append({"meeting": m, "wave": w, "due": wave_due(fair, w), "with": other.organization.name})
    return out


def answer(session: Session, fair: Fair, meeting: FairMeeting, participant: FairParticipant, wave: str,
           rating: int, next_step: str, user_id: int | None, now: datetime | None = None) -> FairFollowUp:
    """Record one side's answer for one wave (once); writes the outcome log row with it."""
    if participant.id not in (meeting.buyer_participant_id, meeting.maker_participant_id):
        raise DomainError("forbidden", "only the meeting's two sides answer its follow-up",
                          field="participant_id", status=403)
    if meeting.status not in ASKED:
        raise DomainError("conflict",
                          "the meeting did not take place ({state}); there is nothing to follow up",
                          field="meeting_id", status=409, params={'state': meeting.status})
    now = now or now_local(fair)
    due = wave_due(fair, wave)
    if now < due:
        raise DomainError("not_due", "this follow-up is asked from {date}", field="wave", status=409,
                          params={'date': f"{due:%Y-%m-%d}"})
    key = (FairFollowUp.fair_id == fair.id, FairFollowUp.buyer_participant_id == meeting.buyer_participant_id,
           FairFollowUp.maker_participant_id == meeting.maker_participant_id)
    if session.scalar(select(FairFollowUp.id).where(*key, FairFollowUp.side == participant.side,
                                                    FairFollowUp.wave == wave)) is not None:
        raise DomainError("conflict", "this follow-up was already answered", field="wave", status=409)
    require_started(fair, meeting, "meeting_id", now)
    if meeting.status != "held":  # an answer says the meeting took place
        meeting.status = "held"
        _outcome(session, meeting, "meeting_held")
    event = "meeting_rated"
    if next_step in STEP_EVENT:
        flag, name = STEP_EVENT[next_step]
        if not getattr(meeting, flag):
            setattr(meeting, flag, True)
            event = name
    elif next_step == "negotiation" and session.scalar(select(FairFollowUp.id).where(
            *key, FairFollowUp.next_step == "negotiation")) is None:
        event = "negotiation_started"
    logged = OutcomeEvent(buyer_id=meeting.buyer.organization_id, maker_id=meeting.maker.organization_id,
                          event=event, source="fair_follow_up", occurred_at=utcnow())
    session.add(logged)
    session.flush()
    row = FairFollowUp(fair_id=fair.id, buyer_participant_id=meeting.buyer_participant_id,
                       maker_participant_id=meeting.maker_participant_id, side=participant.side, wave=wave,
                       rating=rating, next_step=next_step, answered_by_id=user_id, outcome_event_id=logged.id)
    session.add(row)
    try:
        session.flush()
        events.fair_follow_up_answered.send(session, fair=fair, meeting=meeting, follow_up=row)
        session.commit()
    except IntegrityError:  # the same side answered the same wave at the same moment
        session.rollback()
        raise DomainError("conflict", "this follow-up was already answered", field="wave", status=409) from None
    return row


def order_offers(session: Session, fair: Fair, participant: FairParticipant) -> list[dict]:
    """The participant's meetings whose follow-up named an order: ``{"meeting", "with", "order_id"}``, the
    order already recorded from it (by either side) or None, so the fair page offers "record this order"."""
    from ..orders.records import Order

    mine = [m for m in run_meetings(session, current_run(session, fair))
            if m.order_placed and participant.id in (m.buyer_participant_id, m.maker_participant_id)]
    if not mine:
        return []
    recorded = dict(session.execute(select(Order.fair_meeting_id, Order.id)
                                    .where(Order.fair_meeting_id.in_([m.id for m in mine]))).all())
    return [{"meeting": m, "with": (m.maker if participant.side == "buyer" else m.buyer).organization.name,
             "order_id": recorded.get(m.id)} for m in mine]


def follow_up_dict(a: FairFollowUp) -> dict:
    return {"id": a.id, "buyer_participant_id": a.buyer_participant_id,
            "maker_participant_id": a.maker_participant_id, "side": a.side, "wave": a.wave, "rating": a.rating,
            "next_step": a.next_step, "answered_at": a.answered_at.isoformat() if a.answered_at else None,
            "outcome_event_id": a.outcome_event_id}


def ask_dict(ask: dict) -> dict:
    m = ask["meeting"]
    return {"meeting_id": m.id, "wave": ask["wave"], "due": ask["due"].isoformat(), "with": ask["with"],
            "start": m.starts_at.isoformat()}
