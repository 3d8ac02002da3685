"""Members' purchases from a vendor: recorded by member firms, checked field by field, and private.

The buying firm and its reporter are read by that firm itself and by its association's board and
staff; the vendor and other members read counts only, and only once two firms reported.
"""
from __future__ import annotations

import json

import pytest

from matchmaker import db
from matchmaker.accounts.records import User

from tests.vendors.conftest import BUYING_FIRM, REPORTER_EMAIL, csrf_from, days_ago, login, purchase

SECRETS = (BUYING_FIRM, REPORTER_EMAIL)


def _record(client, w, who, **over):
    r = client.post("/api/v1/vendors/purchases", json=purchase(w.vendor_org, **over), headers=w.h[who])
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def _summary(client, w, who):
    r = client.get(f"/api/v1/vendors/{w.vendor_org}/profile", headers=w.h[who])
    assert r.status_code == 200
    return r


def _no_secret(text: str, ids=()) -> None:
    for secret in SECRETS:
        assert secret not in text
    for key in ("member_org_id", "reported_by_id", "member", "reporter"):
        assert f'"{key}"' not in text


def test_figures_appear_only_once_two_firms_reported_and_never_name_them(app, client, world):
    _record(client, world, world.reporter, delivered_on=days_ago(30), promised_on=days_ago(45))   # 15 days late
    one = _summary(client, world, world.vendor).get_json()["purchase_summary"]
    assert one == {"shown": False, "purchases": 1, "reporting_firms": 1, "delivered": None, "on_time": None,
                   "late": None, "mean_days_late": None, "quality": None, "warranty_claims": None,
                   "warranty_honoured": None}
    _record(client, world, world.member_2, quality_vs_sample="major_deviation", warranty_claimed=True,
            warranty_honoured=False)
    _record(client, world, world.member_3)
    for who in (world.vendor, world.member_2, world.staff):
        r = _summary(client, world, who)
        s = r.get_json()["purchase_summary"]
        assert s["shown"] and s["purchases"] == 3 and s["reporting_firms"] == 3
        assert s["on_time"] == 2 and s["late"] == 1 and s["mean_days_late"] == 5.0
        assert s["quality"] == {"as_sample": 2, "major_deviation": 1}
        assert s["warranty_claims"] == 1 and s["warranty_honoured"] == 0
        _no_secret(r.get_data(as_text=True))


def test_the_vendor_and_other_members_never_see_the_reporter_on_any_page(app, client, factory, world):
    _record(client, world, world.reporter)
    _record(client, world, world.member_2, note="Llegó bien")
    for who in (world.vendor, world.member_2, world.other_vendor):
        login(client, factory, who)
        for path in (f"/vendors/{world.vendor_org}", f"/organizations/{world.vendor_org}",
                     "/organizations?kind=input_vendor", "/vendors/purchases"):
            r = client.get(path)
            # a vendor has no purchase list of its own (403); every other page answers and names no one
            assert r.status_code == (403 if path == "/vendors/purchases" and who != world.member_2 else 200), path
            _no_secret(r.get_data(as_text=True))
        client.get("/logout")
    # the member's own list holds only its own record, without the other firm's
    mine = client.get("/api/v1/vendors/purchases/mine", headers=world.h[world.member_2]).get_json()
    assert mine["total"] == 1 and mine["items"][0]["note"] == "Llegó bien"
    assert REPORTER_EMAIL not in json.dumps(mine)


def test_only_the_board_and_staff_of_the_association_read_who_bought(app, client, world):
    _record(client, world, world.reporter)
    r = client.get(f"/api/v1/vendors/{world.vendor_org}/purchases", headers=world.h[world.board])
    assert r.status_code == 200
    item = r.get_json()["items"][0]
    assert item["member"] == BUYING_FIRM and item["member_org_id"] == world.member_orgs[0]
    with app.app_context():
        assert db.session().get(User, item["reported_by_id"]).email == REPORTER_EMAIL
    assert client.get(f"/api/v1/vendors/{world.vendor_org}/purchases", headers=world.h[world.staff]).status_code == 200
    # another association's board sees none of this association's purchases
    other = client.get(f"/api/v1/vendors/{world.vendor_org}/purchases", headers=world.h[world.other_board])
    assert other.status_code == 200 and other.get_json()["items"] == []
    # the vendor, members and buyers are refused by role
    for who in (world.vendor, world.member_2, world.reporter, world.buyer):
        assert client.get(f"/api/v1/vendors/{world.vendor_org}/purchases", headers=world.h[who]).status_code == 403


@pytest.mark.parametrize("change, field", [
    ({"purchased_on": days_ago(-5), "promised_on": days_ago(-10)}, "purchased_on"),
    ({"promised_on": days_ago(90)}, "promised_on"),
    ({"delivered_on": days_ago(70)}, "delivered_on"),
    ({"delivered_on": None}, "quality_vs_sample"),
    ({"quality_vs_sample": "so-so"}, "quality_vs_sample"),
    ({"warranty_honoured": True}, "warranty_honoured"),
    ({"amount": -5}, "amount"),
    ({"lot": ""}, "lot"),
    ({"currency": "XXX"}, "currency"),
])
def test_bad_purchase_input_is_a_422_naming_the_field(client, world, change, field):
    r = client.post("/api/v1/vendors/purchases", json=purchase(world.vendor_org, **change),
                    headers=world.h[world.reporter])
    assert r.status_code == 422, r.get_json()
    assert field in {f["field"] for f in r.get_json()["error"]["fields"]}
    assert client.get("/api/v1/vendors/purchases/mine", headers=world.h[world.reporter]).get_json()["total"] == 0


def test_a_purchase_needs_an_input_vendor_and_a_member_firm(client, factory, world):
    r = client.post("/api/v1/vendors/purchases", json=purchase(world.member_orgs[1]), headers=world.h[world.reporter])
    assert r.status_code == 404 and r.get_json()["error"]["fields"][0]["field"] == "vendor_id"
    loner = factory.user("maker_user", factory.org("maker", "Taller sin asociación"))
    r = client.post("/api/v1/vendors/purchases", json=purchase(world.vendor_org), headers=factory.token(loner))
    assert r.status_code == 403


@pytest.mark.parametrize("lang, message", [("en", "The delivery must not be before the purchase."),
                                           ("es", "La entrega no debe ser anterior a la compra.")])
def test_the_purchase_page_answers_beside_the_field_in_both_languages(client, factory, world, lang, message):
    login(client, factory, world.reporter)
    client.post("/language", data={"lang": lang, "next": "/", "csrf_token": csrf_from(
        client.get("/home").get_data(as_text=True))})
    page = client.get(f"/vendors/purchases/new?vendor_id={world.vendor_org}")
    assert page.status_code == 200 and f'<option selected value="{world.vendor_org}">' in page.get_data(as_text=True)
    form = {"csrf_token": csrf_from(page.get_data(as_text=True)), "vendor_id": str(world.vendor_org),
            "lot": "Hilo 40/2", "purchased_on": days_ago(10), "promised_on": days_ago(5),
            "delivered_on": days_ago(20), "currency": "MXN"}
    r = client.post("/vendors/purchases/new", data=form)
    assert r.status_code == 422
    assert f'data-field="delivered_on">{message}</span>' in r.get_data(as_text=True)
    r = client.post("/vendors/purchases/new", data={**form, "delivered_on": days_ago(4)})
    assert r.status_code == 302
    assert client.get("/api/v1/vendors/purchases/mine", headers=world.h[world.reporter]).get_json()["total"] == 1


@pytest.mark.parametrize("lang, problem", [("en", "The purchase date must not be before 2000-01-01."),
                                           ("es", "La fecha de compra no debe ser anterior al 2000-01-01.")])
def test_a_purchase_before_the_earliest_date_is_refused_beside_its_field_in_both_languages(
        client, factory, world, lang, problem):
    headers = {**world.h[world.reporter], "Accept-Language": lang}
    r = client.post("/api/v1/vendors/purchases", json=purchase(world.vendor_org, purchased_on="1999-12-31"),
                    headers=headers)
    assert r.status_code == 422, r.get_json()
    assert {"field": "purchased_on", "problem": problem} in r.get_json()["error"]["fields"]
    r = client.post("/api/v1/vendors/purchases", json=purchase(world.vendor_org, purchased_on=days_ago(-3)),
                    headers=headers)
    assert r.status_code == 422 and "purchased_on" in {f["field"] for f in r.get_json()["error"]["fields"]}
    assert client.get("/api/v1/vendors/purchases/mine", headers=headers).get_json()["total"] == 0
    login(client, factory, world.reporter)
    client.post("/language", data={"lang": lang, "next": "/", "csrf_token": csrf_from(
        client.get("/home").get_data(as_text=True))})
    page = client.get(f"/vendors/purchases/new?vendor_id={world.vendor_org}")
    form = {"csrf_token": csrf_from(page.get_data(as_text=True)), "vendor_id": str(world.vendor_org),
            "lot": "Hilo 40/2", "purchased_on": "0202-03-01", "promised_on": days_ago(5), "currency": "MXN"}
    r = client.post("/vendors/purchases/new", data=form)
    assert r.status_code == 422
    assert f'data-field="purchased_on">{problem}</span>' in r.get_data(as_text=True)
    assert client.post("/vendors/purchases/new", data={**form, "purchased_on": "2000-01-01"}).status_code == 302
