"""Deliveries, rejects and buyers' ratings on orders are the maker's track record, as of the requirement's time."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from matchmaker import db
from matchmaker.orders.records import OrderDelivery
from matchmaker.ranking.data import History, Snapshot, feature_matrix
from matchmaker.ranking.features import FEATURE_NAMES
from matchmaker.ratings.records import Rating, RatingScore

from tests.support.track_record import add_quote_order
from tests.support.track_record import at_noon as _at


@pytest.fixture
def maker_orders(app, factory):
    """One order from a quote (``add_quote_order``) due 2026-03-05: 100 units on 2026-03-01 (5 rejected, entered
    by the buyer), 200 late on 2026-05-01 (confirmed by the buyer), 50 more entered by the maker, never confirmed."""
    buyer = factory.org("buyer", "Denim Co", country="US")
    maker = factory.org("maker", "Taller Puntual")
    with app.app_context():
        s = db.session()
        order = add_quote_order(s, buyer, maker)
        s.commit()
        return {"buyer": buyer, "maker": maker, "order": order.id}


def _req(at: datetime) -> dict:
    return {"id": 1, "buyer_id": 1, "created_at": at, "product_line": "jeans_basic", "processes": [], "quantity": 500,
            "monthly_volume": None, "lead_time_days": 30, "unit_price_min": None, "unit_price_max": None,
            "min_quality_tier": "basic", "certificates": [], "niches": [], "text": "jeans", "buyer_lat": None,
            "buyer_lon": None, "buyer_type": None}


def _maker(mid: int) -> dict:
    return {"id": mid, "name": "x", "processes": set(), "product_lines": set(), "niches": set(),
            "available_capacity": 1000, "min_order_qty": 100, "order_lead_days": 20, "unit_price_min": None,
            "unit_price_max": None, "quality_rank": 1, "certificates": {}, "design_capability": False, "lat": None,
            "lon": None, "export_experience": False, "languages": (), "terms": frozenset()}


def test_a_delivery_after_the_requirements_time_is_not_in_its_track_record(app, maker_orders):
    m = maker_orders["maker"]
    with app.app_context():
        history = History.from_db(db.session())
    april = history.record(m, _at(2026, 4, 1))
    assert (april.deliveries, april.on_time_deliveries, april.delivered_units, april.rejected_units) == (1, 1, 100, 5)
    june = history.record(m, _at(2026, 6, 1))
    assert (june.deliveries, june.on_time_deliveries, june.delivered_units, june.rejected_units) == (2, 1, 300, 5)
    # a delivery is known from the end of its day: not for a requirement made that same afternoon
    assert history.record(m, _at(2026, 3, 1)).deliveries == 0
    row = dict(zip(FEATURE_NAMES, feature_matrix(_req(_at(2026, 4, 1)), [_maker(m)], history)[0]))
    # fewer than 20 deliveries in the cluster: the default targets (on time 0.85, rejects 3 %), 5 pseudo-deliveries
    assert row["delivery_on_time_rate"] == pytest.approx((1 + 5 * 0.85) / (1 + 5))
    assert row["reject_rate"] == pytest.approx((5 + 5 * 100 * 0.03) / (100 + 5 * 100))
    assert row["delivered_volume"] == pytest.approx(2.0043, abs=1e-4)           # log10(101)
    newcomer = dict(zip(FEATURE_NAMES, feature_matrix(_req(_at(2026, 2, 1)), [_maker(m)], history)[0]))
    assert newcomer["delivery_on_time_rate"] == pytest.approx(0.85) and newcomer["reject_rate"] == pytest.approx(0.03)


def test_ratings_count_from_the_moment_they_were_made(app, maker_orders):
    m = maker_orders["maker"]
    with app.app_context():
        s = db.session()
        r = Rating(basis="order", basis_id=maker_orders["order"], direction="maker_performance",
                   rater_org_id=maker_orders["buyer"], ratee_org_id=m, created_at=_at(2026, 5, 10))
        r.scores = [RatingScore(category="quality", score=5), RatingScore(category="on_time_delivery", score=2),
                    RatingScore(category="communication", score=5)]
        s.add(r)
        s.commit()
        history = History.from_db(s)
    assert history.record(m, _at(2026, 5, 1)).ratings == 0
    may = history.record(m, _at(2026, 5, 11))
    assert (may.ratings, may.rating_scores, may.rating_sum) == (1, 3, 12)
    row = dict(zip(FEATURE_NAMES, feature_matrix(_req(_at(2026, 5, 11)), [_maker(m)], history)[0]))
    assert row["maker_rating"] == pytest.approx((12 + 5 * 4.0) / (3 + 5))       # 5 pseudo-scores at 4.0


def test_the_serving_snapshot_sees_a_new_delivery_at_once(app, maker_orders):
    m = maker_orders["maker"]
    with app.app_context():
        s = db.session()
        first = Snapshot.from_db(s).record(m)
        assert (first.deliveries, first.delivered_units) == (2, 300)
        assert Snapshot.from_db(s) is Snapshot.from_db(s)            # unchanged data: the cached counts
        s.add(OrderDelivery(order_id=maker_orders["order"], delivered_on=date(2026, 6, 1), quantity=40,
                            rejected_quantity=4, entered_by="buyer", created_at=_at(2026, 6, 1)))
        s.commit()
        second = Snapshot.from_db(s).record(m)
        assert (second.deliveries, second.delivered_units, second.rejected_units) == (3, 340, 9)
        # the buyer confirms the maker's unconfirmed 50 units: they count now
        d = s.query(OrderDelivery).filter_by(quantity=50).one()
        d.confirmed_at = _at(2026, 6, 2)
        s.commit()
        third = Snapshot.from_db(s).record(m)
        assert (third.deliveries, third.delivered_units) == (4, 390)
        arr = Snapshot.from_db(s).records_array([m])
        assert arr.shape == (1, 15)
