"""The home page per role, through Flask's test client signed in like a browser."""
from __future__ import annotations

import pytest

from tests.support.world import build_world, login_as, page_token


@pytest.fixture
def world(factory):
    return build_world(factory)


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_home_per_role(client, factory, world):
    login_as(client, factory, world.users["maker_user"])
    html = _text(client.get("/home"))
    assert 'data-testid="open-count">1<' in html  # the open requirement, not the draft
    assert "Stretch jeans for spring" in html and "Secret capsule collection" not in html
    client.post("/logout", data={"csrf_token": page_token(client, "/home")})

    login_as(client, factory, world.users["buyer_user"])
    html = _text(client.get("/home"))
    assert "Secret capsule collection" in html and "New requirement" in html
    client.post("/logout", data={"csrf_token": page_token(client, "/home")})

    login_as(client, factory, world.users["board_member"])
    html = _text(client.get("/home"))
    assert "Jeans makers of Guadalajara" in html and "Taller Azul" in html and "Mezclilla Norte" in html
    client.post("/logout", data={"csrf_token": page_token(client, "/home")})

    login_as(client, factory, world.users["platform_admin"])
    html = _text(client.get("/home"))
    assert "Platform administration" in html and "Jeans makers of Guadalajara" in html


def test_a_coordinator_firm_is_offered_no_maker_profile_to_edit(client, factory, world):
    """A coordinator's users sign in as makers, but their firm has no maker profile: the menu's and the
    home page's "Edit profile" led to a 404."""
    coordinator = factory.org("coordinator", name="Coordinadora Textil")
    user = factory.user("maker_user", organization_id=coordinator)
    login_as(client, factory, user)
    assert client.get(f"/makers/{coordinator}/edit").status_code == 404
    for path in ("/home", "/consortia/", "/inquiries"):
        html = _text(client.get(path))
        assert f"/makers/{coordinator}/edit" not in html, path
    client.post("/logout", data={"csrf_token": page_token(client, "/home")})
    login_as(client, factory, world.users["maker_user"])
    html = _text(client.get("/home"))
    assert html.count(f'href="/makers/{world.maker_a}/edit"') == 2  # the menu and the home page
