"""Pages with wide tables, laid out by Chromium: at 390 px the page never scrolls sideways (the quotes
table and the certificates table scroll inside their box), and at 1280 px the quote form's button keeps
a button's height. Screenshots go to /tmp."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.contact.conftest import send_from_shortlist
from tests.support.browser import with_styles_inline
from tests.support.world import login_as, post_form, set_language

pytestmark = pytest.mark.browser


def _quoted_inquiry(app, client, factory, world) -> tuple[int, object]:
    """An inquiry from the buyer to maker 0 with two quotes (long notes); returns it and the maker's client."""
    assert send_from_shortlist(client, factory, world, world.makers[:1]).status_code == 302
    inq = int(re.search(r'href="/inquiries/(\d+)"', client.get("/inquiries").get_data(as_text=True)).group(1))
    maker = app.test_client()
    login_as(maker, factory, world.users["maker0"])
    valid = (date.today() + timedelta(days=20)).isoformat()
    for price in ("9.80", "10123.45"):
        r = post_form(maker, f"/inquiries/{inq}/quote", {"unit_price": price, "lead_time_days": "25", "moq": "80000",
                                                         "valid_until": valid, "currency": "USD",
                                                         "notes": "Incluye etiquetas bordadas y empaque individual"},
                      token_page=f"/inquiries/{inq}")
        assert r.status_code == 302, r.get_data(as_text=True)[:1000]
    return inq, maker


def _page_width(browser, html: str, width: int, shot: str) -> int:
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.set_content(html)
        page.screenshot(path=f"/tmp/matchmaker-{shot}-{width}.png", full_page=True)
        return page.evaluate("document.documentElement.scrollWidth")
    finally:
        page.close()


def test_quotes_and_certificates_tables_do_not_widen_a_phone_page(app, client, factory, world, chromium_browser):
    inq, maker = _quoted_inquiry(app, client, factory, world)
    set_language(client, "es")
    inquiry_html = with_styles_inline(client.get(f"/inquiries/{inq}").get_data(as_text=True))
    assert "Aceptar esta cotización" in inquiry_html
    edit_html = with_styles_inline(maker.get(f"/makers/{world.makers[0]}/edit").get_data(as_text=True))
    assert 'class="cert-rows"' in edit_html
    browser = chromium_browser  # the shared one: a second sync_playwright in one process fails
    for width in (390, 768):  # a phone; a tablet, above the phone layout's 720 px
        assert _page_width(browser, inquiry_html, width, "inquiry-buyer-es") <= width
        assert _page_width(browser, edit_html, width, "maker-edit-en") <= width
    page = browser.new_page(viewport={"width": 390, "height": 900})
    page.set_content(inquiry_html)
    notes = page.locator("td.notes").last  # the newest quote, with its accept button
    font = notes.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    notes_height = notes.bounding_box()["height"]
    page.locator("#quotes .table-wrap").evaluate("e => { e.scrollLeft = e.scrollWidth; }")
    page.locator("#quotes").screenshot(path="/tmp/matchmaker-inquiry-quotes-scrolled-390.png")
    # the notes read as lines, not a word a line, and the accept button is one line: rows stay low
    assert notes_height < 4 * font * 1.6, notes_height
    page.close()


def test_the_send_quote_button_keeps_a_buttons_height_at_1280(app, client, factory, world, chromium_browser):
    inq, maker = _quoted_inquiry(app, client, factory, world)
    set_language(maker, "es")
    html = with_styles_inline(maker.get(f"/inquiries/{inq}").get_data(as_text=True))
    browser = chromium_browser  # the shared one: a second sync_playwright in one process fails
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_content(html)
    page.screenshot(path="/tmp/matchmaker-quote-form-es-1280.png", full_page=True)
    button = page.get_by_role("button", name="Enviar cotización")
    box = button.bounding_box()
    font = button.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert box["height"] < 3 * font, (box, font)  # one line of text and its padding (it was 8 lines tall)
    price = page.locator("#unit_price").bounding_box()
    assert box["height"] < 2 * price["height"], (box, price)
    page.close()
