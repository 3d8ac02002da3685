"""Issue 9 polish on the core pages: Spanish messages and numbers, the profile's About once, favicon,
no inline script or style in what the pages render."""
from __future__ import annotations

import re

import pytest

from matchmaker import db
from matchmaker.organizations.records import Organization

from tests.support.world import MAKER_BODY, build_world, login_as, set_language


@pytest.fixture
def world(factory):
    return build_world(factory)


def test_search_range_error_is_spanish_with_grouped_numbers(client, factory, world):
    login_as(client, factory, world.users["buyer_user"])
    set_language(client, "es")
    page = client.get("/search?quantity=99999999999")
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "debe estar entre 1 y 10,000,000" in html
    assert "must be between" not in html


def test_about_is_shown_once_when_it_repeats_the_description(app, client, factory, world):
    with app.app_context():
        sess = db.session()
        sess.get(Organization, world.maker_a).description = MAKER_BODY["about"]
        sess.commit()
    login_as(client, factory, world.users["buyer_user"])
    html = client.get(f"/organizations/{world.maker_a}").get_data(as_text=True)
    assert html.count(MAKER_BODY["about"]) == 1


def test_about_is_shown_when_it_says_something_else(app, client, factory, world):
    login_as(client, factory, world.users["buyer_user"])
    html = client.get(f"/organizations/{world.maker_a}").get_data(as_text=True)
    assert 'data-testid="maker-about"' in html and html.count(MAKER_BODY["about"]) == 1


def test_requirement_page_dates_and_numbers_in_spanish(client, factory, world):
    login_as(client, factory, world.users["buyer_user"])
    set_language(client, "es")
    html = client.get(f"/requirements/{world.open_req}").get_data(as_text=True)
    assert "3,000" in html  # quantity, grouped as Mexican Spanish does
    created = re.search(r"<dt>Creado</dt><dd>([^<]+)</dd>", html).group(1)
    assert re.fullmatch(r"\d{1,2} (ene|feb|mar|abr|may|jun|jul|ago|sept?|oct|nov|dic) \d{4}", created), created


def test_every_page_links_the_favicon_and_has_no_inline_script_or_style(client, factory, world):
    pages = {"buyer_user": ["/home", "/search", f"/requirements/{world.open_req}", "/vetting/status"],
             "platform_admin": ["/admin/", "/admin/models", "/admin/index", "/admin/users", "/admin/users/new",
                                "/admin/associations", f"/admin/associations/{world.association}/members",
                                "/admin/pending"],
             "association_staff": ["/admin/pending", "/vetting/queue", "/vetting/buyers"]}
    for role, paths in pages.items():
        c = client.application.test_client()
        login_as(c, factory, world.users[role])
        for path in paths:
            r = c.get(path, follow_redirects=True)
            html = r.get_data(as_text=True)
            assert r.status_code == 200, path
            assert 'rel="icon"' in html, path
            assert not re.search(r"<script(?![^>]*\bsrc=)", html), path
            assert " style=" not in html, path


def test_spanish_navigation_has_a_menu_button(client, factory, world):
    login_as(client, factory, world.users["board_member"])
    set_language(client, "es")
    html = client.get("/home").get_data(as_text=True)
    assert 'class="nav-toggle"' in html and "Menú" in html and 'aria-controls="main-nav"' in html
