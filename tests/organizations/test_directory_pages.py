"""The directory pages: filters, paging, and an organization's public page (its maker profile, never its
clients), through Flask's test client signed in like a browser."""
from __future__ import annotations

import re

import pytest

from matchmaker import db
from matchmaker.organizations.records import Organization

from tests.support.world import CERTIFICATE_VALID_UNTIL, MAKER_BODY, build_world, login_as, set_language


@pytest.fixture
def world(factory):
    return build_world(factory)


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_spanish_taxonomy_labels_on_the_maker_page(client, factory, world):
    login_as(client, factory, world.users["buyer_user"])
    set_language(client, "es")
    html = _text(client.get(f"/organizations/{world.maker_a}"))
    assert "Costura / ensamble" in html and "Pantalón vaquero" in html and "Paquete completo" in html
    assert "Mercado latino" in html and "Vigente" in html


def test_directory_filters_and_pages(client, factory, world):
    for i in range(25):
        factory.org("maker", name=f"Taller Extra {i:02d}", state="Puebla")
    login_as(client, factory, world.users["buyer_user"])
    html = _text(client.get("/organizations?kind=buyer"))
    assert "Lone Star Denim" in html and "Taller Azul" not in html
    html = _text(client.get("/organizations?state=Aguascalientes"))
    assert "Mezclilla Norte" in html and "Taller Azul" not in html
    html = _text(client.get("/organizations?q=azul"))
    assert "Taller Azul" in html and "Mezclilla Norte" not in html
    html = _text(client.get("/organizations?q=%25"))  # a LIKE wildcard is searched literally
    assert "No results." in html
    first = _text(client.get("/organizations?state=Puebla"))
    assert "25 organizations" in first and "Page 1 of 2" in first and "Taller Extra 19" in first
    second = _text(client.get("/organizations?state=Puebla&page=2"))
    assert "Taller Extra 24" in second and "Taller Extra 00" not in second
    assert client.get("/organizations?page=abc&kind=nonsense").status_code == 200


def test_maker_page_shows_the_public_profile_never_clients(client, factory, world):
    login_as(client, factory, world.users["maker_b_user"])
    html = _text(client.get(f"/organizations/{world.maker_a}"))
    for public in ("20,000", "MX-9001-77", "IMNC", f"May 1, {CERTIFICATE_VALID_UNTIL.year}", "Small (16–100)",
                   "Guadalajara"):
        assert public in html
    assert "Pacific Boutique" not in html  # the client in maker A's outcome log
    assert f"/makers/{world.maker_a}/edit" not in html  # no edit link for another maker
    assert client.get("/organizations/999999").status_code == 404


# -- the profile's About once (issue 9) -------------------------------------------------------------

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


def _pager_link(html: str, which: str) -> str | None:
    match = re.search(rf'href="([^"]*)" data-testid="{which}-page">([^<]*)<', html)
    return f"{match.group(1)} {match.group(2).strip()}" if match else None


def test_a_long_directory_links_its_first_and_last_pages_in_both_languages(client, factory, world):
    for i in range(90):
        factory.org("maker", name=f"Taller Lejano {i:02d}", state="Puebla")
    login_as(client, factory, world.users["buyer_user"])
    first = _text(client.get("/organizations?state=Puebla"))
    assert "Page 1 of 5" in first and _pager_link(first, "first") is None
    link = _pager_link(first, "last")
    assert link.startswith("/organizations?page=5&amp;") and "state=Puebla" in link, link
    assert link.endswith(" Last page »"), link
    set_language(client, "es")
    middle = _text(client.get("/organizations?state=Puebla&page=3"))
    back = _pager_link(middle, "first")
    assert back.startswith("/organizations?page=1&amp;") and "state=Puebla" in back
    assert back.endswith(" « Primera página")
    assert _pager_link(middle, "last").endswith(" Última página »")
    last = _text(client.get("/organizations?state=Puebla&page=5"))
    assert "Taller Lejano 89" in last and _pager_link(last, "last") is None and _pager_link(last, "first")
