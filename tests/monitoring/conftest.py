"""Orders and their figures written straight into the tables (the order pages are another concern's)."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

import pytest

from matchmaker import db
from matchmaker.orders.records import (
    Order, OrderDelivery, OrderInvoice, OrderMilestone, OrderPayment, OrderTermChange,
)
from matchmaker.organizations.records import Association, Membership

TODAY = date(2026, 6, 30)


def add_order(app, buyer_id: int, maker_id: int, *, delivery_date=date(2026, 3, 1), quantity=1000, unit_price=10.0,
              terms=30, reject_limit=None, deliveries=(), milestones=(), invoices=(), price_changes=(),
              status="open", reference=None) -> int:
    """One order with its figures: ``deliveries`` ``(day, qty, rejected)``, ``milestones`` ``(stage, planned,
    actual)``, ``invoices`` ``(due_on, amount, [(paid_on, amount), ...])``, ``price_changes`` ``(old, new, day)``."""
    with app.app_context():
        sess = db.session()
        order = Order(buyer_id=buyer_id, maker_id=maker_id, origin="maker", quantity=quantity, unit_price=unit_price,
                      currency="USD", delivery_date=delivery_date, payment_terms_days=terms,
                      reject_limit_pct=reject_limit, started_on=date(2026, 1, 5), status=status,
                      reference=reference or f"PO-{uuid.uuid4().hex[:5]}")
        sess.add(order)
        sess.flush()
        for day, qty, rejected in deliveries:
            sess.add(OrderDelivery(order_id=order.id, delivered_on=day, quantity=qty, rejected_quantity=rejected,
                                   entered_by="maker"))
        for stage, planned, actual in milestones:
            sess.add(OrderMilestone(order_id=order.id, stage=stage, planned_on=planned, actual_on=actual,
                                    entered_by="maker"))
        for i, (due, amount, payments) in enumerate(invoices):
            inv = OrderInvoice(order_id=order.id, number=f"F-{i + 1}", issued_on=date(2026, 1, 1), due_on=due,
                               amount=amount, currency="USD", entered_by="maker")
            sess.add(inv)
            sess.flush()
            for paid_on, paid in payments:
                sess.add(OrderPayment(invoice_id=inv.id, order_id=order.id, paid_on=paid_on, amount=paid,
                                      entered_by="buyer"))
        for old, new, day in price_changes:
            sess.add(OrderTermChange(order_id=order.id, field="unit_price", old_value=str(old), new_value=str(new),
                                     changed_by="maker",
                                     changed_at=datetime(day.year, day.month, day.day, 12, tzinfo=timezone.utc)))
        sess.commit()
        return order.id


@dataclass
class MonitorWorld:
    association: int
    other_association: int
    buyer: int
    other_buyer: int
    makers: list = field(default_factory=list)     # members of ``association``
    outsider: int = 0                               # a maker of the other association
    users: dict = field(default_factory=dict)


@pytest.fixture
def mworld(app, factory) -> MonitorWorld:
    with app.app_context():
        sess = db.session()
        a = Association(name=f"Jeans {uuid.uuid4().hex[:4]}", slug=f"j-{uuid.uuid4().hex[:6]}")
        b = Association(name=f"Niños {uuid.uuid4().hex[:4]}", slug=f"n-{uuid.uuid4().hex[:6]}")
        sess.add_all([a, b])
        sess.commit()
        a_id, b_id = a.id, b.id
    w = MonitorWorld(association=a_id, other_association=b_id,
                     buyer=factory.org("buyer", "Denim Imports LLC", country="US"),
                     other_buyer=factory.org("buyer", "Other Buyer Inc", country="US"))
    w.makers = [factory.org("maker", name) for name in ("Taller Uno", "Taller Dos", "Taller Tres", "Taller Cuatro")]
    w.outsider = factory.org("maker", "Taller Ajeno")
    with app.app_context():
        sess = db.session()
        sess.add_all([Membership(association_id=a_id, organization_id=m) for m in w.makers]
                     + [Membership(association_id=b_id, organization_id=w.outsider)])
        sess.commit()
    w.users = {
        "buyer": factory.user("buyer_user", w.buyer),
        "other_buyer": factory.user("buyer_user", w.other_buyer),
        "maker": factory.user("maker_user", w.makers[0], a_id),
        "maker2": factory.user("maker_user", w.makers[1], a_id),
        "outsider": factory.user("maker_user", w.outsider, b_id),
        "staff": factory.user("association_staff", None, a_id),
        "board": factory.user("board_member", w.makers[3], a_id),
        "other_staff": factory.user("association_staff", None, b_id),
        "admin": factory.user("platform_admin"),
        "organizer": factory.user("fair_organizer", None, a_id),
    }
    return w
