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

    # on a phone the ~40 facet checkboxes came first, the search box a screen and a half down: now the form
    # and the results lead and the facets follow; a wide screen keeps them in the left column beside the form
    page.set_viewport_size({"width": 390, "height": 844})
    box, first_facet = page.get_by_label("What do you need made?"), page.locator(".facets input").first
    assert box.bounding_box()["y"] < 400, box.bounding_box()
    assert box.bounding_box()["y"] < result.bounding_box()["y"] < first_facet.bounding_box()["y"]
    page.screenshot(path="/tmp/matchmaker-search-390.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert first_facet.bounding_box()["x"] + 200 < box.bounding_box()["x"]
    assert abs(page.locator(".facets").bounding_box()["y"] - page.locator(".search-main").bounding_box()["y"]) < 2
    page.screenshot(path="/tmp/matchmaker-search-1280.png", full_page=True)

    # app.js (deferred) submits a facet on change; a click only waits for the next page to commit, so wait
    # until the scripts have run before ticking, or the change can land before its listener exists.
    page.wait_for_load_state("domcontentloaded")
    with page.expect_navigation(url="**process=cutting**"):
        page.locator(".facets").get_by_label("Cutting").check()  # a facet: narrows and resubmits
    assert "Taller Azul" in page.locator("article.result").first.inner_text()

    page.get_by_test_id("switch-language").click()
    assert page.locator(".facets").get_by_text("Corte").count() == 1
    page.get_by_label("Radio (km)").fill("-3")
    page.get_by_label("Cerca de (latitud, longitud)").fill("20.67,-103.35")
    page.get_by_role("button", name="Buscar").click()
    error = page.locator(".field-error")
    assert error.count() == 1 and "20000" in error.inner_text()
    page.screenshot(path="/tmp/matchmaker-search.png", full_page=True)


def test_search_box_suggests_as_the_buyer_types_and_keys_pick(page, live_server):
    """Autocomplete: terms and maker names as one types, chosen with the keyboard, in both languages."""
    sign_in(page, "buyer")
    page.get_by_role("link", name="Search makers").click()
    page.wait_for_load_state("domcontentloaded")  # the suggestions come from a deferred script
    box = page.get_by_role("combobox", name="What do you need made?")
    box.press_sequentially("tall", delay=30)
    options = page.get_by_role("option")
    options.first.wait_for()
    assert any("Taller Azul" in t for t in options.all_inner_texts())
    assert box.get_attribute("aria-expanded") == "true"
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"

    box.fill("")
    box.press_sequentially("lavand", delay=30)
    page.get_by_role("option", name="Laundry / wash").wait_for()
    while "true" != page.get_by_role("option", name="Laundry / wash").get_attribute("aria-selected"):
        box.press("ArrowDown")
    box.press("Enter")  # a process term becomes the process filter
    page.wait_for_url("**process=laundry**")
    assert "Taller Azul" in page.locator("article.result").first.inner_text()

    page.get_by_test_id("switch-language").click()
    page.wait_for_load_state("domcontentloaded")
    box = page.get_by_role("combobox", name="¿Qué necesita fabricar?")
    box.fill("")
    box.press_sequentially("lavand", delay=30)
    page.get_by_role("option", name="Lavandería / lavado").wait_for()


def test_the_search_form_keeps_its_width_when_there_are_no_facets(page, live_server):
    """With no results, or a refused query, the facet column is hidden; the form used to fall into that
    240-pixel column, its fields squeezed to a few letters each."""
    sign_in(page, "buyer")
    for query in ("q=xyzzyq", "quantity=lots"):
        page.goto(f"/search?{query}")
        assert page.locator("aside.facets").is_hidden(), query
        width = page.get_by_label("What do you need made?").bounding_box()["width"]
        assert width > 600, (query, width)
    page.goto("/search?q=xyzzyq")
    assert page.get_by_test_id("no-results").is_visible()
