"""Concurrent figure writes on one order (real threads through the app, on SQLite and PostgreSQL):
payments on one invoice, the same dispute raised twice, a cancel against a delivery, deliveries
against the order's cap. Each race ends with one winner and refused losers (a 409, or the 422 of a
loser that already saw the winner's row), never two winners and never a 500."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from matchmaker import db
from matchmaker.orders.records import Order, OrderDelivery, OrderDispute, OrderPayment

from tests.orders.conftest import maker_order
from tests.orders.test_races import _race

LOSER = {409, 422}


def _statuses(responses):
    return sorted(r.status_code for r in responses)


def _refused_in_json(responses):
    for r in responses:
        if r.status_code >= 400:
            assert r.get_json()["error"]["code"], r.get_data(as_text=True)


def test_three_payments_at_once_never_take_an_invoice_past_its_amount(app, client, world):
    oid = maker_order(client, world, "maker1", buyer=world.buyer)["id"]
    inv = client.post(f"/api/v1/orders/{oid}/invoices", json={"number": "F-1", "issued_on": "2030-01-01",
                                                              "amount": 100}, headers=world.tokens["maker1"]).get_json()
    url = f"/api/v1/orders/{oid}/invoices/{inv['id']}/payments"
    got = _race(app, [lambda c, who=who: c.post(url, json={"paid_on": "2030-01-05", "amount": 100},
                                                headers=world.tokens[who]) for who in ("buyer", "maker1", "buyer")])
    statuses = _statuses(got)
    assert statuses.count(201) == 1 and set(statuses) - {201} <= LOSER, statuses
    _refused_in_json(got)
    with app.app_context():
        assert db.session().scalar(select(func.sum(OrderPayment.amount))) == 100


def test_the_same_dispute_raised_three_times_at_once_is_open_once(app, client, world):
    oid = maker_order(client, world, "maker1", buyer=world.buyer)["id"]
    body = {"subject": "order", "subject_id": oid, "field": "quantity", "claimed_value": "1"}
    got = _race(app, [lambda c: c.post(f"/api/v1/orders/{oid}/disputes", json=body,
                                       headers=world.tokens["buyer"])] * 3)
    assert _statuses(got) == [201, 409, 409]
    _refused_in_json(got)
    with app.app_context():
        assert db.session().scalar(select(func.count(OrderDispute.id))) == 1


def test_a_cancel_and_a_delivery_at_once_do_not_both_win(app, client, world):
    o = maker_order(client, world, "maker1", buyer=world.buyer)
    oid = o["id"]
    got = _race(app, [
        lambda c: c.post(f"/api/v1/orders/{oid}/close", json={"status": "cancelled", "version": o["version"]},
                         headers=world.tokens["buyer"]),
        lambda c: c.post(f"/api/v1/orders/{oid}/deliveries", json={"delivered_on": "2026-01-01", "quantity": 5},
                         headers=world.tokens["maker1"])])
    cancel, delivery = (r.status_code for r in got)
    assert sorted([cancel, delivery]) in ([200, 409], [201, 409]), (cancel, delivery)
    _refused_in_json(got)
    with app.app_context():
        sess = db.session()
        n = sess.scalar(select(func.count(OrderDelivery.id)))
        assert (sess.get(Order, oid).status, n) in (("cancelled", 0), ("open", 1))


def test_two_deliveries_at_once_stay_within_twice_the_quantity(app, client, world):
    oid = maker_order(client, world, "maker1", buyer=world.buyer, quantity=10)["id"]
    got = _race(app, [lambda c, who=who: c.post(f"/api/v1/orders/{oid}/deliveries",
                                                json={"delivered_on": "2026-01-01", "quantity": 20},
                                                headers=world.tokens[who]) for who in ("buyer", "maker1")])
    statuses = _statuses(got)
    assert statuses.count(201) == 1 and set(statuses) - {201} <= LOSER, statuses
    _refused_in_json(got)
    with app.app_context():
        assert db.session().scalar(select(func.sum(OrderDelivery.quantity))) == 20


def test_on_the_page_the_loser_of_a_cancel_against_a_delivery_reads_why(app, world, factory):
    import threading

    from tests.support.world import csrf_from, login_as

    setup = app.test_client()
    oid = maker_order(setup, world, "maker1", buyer=world.buyer)["id"]
    pages = {}
    for who in ("buyer", "maker1"):
        c = login_as(app.test_client(), factory, world.users[who])
        html = c.get(f"/orders/{oid}").get_data(as_text=True)
        version = re.search(r'name="version" value="(\d+)"', html).group(1)
        pages[who] = (c, csrf_from(html), version)
    posts = {"buyer": (f"/orders/{oid}/close", {"status": "cancelled"}),
             "maker1": (f"/orders/{oid}/deliveries", {"delivered_on": "2026-01-01", "quantity": "5"})}
    barrier, got = threading.Barrier(2), {}

    def run(who):
        c, token, version = pages[who]
        path, data = posts[who]
        barrier.wait()
        got[who] = c.post(path, data={**data, "version": version, "csrf_token": token})

    threads = [threading.Thread(target=run, args=(who,)) for who in posts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(r.status_code for r in got.values()) == [302, 409]
    loser = next(r for r in got.values() if r.status_code == 409).get_data(as_text=True)
    assert "Pieces were delivered already" in loser or "This order is cancelled" in loser


def test_the_database_itself_keeps_one_open_dispute_per_figure(app, client, world):
    import pytest
    from sqlalchemy.exc import IntegrityError

    oid = maker_order(client, world, "maker1", buyer=world.buyer)["id"]
    with app.app_context():
        sess = db.session()
        row = dict(order_id=oid, subject="order", subject_id=oid, field="quantity", raised_by="buyer")
        sess.add_all([OrderDispute(**row, status="withdrawn"), OrderDispute(**row, status="answered"),
                      OrderDispute(**row)])
        sess.commit()  # closed disputes of the figure do not count
        sess.add(OrderDispute(**row))
        with pytest.raises(IntegrityError):
            sess.commit()
