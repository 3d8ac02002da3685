"""Races over real concurrent requests (threads through the app, on SQLite and on PostgreSQL): two
accepts of an inquiry's quotes, two term edits of one version, two confirmations of one figure,
two answers of one dispute: one winner, the others a 409, never a 500 or a second row."""
from __future__ import annotations

import threading
import datetime as _dt

from sqlalchemy import select

from matchmaker import db
from matchmaker.orders.records import Order, OrderMilestone, OrderTermChange

from tests.contact.conftest import outcome_events
from tests.orders.conftest import maker_order, quoted_inquiry


def _race(app, calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i):
        client = app.test_client()
        barrier.wait()
        results[i] = calls[i](client)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_two_accepts_at_once_make_one_order(app, client, world):
    inq, (q1, q2) = quoted_inquiry(client, world, quotes=2)
    headers = world.tokens["buyer"]
    statuses = _race(app, [lambda c, q=q: c.post(f"/api/v1/inquiries/{inq}/quotes/{q}/accept", headers=headers
                                                 ).status_code for q in (q2, q2, q1)])
    assert sorted(statuses) == [201, 409, 409]
    with app.app_context():
        orders = db.session().scalars(select(Order)).all()
        assert len(orders) == 1 and orders[0].quote_id == q2  # the superseded quote never wins
    assert [e[0] for e in outcome_events(app, buyer_id=world.buyer)].count("order_placed") == 1


def test_two_term_edits_of_one_version_have_one_winner(app, client, world):
    o = maker_order(client, world, "maker1", buyer=world.buyer)
    v = client.post(f"/api/v1/orders/{o['id']}/confirm", json={"version": o["version"]},
                    headers=world.tokens["buyer"]).get_json()["version"]
    edits = [("buyer", {"unit_price": 8.0}), ("maker1", {"unit_price": 11.0})]
    statuses = _race(app, [lambda c, who=who, body=body: c.patch(
        f"/api/v1/orders/{o['id']}", json={"version": v, **body}, headers=world.tokens[who]).status_code
        for who, body in edits])
    assert sorted(statuses) == [200, 409]
    with app.app_context():
        sess = db.session()
        changes = sess.scalars(select(OrderTermChange)).all()
        order = sess.get(Order, o["id"])
        assert len(changes) == 1 and order.version == v + 1
        assert float(changes[0].new_value) == order.unit_price


def test_two_confirmations_of_one_figure_and_two_answers_of_one_dispute(app, client, world):
    o = maker_order(client, world, "maker1", buyer=world.buyer)
    oid = o["id"]
    d = client.post(f"/api/v1/orders/{oid}/deliveries", json={"delivered_on": "2026-03-01", "quantity": 10},
                    headers=world.tokens["maker1"]).get_json()
    statuses = _race(app, [lambda c: c.post(f"/api/v1/orders/{oid}/deliveries/{d['id']}/confirm",
                                            headers=world.tokens["buyer"]).status_code] * 2)
    assert sorted(statuses) == [200, 409]
    dispute = client.post(f"/api/v1/orders/{oid}/disputes", json={"subject": "order", "subject_id": oid,
                                                                   "field": "quantity", "claimed_value": "1500"},
                          headers=world.tokens["buyer"]).get_json()
    url = f"/api/v1/orders/{oid}/disputes/{dispute['id']}/answer"
    statuses = _race(app, [lambda c, who=who: c.post(url, json={"answer": f"from {who}"},
                                                     headers=world.tokens[who]).status_code
                           for who in ("maker1", "maker1")])
    assert sorted(statuses) == [200, 409]


def test_two_edits_of_one_milestone_version_have_one_winner(app, client, world):
    """Both sides change the cut date having read the same version: one 200, one 409 naming no lost date."""
    o = maker_order(client, world, "maker1", buyer=world.buyer)
    oid = o["id"]
    first = client.put(f"/api/v1/orders/{oid}/milestones/cut", json={"planned_on": "2030-02-01"},
                       headers=world.tokens["maker1"]).get_json()
    edits = [("buyer", "2030-02-10"), ("maker1", "2030-02-20")]
    answers = _race(app, [lambda c, who=who, day=day: c.put(
        f"/api/v1/orders/{oid}/milestones/cut", json={"planned_on": day, "version": first["version"]},
        headers=world.tokens[who]) for who, day in edits])
    assert sorted(r.status_code for r in answers) == [200, 409]
    won = next(r for r in answers if r.status_code == 200).get_json()
    lost = next(r for r in answers if r.status_code == 409).get_json()
    assert lost["error"]["code"] == "conflict" and "milestone" in lost["error"]["message"]
    with app.app_context():
        row = db.session().scalar(select(OrderMilestone).where(OrderMilestone.order_id == oid))
        assert row.planned_on.isoformat() == won["planned_on"] and row.version == first["version"] + 1
    # the loser reads again and succeeds with the new version; the old version stays refused
    stale = client.put(f"/api/v1/orders/{oid}/milestones/cut", json={"actual_on": _dt.date.today().isoformat(),
                                                                     "version": first["version"]},
                       headers=world.tokens["maker1"])
    assert stale.status_code == 409
    fresh = client.put(f"/api/v1/orders/{oid}/milestones/cut", json={"actual_on": _dt.date.today().isoformat(),
                                                                     "version": won["version"]},
                       headers=world.tokens["maker1"])
    assert fresh.status_code == 200 and fresh.get_json()["planned_on"] == won["planned_on"]


def test_two_first_records_of_one_stage_and_an_edit_after_a_confirmation(app, client, world):
    o = maker_order(client, world, "maker1", buyer=world.buyer)
    oid = o["id"]
    answers = _race(app, [lambda c, who=who: c.put(f"/api/v1/orders/{oid}/milestones/sewn",
                                                   json={"planned_on": "2030-03-01"},
                                                   headers=world.tokens[who]).status_code
                          for who in ("buyer", "maker1")])
    # one first record wins; the other, sent without a version, finds the stage recorded once it has the
    # order's lock: a 409 asking for the version (or the 409 of a lost insert), never two rows
    assert sorted(answers) == [200, 409]
    with app.app_context():
        row = db.session().scalar(select(OrderMilestone).where(OrderMilestone.order_id == oid))
        version, entered_by = row.version, row.entered_by
        row_id = row.id
    other = "maker1" if entered_by == "buyer" else "buyer"
    assert client.post(f"/api/v1/orders/{oid}/milestones/{row_id}/confirm",
                       headers=world.tokens[other]).status_code == 200
    # an edit of the version read before the confirmation would silently unconfirm it: a 409
    r = client.put(f"/api/v1/orders/{oid}/milestones/sewn", json={"planned_on": "2030-03-09", "version": version},
                   headers=world.tokens[entered_by if entered_by == "buyer" else "maker1"])
    assert r.status_code == 409
