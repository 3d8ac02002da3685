"""Disputing a figure that is a number (a quantity, a price, an amount) takes a claimed value that is a number:
"abc" is refused beside "What you say it is" in the reader's language on the order page, and on the API (a 422
naming ``claimed_value``), with no dispute written; a text figure (the PO number) keeps free text."""
from __future__ import annotations

import pytest

from tests.orders.conftest import fields_of, maker_order
from tests.support.world import csrf_from, login_as, set_language

WORDS = {"en": "This figure is a number: enter a number.", "es": "Esta cifra es un número: escriba un número."}


def _disputes(client, world, oid) -> list:
    return client.get(f"/api/v1/orders/{oid}", headers=world.tokens["buyer"]).get_json()["disputes"]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_page_refuses_a_claimed_quantity_that_is_not_a_number(client, factory, world, lang):
    oid = maker_order(client, world, "maker1", buyer=world.buyer)["id"]
    login_as(client, factory, world.users["buyer"])
    set_language(client, lang)
    token = csrf_from(client.get(f"/orders/{oid}").get_data(as_text=True))
    r = client.post(f"/orders/{oid}/disputes", data={"figure": f"order:{oid}:quantity", "claimed_value": "abc",
                                                     "note": "", "csrf_token": token})
    html = r.get_data(as_text=True)
    assert r.status_code == 422, html[:2000]
    beside = html[html.index('id="claimed_value"'):]
    assert WORDS[lang] in beside[:beside.index("</div>")]
    assert _disputes(client, world, oid) == []
    r = client.post(f"/orders/{oid}/disputes", data={"figure": f"order:{oid}:quantity", "claimed_value": "1,500",
                                                     "note": "", "csrf_token": token})
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    assert [d["claimed_value"] for d in _disputes(client, world, oid)] == ["1,500"]


def test_the_api_refuses_a_claimed_number_that_is_not_one_and_keeps_text_figures_free(client, world):
    oid = maker_order(client, world, "maker1", buyer=world.buyer)["id"]
    url, buyer = f"/api/v1/orders/{oid}/disputes", world.tokens["buyer"]
    for field in ("quantity", "unit_price", "deposit_share", "payment_terms_days", "reject_limit_pct"):
        r = client.post(url, json={"subject": "order", "subject_id": oid, "field": field, "claimed_value": "abc"},
                        headers=buyer)
        assert r.status_code == 422 and fields_of(r) == {"claimed_value"}, (field, r.get_json())
    assert _disputes(client, world, oid) == []
    for field, value in (("reference", "PO-78 abc"), ("unit_price", "9.10"), ("deposit_share", "25 %")):
        r = client.post(url, json={"subject": "order", "subject_id": oid, "field": field, "claimed_value": value},
                        headers=buyer)
        assert r.status_code == 201, (field, r.get_json())
    assert len(_disputes(client, world, oid)) == 3
