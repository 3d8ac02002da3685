"""Inquiries: a buyer sends a requirement to makers, the maker answers once, the buyer records progress.

* A buyer sends at most ``limit`` inquiries per UTC day: a counter row per buyer and day is
  raised with one conditional UPDATE, so concurrent requests cannot overshoot it.
* A maker answers an inquiry once (accept, or decline with a reason); the inquiry's version
  column makes two concurrent answers end with one winner and a :class:`Conflict` (409).
* Who sees what: the buyer firm and the addressed maker firm, nobody else (association staff
  and the platform admin do not read private threads); ``access.side_of`` says which side a user is.
* The buyer's progress (sample requested, sample approved, order placed) is recorded once each, in order.
"""
from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..accounts.records import User
from ..organizations.records import Organization
from ..records import utcnow
from ..errors import Conflict
from . import schemas as s
from .records import Inquiry, InquiryDayCount
from .services import clearance_refusal, commit, insert_if_missing, iso, maker_org, own_requirement, record_outcome
from .shortlists import shortlist_for
from ..access import side_of
from ..errors import DomainError

DEFAULT_DAILY_LIMIT = 20


def _take_quota(session: Session, buyer_id: int, count: int, limit: int) -> None:
    """Raise today's counter by ``count`` unless that passes ``limit`` (atomic, in this transaction)."""
    day = utcnow().date()
    insert_if_missing(session, InquiryDayCount, buyer_id=buyer_id, day=day, sent=0)
    done = session.execute(update(InquiryDayCount)
                           .where(InquiryDayCount.buyer_id == buyer_id, InquiryDayCount.day == day,
                                  InquiryDayCount.sent + count <= limit)
                           .values(sent=InquiryDayCount.sent + count)
                           .execution_options(synchronize_session=False))
    if done.rowcount != 1:
        used = session.scalar(select(InquiryDayCount.sent).where(InquiryDayCount.buyer_id == buyer_id,
                                                                 InquiryDayCount.day == day)) or 0
        session.rollback()
        raise DomainError("daily_limit", "You may send {limit} inquiries a day; {left} are left today.",
                          field="maker_ids", status=429,
                          params={'limit': limit, 'left': max(0, limit - used)})


def send_inquiries(session: Session, user: User, data: s.InquiryIn, limit: int) -> list[Inquiry]:
    refusal = clearance_refusal(session, user.organization_id)
    if refusal is not None:
        raise refusal
    req = own_requirement(session, user, data.requirement_id)
    if req.status != "open":
        raise DomainError("requirement_not_open",
                          "Open the requirement before sending it to makers: makers see only open requirements.",
                          field="requirement_id", status=409)
    for maker_id in data.maker_ids:
        maker_org(session, maker_id, "maker_ids")
    taken = set(session.scalars(select(Inquiry.maker_id).where(Inquiry.requirement_id == req.id,
                                                               Inquiry.maker_id.in_(data.maker_ids))))
    if taken:
        names = ", ".join(session.get(Organization, m).name for m in sorted(taken))
        raise DomainError("already_sent", "This requirement was already sent to {names}.",
                          field="maker_ids", status=409, params={'names': names})
    sl = shortlist_for(session, req)
    context = {e.maker_id: (e.rank, e.model_version) for e in sl.entries} if sl else {}
    _take_quota(session, req.buyer_id, len(data.maker_ids), limit)
    now = utcnow()
    out = []
    for maker_id in data.maker_ids:
        rank, version = context.get(maker_id, (None, None))
        inq = Inquiry(requirement_id=req.id, buyer_id=req.buyer_id, maker_id=maker_id, sent_by_id=user.id,
                      message=data.message, rank=rank, model_version=version, created_at=now, last_activity_at=now)
        session.add(inq)
        out.append(inq)
        record_outcome(session, inq, "contacted")
    commit(session, *[(inq, "inquiry", "maker") for inq in out])
    return out


def visible_inquiry(session: Session, user: User, inquiry_id: int) -> tuple[Inquiry, str]:
    inq = session.get(Inquiry, inquiry_id)
    side = side_of(user, inq) if inq is not None else None
    if side is None:
        raise DomainError("not_found", "There is no inquiry {id} for your firm.", field="inquiry_id",
                          status=404, params={'id': inquiry_id})
    return inq, side


def inquiries_for(session: Session, user: User, status: str | None = None, requirement_id: int | None = None,
                  limit: int = 50, offset: int = 0) -> tuple[list[Inquiry], int]:
    """A maker's inbox or a buyer's sent inquiries, most recent activity first."""
    if user.organization_id is None:
        return [], 0
    own = Inquiry.maker_id if user.role == "maker_user" else Inquiry.buyer_id
    stmt = select(Inquiry).where(own == user.organization_id)
    if status:
        stmt = stmt.where(Inquiry.status == status)
    if requirement_id:
        stmt = stmt.where(Inquiry.requirement_id == requirement_id)
    total = session.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = session.scalars(stmt.order_by(Inquiry.last_activity_at.desc(), Inquiry.id.desc())
                           .limit(limit).offset(offset)).all()
    return list(rows), total


def _check_version(inq: Inquiry, version: int | None) -> None:
    if version is not None and version != inq.version:
        raise Conflict("the inquiry changed since you read it; reload and try again")


def answer(session: Session, user: User, inq: Inquiry, data: s.AnswerIn) -> Inquiry:
    if side_of(user, inq) != "maker":
        raise DomainError("forbidden", "Only the maker the inquiry was sent to may answer it.",
                          field="decision", status=403)
    _check_version(inq, data.version)
    if inq.status != "sent":
        raise Conflict("this inquiry has already been answered")
    if data.decision == "decline" and data.reason is None:
        raise DomainError("invalid", "Choose a reason for declining.", field="reason")
    inq.status = "accepted" if data.decision == "accept" else "declined"
    inq.decline_reason = data.reason if data.decision == "decline" else None
    inq.decline_note = data.note if data.decision == "decline" else ""
    inq.answered_by_id, inq.answered_at = user.id, utcnow()
    inq.last_activity_at = inq.answered_at
    if data.decision == "decline":
        record_outcome(session, inq, "declined")
    commit(session, (inq, "accepted" if data.decision == "accept" else "declined", "buyer"))
    return inq


BUYER_EVENT_FIELDS = {"sample_requested": "sample_requested_at", "sample_approved": "sample_approved_at",
                      "order_placed": "order_placed_at"}


def record_event(session: Session, user: User, inq: Inquiry, event: str) -> Inquiry:
    if side_of(user, inq) != "buyer":
        raise DomainError("forbidden", "Only the buyer who sent the inquiry records its progress.",
                          field="event", status=403)
    if inq.status == "declined":
        raise Conflict("the maker declined this inquiry")
    attr = BUYER_EVENT_FIELDS[event]
    if getattr(inq, attr) is not None:
        raise Conflict("{event} is already recorded for this inquiry", params={"event": event})
    if event == "sample_approved" and inq.sample_requested_at is None:
        raise DomainError("out_of_order", "Request a sample before approving it.", field="event",
                          status=409)
    if event == "order_placed" and inq.status != "accepted":
        raise DomainError("out_of_order", "The maker has not accepted this inquiry yet.", field="event",
                          status=409)
    now = utcnow()
    setattr(inq, attr, now)
    inq.last_activity_at = now
    record_outcome(session, inq, event)
    commit(session, *([(inq, "sample_requested", "maker")] if event == "sample_requested" else []))
    return inq


def inquiry_dict(inq: Inquiry, side: str) -> dict:
    data = {"id": inq.id, "requirement_id": inq.requirement_id, "requirement_title": inq.requirement.title,
            "buyer_id": inq.buyer_id, "buyer_name": inq.buyer.name, "maker_id": inq.maker_id,
            "maker_name": inq.maker.name, "message": inq.message, "status": inq.status,
            "decline_reason": inq.decline_reason, "decline_note": inq.decline_note,
            "answered_at": iso(inq.answered_at), "sample_requested_at": iso(inq.sample_requested_at),
            "sample_approved_at": iso(inq.sample_approved_at), "order_placed_at": iso(inq.order_placed_at),
            "created_at": iso(inq.created_at), "last_activity_at": iso(inq.last_activity_at),
            "version": inq.version}
    if side == "buyer":  # the ranking context is the buyer's own
        data.update(rank=inq.rank, model_version=inq.model_version)
    return data
