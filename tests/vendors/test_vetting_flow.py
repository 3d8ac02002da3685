"""A vendor goes through the same vetting workflow as a buyer: it applies, members' purchases are the
evidence, the screener advises from the vendor features, the board decides, members see the standing."""
from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from models.reputation_features import FEATURE_NAMES

from tests.vendors.conftest import BUYING_FIRM, PROFILE, csrf_from, days_ago, login, purchase


@pytest.fixture
def promoted_points_model(app):
    """A points baseline fitted on rows where late lots and refused warranties go with problems, promoted."""
    from models.registry import ModelRegistry
    from models.reputation import PointsScore

    rng = np.random.default_rng(5)
    X = pd.DataFrame(0.0, index=range(400), columns=FEATURE_NAMES)
    X["late_lot_share"] = rng.uniform(0, 1, 400)
    X["warranty_refusals"] = rng.integers(0, 3, 400)
    X["n_purchase_records"], X["n_purchasing_firms"] = 6.0, 3.0
    y = ((X["late_lot_share"] > 0.45) | (X["warranty_refusals"] > 1)).astype(int)
    reg = ModelRegistry(app.config["MODEL_DIR"])
    reg.promote("reputation", reg.save("reputation", PointsScore().fit(X, y).to_files(), {"test": True}))


def test_a_vendor_goes_from_application_to_a_standing_members_see(app, client, factory, world, promoted_points_model):
    w = world
    assert client.put(f"/api/v1/vendors/{w.vendor_org}/profile", json=PROFILE, headers=w.h[w.vendor]).status_code == 200
    # the vendor applies from its status page, as a buyer does
    vendor = login(app.test_client(), factory, w.vendor)
    page = vendor.get(f"/vetting/status/{w.vendor_org}")
    assert page.status_code == 200
    r = vendor.post("/vetting/apply", data={"csrf_token": csrf_from(page.get_data(as_text=True)),
                                            "association_id": str(w.assoc)})
    assert r.status_code == 302, r.get_data(as_text=True)[:400]
    # members record what they bought: two of three lots came late
    for who, promised, delivered in ((w.reporter, 45, 30), (w.member_2, 45, 20), (w.member_2, 45, 46)):
        r = client.post("/api/v1/vendors/purchases", headers=w.h[who],
                        json=purchase(w.vendor_org, promised_on=days_ago(promised), delivered_on=days_ago(delivered)))
        assert r.status_code == 201
    cases = client.get("/api/v1/vetting/cases", headers=w.h[w.board]).get_json()["items"]
    assert [c["subject"]["id"] for c in cases] == [w.vendor_org]
    case_id = cases[0]["id"]
    case = client.get(f"/api/v1/vetting/cases/{case_id}", headers=w.h[w.board]).get_json()
    score = case["score"]
    assert score["status"] == "scored" and score["risk_band"] in {"medium", "high"}
    assert score["evidence"]["purchase_records"] == 3 and score["evidence"]["purchasing_firms"] == 2
    assert score["reasons"][0]["feature"] == "late_lot_share"
    assert score["reasons"][0]["en"].startswith("Raises risk: delivered 2 of 3 due lots late")
    assert score["reasons"][0]["es"].startswith("Aumenta el riesgo: entregó tarde 2 de 3 lotes")
    # the board's page: the advice in words, and the purchases with who bought them
    board = login(app.test_client(), factory, w.board)
    html = board.get(f"/vetting/cases/{case_id}").get_data(as_text=True)
    assert "delivered 2 of 3 due lots late" in html and 'data-testid="vendor-purchases"' in html
    assert BUYING_FIRM in board.get(f"/vendors/{w.vendor_org}/purchases").get_data(as_text=True)
    # a board member whose firm bought from the vendor would be a party: here the board's firm did not
    token = csrf_from(html)
    r = board.post(f"/vetting/cases/{case_id}/vote", data={"csrf_token": token, "vote": "watchlist"})
    assert r.status_code == 302
    review = (date.today() + timedelta(days=180)).isoformat()
    r = board.post(f"/vetting/cases/{case_id}/decide", data={
        "csrf_token": token, "outcome": "approved_with_conditions", "conditions": "deposit",
        "rationale": "Two of three lots came late; deposit until the next review.", "review_date": review})
    assert r.status_code == 302, r.get_data(as_text=True)[:400]
    # members see the standing in the vendor list, the directory and the vendor's page
    listed = client.get("/api/v1/vendors?vetted=true", headers=w.h[w.member_2]).get_json()
    assert [v["organization_id"] for v in listed["items"]] == [w.vendor_org]
    assert listed["items"][0]["standing"]["status"] == "approved_with_conditions"
    member = login(app.test_client(), factory, w.member_3)
    html = member.get("/organizations?kind=input_vendor&supplies=denim_fabric").get_data(as_text=True)
    assert 'data-vetting-status="approved_with_conditions"' in html and "Telas del Bajío" in html
    assert "Máquinas y Refacciones" not in html          # it supplies no denim
    # the vendor reads its own standing, never who reported
    status = client.get(f"/api/v1/vetting/subjects/{w.vendor_org}/status", headers=w.h[w.vendor]).get_json()
    assert status["standings"][0]["outcome"] == "approved_with_conditions"
    assert BUYING_FIRM not in vendor.get(f"/vendors/{w.vendor_org}").get_data(as_text=True)


def test_a_member_whose_firm_bought_from_the_vendor_is_a_party_to_its_case(app, client, factory, world):
    w = world
    r = client.post("/api/v1/vetting/cases", json={"subject_id": w.vendor_org, "note": "Lots keep coming late."},
                    headers=w.h[w.reporter])
    assert r.status_code == 201
    case_id = r.get_json()["id"]
    # the board member's own firm records a purchase: the member is now recused
    r = client.post("/api/v1/vendors/purchases", json=purchase(w.vendor_org), headers=w.h[w.board])
    assert r.status_code == 201
    r = client.post(f"/api/v1/vetting/cases/{case_id}/votes", json={"vote": "approved"}, headers=w.h[w.board])
    assert r.status_code == 403 and "purchase" in r.get_json()["error"]["message"]


def test_a_vendor_with_few_purchases_has_insufficient_history(client, world, promoted_points_model):
    w = world
    client.post("/api/v1/vetting/applications", json={"association_id": w.assoc}, headers=w.h[w.vendor])
    client.post("/api/v1/vendors/purchases", json=purchase(w.vendor_org), headers=w.h[w.reporter])
    case_id = client.get("/api/v1/vetting/cases", headers=w.h[w.board]).get_json()["items"][0]["id"]
    score = client.get(f"/api/v1/vetting/cases/{case_id}", headers=w.h[w.board]).get_json()["score"]
    assert score["status"] == "insufficient_history" and score["probability"] is None
