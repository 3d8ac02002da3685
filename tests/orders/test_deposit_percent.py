"""The deposit is typed and shown as a percent (0–100) on the order page, stored as the 0–1 share the API
keeps (its JSON does not change): the label says "%", the terms form is prefilled with 30 for a 0.3 share,
and a refusal states the limits in the percent the user typed."""
from __future__ import annotations

import re

import pytest

from tests.orders.conftest import maker_order
from tests.support.world import csrf_from, login_as, set_language


def _error(html: str, field: str) -> str:
    match = re.search(rf'data-field="{field}">([^<]*)<', html)
    assert match, f"no message beside {field}"
    return match.group(1)


def _api_share(client, world, oid) -> float:
    return client.get(f"/api/v1/orders/{oid}", headers=world.tokens["buyer"]).get_json()["deposit_share"]


@pytest.mark.parametrize("lang, label, at_most, at_least", [
    ("en", "Deposit share (%)", "Must be at most 100.", "Must be at least 0."),
    ("es", "Proporción de anticipo (%)", "Debe ser como máximo 100.", "Debe ser al menos 0."),
])
def test_the_buyer_types_and_reads_the_deposit_as_a_percent(client, factory, world, lang, label, at_most, at_least):
    o = maker_order(client, world, "maker1", buyer=world.buyer)  # deposit_share 0.3 through the API
    oid = o["id"]
    login_as(client, factory, world.users["buyer"])
    set_language(client, lang)
    html = client.get(f"/orders/{oid}").get_data(as_text=True)
    assert "0 to 1" not in html and "0 a 1" not in html
    assert f"<dt>{label}</dt><dd>30%</dd>" in html
    assert re.search(r'<label for="t-deposit_share">' + re.escape(label) + r'</label>\s*<input type="number" '
                     r'id="t-deposit_share" name="deposit_share" value="30"', html)
    token, version = csrf_from(html), o["version"]
    for typed, message in (("150", at_most), ("-10", at_least)):
        r = client.post(f"/orders/{oid}/terms", data={"deposit_share": typed, "version": version, "csrf_token": token})
        page = r.get_data(as_text=True)
        assert r.status_code == 422 and _error(page, "deposit_share") == message, page[:2000]
        assert 'value="' + typed + '"' in page  # what was typed comes back as typed
    assert _api_share(client, world, oid) == 0.3
    r = client.post(f"/orders/{oid}/terms", data={"deposit_share": "40", "version": version, "csrf_token": token})
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    assert _api_share(client, world, oid) == 0.4  # the API keeps the 0–1 share
    html = client.get(f"/orders/{oid}").get_data(as_text=True)
    assert f"<dt>{label}</dt><dd>40%</dd>" in html and 'name="deposit_share" value="40"' in html


def test_the_maker_enters_a_new_order_with_the_deposit_in_percent(client, factory, world):
    login_as(client, factory, world.users["maker1"])
    html = client.get("/orders/new").get_data(as_text=True)
    assert "Deposit share (%)" in html
    form = {"buyer_id": str(world.other_buyer), "quantity": "500", "unit_price": "7.5", "currency": "USD",
            "delivery_date": "2030-06-01", "deposit_share": "25", "payment_terms_days": "30",
            "fabric_by": "maker", "trims_by": "maker", "csrf_token": csrf_from(html)}
    r = client.post("/orders/new", data={**form, "deposit_share": "101"})
    assert r.status_code == 422 and _error(r.get_data(as_text=True), "deposit_share") == "Must be at most 100."
    r = client.post("/orders/new", data=form)
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    oid = int(r.headers["Location"].rstrip("/").split("/")[-1])
    order = client.get(f"/api/v1/orders/{oid}", headers=world.tokens["maker1"]).get_json()
    assert order["deposit_share"] == 0.25
