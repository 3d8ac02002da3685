"""Orders through the API: from an accepted quote (prefilled, logged once, never twice), entered by the
maker, confirmed by both sides; a term changed after agreement is kept and asks the other side again;
figures are confirmed by the other side only; disputes are answered by the other side; closing."""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from matchmaker import db
from matchmaker.contact.records import Notification
from matchmaker.orders.records import Order

from tests.contact.conftest import outcome_events
from tests.orders.conftest import QUOTE, TERMS, fields_of, maker_order, quoted_inquiry

TODAY = date.today().isoformat()  # an actual date lies between the order's placing and today


def _get(client, world, order_id, who):
    return client.get(f"/api/v1/orders/{order_id}", headers=world.tokens[who])


def _notices(app, user_id, kind):
    with app.app_context():
        return list(db.session().scalars(select(Notification.link).where(Notification.user_id == user_id,
                                                                         Notification.kind == kind)))


def test_accepting_a_quote_opens_one_order_prefilled_from_quote_and_requirement(app, client, world):
    inq, (quote,) = quoted_inquiry(client, world)
    r = client.post(f"/api/v1/inquiries/{inq}/quotes/{quote}/accept", headers=world.tokens["buyer"])
    assert r.status_code == 201
    o = r.get_json()
    assert (o["origin"], o["side"], o["quote_id"], o["inquiry_id"], o["requirement_id"]) == \
        ("quote", "buyer", quote, inq, world.req)
    assert (o["quantity"], o["unit_price"], o["currency"]) == (3000, 8.5, "USD")  # the requirement's, the quote's
    assert o["delivery_date"] == (date.today() + timedelta(days=QUOTE["lead_time_days"])).isoformat()
    assert o["buyer_confirmed_at"] and o["maker_confirmed_at"] is None  # the buyer accepted; the maker confirms
    assert o["buyer"]["id"] == world.buyer and o["maker"]["id"] == world.makers[0]
    # the ranker's log: one order_placed, and the inquiry says so
    assert [e[0] for e in outcome_events(app, buyer_id=world.buyer)].count("order_placed") == 1
    inquiry = client.get(f"/api/v1/inquiries/{inq}", headers=world.tokens["buyer"]).get_json()
    assert inquiry["order_placed_at"]
    # the maker's users are told, with a link to the order
    assert _notices(app, world.users["maker0"], "order_created") == [f"/orders/{o['id']}"]
    assert _notices(app, world.users["maker0_b"], "order_created") == [f"/orders/{o['id']}"]
    # the maker sees it and confirms the terms
    seen = _get(client, world, o["id"], "maker0").get_json()
    assert seen["side"] == "maker"
    r = client.post(f"/api/v1/orders/{o['id']}/confirm", json={"version": seen["version"]},
                    headers=world.tokens["maker0"])
    assert r.status_code == 200 and r.get_json()["maker_confirmed_at"]


def test_a_second_accept_of_the_same_or_another_quote_is_a_409_and_logs_nothing(app, client, world):
    inq, (q1, q2) = quoted_inquiry(client, world, quotes=2)
    assert client.post(f"/api/v1/inquiries/{inq}/quotes/{q2}/accept", headers=world.tokens["buyer"]).status_code == 201
    for q in (q1, q2):
        r = client.post(f"/api/v1/inquiries/{inq}/quotes/{q}/accept", headers=world.tokens["buyer"])
        assert r.status_code == 409, r.get_json()
    with app.app_context():
        assert len(db.session().scalars(select(Order)).all()) == 1
    assert [e[0] for e in outcome_events(app, buyer_id=world.buyer)].count("order_placed") == 1


def test_an_order_recorded_by_hand_before_is_not_logged_twice(app, client, world):
    inq, (quote,) = quoted_inquiry(client, world)
    r = client.post(f"/api/v1/inquiries/{inq}/events", json={"event": "order_placed"}, headers=world.tokens["buyer"])
    assert r.status_code == 200
    r = client.post(f"/api/v1/inquiries/{inq}/quotes/{quote}/accept", headers=world.tokens["buyer"])
    assert r.status_code == 201
    assert [e[0] for e in outcome_events(app, buyer_id=world.buyer)].count("order_placed") == 1


def test_only_the_buyer_accepts_and_only_a_live_quote_of_its_inquiry(app, client, world):
    inq, (quote,) = quoted_inquiry(client, world)
    assert client.post(f"/api/v1/inquiries/{inq}/quotes/{quote}/accept",
                       headers=world.tokens["maker0"]).status_code == 403  # a maker: the role table
    r = client.post(f"/api/v1/inquiries/{inq}/quotes/999999/accept", headers=world.tokens["buyer"])
    assert r.status_code == 404 and fields_of(r) == {"quote_id"}
    other_inq, (other_quote,) = quoted_inquiry(client, world, maker=1)
    r = client.post(f"/api/v1/inquiries/{inq}/quotes/{other_quote}/accept", headers=world.tokens["buyer"])
    assert r.status_code == 404 and fields_of(r) == {"quote_id"}  # a quote of another inquiry
    assert client.post(f"/api/v1/inquiries/{other_inq}/quotes/{other_quote}/accept",
                       headers=world.tokens["other_buyer"]).status_code == 404  # not its inquiry


def test_a_maker_enters_an_order_the_buyer_sees_and_confirms(app, client, world):
    o = maker_order(client, world, "maker1", buyer=world.buyer)
    assert (o["origin"], o["side"], o["maker_confirmed_at"] is not None, o["buyer_confirmed_at"]) == \
        ("maker", "maker", True, None)
    assert {k: o[k] for k in TERMS} == TERMS
    seen = _get(client, world, o["id"], "buyer").get_json()
    assert seen["side"] == "buyer" and seen["unit_price"] == TERMS["unit_price"]
    assert _notices(app, world.users["buyer"], "order_created") == [f"/orders/{o['id']}"]
    r = client.post(f"/api/v1/orders/{o['id']}/confirm", json={"version": seen["version"]},
                    headers=world.tokens["buyer"])
    assert r.status_code == 200 and r.get_json()["buyer_confirmed_at"]
    r = client.post(f"/api/v1/orders/{o['id']}/confirm", json={"version": r.get_json()["version"]},
                    headers=world.tokens["buyer"])
    assert r.status_code == 409  # already confirmed
    # a buyer firm without users still gets its order (nobody to tell)
    lone = maker_order(client, world, "maker1", buyer=_lone_buyer(app))
    assert lone["buyer"]["name"] == "Lone Buyer GmbH"


def _lone_buyer(app):
    from matchmaker.organizations.records import Organization
    with app.app_context():
        sess = db.session()
        org = Organization(kind="buying_agent", name="Lone Buyer GmbH", country="DE")
        sess.add(org)
        sess.commit()
        return org.id


def test_only_makers_enter_orders_and_only_with_a_buyer_firm(client, world):
    r = client.post("/api/v1/orders", json=dict(TERMS, buyer_id=world.buyer), headers=world.tokens["buyer"])
    assert r.status_code == 403 and fields_of(r) == {"buyer_id"}
    r = client.post("/api/v1/orders", json=dict(TERMS, buyer_id=world.makers[2]), headers=world.tokens["maker1"])
    assert r.status_code == 422 and fields_of(r) == {"buyer_id"}  # a maker is no buyer
    r = client.post("/api/v1/orders", json=dict(TERMS, buyer_id=world.buyer, requirement_id=world.other_req),
                    headers=world.tokens["maker1"])
    assert r.status_code == 404 and fields_of(r) == {"requirement_id"}  # another buyer's requirement


def test_changing_terms_after_agreement_is_kept_and_asks_the_other_side_again(app, client, world):
    o = maker_order(client, world, "maker1", buyer=world.buyer)
    # before agreement a change is just the new terms
    r = client.patch(f"/api/v1/orders/{o['id']}", json={"version": o["version"], "quantity": 2100},
                     headers=world.tokens["maker1"])
    assert r.status_code == 200 and r.get_json()["term_changes"] == []
    v = r.get_json()["version"]
    v = client.post(f"/api/v1/orders/{o['id']}/confirm", json={"version": v},
                    headers=world.tokens["buyer"]).get_json()["version"]
    # both confirmed: the buyer lowers the price
    r = client.patch(f"/api/v1/orders/{o['id']}", json={"version": v, "unit_price": 8.75, "reject_limit_pct": None},
                     headers=world.tokens["buyer"])
    assert r.status_code == 200
    body = r.get_json()
    assert body["unit_price"] == 8.75 and body["reject_limit_pct"] is None
    assert [(c["field"], c["old_value"], c["new_value"], c["changed_by"]) for c in body["term_changes"]] == \
        [("reject_limit_pct", "2.5", "", "buyer"), ("unit_price", "9.25", "8.75", "buyer")]
    assert body["buyer_confirmed_at"] and body["maker_confirmed_at"] is None
    assert _notices(app, world.users["maker1"], "order_terms") == [f"/orders/{o['id']}"]
    # a stale version is a 409 and changes nothing
    r = client.patch(f"/api/v1/orders/{o['id']}", json={"version": v, "quantity": 5},
                     headers=world.tokens["maker1"])
    assert r.status_code == 409
    assert _get(client, world, o["id"], "maker1").get_json()["quantity"] == 2100
    # a PATCH that changes nothing succeeds as it is: nothing recorded, nobody told, the version unchanged
    before = _get(client, world, o["id"], "maker1").get_json()
    told = _notices(app, world.users["buyer"], "order_terms")
    r = client.patch(f"/api/v1/orders/{o['id']}", json={"version": body["version"], "unit_price": 8.75},
                     headers=world.tokens["maker1"])
    assert r.status_code == 200 and r.get_json() == before
    r = client.patch(f"/api/v1/orders/{o['id']}", json={"version": body["version"]}, headers=world.tokens["maker1"])
    assert r.status_code == 200 and r.get_json() == before
    assert _notices(app, world.users["buyer"], "order_terms") == told
    # a stale version that would change nothing is still a 409: the caller read an order that has moved on
    r = client.patch(f"/api/v1/orders/{o['id']}", json={"version": v, "unit_price": 8.75},
                     headers=world.tokens["maker1"])
    assert r.status_code == 409


def test_figures_are_confirmed_by_the_other_side_once(app, client, world):
    o = maker_order(client, world, "maker1", buyer=world.buyer)
    oid = o["id"]
    m = client.put(f"/api/v1/orders/{oid}/milestones/cut", json={"planned_on": "2030-02-01"},
                   headers=world.tokens["maker1"])
    assert m.status_code == 200 and m.get_json()["entered_by"] == "maker"
    m = client.put(f"/api/v1/orders/{oid}/milestones/cut", json={"actual_on": TODAY,
                                                                 "version": m.get_json()["version"]},
                   headers=world.tokens["maker1"]).get_json()
    assert (m["planned_on"], m["actual_on"]) == ("2030-02-01", TODAY)
    d = client.post(f"/api/v1/orders/{oid}/deliveries", json={"delivered_on": "2026-03-01", "quantity": 1200,
                                                              "rejected_quantity": 30},
                    headers=world.tokens["maker1"]).get_json()
    inv = client.post(f"/api/v1/orders/{oid}/invoices", json={"number": "F-1", "issued_on": "2030-03-01",
                                                              "amount": 5000}, headers=world.tokens["maker1"])
    assert inv.status_code == 201
    inv = inv.get_json()
    assert inv["due_on"] == "2030-04-15" and inv["currency"] == "USD"  # 45 days of payment terms
    p = client.post(f"/api/v1/orders/{oid}/invoices/{inv['id']}/payments", json={"paid_on": "2030-04-10",
                                                                                  "amount": 3000},
                    headers=world.tokens["buyer"])
    assert p.status_code == 201 and p.get_json()["entered_by"] == "buyer"
    pay = p.get_json()
    assert _notices(app, world.users["buyer"], "order_figure")  # the maker's figures asked the buyer
    # own figures are not confirmed by their side
    r = client.post(f"/api/v1/orders/{oid}/deliveries/{d['id']}/confirm", headers=world.tokens["maker1"])
    assert r.status_code == 403 and fields_of(r) == {"figure_id"}
    r = client.post(f"/api/v1/orders/{oid}/payments/{pay['id']}/confirm", headers=world.tokens["buyer"])
    assert r.status_code == 403
    for kind, fid, who in (("milestones", m["id"], "buyer"), ("deliveries", d["id"], "buyer"),
                           ("invoices", inv["id"], "buyer"), ("payments", pay["id"], "maker1")):
        r = client.post(f"/api/v1/orders/{oid}/{kind}/{fid}/confirm", headers=world.tokens[who])
        assert r.status_code == 200, (kind, r.get_json())
        assert client.post(f"/api/v1/orders/{oid}/{kind}/{fid}/confirm", headers=world.tokens[who]).status_code == 409
    full = _get(client, world, oid, "buyer").get_json()
    assert all(x["confirmed_at"] for x in full["milestones"] + full["deliveries"] + full["invoices"]
               + full["invoices"][0]["payments"])
    assert (full["delivered"], full["rejected"], full["invoices"][0]["paid"]) == (1200, 30, 3000)
    # changing a confirmed milestone makes it the changer's again, unconfirmed
    read = next(x for x in full["milestones"] if x["stage"] == "cut")
    m2 = client.put(f"/api/v1/orders/{oid}/milestones/cut", json={"actual_on": TODAY,
                                                                  "version": read["version"]},
                    headers=world.tokens["buyer"]).get_json()
    assert (m2["entered_by"], m2["confirmed_at"]) == ("buyer", None)


def test_payments_never_exceed_the_invoice_and_only_the_maker_invoices(client, world):
    o = maker_order(client, world, "maker1", buyer=world.buyer)
    r = client.post(f"/api/v1/orders/{o['id']}/invoices", json={"number": "B-1", "issued_on": "2030-01-01",
                                                                "amount": 10}, headers=world.tokens["buyer"])
    assert r.status_code == 403  # the role table: invoices are the maker's
    inv = client.post(f"/api/v1/orders/{o['id']}/invoices", json={"number": "F-1", "issued_on": "2030-01-01",
                                                                  "amount": 100}, headers=world.tokens["maker1"])
    inv_id = inv.get_json()["id"]
    r = client.post(f"/api/v1/orders/{o['id']}/invoices", json={"number": "F-1", "issued_on": "2030-01-02",
                                                                "amount": 5}, headers=world.tokens["maker1"])
    assert r.status_code == 409 and fields_of(r) == {"number"}
    url = f"/api/v1/orders/{o['id']}/invoices/{inv_id}/payments"
    r = client.post(url, json={"paid_on": "2030-01-05", "amount": 60}, headers=world.tokens["buyer"])
    assert r.status_code == 201
    r = client.post(url, json={"paid_on": "2030-01-06", "amount": 41}, headers=world.tokens["buyer"])
    assert r.status_code == 422 and fields_of(r) == {"amount"}
    r = client.post(url, json={"paid_on": "2029-12-31", "amount": 1}, headers=world.tokens["buyer"])
    assert r.status_code == 422 and fields_of(r) == {"paid_on"}


def test_either_side_disputes_the_other_sides_figure_and_the_other_answers(app, client, world):
    o = maker_order(client, world, "maker1", buyer=world.buyer)
    oid = o["id"]
    d = client.post(f"/api/v1/orders/{oid}/deliveries", json={"delivered_on": "2026-03-01", "quantity": 500,
                                                              "rejected_quantity": 40},
                    headers=world.tokens["maker1"]).get_json()
    body = {"subject": "delivery", "subject_id": d["id"], "field": "rejected_quantity", "claimed_value": "90",
            "note": "We counted 90 faulty pieces."}
    r = client.post(f"/api/v1/orders/{oid}/disputes", json=body, headers=world.tokens["maker1"])
    assert r.status_code == 422 and fields_of(r) == {"subject_id"}  # its own figure: it changes it instead
    r = client.post(f"/api/v1/orders/{oid}/disputes", json=body, headers=world.tokens["buyer"])
    assert r.status_code == 201
    dispute = r.get_json()
    assert (dispute["raised_by"], dispute["status"], dispute["claimed_value"]) == ("buyer", "open", "90")
    assert _notices(app, world.users["maker1"], "order_disputed") == [f"/orders/{oid}"]
    assert client.post(f"/api/v1/orders/{oid}/disputes", json=body, headers=world.tokens["buyer"]).status_code == 409
    url = f"/api/v1/orders/{oid}/disputes/{dispute['id']}/answer"
    r = client.post(url, json={"answer": "Mine."}, headers=world.tokens["buyer"])
    assert r.status_code == 403 and fields_of(r) == {"answer"}
    r = client.post(url, json={"answer": "We agree on 60; see the photos."}, headers=world.tokens["maker1"])
    assert r.status_code == 200 and r.get_json()["status"] == "answered"
    assert client.post(url, json={"answer": "Again."}, headers=world.tokens["maker1"]).status_code == 409
    assert _notices(app, world.users["buyer"], "order_answered") == [f"/orders/{oid}"]
    # the terms may be disputed by either side, and withdrawn by the side that raised it
    r = client.post(f"/api/v1/orders/{oid}/disputes", json={"subject": "order", "subject_id": oid,
                                                            "field": "unit_price", "claimed_value": "9.00"},
                    headers=world.tokens["maker1"])
    assert r.status_code == 201
    wid = r.get_json()["id"]
    assert client.post(f"/api/v1/orders/{oid}/disputes/{wid}/withdraw",
                       headers=world.tokens["buyer"]).status_code == 403
    r = client.post(f"/api/v1/orders/{oid}/disputes/{wid}/withdraw", headers=world.tokens["maker1"])
    assert r.status_code == 200 and r.get_json()["status"] == "withdrawn"
    seen = _get(client, world, oid, "buyer").get_json()
    assert [x["status"] for x in seen["disputes"]] == ["answered", "withdrawn"] and seen["open_disputes"] == 0


def test_closing_needs_every_delivery_and_cancelling_none(app, client, world):
    o = maker_order(client, world, "maker1", buyer=world.buyer, quantity=1000)
    oid = o["id"]
    client.post(f"/api/v1/orders/{oid}/deliveries", json={"delivered_on": "2026-03-01", "quantity": 600},
                headers=world.tokens["maker1"])
    v = _get(client, world, oid, "buyer").get_json()["version"]
    for status in ("closed", "cancelled"):
        r = client.post(f"/api/v1/orders/{oid}/close", json={"status": status, "version": v},
                        headers=world.tokens["buyer"])
        assert r.status_code == 409 and fields_of(r) == {"status"}
    client.post(f"/api/v1/orders/{oid}/deliveries", json={"delivered_on": "2026-03-09", "quantity": 400},
                headers=world.tokens["buyer"])
    r = client.post(f"/api/v1/orders/{oid}/close", json={"status": "closed", "version": v},
                    headers=world.tokens["buyer"])
    assert r.status_code == 200 and r.get_json()["status"] == "closed" and r.get_json()["closed_at"]
    # closed: terms and deliveries frozen; invoices and payments still come after delivery
    v = r.get_json()["version"]
    assert client.patch(f"/api/v1/orders/{oid}", json={"version": v, "quantity": 5},
                        headers=world.tokens["maker1"]).status_code == 409
    assert client.post(f"/api/v1/orders/{oid}/deliveries", json={"delivered_on": "2026-03-10", "quantity": 1},
                       headers=world.tokens["maker1"]).status_code == 409
    assert client.post(f"/api/v1/orders/{oid}/invoices", json={"number": "F-9", "issued_on": "2030-03-10",
                                                               "amount": 9250}, headers=world.tokens["maker1"]
                       ).status_code == 201
    listed = client.get("/api/v1/orders?status=closed", headers=world.tokens["maker1"]).get_json()
    assert [x["id"] for x in listed["items"]] == [oid]
    assert _notices(app, world.users["maker1"], "order_closed") == [f"/orders/{oid}"]


def test_a_coordinator_is_the_maker_side_of_its_order(client, world):
    o = maker_order(client, world, "coordinator", buyer=world.buyer)
    assert o["maker"]["id"] == world.coordinator and o["side"] == "maker"
    assert _get(client, world, o["id"], "buyer").get_json()["side"] == "buyer"
    assert _get(client, world, o["id"], "maker0").status_code == 404


def test_refusals_speak_the_readers_language(client, world):
    """With ``Accept-Language: es`` a refusal keeps its code and status and reads in Spanish."""
    oid = maker_order(client, world, "maker1", buyer=world.buyer)["id"]
    es = {**world.tokens["maker1"], "Accept-Language": "es"}
    r = client.put(f"/api/v1/orders/{oid}/milestones/nowhere", json={"planned_on": "2030-02-01"}, headers=es)
    assert r.status_code == 404 and r.get_json()["error"]["code"] == "not_found"
    assert r.get_json()["error"]["message"] == "no existe la etapa 'nowhere'"
    r = client.put(f"/api/v1/orders/{oid}/milestones/cut", json={"planned_on": "2030-02-01", "version": 7}, headers=es)
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "conflict"
    assert r.get_json()["error"]["message"].startswith("este hito cambió")


@pytest.mark.parametrize("lang, words", [("en", "Quote {old} was replaced by the maker's newer quote {new};"),
                                         ("es", "La cotización {old} fue reemplazada por la cotización más "
                                                "reciente del taller, {new};")])
def test_an_older_cheaper_quote_is_superseded_by_the_newer_one(app, client, world, lang, words):
    """The reported bug: the maker re-quoted dearer (8.50 then 9.50) and the buyer accepted the old 8.50."""
    inq, (q1, q2) = quoted_inquiry(client, world, quotes=2)
    headers = {**world.tokens["buyer"], "Accept-Language": lang}
    r = client.post(f"/api/v1/inquiries/{inq}/quotes/{q1}/accept", headers=headers)
    assert r.status_code == 409, r.get_json()
    error = r.get_json()["error"]
    assert error["code"] == "quote_superseded" and fields_of(r) == {"quote_id"}
    assert error["message"].startswith(words.format(old=q1, new=q2)), error["message"]
    with app.app_context():
        assert db.session().scalar(select(func.count(Order.id))) == 0
    r = client.post(f"/api/v1/inquiries/{inq}/quotes/{q2}/accept", headers=headers)
    assert r.status_code == 201 and r.get_json()["unit_price"] == 9.5


def test_an_order_naming_another_firms_requirement_is_answered_as_a_missing_one(client, world):
    """Another buyer's requirement, or the named buyer's draft, gets the answer of an id that does not exist."""
    answers = {}
    for name, req in (("another buyer's", world.other_req), ("the buyer's draft", world.draft_req),
                      ("missing", 987654)):
        r = client.post("/api/v1/orders", json=dict(TERMS, buyer_id=world.buyer, requirement_id=req),
                        headers=world.tokens["maker1"])
        assert r.status_code == 404, name
        answers[name] = json.dumps(r.get_json(), sort_keys=True).replace(str(req), "ID")
    assert len(set(answers.values())) == 1, answers
    assert '"code": "not_found"' in answers["missing"] and '"field": "requirement_id"' in answers["missing"]
