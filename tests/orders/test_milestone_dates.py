"""A milestone's dates lie within the order's life: an actual date before the order was placed or after
today, or a stage planned before the order was placed, is refused beside its field in the reader's language,
on the order page and on the API (a 422 naming the field), and nothing is written. A stage done before its
plan reads "9 days early" in the milestone table, never a negative number of days late."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from matchmaker import db
from matchmaker.orders.records import OrderMilestone

from tests.orders.conftest import fields_of, maker_order
from tests.support.world import csrf_from, login_as, set_language

TODAY = date.today()
PLACED = TODAY - timedelta(days=20)


def _milestones(app, oid) -> list:
    with app.app_context():
        return list(db.session().scalars(select(OrderMilestone).where(OrderMilestone.order_id == oid)))


@pytest.mark.parametrize("planned, actual, field, es_words", [
    ("2030-01-01", "2020-01-01", "actual_on", "La fecha real no puede ser anterior a la fecha del pedido"),
    ("", (TODAY + timedelta(days=1)).isoformat(), "actual_on", "La fecha real no puede ser posterior a hoy"),
    ("2020-01-01", "", "planned_on", "La fecha planeada no puede ser anterior a la fecha del pedido"),
])
def test_the_spanish_page_refuses_a_date_outside_the_orders_life_beside_its_field(
        app, client, factory, world, planned, actual, field, es_words):
    oid = maker_order(client, world, "maker1", buyer=world.buyer, started_on=PLACED.isoformat())["id"]
    login_as(client, factory, world.users["maker1"])
    set_language(client, "es")
    token = csrf_from(client.get(f"/orders/{oid}").get_data(as_text=True))
    r = client.post(f"/orders/{oid}/milestones", data={"stage": "cut", "planned_on": planned, "actual_on": actual,
                                                       "csrf_token": token})
    html = r.get_data(as_text=True)
    assert r.status_code == 422, html[:2000]
    assert "Hito registrado" not in html
    beside = html[html.index(f'id="m-{field}"'):]
    assert es_words in beside[:beside.index("</div>")]  # beside its field, in Spanish
    assert _milestones(app, oid) == []


def test_the_api_refuses_the_same_dates_naming_the_field(app, client, world):
    oid = maker_order(client, world, "maker1", buyer=world.buyer, started_on=PLACED.isoformat())["id"]
    url, maker = f"/api/v1/orders/{oid}/milestones/cut", world.tokens["maker1"]
    for body, field in (({"planned_on": "2030-01-01", "actual_on": "2020-01-01"}, "actual_on"),
                        ({"actual_on": (PLACED - timedelta(days=1)).isoformat()}, "actual_on"),
                        ({"actual_on": (TODAY + timedelta(days=1)).isoformat()}, "actual_on"),
                        ({"planned_on": "2020-01-01"}, "planned_on")):
        r = client.put(url, json=body, headers=maker)
        assert r.status_code == 422 and fields_of(r) == {field}, (body, r.get_json())
    es = client.put(url, json={"actual_on": "2020-01-01"}, headers={**maker, "Accept-Language": "es"})
    assert es.get_json()["error"]["message"].startswith("La fecha real no puede ser anterior")
    assert _milestones(app, oid) == []
    # the order's first and last days are in its life: placed on PLACED, the stage done today
    ok = client.put(url, json={"planned_on": PLACED.isoformat(), "actual_on": TODAY.isoformat()}, headers=maker)
    assert ok.status_code == 200, ok.get_json()


@pytest.mark.parametrize("lang, nine, one", [("en", "9 days early", "1 day early"),
                                             ("es", "9 días antes", "1 día antes")])
def test_a_stage_done_before_its_plan_reads_days_early_never_negative_days_late(
        client, factory, world, lang, nine, one):
    oid = maker_order(client, world, "maker1", buyer=world.buyer, started_on=PLACED.isoformat())["id"]
    maker = world.tokens["maker1"]
    for stage, planned, actual in (("cut", TODAY + timedelta(days=9), TODAY),
                                   ("sewn", TODAY + timedelta(days=1), TODAY),
                                   ("washed", PLACED, PLACED + timedelta(days=4))):
        r = client.put(f"/api/v1/orders/{oid}/milestones/{stage}",
                       json={"planned_on": planned.isoformat(), "actual_on": actual.isoformat()}, headers=maker)
        assert r.status_code == 200, r.get_json()
    login_as(client, factory, world.users["maker1"])
    set_language(client, lang)
    html = client.get(f"/orders/{oid}").get_data(as_text=True)

    def late_cell(stage):
        row = html[html.index(f'data-testid="milestone-{stage}"'):]
        return row[:row.index("</tr>")].split("<td>")[3].split("</td>")[0]

    assert (late_cell("cut"), late_cell("sewn"), late_cell("washed")) == (nine, one, "4")
    assert ">-9<" not in html and ">-1<" not in html
