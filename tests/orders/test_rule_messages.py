"""Every rule of the order forms that looks at two fields together says, beside the field, what is wrong
in the reader's language; none falls back to the catch-all "This value is not valid."."""
from __future__ import annotations

import re

import pytest

from tests.orders.conftest import maker_order
from tests.support.world import csrf_from, login_as, set_language

FALLBACK = {"en": "This value is not valid.", "es": "Este valor no es válido."}


def _message(page: str, field: str) -> str:
    found = re.search(rf'data-field="{field}"[^>]*>(.*?)</', page, re.S)
    assert found, field
    return " ".join(found.group(1).split())


@pytest.mark.parametrize("lang", ["en", "es"])
def test_two_field_rules_of_the_order_page_say_what_is_wrong(app, client, factory, world, lang):
    oid = maker_order(client, world, "maker1", buyer=world.buyer)["id"]
    login_as(client, factory, world.users["maker1"])
    set_language(client, lang)
    token = csrf_from(client.get(f"/orders/{oid}").get_data(as_text=True))
    cases = [
        ("milestones", {"stage": "cut"}, "planned_on",
         {"en": "Give the planned date, the actual date or both.",
          "es": "Indique la fecha prevista, la real o ambas."}),
        ("deliveries", {"delivered_on": "2026-01-01", "quantity": "10", "rejected_quantity": "11"}, "rejected_quantity",
         {"en": "More pieces rejected than delivered.", "es": "Hay más piezas rechazadas que entregadas."}),
        ("disputes", {"figure": f"order:{oid}:colour"}, "figure",
         {"en": "Choose the figure you dispute.", "es": "Elija el dato que disputa."}),
    ]
    for path, data, field, expected in cases:
        r = client.post(f"/orders/{oid}/{path}", data={**data, "csrf_token": token})
        assert r.status_code == 422, (path, r.status_code)
        text = _message(r.get_data(as_text=True), field)
        assert text == expected[lang], (path, text)
        assert FALLBACK[lang] not in r.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_dispute_with_no_figure_chosen_asks_for_one_beside_the_select_and_nothing_else(
        app, client, factory, world, lang):
    oid = maker_order(client, world, "maker1", buyer=world.buyer)["id"]
    login_as(client, factory, world.users["maker1"])
    set_language(client, lang)
    token = csrf_from(client.get(f"/orders/{oid}").get_data(as_text=True))
    r = client.post(f"/orders/{oid}/disputes", data={"figure": "", "claimed_value": "90", "csrf_token": token})
    page = r.get_data(as_text=True)
    assert r.status_code == 422
    expected = {"en": "Choose the figure you dispute.", "es": "Elija el dato que disputa."}[lang]
    assert _message(page, "figure") == expected
    # the figure's hidden parts (subject, id, field) are not the user's fields: no message of their own
    assert not re.search(r'data-field="(subject|subject_id|field)"', page)
    assert {"en": "Enter a whole number.", "es": "Escriba un número entero."}[lang] not in page
