"""Actions that cannot be taken back ask first: cancelling an order opens the browser's confirmation,
naming the order; dismissing it sends nothing, accepting it cancels the order."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_cancelling_an_order_asks_first_and_a_dismissed_question_changes_nothing(page, live_server):
    sign_in(page, "maker")
    page.goto("/orders/new")
    box = page.get_by_role("combobox", name="Buyer")
    box.press_sequentially("lone", delay=30)
    page.get_by_role("option", name="Lone Star Denim (US)").wait_for()
    box.press("ArrowDown")
    box.press("Enter")
    page.fill("#product", "Jeans to cancel")
    page.fill("#quantity", "500")
    page.fill("#unit_price", "7.10")
    page.select_option("#currency", "USD")
    page.fill("#delivery_date", (date.today() + timedelta(days=40)).isoformat())
    page.get_by_role("button", name="Record the order").click()
    page.wait_for_url("**/orders/*")
    order_path = page.url
    order_id = order_path.rstrip("/").rsplit("/", 1)[1]

    asked = []

    def dismiss(dialog):
        asked.append((dialog.type, dialog.message))
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="Cancel the order").click()
    page.wait_for_timeout(500)
    assert asked == [("confirm", f"Cancel order #{order_id}? A cancelled order cannot be reopened.")]
    assert page.url == order_path
    page.reload()
    assert page.get_by_test_id("order-status").inner_text() == "Open"

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_role("button", name="Cancel the order").click()
    assert page.get_by_test_id("order-status").inner_text() == "Cancelled"
