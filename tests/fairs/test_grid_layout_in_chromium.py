"""The organizer's grid in Spanish, laid out by Chromium at a phone width: firm names wrap between words
(never "Antoni/o"), each cell is wide enough for its action menu's longest entry, and the grid scrolls
sideways inside its wrapper, never the page. Screenshot goes to /tmp."""
from __future__ import annotations

import pytest

from matchmaker import db
from matchmaker.organizations.records import Organization

from tests.fairs.test_fair_meetings import published  # noqa: F401  (the published fair fixture)
from tests.support.browser import with_styles_inline
from tests.support.world import login_as, set_language

pytestmark = pytest.mark.browser
FAIR_SHEETS = ("app.css", "fairs.css")

BROKEN_WORDS = """() => {
  const broken = [];
  for (const cell of document.querySelectorAll('[data-testid=grid] .meeting')) {
    for (const node of cell.childNodes) {
      if (node.nodeType !== Node.TEXT_NODE) continue;
      for (const m of node.textContent.matchAll(/\\S+/g)) {
        const r = document.createRange();
        r.setStart(node, m.index); r.setEnd(node, m.index + m[0].length);
        if (r.getClientRects().length > 1) broken.push(m[0]);
      }
    }
  }
  return broken;
}"""
MENU_FITS = """e => {
  const c = document.createElement('canvas').getContext('2d'); c.font = getComputedStyle(e).font;
  return e.clientWidth >= Math.max(...[...e.options].map(o => c.measureText(o.text).width));
}"""


def test_grid_names_wrap_between_words_and_menus_fit_on_a_phone(
        app, client, cluster, factory, published, chromium_browser):  # noqa: F811
    with app.app_context():
        sess = db.session()
        sess.get(Organization, cluster.buyers[0]).name = "Distribuidora Internacional Antonio Hernández"
        sess.get(Organization, cluster.makers[0]).name = "Confecciones Guadalupanas Antonio"
        sess.commit()
    login_as(client, factory, cluster.users["organizer"])
    set_language(client, "es")
    html = with_styles_inline(client.get(f"/fairs/{published['id']}/grid").get_data(as_text=True), FAIR_SHEETS)
    assert "Antonio Hernández" in html and "/static/app.css" not in html
    page = chromium_browser.new_page(viewport={"width": 390, "height": 900})
    try:
        page.set_content(html)
        page.screenshot(path="/tmp/matchmaker-fair-grid-es-390.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert page.evaluate(BROKEN_WORDS) == []
        menus = page.locator("[data-testid=grid] select")
        assert menus.count() >= 1
        for i in range(menus.count()):
            assert menus.nth(i).evaluate(MENU_FITS), menus.nth(i).bounding_box()
    finally:
        page.close()
    page = chromium_browser.new_page(viewport={"width": 1280, "height": 900})
    try:  # on a desktop the few tables still spread over the card's whole width
        page.set_content(html)
        page.screenshot(path="/tmp/matchmaker-fair-grid-es-1280.png", full_page=True)
        grid, wrapper = (page.locator(s).bounding_box() for s in ("[data-testid=grid]", "div.scroll:has(> table)"))
        assert grid["width"] >= wrapper["width"] - 2, (grid, wrapper)
    finally:
        page.close()
