"""The order both track-record suites (``tests/ranking``) start from, written straight to the database."""
from __future__ import annotations

from datetime import date, datetime, timezone

from matchmaker.orders.records import Order, OrderDelivery


def at_noon(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 12, tzinfo=timezone.utc)


def add_quote_order(s, buyer: int, maker: int) -> Order:
    """An order from a quote (evidence: see ``orders.evidence``) due 2026-03-05: 100 units on 2026-03-01
    (5 rejected, entered by the buyer), 200 late on 2026-05-01 (confirmed by the buyer on 2026-05-02), 50 more
    entered by the maker and never confirmed. Added to session ``s``, not committed."""
    order = Order(buyer_id=buyer, maker_id=maker, origin="quote", quantity=350, unit_price=4.0, currency="USD",
                  delivery_date=date(2026, 3, 5), started_on=date(2026, 1, 10))
    s.add(order)
    s.flush()
    s.add_all([
        OrderDelivery(order_id=order.id, delivered_on=date(2026, 3, 1), quantity=100, rejected_quantity=5,
                      entered_by="buyer", created_at=at_noon(2026, 3, 1)),
        OrderDelivery(order_id=order.id, delivered_on=date(2026, 5, 1), quantity=200, rejected_quantity=0,
                      entered_by="maker", confirmed_at=at_noon(2026, 5, 2), created_at=at_noon(2026, 5, 1)),
        OrderDelivery(order_id=order.id, delivered_on=date(2026, 5, 20), quantity=50, rejected_quantity=0,
                      entered_by="maker", created_at=at_noon(2026, 5, 20)),
    ])
    return order
