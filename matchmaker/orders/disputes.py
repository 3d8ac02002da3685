"""Disputes: one side objects to one figure of the order, the other side answers.

A dispute names the row kind (``subject``: the order's terms, a milestone, a delivery, an invoice,
a payment), the row (``subject_id``), the figure (``field``), what the disputing side says it is
(``claimed_value``) and why (``note``). A side disputes the terms or a figure the *other* side
entered (its own it simply changes); one figure has at most one open dispute (checked under the
order's row lock, and a partial unique index, migration 0025, backs it). Only the other side
answers, once (a conditional UPDATE: two answers at once give one 200 and one 409); the side that
raised it may withdraw it while it is open. Both sides see every dispute on the order page.
"""
from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .. import events
from ..records import utcnow
from ..errors import Conflict
from . import schemas as s
from .figures import figure_of
from .records import Order, OrderDispute
from .services import commit
from ..errors import DomainError
from .services import lock_order


def disputes_of(session: Session, order: Order) -> list[OrderDispute]:
    return list(session.scalars(select(OrderDispute).where(OrderDispute.order_id == order.id)
                                .order_by(OrderDispute.id)))


def raise_dispute(session: Session, order: Order, side: str, user, data: s.DisputeIn) -> OrderDispute:
    lock_order(session, order)
    if data.subject == "order":
        if data.subject_id != order.id:
            raise DomainError("invalid", "For the order's terms, subject_id is the order's id.",
                              field="subject_id")
    else:
        row = figure_of(session, order, data.subject, data.subject_id)
        if row.entered_by == side:
            raise DomainError("own_figure",
                              "Your side entered this figure: change it instead of disputing it.",
                              field="subject_id")
    if session.scalar(select(OrderDispute.id).where(
            OrderDispute.order_id == order.id, OrderDispute.subject == data.subject,
            OrderDispute.subject_id == data.subject_id, OrderDispute.field == data.field,
            OrderDispute.status == "open")) is not None:
        raise Conflict("this figure is already disputed; answer or withdraw that dispute first")
    dispute = OrderDispute(order_id=order.id, subject=data.subject, subject_id=data.subject_id, field=data.field,
                           raised_by=side, raised_by_id=user.id, claimed_value=data.claimed_value, note=data.note)
    session.add(dispute)
    session.flush()
    events.order_disputed.send(session, order=order, side=side, dispute=dispute)
    commit(session)
    return dispute


def dispute_of(session: Session, order: Order, dispute_id: int) -> OrderDispute:
    row = session.get(OrderDispute, dispute_id)
    if row is None or row.order_id != order.id:
        raise DomainError("not_found", "There is no dispute {id} on this order.", field="dispute_id",
                          status=404, params={'id': dispute_id})
    return row


def _settle(session: Session, row: OrderDispute, **values) -> None:
    done = session.execute(update(OrderDispute).where(OrderDispute.id == row.id, OrderDispute.status == "open")
                           .values(**values).execution_options(synchronize_session=False))
    if done.rowcount != 1:
        session.rollback()
        raise Conflict("this dispute was already answered or withdrawn")


def answer_dispute(session: Session, order: Order, side: str, user, dispute_id: int,
                   data: s.DisputeAnswerIn) -> OrderDispute:
    row = dispute_of(session, order, dispute_id)
    if row.raised_by == side:
        raise DomainError("forbidden", "The other side answers this dispute.", field="answer", status=403)
    _settle(session, row, status="answered", answer=data.answer, answered_by_id=user.id, answered_at=utcnow())
    events.order_dispute_answered.send(session, order=order, side=side, dispute=row)
    commit(session)
    session.refresh(row)
    return row


def withdraw_dispute(session: Session, order: Order, side: str, dispute_id: int) -> OrderDispute:
    row = dispute_of(session, order, dispute_id)
    if row.raised_by != side:
        raise DomainError("forbidden", "Only the side that raised a dispute withdraws it.",
                          field="dispute_id", status=403)
    # when it was withdrawn: the screener reads how long a dispute stayed open (vetting.order_evidence)
    _settle(session, row, status="withdrawn", extra={**(row.extra or {}), "withdrawn_at": utcnow().isoformat()})
    commit(session)
    session.refresh(row)
    return row
