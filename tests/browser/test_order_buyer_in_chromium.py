"""A maker entering an order made elsewhere finds the buyer firm by typing part of its name, picks it by key,
and the order is recorded with that firm (no list of every buyer on the page)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_the_buyer_field_suggests_as_the_maker_types_and_the_pick_makes_the_order(page, live_server):
    sign_in(page, "maker")
    page.goto("/orders/new")
    assert page.locator("select#buyer_id").count() == 0
    box = page.get_by_role("combobox", name="Buyer")
    box.press_sequentially("lone", delay=30)
    option = page.get_by_role("option", name="Lone Star Denim (US)")
    option.wait_for()
    box.press("ArrowDown")
    box.press("Enter")  # picks the firm: the box shows it, the form is not sent yet
    assert box.input_value() == "Lone Star Denim (US)"
    assert page.locator("input[name=buyer_id]").input_value() == str(live_server["ids"]["buyer"])
    assert page.url.endswith("/orders/new")
    page.fill("#product", "Chromium jeans")
    page.fill("#quantity", "1200")
    page.fill("#unit_price", "8.40")
    page.select_option("#currency", "USD")
    page.fill("#delivery_date", (date.today() + timedelta(days=50)).isoformat())
    page.get_by_role("button", name="Record the order").click()
    page.wait_for_url("**/orders/*")

    from matchmaker.db import make_engine
    from matchmaker.orders.records import Order

    engine = make_engine(live_server["database_url"])
    with Session(engine) as sess:
        order = sess.scalars(select(Order).where(Order.product == "Chromium jeans")).one()
        assert order.buyer_id == live_server["ids"]["buyer"]
    engine.dispose()
