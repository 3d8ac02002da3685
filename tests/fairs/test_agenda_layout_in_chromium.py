"""A participant's agenda page laid out by Chromium at a phone width: the private calendar link (a long
unbroken URL) wraps inside the page, so the page never scrolls sideways. Screenshot goes to /tmp."""
from __future__ import annotations

import pytest

from tests.fairs.test_fair_meetings import published  # noqa: F401  (the published fair fixture)
from tests.support.browser import with_styles_inline
from tests.support.world import login_as, set_language

pytestmark = pytest.mark.browser
FAIR_SHEETS = ("app.css", "fairs.css")


def test_the_calendar_link_wraps_and_the_agenda_does_not_scroll_sideways_on_a_phone(
        client, cluster, factory, published, chromium_browser):  # noqa: F811
    login_as(client, factory, cluster.users["buyer0"])
    set_language(client, "es")
    html = with_styles_inline(client.get(f"/fairs/{published['id']}/agenda/{published['buyer']}")
                               .get_data(as_text=True), FAIR_SHEETS)
    assert 'data-testid="calendar-feed"' in html and "/static/app.css" not in html
    page = chromium_browser.new_page(viewport={"width": 390, "height": 900})
    try:
        page.set_content(html)
        page.screenshot(path="/tmp/matchmaker-fair-agenda-es-390.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        box = page.locator("[data-testid=calendar-feed] code").bounding_box()
        assert box["x"] + box["width"] <= 390, box
    finally:
        page.close()
