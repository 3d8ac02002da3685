"""Deliveries are judged against the delivery date both sides agreed, as it stood when the delivery
became known: one side moving the date alone never turns a late delivery into an on-time one, and a
delivery the buyer confirms months later enters the track record only from that confirmation."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from matchmaker import db
from matchmaker.orders.records import Order, OrderAgreedDate, OrderDelivery
from matchmaker.ranking.data import History, Snapshot

from tests.orders.conftest import contact_world, maker_order, world  # noqa: F401  (fixtures)

# an order placed 90 days ago (the most a late entry may say), due 10 days later, delivered 45 days late;
# the date moved to 16 days after that delivery (every day within the order's life and not after today)
PLACED = datetime.now(timezone.utc).date() - timedelta(days=90)
DUE, DELIVERED, MOVED = (str(PLACED + timedelta(days=n)) for n in (10, 55, 71))


def _at(y, m, d, h=12):
    return datetime(y, m, d, h, tzinfo=timezone.utc)


def _on_time(app, maker_id):
    with app.app_context():
        rec = Snapshot.from_db(db.session()).record(maker_id)
        return rec.deliveries, rec.on_time_deliveries


def test_the_maker_moving_the_date_alone_does_not_make_a_late_delivery_on_time(app, client, world):  # noqa: F811
    maker = world.makers[1]
    o = maker_order(client, world, "maker1", buyer=world.buyer, quantity=10, delivery_date=DUE,
                   started_on=str(PLACED))
    oid = o["id"]
    v = client.post(f"/api/v1/orders/{oid}/confirm", json={"version": o["version"]},
                    headers=world.tokens["buyer"]).get_json()["version"]
    r = client.post(f"/api/v1/orders/{oid}/deliveries", json={"delivered_on": DELIVERED, "quantity": 10},
                    headers=world.tokens["buyer"])
    assert r.status_code == 201
    assert _on_time(app, maker) == (1, 0)
    monitored = client.get(f"/api/v1/monitoring/orders/{oid}", headers=world.tokens["buyer"]).get_json()
    assert monitored["figures"]["on_time_pct"]["actual"] == 0.0 and monitored["delivery_date"] == DUE
    r = client.patch(f"/api/v1/orders/{oid}", json={"version": v, "delivery_date": MOVED},
                     headers=world.tokens["maker1"])
    assert r.status_code == 200 and r.get_json()["buyer_confirmed_at"] is None
    assert _on_time(app, maker) == (1, 0), "the ranker still judges against the agreed DUE"
    for who in ("buyer", "maker1"):
        monitored = client.get(f"/api/v1/monitoring/orders/{oid}", headers=world.tokens[who]).get_json()
        assert monitored["figures"]["on_time_pct"]["actual"] == 0.0
        assert monitored["figures"]["days_late"]["actual"] == 45.0
    rel = client.get(f"/api/v1/monitoring/relationships/{maker}", headers=world.tokens["buyer"]).get_json()
    assert rel["figures"]["days_late"]["actual"] == 45.0
    listed = client.get("/api/v1/monitoring/relationships", headers=world.tokens["buyer"]).get_json()
    assert listed["overall"]["days_late"]["actual"] == 45.0
    # the buyer agrees to the new date: monitoring's target is the agreed date from now on, while the
    # ranker keeps the delivery as it was judged when it became known (no rewriting of the past)
    v = client.get(f"/api/v1/orders/{oid}", headers=world.tokens["buyer"]).get_json()["version"]
    assert client.post(f"/api/v1/orders/{oid}/confirm", json={"version": v},
                       headers=world.tokens["buyer"]).status_code == 200
    monitored = client.get(f"/api/v1/monitoring/orders/{oid}", headers=world.tokens["buyer"]).get_json()
    assert monitored["figures"]["on_time_pct"]["actual"] == 100.0 and monitored["delivery_date"] == MOVED
    assert _on_time(app, maker) == (1, 0)


def test_a_maker_entered_delivery_is_known_from_the_buyers_confirmation(app, factory):
    buyer, maker = factory.org("buyer", country="US"), factory.org("maker")
    with app.app_context():
        s = db.session()
        order = Order(buyer_id=buyer, maker_id=maker, origin="quote", quantity=100, unit_price=4.0, currency="USD",
                      delivery_date=date(2026, 3, 5), started_on=date(2026, 1, 10), created_at=_at(2026, 1, 10))
        s.add(order)
        s.flush()
        s.add_all([OrderAgreedDate(order_id=order.id, delivery_date=date(2026, 3, 5), source="created",
                                   at=_at(2026, 1, 10)),
                   OrderDelivery(order_id=order.id, delivered_on=date(2026, 3, 1), quantity=100, entered_by="maker",
                                 created_at=_at(2026, 3, 1), confirmed_at=_at(2026, 6, 1))])
        s.commit()
        history = History.from_db(s)
    assert history.record(maker, _at(2026, 4, 1)).deliveries == 0, "nobody had confirmed it in April"
    assert history.record(maker, _at(2026, 6, 1, 11)).deliveries == 0
    june = history.record(maker, _at(2026, 6, 2))
    assert (june.deliveries, june.on_time_deliveries) == (1, 1)


def test_a_delivery_is_judged_against_the_date_in_force_when_it_became_known(app, factory):
    """Agreed 2026-03-05; delivered 2026-03-20 (late); only in May both sides agree on 2026-04-01."""
    buyer, maker = factory.org("buyer", country="US"), factory.org("maker")
    with app.app_context():
        s = db.session()
        order = Order(buyer_id=buyer, maker_id=maker, origin="quote", quantity=100, unit_price=4.0, currency="USD",
                      delivery_date=date(2026, 4, 1), started_on=date(2026, 1, 10), created_at=_at(2026, 1, 10))
        s.add(order)
        s.flush()
        s.add_all([
            OrderAgreedDate(order_id=order.id, delivery_date=date(2026, 3, 5), source="created", at=_at(2026, 1, 10)),
            OrderAgreedDate(order_id=order.id, delivery_date=date(2026, 3, 5), source="confirmed",
                            at=_at(2026, 1, 11)),
            OrderAgreedDate(order_id=order.id, delivery_date=date(2026, 4, 1), source="confirmed",
                            at=_at(2026, 5, 10)),
            OrderDelivery(order_id=order.id, delivered_on=date(2026, 3, 20), quantity=100, entered_by="buyer",
                          created_at=_at(2026, 3, 20))])
        s.commit()
        history = History.from_db(s)
    assert (history.record(maker, _at(2026, 4, 1)).on_time_deliveries,
            history.record(maker, _at(2026, 6, 1)).on_time_deliveries) == (0, 0)
    assert _on_time(app, maker) == (1, 0), "serving sums the same events as training"
