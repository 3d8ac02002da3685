"""An order's delivery date is on or after the day the order was placed: a delivery date before it (2001 on
an order placed this week) is refused beside ``delivery_date`` in the reader's language, on the new-order
page, on the terms form of the order page and on the API (POST and PATCH, a 422 naming the field); nothing
is written."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from matchmaker.records import utcnow

from tests.orders.conftest import TERMS, fields_of, maker_order
from tests.support.world import csrf_from, login_as, set_language

TODAY = utcnow().date()
PLACED = TODAY - timedelta(days=2)
WORDS = {"en": "The delivery date cannot be before the order was placed",
         "es": "La fecha de entrega no puede ser anterior a la fecha del pedido"}


def _error(html: str, field: str) -> str:
    match = re.search(rf'data-field="{field}">([^<]*)<', html)
    assert match, f"no message beside {field}: {html[:2000]}"
    return match.group(1)


def _orders(client, world) -> int:
    return len(client.get("/api/v1/orders", headers=world.tokens["maker1"]).get_json()["items"])


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_new_order_page_refuses_a_delivery_before_the_order_date(client, factory, world, lang):
    login_as(client, factory, world.users["maker1"])
    set_language(client, lang)
    html = client.get("/orders/new").get_data(as_text=True)
    form = {"buyer_id": str(world.other_buyer), "quantity": "500", "unit_price": "7.5", "currency": "USD",
            "started_on": PLACED.isoformat(), "delivery_date": "2001-01-01", "deposit_share": "25",
            "payment_terms_days": "30", "fabric_by": "maker", "trims_by": "maker", "csrf_token": csrf_from(html)}
    r = client.post("/orders/new", data=form)
    assert r.status_code == 422, r.get_data(as_text=True)[:2000]
    assert _error(r.get_data(as_text=True), "delivery_date").startswith(WORDS[lang])
    assert _orders(client, world) == 0
    r = client.post("/orders/new", data={**form, "delivery_date": PLACED.isoformat()})  # the same day is fine
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]


def test_the_api_refuses_a_new_order_delivered_before_it_was_placed(client, world):
    body = dict(TERMS, buyer_id=world.other_buyer, started_on=PLACED.isoformat())
    for day in ("2001-01-01", (PLACED - timedelta(days=1)).isoformat()):
        r = client.post("/api/v1/orders", json={**body, "delivery_date": day}, headers=world.tokens["maker1"])
        assert r.status_code == 422 and fields_of(r) == {"delivery_date"}, (day, r.get_json())
    es = client.post("/api/v1/orders", json={**body, "delivery_date": "2001-01-01"},
                     headers={**world.tokens["maker1"], "Accept-Language": "es"})
    assert es.get_json()["error"]["message"].startswith(WORDS["es"])
    assert _orders(client, world) == 0


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_change_of_terms_refuses_a_delivery_before_the_order_date(client, factory, world, lang):
    o = maker_order(client, world, "maker1", buyer=world.buyer, started_on=PLACED.isoformat())
    oid, agreed = o["id"], o["delivery_date"]
    r = client.patch(f"/api/v1/orders/{oid}", json={"version": o["version"], "delivery_date": "2001-01-01"},
                     headers={**world.tokens["buyer"], "Accept-Language": lang})
    assert r.status_code == 422 and fields_of(r) == {"delivery_date"}, r.get_json()
    assert r.get_json()["error"]["message"].startswith(WORDS[lang])
    login_as(client, factory, world.users["buyer"])
    set_language(client, lang)
    token = csrf_from(client.get(f"/orders/{oid}").get_data(as_text=True))
    r = client.post(f"/orders/{oid}/terms", data={"delivery_date": "2001-01-01", "version": o["version"],
                                                  "csrf_token": token})
    assert r.status_code == 422, r.get_data(as_text=True)[:2000]
    assert _error(r.get_data(as_text=True), "delivery_date").startswith(WORDS[lang])
    assert client.get(f"/api/v1/orders/{oid}", headers=world.tokens["buyer"]).get_json()["delivery_date"] == agreed
