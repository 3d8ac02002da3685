"""Load the plain rows ``monitoring.metrics`` computes from: a handful of narrow SELECTs per set of orders.

The orders are chosen by a WHERE clause on ``orders`` (one order, a buyer with one maker, a buyer
across makers); the figure tables are read with ``order_id IN (SELECT id ...)`` so no list of ids
travels to the database. Cancelled orders are left out: their terms no longer bind anyone.

An order's ``delivery_date`` here is the one in force (its latest ``OrderAgreedDate``: the date it
was created with, or the last one both sides confirmed), not the current column, which one side
may have changed alone; an order written without such rows keeps its column's date.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..orders.records import (
    Order, OrderAgreedDate, OrderDelivery, OrderInvoice, OrderMilestone, OrderPayment, OrderTermChange,
)
from . import metrics as m

PRICE_FIELD = "unit_price"


def _number(text) -> float | None:
    try:
        return float(str(text).strip())
    except (TypeError, ValueError):
        return None


def _day(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def load(session: Session, *where, limit: int | None = None) -> list[m.OrderFacts]:
    """The facts of the orders matching ``where`` (newest delivery date first), figures attached."""
    conditions = (Order.status != "cancelled", *where)
    stmt = (select(Order.id, Order.buyer_id, Order.maker_id, Order.quantity, Order.unit_price, Order.delivery_date,
                   Order.payment_terms_days, Order.reject_limit_pct, Order.status, Order.reference, Order.product)
            .where(*conditions).order_by(Order.delivery_date.desc(), Order.id.desc()))
    if limit is not None:
        stmt = stmt.limit(limit)
    facts = {row.id: m.OrderFacts(m.OrderRow(*row)) for row in session.execute(stmt)}
    if not facts:
        return []
    ids = select(Order.id).where(*conditions)
    if limit is not None or len(facts) <= 500:
        ids = list(facts)  # a short list is cheaper than the subquery
    for order_id, day in session.execute(select(OrderAgreedDate.order_id, OrderAgreedDate.delivery_date)
                                         .where(OrderAgreedDate.order_id.in_(ids)).order_by(OrderAgreedDate.id)):
        facts[order_id].order = replace(facts[order_id].order, delivery_date=day)  # the latest row wins
    for row in session.execute(select(OrderDelivery.order_id, OrderDelivery.id, OrderDelivery.delivered_on,
                                      OrderDelivery.quantity, OrderDelivery.rejected_quantity)
                               .where(OrderDelivery.order_id.in_(ids)).order_by(OrderDelivery.id)):
        facts[row[0]].deliveries.append(m.DeliveryRow(*row[1:]))
    for row in session.execute(select(OrderMilestone.order_id, OrderMilestone.id, OrderMilestone.stage,
                                      OrderMilestone.planned_on, OrderMilestone.actual_on)
                               .where(OrderMilestone.order_id.in_(ids)).order_by(OrderMilestone.id)):
        facts[row[0]].milestones.append(m.MilestoneRow(*row[1:]))
    payments: dict[int, list] = {}
    for inv_id, paid_on, amount in session.execute(select(OrderPayment.invoice_id, OrderPayment.paid_on,
                                                          OrderPayment.amount)
                                                   .where(OrderPayment.order_id.in_(ids))):
        payments.setdefault(inv_id, []).append((paid_on, amount))
    for row in session.execute(select(OrderInvoice.order_id, OrderInvoice.id, OrderInvoice.due_on,
                                      OrderInvoice.amount, OrderInvoice.number)
                               .where(OrderInvoice.order_id.in_(ids)).order_by(OrderInvoice.id)):
        facts[row[0]].invoices.append(m.InvoiceRow(row[1], row[2], row[3], tuple(payments.get(row[1], ())), row[4]))
    for order_id, change_id, old, new, at in session.execute(
            select(OrderTermChange.order_id, OrderTermChange.id, OrderTermChange.old_value, OrderTermChange.new_value,
                   OrderTermChange.changed_at)
            .where(OrderTermChange.order_id.in_(ids), OrderTermChange.field == PRICE_FIELD)
            .order_by(OrderTermChange.id)):
        old_v, new_v = _number(old), _number(new)
        if old_v and new_v is not None:
            facts[order_id].price_changes.append(m.PriceChangeRow(change_id, old_v, new_v, _day(at)))
    return list(facts.values())


def for_order(session: Session, order_id: int) -> m.OrderFacts | None:
    found = load(session, Order.id == order_id)
    return found[0] if found else None


def for_pair(session: Session, buyer_id: int, maker_id: int) -> list[m.OrderFacts]:
    return load(session, Order.buyer_id == buyer_id, Order.maker_id == maker_id)


def for_side(session: Session, side: str, organization_id: int) -> list[m.OrderFacts]:
    column = Order.buyer_id if side == "buyer" else Order.maker_id
    return load(session, column == organization_id)
