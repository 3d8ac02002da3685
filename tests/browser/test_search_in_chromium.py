"""A buyer searches makers from the browser, in English and Spanish, and narrows by facets."""
from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_buyer_searches_makers_with_facets_in_both_languages(page, live_server):
    sign_in(page, "buyer")
    page.get_by_role("link", name="Search makers").click()
    page.get_by_label("What do you need made?").fill("pantalón vaquero, lavandería")
    page.get_by_role("button", name="Search").click()
    assert page.get_by_test_id("total").inner_text().startswith("1 ")
    result = page.locator("article.result").first
    assert "Taller Azul" in result.inner_text()

    page.locator(".facets").get_by_label("Cutting").check()  # a facet: narrows and resubmits
    page.wait_for_url("**process=cutting**")
    assert "Taller Azul" in page.locator("article.result").first.inner_text()

    page.get_by_test_id("switch-language").click()
    assert page.locator(".facets").get_by_text("Corte").count() == 1
    page.get_by_label("Radio (km)").fill("-3")
    page.get_by_label("Cerca de (lat,lon)").fill("20.67,-103.35")
    page.get_by_role("button", name="Buscar").click()
    error = page.locator(".field-error")
    assert error.count() == 1 and "20000" in error.inner_text()
    page.screenshot(path="/tmp/matchmaker-search.png", full_page=True)
