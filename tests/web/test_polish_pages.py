"""Issue 9 polish every page shares: the favicon, no inline script or style in what the pages render, the
Spanish menu button. The concerns' own polish is tested in their folders (search's Spanish range refusal,
the organization page's About once, the requirement page's Spanish dates and numbers)."""
from __future__ import annotations

import re

import pytest

from tests.support.world import build_world, login_as, set_language


@pytest.fixture
def world(factory):
    return build_world(factory)


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
