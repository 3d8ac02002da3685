"""Serving keeps the track records it summed until the track-record epoch moves (``ranking.epoch``): every
kind of write a track record is built from moves it in its own transaction, so the very next ranking sees
the new record; impressions (``shown``) do not, so rankings keep using the cached sums."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, insert, inspect, text, update

from matchmaker import db
from matchmaker.orders.records import Order, OrderAgreedDate, OrderDelivery
from matchmaker.ranking import epoch
from matchmaker.ranking.data import Snapshot
from matchmaker.ranking.records import OutcomeEvent
from matchmaker.ratings.records import Rating, RatingScore
from matchmaker.records import Base
from matchmaker.vetting.records import Standing

from tests.support.track_record import add_quote_order
from tests.support.track_record import at_noon as _at
from tests.support.vetting import clear_buyer


@pytest.fixture
def track(app, factory):
    """A maker with one order from a quote (due 2026-03-05; 100 units on time, 200 late but known on
    2026-05-02) and one hand-entered order from a buyer nobody cleared (10 units, not counted)."""
    buyer = factory.org("buyer", "Denim Co", country="US")
    stranger = factory.org("buyer", "Made Up Buyer", country="US")
    maker = factory.org("maker", "Taller Puntual")
    with app.app_context():
        s = db.session()
        order = add_quote_order(s, buyer, maker)
        hand = Order(buyer_id=stranger, maker_id=maker, origin="maker", quantity=10, unit_price=4.0,
                     currency="USD", delivery_date=date(2026, 3, 5), started_on=date(2026, 1, 10))
        s.add(hand)
        s.flush()
        s.add(OrderDelivery(order_id=hand.id, delivered_on=date(2026, 3, 1), quantity=10, rejected_quantity=0,
                            entered_by="buyer", created_at=_at(2026, 3, 1)))
        s.commit()
        return {"buyer": buyer, "stranger": stranger, "maker": maker, "order": order.id, "hand": hand.id}


def _cached(s, by_epoch=True):
    """The snapshot a ranking would use now, checked to be the cached one on a second look (kept by the
    epoch, not by the aggregate key of a database without it)."""
    assert (epoch.current(s) is not None) is by_epoch
    snap = Snapshot.from_db(s)
    assert Snapshot.from_db(s) is snap, "nothing changed: the cached sums"
    return snap


def test_each_kind_of_track_record_write_reaches_the_next_ranking(app, track):
    m = track["maker"]
    with app.app_context():
        s = db.session()
        rec = _cached(s).record(m)
        assert (rec.deliveries, rec.on_time_deliveries, rec.delivered_units, rec.ratings) == (2, 1, 300, 0)

        # a delivery entered by the buyer
        s.add(OrderDelivery(order_id=track["order"], delivered_on=date(2026, 6, 1), quantity=40, rejected_quantity=4,
                            entered_by="buyer", created_at=_at(2026, 6, 1)))
        s.commit()
        rec = _cached(s).record(m)
        assert (rec.deliveries, rec.delivered_units, rec.rejected_units) == (3, 340, 9)

        # the buyer confirms the maker's 50 units
        s.query(OrderDelivery).filter_by(quantity=50).one().confirmed_at = _at(2026, 6, 2)
        s.commit()
        rec = _cached(s).record(m)
        assert (rec.deliveries, rec.delivered_units) == (4, 390)

        # both sides agreed on 2026-04-01 to deliver by 2026-06-30: the deliveries known after it are on time
        s.add(OrderAgreedDate(order_id=track["order"], at=_at(2026, 4, 1), delivery_date=date(2026, 6, 30),
                              source="confirmed"))
        s.commit()
        assert _cached(s).record(m).on_time_deliveries == 4

        # a buyer's rating
        r = Rating(basis="order", basis_id=track["order"], direction="maker_performance",
                   rater_org_id=track["buyer"], ratee_org_id=m, created_at=_at(2026, 5, 10))
        r.scores = [RatingScore(category="quality", score=5), RatingScore(category="communication", score=3)]
        s.add(r)
        s.commit()
        rec = _cached(s).record(m)
        assert (rec.ratings, rec.rating_scores, rec.rating_sum) == (1, 2, 8)

        # an outcome event of the track record (an order placed, on time)
        s.add(OutcomeEvent(buyer_id=track["buyer"], maker_id=m, event="order_placed", on_time=True))
        s.commit()
        rec = _cached(s).record(m)
        assert (rec.orders, rec.on_time) == (1, 1)


def test_a_standing_change_reaches_the_next_ranking(app, track):
    m = track["maker"]
    with app.app_context():
        s = db.session()
        assert _cached(s).record(m).delivered_units == 300
        clear_buyer(s, track["stranger"])          # the made-up buyer is cleared: its order is evidence now
        assert _cached(s).record(m).delivered_units == 310
        standing = s.query(Standing).filter_by(subject_id=track["stranger"]).one()
        standing.outcome = "rejected"              # and no longer
        s.commit()
        assert _cached(s).record(m).delivered_units == 300


def test_bulk_statements_reach_the_next_ranking(app, track):
    m = track["maker"]
    with app.app_context():
        s = db.session()
        assert _cached(s).record(m).delivered_units == 300
        s.execute(update(OrderDelivery).where(OrderDelivery.quantity == 100).values(quantity=120))
        s.commit()
        assert _cached(s).record(m).delivered_units == 320
        s.execute(delete(OrderDelivery).where(OrderDelivery.quantity == 200))
        s.commit()
        rec = _cached(s).record(m)
        assert (rec.deliveries, rec.delivered_units) == (1, 120)
        s.execute(insert(OutcomeEvent), [{"buyer_id": track["buyer"], "maker_id": m, "event": "dispute",
                                          "source": "web", "occurred_at": _at(2026, 6, 1)}])
        s.commit()
        assert _cached(s).record(m).disputes == 1
        s.execute(update(Order).where(Order.id == track["order"]).values(origin="maker"))  # no longer evidence
        s.commit()
        assert _cached(s).record(m).deliveries == 0


def test_impressions_keep_the_cached_sums_and_an_uncommitted_change_is_not_cached(app, track):
    m = track["maker"]
    with app.app_context():
        s = db.session()
        snap = _cached(s)
        s.add_all([OutcomeEvent(buyer_id=track["buyer"], maker_id=m, event="shown", rank=1, source="ranking")])
        s.execute(insert(OutcomeEvent), [{"buyer_id": track["buyer"], "maker_id": m, "event": "profile_opened",
                                          "source": "web", "occurred_at": _at(2026, 6, 1)}])
        s.commit()
        assert Snapshot.from_db(s) is snap, "impressions and clicks change no track record"
        s.add(OrderDelivery(order_id=track["order"], delivered_on=date(2026, 6, 1), quantity=40, rejected_quantity=0,
                            entered_by="buyer", created_at=_at(2026, 6, 1)))
        s.flush()
        assert epoch.pending(s)
        assert Snapshot.from_db(s).record(m).delivered_units == 340   # its own write, read afresh ...
        s.rollback()
        assert not epoch.pending(s)
        assert Snapshot.from_db(s).record(m).delivered_units == 300   # ... and never cached


def test_a_database_without_the_epoch_table_keeps_its_track_records_fresh(app, track):
    m = track["maker"]
    engine = app.extensions["matchmaker.engine"]
    table = Base.metadata.tables["track_record_epochs"]
    with engine.begin() as conn:
        table.drop(conn)
    epoch._TABLE.pop(engine, None)
    try:
        with app.app_context():
            s = db.session()
            assert not inspect(s.connection()).has_table("track_record_epochs")
            assert _cached(s, by_epoch=False).record(m).delivered_units == 300
            s.add(OrderDelivery(order_id=track["order"], delivered_on=date(2026, 6, 1), quantity=40,
                                rejected_quantity=0, entered_by="buyer", created_at=_at(2026, 6, 1)))
            s.commit()                              # written without an epoch to bump
            assert _cached(s, by_epoch=False).record(m).delivered_units == 340
    finally:
        with engine.begin() as conn:
            table.create(conn)
            conn.execute(text("INSERT INTO track_record_epochs (id, value) VALUES (1, 7)"))
        epoch._TABLE.pop(engine, None)
