"""The order page in Spanish says dates and numbers the Spanish way: no ISO dates or raw Python
values in the confirmations, the changes after agreement, or the dispute form's choices."""
from __future__ import annotations

import re
from datetime import date, timedelta

from tests.orders.conftest import maker_order
from tests.support.world import csrf_from, login_as

DELIVERY = date.today() + timedelta(days=90)


def _agreed_and_changed(client, world) -> dict:
    o = maker_order(client, world, "maker0", buyer=world.buyer)
    r = client.post(f"/api/v1/orders/{o['id']}/confirm", json={"version": o["version"]}, headers=world.tokens["buyer"])
    assert r.status_code == 200, r.get_json()
    o = client.get(f"/api/v1/orders/{o['id']}", headers=world.tokens["maker0"]).get_json()
    if not o.get("maker_confirmed_at"):
        r = client.post(f"/api/v1/orders/{o['id']}/confirm", json={"version": o["version"]},
                        headers=world.tokens["maker0"])
        o = r.get_json()
    r = client.patch(f"/api/v1/orders/{o['id']}", json={"version": o["version"], "quantity": 12500,
                                                        "delivery_date": DELIVERY.isoformat()},
                     headers=world.tokens["maker0"])
    assert r.status_code == 200, r.get_json()
    r = client.post(f"/api/v1/orders/{o['id']}/deliveries", json={"delivered_on": "2026-03-01", "quantity": 1000},
                    headers=world.tokens["maker0"])
    assert r.status_code == 201, r.get_json()
    return o


def test_dates_and_numbers_on_the_order_page_are_spanish(client, factory, world):
    o = _agreed_and_changed(client, world)
    login_as(client, factory, world.users["buyer"])
    client.post("/language", data={"lang": "es", "next": "/", "csrf_token": csrf_from(
        client.get("/home").get_data(as_text=True))})
    html = client.get(f"/orders/{o['id']}").get_data(as_text=True)
    changes = html[html.index('data-testid="term-changes"'):]
    changes = changes[:changes.index("</table>")]
    assert "12,500" in changes and "12500" not in changes
    assert DELIVERY.isoformat() not in changes
    assert not re.search(r"\d{4}-\d{2}-\d{2}", changes)
    confirmed = re.search(r'data-testid="buyer-confirmed">([^<]*)<', html).group(1)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", confirmed) and re.search(r"[a-z]{3}", confirmed)
    assert "1 mar 2026" in html
    options = re.findall(r'<option value="delivery:[^"]*"[^>]*>([^<]*)<', html)
    assert options and all("2026-03-01" not in t and "1 mar 2026" in t for t in options)
