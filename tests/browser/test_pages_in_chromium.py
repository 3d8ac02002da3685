"""Two journeys in a real browser against a real gunicorn: a maker fixes its profile in Spanish, a buyer
posts a requirement."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

SHOTS = "/tmp"


def test_maker_edits_profile_in_spanish(page, live_server):
    sign_in(page, "maker")
    page.get_by_test_id("switch-language").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.get_by_role("link", name="Editar perfil").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Perfil del fabricante")

    capacity = page.get_by_label("Capacidad mensual (piezas)", exact=True)
    capacity.fill("-5")
    page.get_by_test_id("save").click()
    error = page.locator("#monthly_capacity-error")
    expect(error).to_have_text("Debe ser al menos 0.")
    expect(page.get_by_role("alert").first).to_contain_text("Corrija los campos marcados.")
    expect(capacity).to_have_attribute("aria-invalid", "true")
    # the message sits beside its field: inside the same field block, right under the input
    field_box = page.locator(".field", has=capacity).bounding_box()
    error_box = error.bounding_box()
    assert field_box["y"] <= error_box["y"] <= field_box["y"] + field_box["height"]
    # the summary at the top links to the marked field
    expect(page.locator("#form-problems a[href='#monthly_capacity']")).to_have_text("Capacidad mensual (piezas)")
    capacity.scroll_into_view_if_needed()
    page.screenshot(path=f"{SHOTS}/matchmaker-maker-error.png", full_page=False)

    capacity.fill("18000")
    page.get_by_label("Solidez del color", exact=True).check()
    page.get_by_test_id("save").click()
    expect(page.locator(".flash.success")).to_have_text("Guardado.")
    profile = page.get_by_test_id("capability-profile")
    expect(profile).to_contain_text("18,000")
    expect(profile).to_contain_text("Solidez del color")
    expect(profile).to_contain_text("Costura / ensamble")
    page.screenshot(path=f"{SHOTS}/matchmaker-maker-profile.png", full_page=True)


def test_buyer_creates_a_requirement(page, live_server):
    sign_in(page, "buyer")
    page.get_by_test_id("new-requirement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New requirement")
    # a new form starts from the schema's defaults
    expect(page.get_by_label("All required processes", exact=True)).to_be_checked()
    page.get_by_label("Title", exact=True).fill("Women's stretch jeans, dark wash")
    page.get_by_role("combobox", name="Product line").select_option("jeans_stretch_women")
    page.get_by_label("Quantity", exact=True).fill("2500")
    page.get_by_label("Delivery lead time (days)", exact=True).fill("35")
    page.get_by_label("Sewing / assembly", exact=True).check()
    page.get_by_label("Laundry / wash", exact=True).check()
    page.get_by_role("combobox", name="Status").select_option("open")
    page.screenshot(path=f"{SHOTS}/matchmaker-requirement-form.png", full_page=True)
    page.get_by_test_id("save").click()

    expect(page).to_have_url(re.compile(r"/requirements/\d+$"))
    expect(page.locator(".flash.success")).to_have_text("Saved.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Women's stretch jeans, dark wash")
    expect(page.locator("main")).to_contain_text("Open")
    page.get_by_role("link", name="My requirements").first.click()
    expect(page.locator("table")).to_contain_text("Women's stretch jeans, dark wash")
