"""Bad input on every order route is a 4xx JSON naming the field (never a 500, nothing written)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from matchmaker import db
from matchmaker.orders.records import Order, OrderDelivery, OrderDispute, OrderInvoice, OrderMilestone, OrderPayment

from tests.orders.conftest import TERMS, fields_of, maker_order

TABLES = (Order, OrderMilestone, OrderDelivery, OrderInvoice, OrderPayment, OrderDispute)


def _counts(app):
    with app.app_context():
        sess = db.session()
        return [sess.scalar(select(func.count()).select_from(t)) for t in TABLES]


@pytest.fixture
def order(client, world):
    o = maker_order(client, world, "maker1", buyer=world.buyer)
    inv = client.post(f"/api/v1/orders/{o['id']}/invoices", json={"number": "F-1", "issued_on": "2030-01-01",
                                                                  "amount": 100}, headers=world.tokens["maker1"])
    return {**o, "invoice": inv.get_json()["id"]}


def cases(o):
    oid, v, inv = o["id"], o["version"], o["invoice"]
    return [
        ("POST", "/api/v1/orders", dict(TERMS, buyer_id=1, quantity=0), "quantity"),
        ("POST", "/api/v1/orders", dict(TERMS, buyer_id=1, unit_price="cheap"), "unit_price"),
        ("POST", "/api/v1/orders", dict(TERMS, buyer_id=1, currency="DOGE"), "currency"),
        ("POST", "/api/v1/orders", dict(TERMS, buyer_id=1, delivery_date="1999-12-31"), "delivery_date"),
        ("POST", "/api/v1/orders", dict(TERMS, buyer_id=1, deposit_share=1.5), "deposit_share"),
        ("POST", "/api/v1/orders", dict(TERMS, buyer_id=1, reject_limit_pct=101), "reject_limit_pct"),
        ("POST", "/api/v1/orders", dict(TERMS, buyer_id=1, fabric_by="nobody"), "fabric_by"),
        ("POST", "/api/v1/orders", dict(TERMS, buyer_id=1, colour="blue"), "colour"),
        ("POST", "/api/v1/orders", TERMS, "buyer_id"),
        ("POST", "/api/v1/orders", dict(TERMS, buyer_id=1, fair_meeting_id=1), "buyer_id"),
        ("POST", "/api/v1/orders", dict(TERMS, buyer_id=2**40), "buyer_id"),
        ("PATCH", f"/api/v1/orders/{oid}", {"quantity": 5}, "version"),
        ("PATCH", f"/api/v1/orders/{oid}", {"version": v, "payment_terms_days": -1}, "payment_terms_days"),
        ("PATCH", f"/api/v1/orders/{oid}", {"version": v, "reference": "x" * 61}, "reference"),
        ("POST", f"/api/v1/orders/{oid}/confirm", {"version": "one"}, "version"),
        ("POST", f"/api/v1/orders/{oid}/close", {"status": "done", "version": v}, "status"),
        ("PUT", f"/api/v1/orders/{oid}/milestones/cut", {}, "planned_on"),
        ("PUT", f"/api/v1/orders/{oid}/milestones/cut", {"planned_on": "soon"}, "planned_on"),
        ("PUT", f"/api/v1/orders/{oid}/milestones/dyed", {"planned_on": "2030-01-01"}, "stage"),
        ("POST", f"/api/v1/orders/{oid}/deliveries", {"delivered_on": "2026-01-01", "quantity": 5,
                                                      "rejected_quantity": 6}, "rejected_quantity"),
        ("POST", f"/api/v1/orders/{oid}/deliveries", {"delivered_on": "2026-01-01", "quantity": 10**7}, "quantity"),
        ("POST", f"/api/v1/orders/{oid}/deliveries", {"quantity": 5}, "delivered_on"),
        ("POST", f"/api/v1/orders/{oid}/invoices", {"number": "F-2", "issued_on": "2030-01-02",
                                                    "due_on": "2030-01-01", "amount": 5}, "due_on"),
        ("POST", f"/api/v1/orders/{oid}/invoices", {"number": "", "issued_on": "2030-01-02", "amount": 5}, "number"),
        ("POST", f"/api/v1/orders/{oid}/invoices", {"number": "F-2", "issued_on": "2030-01-02", "amount": 0},
         "amount"),
        ("POST", f"/api/v1/orders/{oid}/invoices/{inv}/payments", {"paid_on": "2030-01-02", "amount": -1}, "amount"),
        ("POST", f"/api/v1/orders/{oid}/invoices/{inv}/payments", {"paid_on": "2030-01-02", "amount": 101},
         "amount"),
        ("POST", f"/api/v1/orders/{oid}/invoices/999999/payments", {"paid_on": "2030-01-02", "amount": 1},
         "invoice_id"),
        ("POST", f"/api/v1/orders/{oid}/disputes", {"subject": "price", "subject_id": oid, "field": "amount"},
         "subject"),
        ("POST", f"/api/v1/orders/{oid}/disputes", {"subject": "order", "subject_id": oid, "field": "colour"},
         "field"),
        ("POST", f"/api/v1/orders/{oid}/disputes", {"subject": "order", "subject_id": oid + 1, "field": "quantity"},
         "subject_id"),
        ("POST", f"/api/v1/orders/{oid}/disputes", {"subject": "delivery", "subject_id": 999999,
                                                    "field": "quantity"}, "figure_id"),
        ("POST", f"/api/v1/orders/{oid}/disputes/999999/answer", {"answer": "x"}, "dispute_id"),
        ("POST", f"/api/v1/orders/{oid}/sandwiches/1/confirm", None, "kind"),
        ("POST", f"/api/v1/orders/{oid}/deliveries/999999/confirm", None, "figure_id"),
        ("GET", "/api/v1/orders?status=lost", None, "status"),
        ("GET", "/api/v1/orders?colour=blue", None, "colour"),
        ("GET", "/api/v1/orders?page=0", None, "page"),
    ]


def test_every_route_names_the_bad_field(app, client, world, order):
    before = _counts(app)
    headers = {**world.tokens["maker1"]}
    wrong = []
    for method, path, body, field in cases(order):
        r = client.open(path, method=method, json=body, headers=headers)
        if not (400 <= r.status_code < 500) or field not in fields_of(r):
            wrong.append(f"{method} {path} {body}: {r.status_code} {fields_of(r)}, expected {field}")
    assert wrong == []
    assert _counts(app) == before


def test_malformed_bodies_are_refused(client, world, order):
    headers = world.tokens["maker1"]
    r = client.post("/api/v1/orders", data="{nope", headers={**headers, "Content-Type": "application/json"})
    assert r.status_code == 400
    r = client.post("/api/v1/orders", data="quantity=5", headers={**headers,
                                                                  "Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 415
    r = client.post(f"/api/v1/orders/{order['id']}/disputes", json=[1, 2], headers=headers)
    assert r.status_code == 422 and fields_of(r) == {"body"}
    r = client.post(f"/api/v1/orders/{order['id']}/disputes/1/answer", json={"answer": "a\x00b"}, headers=headers)
    assert r.status_code in (404, 422)
