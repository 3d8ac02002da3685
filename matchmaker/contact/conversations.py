"""Conversations: the message thread of one inquiry between the buyer and the maker.

Opening the thread marks the other side's messages read. A buyer whose clearance was withdrawn
reads the thread but may no longer write in it; a message never races an answer (it touches the
inquiry's activity time outside the optimistic lock).
"""
from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..accounts.records import User
from ..records import utcnow
from . import schemas as s
from .records import Inquiry, Message
from .services import clearance_refusal, commit, iso
from ..access import side_of
from ..errors import DomainError


def thread(session: Session, user: User, inq: Inquiry, mark_read: bool = True) -> list[Message]:
    """The inquiry's messages, oldest first; the reader's opening marks the other side's messages read."""
    side = side_of(user, inq)
    if mark_read and side is not None:
        result = session.execute(update(Message).where(Message.inquiry_id == inq.id, Message.side != side,
                                                       Message.read_at.is_(None))
                                 .values(read_at=utcnow()).execution_options(synchronize_session=False))
        if result.rowcount:
            session.commit()
    return list(session.scalars(select(Message).where(Message.inquiry_id == inq.id).order_by(Message.id)))


def send_refusal(session: Session, user: User, inq: Inquiry) -> DomainError | None:
    """Why this user cannot write in the thread now (a buyer whose clearance was withdrawn), or None."""
    if side_of(user, inq) == "buyer":
        return clearance_refusal(session, inq.buyer_id)
    return None


def send_message(session: Session, user: User, inq: Inquiry, data: s.MessageIn) -> Message:
    side = side_of(user, inq)
    if side is None:
        raise DomainError("not_found", "There is no inquiry {id} for your firm.", field="inquiry_id",
                          status=404, params={'id': inq.id})
    refusal = send_refusal(session, user, inq)
    if refusal is not None:
        raise refusal
    now = utcnow()
    msg = Message(inquiry_id=inq.id, side=side, author_id=user.id, body=data.body, created_at=now)
    session.add(msg)
    # a plain UPDATE of the activity time, outside the optimistic lock: a message never races an answer
    session.execute(update(Inquiry.__table__).where(Inquiry.__table__.c.id == inq.id)
                    .values(last_activity_at=now))
    commit(session, (inq, "reply", "maker" if side == "buyer" else "buyer"))
    return msg


def message_dict(m: Message) -> dict:
    return {"id": m.id, "side": m.side, "body": m.body, "created_at": iso(m.created_at),
            "read_at": iso(m.read_at)}
