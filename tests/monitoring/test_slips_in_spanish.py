"""The slips a maker reads about its buyer are dated the Spanish way, amounts grouped, never ISO or raw
Python floats."""
from __future__ import annotations

import re
from datetime import date

from tests.monitoring.conftest import add_order
from tests.support.world import csrf_from, login_as


def test_slip_dates_and_amounts_on_the_relationship_page_are_spanish(app, client, factory, mworld):
    w = mworld
    add_order(app, w.buyer, w.makers[0], delivery_date=date(2026, 3, 1),
              deliveries=[(date(2026, 3, 20), 1000, 0)], price_changes=[(9.0, 10.5, date(2026, 2, 10))])
    login_as(client, factory, w.users["maker"])
    client.post("/language", data={"lang": "es", "next": "/", "csrf_token": csrf_from(
        client.get("/home").get_data(as_text=True))})
    html = client.get(f"/monitoring/maker/buyers/{w.buyer}?as_of=2026-06-30").get_data(as_text=True)
    slips = html[html.index('data-testid="slips"'):]
    slips = slips[:slips.index("</ul>")]
    assert "20 mar 2026" in slips and "10 feb 2026" in slips
    assert not re.search(r"\d{4}-\d{2}-\d{2}", slips)
    assert "16.666666" not in slips and "19.0" not in slips
