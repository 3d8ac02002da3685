"""Plain data of an order for the API (``schemas.OrderOut`` describes it key for key) and the pages.

Both sides of an order see all of it: its terms, every figure with who entered it and whether the
other side confirmed it, every dispute and answer, and the term changes after agreement. Nothing
here reaches anyone else (``access`` answers 404 before these run); the ranking context of the
inquiry an order came from stays in the contact concern, the buyer's own.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .records import Order, OrderDelivery, OrderDispute, OrderTermChange


def iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _counts(session: Session, ids: list[int]) -> tuple[dict, dict]:
    if not ids:
        return {}, {}
    delivered = dict(session.execute(select(OrderDelivery.order_id, func.sum(OrderDelivery.quantity))
                                     .where(OrderDelivery.order_id.in_(ids)).group_by(OrderDelivery.order_id)).all())
    disputes = dict(session.execute(select(OrderDispute.order_id, func.count(OrderDispute.id))
                                    .where(OrderDispute.order_id.in_(ids), OrderDispute.status == "open")
                                    .group_by(OrderDispute.order_id)).all())
    return delivered, disputes


def summary_dicts(session: Session, orders: list[Order], side_of) -> list[dict]:
    delivered, disputes = _counts(session, [o.id for o in orders])
    return [summary_dict(o, side_of(o), int(delivered.get(o.id) or 0), int(disputes.get(o.id) or 0))
            for o in orders]


def summary_dict(o: Order, side: str, delivered: int, open_disputes: int) -> dict:
    return {"id": o.id, "origin": o.origin, "status": o.status, "side": side,
            "buyer": {"id": o.buyer_id, "name": o.buyer.name}, "maker": {"id": o.maker_id, "name": o.maker.name},
            "reference": o.reference, "product": o.product, "quantity": o.quantity, "unit_price": o.unit_price,
            "currency": o.currency, "delivery_date": o.delivery_date.isoformat(), "delivered": delivered,
            "buyer_confirmed_at": iso(o.buyer_confirmed_at), "maker_confirmed_at": iso(o.maker_confirmed_at),
            "open_disputes": open_disputes, "created_at": iso(o.created_at), "version": o.version}


def milestone_dict(m) -> dict:
    return {"id": m.id, "stage": m.stage, "planned_on": iso(m.planned_on), "actual_on": iso(m.actual_on),
            "entered_by": m.entered_by, "confirmed_at": iso(m.confirmed_at), "version": m.version}


def delivery_dict(d) -> dict:
    return {"id": d.id, "delivered_on": d.delivered_on.isoformat(), "quantity": d.quantity,
            "rejected_quantity": d.rejected_quantity, "note": d.note, "entered_by": d.entered_by,
            "confirmed_at": iso(d.confirmed_at)}


def payment_dict(p) -> dict:
    return {"id": p.id, "invoice_id": p.invoice_id, "paid_on": p.paid_on.isoformat(), "amount": p.amount,
            "entered_by": p.entered_by, "confirmed_at": iso(p.confirmed_at)}


def invoice_dict(i) -> dict:
    return {"id": i.id, "number": i.number, "issued_on": i.issued_on.isoformat(), "due_on": i.due_on.isoformat(),
            "amount": i.amount, "currency": i.currency, "is_deposit": i.is_deposit, "entered_by": i.entered_by,
            "confirmed_at": iso(i.confirmed_at), "paid": round(sum(p.amount for p in i.payments), 2),
            "payments": [payment_dict(p) for p in i.payments]}


def dispute_dict(d) -> dict:
    return {"id": d.id, "subject": d.subject, "subject_id": d.subject_id, "field": d.field,
            "raised_by": d.raised_by, "claimed_value": d.claimed_value, "note": d.note, "status": d.status,
            "answer": d.answer, "answered_at": iso(d.answered_at), "created_at": iso(d.created_at)}


def change_dict(c) -> dict:
    return {"field": c.field, "old_value": c.old_value, "new_value": c.new_value, "changed_by": c.changed_by,
            "changed_at": iso(c.changed_at)}


def term_changes(session: Session, order: Order) -> list[OrderTermChange]:
    return list(session.scalars(select(OrderTermChange).where(OrderTermChange.order_id == order.id)
                                .order_by(OrderTermChange.id)))


def order_dict(session: Session, o: Order, side: str) -> dict:
    from .disputes import disputes_of

    session.refresh(o)  # the figure lists are loaded with the order: read them as committed
    delivered = sum(d.quantity for d in o.deliveries)
    disputes = disputes_of(session, o)
    data = summary_dict(o, side, delivered, sum(1 for d in disputes if d.status == "open"))
    data.update({
        "requirement_id": o.requirement_id, "inquiry_id": o.inquiry_id, "quote_id": o.quote_id,
        "fair_meeting_id": o.fair_meeting_id, "deposit_share": o.deposit_share,
        "payment_terms_days": o.payment_terms_days, "reject_limit_pct": o.reject_limit_pct,
        "fabric_by": o.fabric_by, "trims_by": o.trims_by, "started_on": o.started_on.isoformat(),
        "closed_at": iso(o.closed_at), "rejected": sum(d.rejected_quantity for d in o.deliveries),
        "milestones": [milestone_dict(m) for m in o.milestones],
        "deliveries": [delivery_dict(d) for d in o.deliveries],
        "invoices": [invoice_dict(i) for i in o.invoices],
        "disputes": [dispute_dict(d) for d in disputes],
        "term_changes": [change_dict(c) for c in term_changes(session, o)],
    })
    return data
