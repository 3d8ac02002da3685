"""Disputes on a buyer's orders reach the screener's features (``vetting.order_evidence.order_disputes``):
the buyer contesting a maker's invoice or delivery, a maker contesting the buyer's payment, each with when it
was opened, answered or withdrawn, known only from then on."""
from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from matchmaker import db
from matchmaker.vetting import screening
from models.reputation_features import reputation_features

from tests.orders.conftest import maker_order
from tests.support.vetting import clear_buyer

DISPUTE_FEATURES = ["disputes_by_buyer", "disputes_by_makers", "disputes_unsettled"]


def _features(app, buyer: int, as_of: date) -> list[float]:
    with app.app_context():
        frames = screening.record_frames(db.session(), [buyer])
    feats = reputation_features(frames["payments"], frames["incidents"], frames["references"], frames["buyers"],
                                pd.Timestamp(as_of), screening.FX, ratings=frames["ratings"],
                                purchases=frames["purchases"], disputes=frames["disputes"])
    # a buyer not known yet at ``as_of`` (its firm created later) has no row: no evidence at all
    return feats.reindex([buyer], fill_value=0).loc[buyer, DISPUTE_FEATURES].tolist()


def test_order_disputes_are_evidence_about_the_buyer_from_the_time_they_happened(app, client, world):
    o = maker_order(client, world, "maker1", buyer=world.buyer)
    oid, maker, buyer = o["id"], world.tokens["maker1"], world.tokens["buyer"]
    inv = client.post(f"/api/v1/orders/{oid}/invoices", json={"number": "F-9", "issued_on": "2026-01-10",
                                                              "amount": 4000}, headers=maker).get_json()
    # the buyer confirms the invoice: only confirmed invoices are evidence, their disputes too
    assert client.post(f"/api/v1/orders/{oid}/invoices/{inv['id']}/confirm", headers=buyer).status_code == 200
    pay = client.post(f"/api/v1/orders/{oid}/invoices/{inv['id']}/payments",
                      json={"paid_on": "2026-03-01", "amount": 2500}, headers=buyer).get_json()
    # the buyer contests the invoice; the maker contests the payment; a dispute of the terms is not evidence
    on_invoice = client.post(f"/api/v1/orders/{oid}/disputes", headers=buyer, json={
        "subject": "invoice", "subject_id": inv["id"], "field": "amount", "claimed_value": "3000"}).get_json()
    on_payment = client.post(f"/api/v1/orders/{oid}/disputes", headers=maker, json={
        "subject": "payment", "subject_id": pay["id"], "field": "amount", "claimed_value": "2000"}).get_json()
    assert client.post(f"/api/v1/orders/{oid}/disputes", headers=buyer, json={
        "subject": "order", "subject_id": oid, "field": "unit_price", "claimed_value": "8"}).status_code == 201
    today, tomorrow = date.today(), date.today() + timedelta(days=1)
    assert _features(app, world.buyer, today - timedelta(days=1)) == [0, 0, 0]  # not yet opened
    assert _features(app, world.buyer, tomorrow) == [1, 1, 2]
    # the maker answers the invoice dispute, the maker withdraws its own: both settled from now on
    assert client.post(f"/api/v1/orders/{oid}/disputes/{on_invoice['id']}/answer", headers=maker,
                       json={"answer": "The invoice matches the delivery note."}).status_code == 200
    assert client.post(f"/api/v1/orders/{oid}/disputes/{on_payment['id']}/withdraw", headers=maker
                       ).status_code == 200
    assert _features(app, world.buyer, tomorrow) == [1, 1, 0]
    with app.app_context():
        frame = screening.record_frames(db.session(), [world.buyer])["disputes"]
    assert sorted(frame["subject"]) == ["invoice", "payment"]
    assert frame["answered_at"].notna().sum() == 1 and frame["withdrawn_at"].notna().sum() == 1
    assert (frame["withdrawn_at"].dropna() >= frame["opened_at"].min()).all()
    # a dispute withdrawn before withdrawals recorded their time: withdrawn at its opening, never open
    from matchmaker.orders.records import OrderDispute

    with app.app_context():
        sess = db.session()
        sess.add(OrderDispute(order_id=oid, subject="delivery", subject_id=1, field="quantity", raised_by="buyer",
                              status="withdrawn"))
        sess.commit()
    assert _features(app, world.buyer, tomorrow) == [2, 1, 0]
    # another buyer's record has none of them
    assert _features(app, world.other_buyer, tomorrow) == [0, 0, 0]


def _payment_dispute(client, world, oid: int, buyer: str, confirm: bool) -> int:
    """The maker bills ``oid``, the buyer records a payment and the maker contests it; returns the invoice."""
    maker = world.tokens["maker1"]
    inv = client.post(f"/api/v1/orders/{oid}/invoices", json={"number": "F-1", "issued_on": "2026-01-10",
                                                              "amount": 4000}, headers=maker).get_json()
    if confirm:
        assert client.post(f"/api/v1/orders/{oid}/invoices/{inv['id']}/confirm",
                           headers=world.tokens[buyer]).status_code == 200
    pay = client.post(f"/api/v1/orders/{oid}/invoices/{inv['id']}/payments",
                      json={"paid_on": "2026-03-01", "amount": 2500}, headers=world.tokens[buyer])
    assert pay.status_code == 201, pay.get_json()
    r = client.post(f"/api/v1/orders/{oid}/disputes", headers=maker, json={
        "subject": "payment", "subject_id": pay.get_json()["id"], "field": "amount", "claimed_value": "2000"})
    assert r.status_code == 201, r.get_json()
    return inv["id"]


def test_disputes_count_only_on_orders_and_invoices_that_are_evidence(app, client, world):
    """An order the maker entered naming a buyer nobody cleared is no evidence about it (``orders.evidence``),
    even with the invoice confirmed; on an order that is evidence, a dispute of a payment counts only once
    the buyer confirmed the invoice, as payment records."""
    tomorrow = date.today() + timedelta(days=1)
    not_evidence = maker_order(client, world, "maker1", buyer=world.other_buyer)
    _payment_dispute(client, world, not_evidence["id"], "other_buyer", confirm=True)
    assert _features(app, world.other_buyer, tomorrow) == [0, 0, 0]
    # the cleared buyer's order (evidence), an invoice it has not confirmed: not yet
    real = maker_order(client, world, "maker1", buyer=world.buyer)
    inv = _payment_dispute(client, world, real["id"], "buyer", confirm=False)
    assert _features(app, world.buyer, tomorrow) == [0, 0, 0]
    # once the buyer confirms the invoice, the maker's dispute of its payment is evidence
    assert client.post(f"/api/v1/orders/{real['id']}/invoices/{inv}/confirm",
                       headers=world.tokens["buyer"]).status_code == 200
    assert _features(app, world.buyer, tomorrow) == [0, 1, 1]
    # once an association clears the other buyer, its orders are evidence: the dispute counts, and the
    # screener's cached score sees the change (the standing is part of its fingerprint)
    with app.app_context():
        before = screening._fingerprints(db.session(), [world.other_buyer], None)
        clear_buyer(db.session(), world.other_buyer)
        db.session().commit()
        assert screening._fingerprints(db.session(), [world.other_buyer], None) != before
    assert _features(app, world.other_buyer, tomorrow) == [0, 1, 1]
