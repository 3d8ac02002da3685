"""A member recording a purchase is told truthfully who sees that its firm bought: the association's
board and staff, and the platform administrator (``board_purchases`` lets all three read it)."""
from __future__ import annotations

import pytest

from tests.vendors.conftest import csrf_from, days_ago, login


@pytest.mark.parametrize("lang, who", [("en", "board and staff"), ("es", "consejo y el personal")])
def test_the_purchase_form_and_its_flash_name_staff_too(client, factory, world, lang, who):
    login(client, factory, world.reporter)
    client.post("/language", data={"lang": lang, "next": "/", "csrf_token": csrf_from(
        client.get("/home").get_data(as_text=True))})
    page = client.get(f"/vendors/purchases/new?vendor_id={world.vendor_org}").get_data(as_text=True)
    assert who in page
    form = {"csrf_token": csrf_from(page), "vendor_id": str(world.vendor_org), "lot": "Hilo 40/2",
            "purchased_on": days_ago(10), "promised_on": days_ago(5), "delivered_on": days_ago(4), "currency": "MXN"}
    r = client.post("/vendors/purchases/new", data=form, follow_redirects=True)
    assert r.status_code == 200
    text = r.get_data(as_text=True)
    assert who in text and ("platform" in text if lang == "en" else "plataforma" in text)


def test_the_api_says_so_too(client):
    doc = client.get("/api/v1/openapi.json").get_data(as_text=True)
    assert "visible to your association's board only" not in doc
