"""Who may rate which order or purchase, and from when: a real basis, the right side, once."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from matchmaker import db
from matchmaker.ratings.records import Rating

from tests.ratings.conftest import TODAY, all_scores

MAKER_SCORES = {"quality": 4, "on_time_delivery": 5, "communication": 3}


def _error(response) -> dict:
    return response.get_json()["error"]


def _ratings(app) -> list[Rating]:
    with app.app_context():
        return db.session().query(Rating).all()


def test_the_maker_rates_the_buyer_after_the_order_closed(app, client, w):
    order = w.order("acme", "m1", started_on=TODAY - timedelta(days=5), status="closed",
                    closed_at=datetime.now(timezone.utc))
    response = w.rate(client, "m1", "order", order, all_scores(4), "Paid late twice.")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["direction"] == "buyer_practices" and body["ratee_org_id"] == w.orgs["acme"]
    assert body["scores"]["payment_terms"] == 4 and "comment" not in body and "rater_org_id" not in body
    [rating] = _ratings(app)
    assert (rating.rater_org_id, rating.association_id, rating.comment) == (w.orgs["m1"], w.assoc_a,
                                                                             "Paid late twice.")


def test_the_buyer_rates_the_maker_on_its_own_categories(client, w):
    order = w.order("acme", "m1")
    wrong = w.rate(client, "acme", "order", order, {"planning_forecasting": 3})
    assert wrong.status_code == 422
    assert [f["field"] for f in _error(wrong)["fields"]] == ["scores.planning_forecasting"]
    response = w.rate(client, "acme", "order", order, MAKER_SCORES)
    assert response.status_code == 201
    assert response.get_json()["direction"] == "maker_performance"
    assert response.get_json()["ratee_org_id"] == w.orgs["m1"]


def test_an_open_order_opens_sixty_days_after_it_started(app, client, w):
    young = w.order("acme", "m1", started_on=TODAY - timedelta(days=59))
    response = w.rate(client, "m1", "order", young, all_scores(3))
    assert response.status_code == 422
    error = _error(response)
    assert [f["field"] for f in error["fields"]] == ["basis_id"]
    assert "opens on" in error["message"]
    due = w.order("acme", "m1", started_on=TODAY - timedelta(days=60))
    assert w.rate(client, "m1", "order", due, all_scores(3)).status_code == 201
    assert len(_ratings(app)) == 1  # the refused one wrote nothing


def test_a_cancelled_order_also_waits_sixty_days(client, w):
    order = w.order("acme", "m1", started_on=TODAY - timedelta(days=3), status="cancelled")
    assert w.rate(client, "m1", "order", order, all_scores(2)).status_code == 422


def test_an_order_the_rated_side_never_confirmed_is_no_basis(client, w):
    order = w.order("acme", "m1", confirmed=False)
    response = w.rate(client, "m1", "order", order, all_scores(1))
    assert response.status_code == 422 and _error(response)["fields"][0]["field"] == "basis_id"


def test_a_firm_without_the_order_is_refused_as_if_it_did_not_exist(app, client, w):
    order = w.order("acme", "m1")
    for who in ("m2", "g1", "zeta", "lone", "b1"):  # other makers, other buyers
        response = w.rate(client, who, "order", order, all_scores(5))
        assert response.status_code == 404, who
    assert w.rate(client, "m1", "order", 999_999, all_scores(5)).status_code == 404
    for who in ("board_a", "staff_a", "admin", "organizer_a"):  # no firm of their own to rate for
        assert w.rate(client, who, "order", order, all_scores(5)).status_code == 403, who
    assert _ratings(app) == []


def test_twice_is_a_409(app, client, w):
    order = w.order("acme", "m1")
    assert w.rate(client, "m1", "order", order, all_scores(4)).status_code == 201
    again = w.rate(client, "m1", "order", order, all_scores(1))
    assert again.status_code == 409 and _error(again)["code"] == "conflict"
    assert w.rate(client, "acme", "order", order, MAKER_SCORES).status_code == 201  # the other side is separate
    assert len(_ratings(app)) == 2


def test_a_vendor_purchase_is_rated_by_its_member_sixty_days_after_it_was_reported(client, w):
    """The dates of a purchase are the member's own word: a delivery it declares opens nothing earlier."""
    scores = {"quality": 2, "on_time_delivery": 1}
    fresh = w.purchase("m1", purchased_on=TODAY - timedelta(days=10))
    assert w.rate(client, "m1", "vendor_purchase", fresh, scores).status_code == 422
    delivered = w.purchase("m1", purchased_on=TODAY - timedelta(days=10), delivered_on=TODAY - timedelta(days=1))
    assert w.rate(client, "m1", "vendor_purchase", delivered, scores).status_code == 422
    old = w.purchase("m2", purchased_on=TODAY - timedelta(days=61), delivered_on=TODAY - timedelta(days=50))
    response = w.rate(client, "m2", "vendor_purchase", old, scores)
    assert response.status_code == 201 and response.get_json()["direction"] == "vendor_performance"
    old = w.purchase("m2", purchased_on=TODAY - timedelta(days=61))
    assert w.rate(client, "m2", "vendor_purchase", old, scores).status_code == 201
    for who in ("m3", "acme", "vendor"):  # another member, a buyer, the vendor itself
        assert w.rate(client, who, "vendor_purchase", old, scores).status_code == 404, who


BAD_BODIES = [
    ({"basis": "order", "scores": {"quality": 3}}, "basis_id"),
    ({"basis": "invoice", "basis_id": 1, "scores": {"quality": 3}}, "basis"),
    ({"basis": "order", "basis_id": 0, "scores": {"quality": 3}}, "basis_id"),
    ({"basis": "order", "basis_id": "x", "scores": {"quality": 3}}, "basis_id"),
    ({"basis": "order", "basis_id": 1, "scores": {}}, "scores"),
    ({"basis": "order", "basis_id": 1}, "scores"),
    ({"basis": "order", "basis_id": 1, "scores": {"quality": 0}}, "scores"),
    ({"basis": "order", "basis_id": 1, "scores": {"quality": 6}}, "scores"),
    ({"basis": "order", "basis_id": 1, "scores": {"quality": "good"}}, "scores.quality"),
    ({"basis": "order", "basis_id": 1, "scores": {"quality": 3.5}}, "scores.quality"),
    ({"basis": "order", "basis_id": 1, "scores": {"quality": True}}, "scores"),
    ({"basis": "order", "basis_id": 1, "scores": [3]}, "scores"),
    ({"basis": "order", "basis_id": 1, "scores": {"quality": 3}, "comment": "x" * 2001}, "comment"),
    ({"basis": "order", "basis_id": 1, "scores": {"quality": 3}, "comment": "a\x00b"}, "comment"),
    ({"basis": "order", "basis_id": 1, "scores": {"quality": 3}, "rater_org_id": 5}, "rater_org_id"),
]


def test_bad_input_is_a_4xx_naming_the_field(app, client, w):
    order = w.order("acme", "m1")
    for body, named in BAD_BODIES:
        body = {**body, "basis_id": order} if body.get("basis_id") == 1 else body
        response = client.post("/api/v1/ratings", headers=w.h("acme"), json=body)
        assert response.status_code == 422, (body, response.get_json())
        fields = [f["field"] for f in _error(response)["fields"]]
        assert any(f == named or f.startswith(named + ".") for f in fields), (body, fields)
    assert client.post("/api/v1/ratings", headers=w.h("acme"), data="{", content_type="application/json"
                       ).status_code == 400
    assert client.post("/api/v1/ratings", headers=w.h("acme"), data="basis=order").status_code == 415
    assert _ratings(app) == []


def test_the_eligibility_route_says_when_rating_opens(client, w):
    young = w.order("acme", "m1", started_on=TODAY - timedelta(days=10))
    url = f"/api/v1/ratings/eligibility?basis=order&basis_id={young}"
    body = client.get(url, headers=w.h("m1")).get_json()
    assert body == {"basis": "order", "basis_id": young, "direction": "buyer_practices",
                    "ratee_org_id": w.orgs["acme"], "state": "opens",
                    "opens_on": (TODAY + timedelta(days=50)).isoformat()}
    assert client.get(url, headers=w.h("acme")).get_json()["state"] == "opens"
    assert client.get(url, headers=w.h("m2")).status_code == 404
    old = w.order("acme", "m1")
    url = f"/api/v1/ratings/eligibility?basis=order&basis_id={old}"
    assert client.get(url, headers=w.h("m1")).get_json()["state"] == "open"
    w.rate(client, "m1", "order", old, all_scores(3))
    assert client.get(url, headers=w.h("m1")).get_json()["state"] == "rated"
    for query in ("basis=order", "basis=x&basis_id=1", "basis=order&basis_id=x", "basis=order&basis_id=0",
                  "basis=order&basis_id=1&who=me"):
        response = client.get(f"/api/v1/ratings/eligibility?{query}", headers=w.h("m1"))
        assert response.status_code == 400, query
