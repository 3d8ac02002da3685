"""The requests page in Spanish, laid out by Chromium at a desktop and a phone width: the longest mark
("Debe reunirse") reads on one line, in the badge and in its select, and the page never scrolls sideways
(the table scrolls inside its card, screen-reader labels included). Screenshots go to /tmp."""
from __future__ import annotations

import pytest

from tests.fairs.conftest import make_fair, mark, register_all
from tests.support.browser import with_styles_inline
from tests.support.world import login_as, set_language

pytestmark = pytest.mark.browser
FAIR_SHEETS = ("app.css", "fairs.css")


def test_must_meet_reads_on_one_line_and_the_page_does_not_scroll_sideways(app, client, factory, cluster,
                                                                            chromium_browser):
    fair = make_fair(client, cluster)
    ids = register_all(client, cluster, fair["id"])
    assert mark(client, cluster, fair["id"], "buyer0", ids[cluster.makers[0]], "must").status_code == 200
    assert mark(client, cluster, fair["id"], "maker0", ids[cluster.buyers[0]], "must").status_code == 200
    login_as(client, factory, cluster.users["maker0"])
    set_language(client, "es")
    html = with_styles_inline(client.get(f"/fairs/{fair['id']}/requests").get_data(as_text=True), FAIR_SHEETS)
    assert "Debe reunirse" in html and "/static/app.css" not in html
    browser = chromium_browser  # the shared one: a second sync_playwright in one process fails
    for width in (1280, 390):
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.set_content(html)
        page.screenshot(path=f"/tmp/matchmaker-fair-requests-es-{width}.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        badge = page.locator("span.badge.ok", has_text="Debe reunirse")
        box = badge.bounding_box()
        font = badge.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert box["height"] < 2 * font, (width, box, font)  # one line (two would be over 2.5 em)
        select = page.locator(f"#mark-{ids[cluster.buyers[0]]}")
        assert select.evaluate("e => e.options[e.selectedIndex].text") == "Debe reunirse"
        assert select.evaluate("e => e.scrollWidth <= e.clientWidth"), width
        page.close()
