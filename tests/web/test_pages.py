"""The server-rendered pages through Flask's test client, signed in like a browser (CSRF token from the page):
what every page shares, signing in, CSRF and both languages. Each concern's own pages are tested in its folder
(``tests/makers/test_pages.py``, ``tests/requirements/test_pages.py``, ``tests/home/``, ``tests/organizations/``)."""
from __future__ import annotations

import pytest

from matchmaker import db
from matchmaker.makers.records import MakerProfile

from tests.support.world import MAKER_BODY, build_world, login, login_as, maker_form, page_token, set_language


@pytest.fixture
def world(factory):
    return build_world(factory)


def _text(response) -> str:
    return response.get_data(as_text=True)


def _profile(app, org_id) -> MakerProfile:
    with app.app_context():
        return db.session().get(MakerProfile, org_id)


# -- signing in -----------------------------------------------------------------------------------

def test_login_and_logout(client, factory, world):
    response = login(client, factory.email(world.users["maker_user"]))
    assert response.status_code == 302 and response.headers["Location"].endswith("/home")
    home = client.get("/home")
    assert home.status_code == 200 and "Taller Azul" in _text(home)
    response = client.post("/logout", data={"csrf_token": page_token(client, "/home")})
    assert response.status_code == 302
    assert client.get("/home").status_code == 302  # back to the login page


def test_wrong_password_is_refused(client, factory, world):
    response = login(client, factory.email(world.users["maker_user"]), "not the password")
    assert response.status_code == 401
    assert "Wrong email or password." in _text(response)
    assert client.get("/home").status_code == 302


def test_login_redirects_back_but_never_off_site(client, factory, world):
    token = page_token(client, "/login")
    email = factory.email(world.users["buyer_user"])
    response = client.post("/login?next=//evil.example/x", data={"csrf_token": token, "email": email,
                                                                   "password": factory.PASSWORD})
    assert response.headers["Location"].endswith("/home")


# Browsers read a backslash as a slash and drop tabs and line breaks, so each of these is ``//evil.example``.
OFF_SITE = ["/\\evil.example/x", "/\t/evil.example/x", "/\n/evil.example/x", "/\r/evil.example/x"]


@pytest.mark.parametrize("target", OFF_SITE)
def test_no_page_redirects_to_a_path_a_browser_reads_as_another_site(client, factory, world, target):
    token = page_token(client, "/login")
    email = factory.email(world.users["buyer_user"])
    response = client.post("/login", query_string={"next": target},
                           data={"csrf_token": token, "email": email, "password": factory.PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/home"), response.headers["Location"]
    response = client.post("/language", data={"csrf_token": page_token(client, "/home"), "lang": "es",
                                              "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/", response.headers["Location"]


def test_a_same_site_next_is_followed(client, factory, world):
    token = page_token(client, "/login")
    response = client.post("/login", query_string={"next": "/search?q=denim"},
                           data={"csrf_token": token, "email": factory.email(world.users["buyer_user"]),
                                 "password": factory.PASSWORD})
    assert response.headers["Location"] == "/search?q=denim"
    response = client.post("/language", data={"csrf_token": page_token(client, "/home"), "lang": "es",
                                              "next": "/search?q=denim"})
    assert response.headers["Location"] == "/search?q=denim"


def test_csrf_is_enforced(app, client, factory, world):
    """The one test that touches WTF_CSRF_ENABLED: it proves that a POST without a token is refused."""
    assert app.config.get("WTF_CSRF_ENABLED", True) is True
    email = factory.email(world.users["maker_user"])
    assert client.post("/login", data={"email": email, "password": factory.PASSWORD}).status_code == 400
    login_as(client, factory, world.users["maker_user"])
    before = _profile(app, world.maker_a).version
    body = maker_form({**MAKER_BODY, "monthly_capacity": 1}, version=before)
    response = client.post(f"/makers/{world.maker_a}/edit", data=body)
    assert response.status_code == 400
    response = client.post(f"/makers/{world.maker_a}/edit", data={**body, "csrf_token": "forged"})
    assert response.status_code == 400
    assert _profile(app, world.maker_a).version == before



def test_signing_in_with_empty_fields_is_refused_with_the_message_beside_each(client):
    set_language(client, "es")
    response = client.post("/login", data={"csrf_token": page_token(client, "/login"), "email": "", "password": ""})
    assert response.status_code == 422
    html = _text(response)
    assert html.count("Este campo es obligatorio.") == 2 and 'name="email"' in html

# -- every page in English and Spanish --------------------------------------------------------------

PAGES = {  # role -> [(path, a label the page must show in Spanish)]
    "maker_user": [("/home", "Su empresa"), ("/organizations", "Organizaciones"),
                   ("/organizations?kind=maker&state=Jalisco&q=azul", "Fabricante"),
                   ("/organizations/{maker_a}", "Perfil de capacidades"), ("/organizations/{buyer_a}", "Ubicación"),
                   ("/makers/{maker_a}/edit", "Perfil del fabricante"), ("/requirements/{open_req}", "Comprador")],
    "buyer_user": [("/home", "Nuevo requerimiento"), ("/requirements", "Mis requerimientos"),
                   ("/requirements/new", "Procesos requeridos"), ("/requirements/{open_req}", "Abierto"),
                   ("/requirements/{draft_req}/edit", "Editar requerimiento"),
                   ("/organizations/{maker_a}", "Costura / ensamble")],
    "association_staff": [("/home", "Socios"), ("/organizations/{maker_b}", "Nivel de servicio")],
    "board_member": [("/home", "Miembro del consejo")],
    "fair_organizer": [("/home", "Organizador de feria")],
    "platform_admin": [("/home", "Administración de la plataforma"), ("/makers/{maker_b}/edit", "Guardar"),
                       ("/requirements/{draft_req}/edit", "Borrador")],
    "maker_new_user": [("/home", "aún no tiene perfil"), ("/makers/{maker_new}/edit", "Capacidad mensual")],
}


@pytest.mark.parametrize("who", sorted(PAGES))
def test_pages_render_in_both_languages(client, factory, world, who):
    login_as(client, factory, world.users[who])
    for lang, (template, spanish) in ((lang, page) for lang in ("en", "es") for page in PAGES[who]):
        set_language(client, lang)
        path = template.format(**vars(world))
        response = client.get(path)
        assert response.status_code == 200, (who, path, response.status_code)
        html = _text(response)
        assert f'<html lang="{lang}">' in html
        if lang == "es":
            assert "Cerrar sesión" in html and "Sign out" not in html
            assert spanish in html, (path, spanish)
        else:
            assert "Sign out" in html
