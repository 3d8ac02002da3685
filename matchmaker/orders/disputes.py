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
from ..schema import utcnow
from ..services import Conflict
from . import schemas as s
from .access import OrderError
from .figures import figure_of
from .records import Order, OrderDispute
from .services import commit, lock_order


def disputes_of(session: Session, order: Order) -> list[OrderDispute]:
    return list(session.scalars(select(OrderDispute).where(OrderDispute.order_id == order.id)
                                .order_by(OrderDispute.id)))


def raise_dispute(session: Session, order: Order, side: str, user, data: s.DisputeIn) -> OrderDispute:
    lock_order(session, order)
    if data.subject == "order":
        if data.subject_id != order.id:
            raise OrderError(422, "invalid", "subject_id", "For the order's terms, subject_id is the order's id.")
    else:
        row = figure_of(session, order, data.subject, data.subject_id)
        if row.entered_by == side:
            raise OrderError(422, "own_figure", "subject_id",
                             "Your side entered this figure: change it instead of disputing it.")
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
        raise OrderError(404, "not_found", "dispute_id", "There is no dispute {id} on this order.", id=dispute_id)
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
        raise OrderError(403, "forbidden", "answer", "The other side answers this dispute.")
    _settle(session, row, status="answered", answer=data.answer, answered_by_id=user.id, answered_at=utcnow())
    events.order_dispute_answered.send(session, order=order, side=side, dispute=row)
    commit(session)
    session.refresh(row)
    return row


def withdraw_dispute(session: Session, order: Order, side: str, dispute_id: int) -> OrderDispute:
    row = dispute_of(session, order, dispute_id)
    if row.raised_by != side:
        raise OrderError(403, "forbidden", "dispute_id", "Only the side that raised a dispute withdraws it.")
    _settle(session, row, status="withdrawn")
    commit(session)
    session.refresh(row)
    return row
