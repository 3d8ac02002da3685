"""The demo's orders and ratings follow its latent buyer conduct and maker reliability (seed 7, default size)."""
from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np
from sqlalchemy import text

from matchmaker.demo import DEFAULT_TODAY


def q(engine, sql):
    with engine.connect() as c:
        return c.execute(text(sql)).all()


def test_every_order_event_is_an_order_between_the_same_firms(demo_db):
    engine, summary = demo_db
    events = Counter(q(engine, "SELECT buyer_id, maker_id FROM outcome_events "
                               "WHERE event IN ('order_placed', 'repeat_order')"))
    orders = Counter(q(engine, "SELECT buyer_id, maker_id FROM orders"))
    assert orders == events and summary.counts["orders"] > 1000
    # nothing after today; deliveries never beyond the ordered quantity; rejects within deliveries
    assert q(engine, "SELECT MAX(delivered_on) FROM order_deliveries")[0][0] <= str(DEFAULT_TODAY)
    assert q(engine, "SELECT MAX(paid_on) FROM order_payments")[0][0] <= str(DEFAULT_TODAY)
    assert not q(engine, "SELECT o.id FROM orders o JOIN order_deliveries d ON d.order_id = o.id "
                         "GROUP BY o.id, o.quantity HAVING SUM(d.quantity) > o.quantity")
    # some orders come from an accepted quote of an accepted inquiry between the same firms
    quoted = q(engine, "SELECT o.buyer_id, i.buyer_id, o.maker_id, qu.maker_id, i.status FROM orders o "
                       "JOIN contact_quotes qu ON qu.id = o.quote_id JOIN contact_inquiries i ON i.id = o.inquiry_id "
                       "WHERE o.origin = 'quote'")
    assert len(quoted) > 100 and all(a == b and c == d and s == "accepted" for a, b, c, d, s in quoted)


def test_bad_payers_pay_order_invoices_late_more_often(demo_db):
    engine, summary = demo_db
    conduct = {r.buyer_id: r.conduct for r in summary.buyer_risk}
    rows = q(engine, "SELECT o.buyer_id, i.due_on, i.amount, MAX(p.paid_on), COALESCE(SUM(p.amount), 0) "
                     "FROM order_invoices i JOIN orders o ON o.id = i.order_id "
                     "LEFT JOIN order_payments p ON p.invoice_id = i.id "
                     f"WHERE i.is_deposit = 0 AND i.due_on < '{DEFAULT_TODAY}' GROUP BY i.id")
    late = defaultdict(list)
    for buyer, due, amount, paid_on, paid in rows:
        late[conduct[buyer]].append(paid < 0.99 * amount or paid_on > due)
    share = {k: float(np.mean(v)) for k, v in late.items()}
    assert len(late["bad"]) > 100 and len(late["good"]) > 500
    assert share["bad"] > share["average"] > share["good"]
    assert share["bad"] - share["good"] > 0.3


def test_makers_rate_bad_payers_lower_and_the_threshold_splits_buyers(demo_db):
    engine, summary = demo_db
    conduct = {r.buyer_id: r.conduct for r in summary.buyer_risk}
    scores = defaultdict(list)
    for buyer, score in q(engine, "SELECT r.ratee_org_id, s.score FROM ratings r JOIN rating_scores s "
                                  "ON s.rating_id = r.id WHERE r.direction = 'buyer_practices' "
                                  "AND s.category = 'payment_terms'"):
        scores[conduct[buyer]].append(score)
    assert np.mean(scores["bad"]) + 1.0 < np.mean(scores["good"])
    per_buyer = q(engine, "SELECT ratee_org_id, COUNT(*), COUNT(DISTINCT rater_org_id) FROM ratings "
                          "WHERE direction = 'buyer_practices' GROUP BY ratee_org_id")
    passing = [b for b, n, firms in per_buyer if n >= 3 and firms >= 3]
    assert passing and len(passing) < len(per_buyer)
    assert summary.demo_buyer_id in passing
    # buyers rate makers too, never before the order started
    assert q(engine, "SELECT COUNT(*) FROM ratings WHERE direction = 'maker_performance'")[0][0] > 500
    assert not q(engine, "SELECT r.id FROM ratings r JOIN orders o ON o.id = r.basis_id "
                         "WHERE r.basis = 'order' AND DATE(r.created_at) < o.started_on")
