"""A delivery is recorded once the goods arrived: a delivery dated after today (the UTC day) is refused beside
its field in the reader's language, on the order page and on the API (a 422 naming ``delivered_on``), and
nothing is written, so no "days late" figure or late-delivery notice comes from a typed 2099."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from matchmaker import db
from matchmaker.orders.records import OrderDelivery
from matchmaker.records import utcnow

from tests.orders.conftest import fields_of, maker_order
from tests.support.world import csrf_from, login_as, set_language

TODAY = utcnow().date()
PLACED = TODAY - timedelta(days=20)


def _deliveries(app, oid) -> list:
    with app.app_context():
        return list(db.session().scalars(select(OrderDelivery).where(OrderDelivery.order_id == oid)))


@pytest.mark.parametrize("lang, words", [
    ("en", "The delivery date cannot be after today"),
    ("es", "La fecha de entrega no puede ser posterior a hoy"),
])
@pytest.mark.parametrize("day", ["2099-01-01", (TODAY + timedelta(days=1)).isoformat()])
def test_the_page_refuses_a_delivery_after_today_beside_its_field(app, client, factory, world, lang, words, day):
    oid = maker_order(client, world, "maker1", buyer=world.buyer, started_on=PLACED.isoformat())["id"]
    login_as(client, factory, world.users["maker1"])
    set_language(client, lang)
    token = csrf_from(client.get(f"/orders/{oid}").get_data(as_text=True))
    r = client.post(f"/orders/{oid}/deliveries", data={"delivered_on": day, "quantity": "500",
                                                       "rejected_quantity": "0", "csrf_token": token})
    html = r.get_data(as_text=True)
    assert r.status_code == 422, html[:2000]
    beside = html[html.index('id="d-delivered_on"'):]
    assert words in beside[:beside.index("</div>")]  # beside the date, in the reader's language
    assert _deliveries(app, oid) == []


def test_the_api_refuses_a_delivery_after_today_naming_the_field(app, client, world):
    oid = maker_order(client, world, "maker1", buyer=world.buyer, started_on=PLACED.isoformat())["id"]
    url, maker = f"/api/v1/orders/{oid}/deliveries", world.tokens["maker1"]
    for day in ("2099-01-01", (TODAY + timedelta(days=1)).isoformat()):
        r = client.post(url, json={"delivered_on": day, "quantity": 500}, headers=maker)
        assert r.status_code == 422 and fields_of(r) == {"delivered_on"}, (day, r.get_json())
    es = client.post(url, json={"delivered_on": "2099-01-01", "quantity": 500},
                     headers={**maker, "Accept-Language": "es"})
    assert es.get_json()["error"]["message"].startswith("La fecha de entrega no puede ser posterior a hoy")
    assert _deliveries(app, oid) == []
    ok = client.post(url, json={"delivered_on": TODAY.isoformat(), "quantity": 500}, headers=maker)
    assert ok.status_code == 201, ok.get_json()  # today is a day a delivery can arrive
