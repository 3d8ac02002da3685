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
