"""The server-rendered pages through Flask's test client, signed in like a browser (CSRF token from the page)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from matchmaker import db
from matchmaker.makers.records import MakerProfile
from matchmaker.requirements.records import Requirement

from tests.support.world import (
    MAKER_BODY, REQUIREMENT_BODY, build_world, login, login_as, maker_form, page_token, post_form,
    requirement_form, set_language,
)


@pytest.fixture
def world(factory):
    return build_world(factory)


def _text(response) -> str:
    return response.get_data(as_text=True)


def _profile(app, org_id) -> MakerProfile:
    with app.app_context():
        return db.session().get(MakerProfile, org_id)


def _requirement(app, req_id) -> Requirement:
    with app.app_context():
        return db.session().get(Requirement, req_id)


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


def test_spanish_taxonomy_labels_on_the_maker_page(client, factory, world):
    login_as(client, factory, world.users["buyer_user"])
    set_language(client, "es")
    html = _text(client.get(f"/organizations/{world.maker_a}"))
    assert "Costura / ensamble" in html and "Pantalón vaquero" in html and "Paquete completo" in html
    assert "Mercado latino" in html and "Vigente" in html


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


# -- directory ------------------------------------------------------------------------------------

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
    for public in ("20,000", "MX-9001-77", "IMNC", "May 1, 2031", "Small (16–100)", "Guadalajara"):
        assert public in html
    assert "Pacific Boutique" not in html  # the client in maker A's outcome log
    assert f"/makers/{world.maker_a}/edit" not in html  # no edit link for another maker
    assert client.get("/organizations/999999").status_code == 404


# -- maker profile edit -----------------------------------------------------------------------------

def test_maker_edits_own_profile(app, client, factory, world):
    login_as(client, factory, world.users["maker_user"])
    before = _profile(app, world.maker_a)
    body = {**MAKER_BODY, "monthly_capacity": 25000, "processes": ["cutting", "sewing", "laser"],
            "certificates": MAKER_BODY["certificates"] + [
                {"kind": "wrap", "issuer": "WRAP", "number": "W-1", "valid_until": "2027-01-31"}]}
    response = post_form(client, f"/makers/{world.maker_a}/edit", maker_form(body, before.version))
    assert response.status_code == 302, _text(response)[:2000]
    after = _profile(app, world.maker_a)
    assert after.version == before.version + 1
    assert after.monthly_capacity == 25000
    assert sorted(p.code for p in after.processes) == ["cutting", "laser", "sewing"]
    assert sorted(c.kind for c in after.certificates) == ["iso9001", "wrap"]
    assert "Saved." in _text(client.get(response.headers["Location"]))


def test_maker_creates_a_missing_profile(app, client, factory, world):
    login_as(client, factory, world.users["maker_new_user"])
    response = post_form(client, f"/makers/{world.maker_new}/edit", maker_form(MAKER_BODY))
    assert response.status_code == 302, _text(response)[:2000]
    assert _profile(app, world.maker_new).monthly_capacity == 20000


def test_maker_cannot_edit_another_makers_profile(app, client, factory, world):
    login_as(client, factory, world.users["maker_user"])
    assert client.get(f"/makers/{world.maker_b}/edit").status_code == 403
    before = _profile(app, world.maker_b).version
    response = post_form(client, f"/makers/{world.maker_b}/edit",
                         maker_form({**MAKER_BODY, "monthly_capacity": 1}, before), token_page="/home")
    assert response.status_code == 403
    assert _profile(app, world.maker_b).version == before


def test_buyer_cannot_open_maker_edit(client, factory, world):
    login_as(client, factory, world.users["buyer_user"])
    response = client.get(f"/makers/{world.maker_a}/edit")
    assert response.status_code == 403 and "Not allowed" in _text(response)


INVALID_PROFILES = [  # (raw form change, field it concerns, message shown beside it)
    ({"monthly_capacity": "-5"}, "monthly_capacity", "Must be at least 0."),
    ({"processes": ["sewing", "teleportation"]}, "processes", "Unknown value: choose from the list."),
    ({"min_order_qty": "99999999"}, "min_order_qty", "Must be at most 10,000,000."),
    ({"min_order_qty": "0"}, "min_order_qty", "Must be at least 1."),  # an order of 0 pieces is no minimum
    ({"min_order_qty": "300000"}, "min_order_qty",
     "The minimum order quantity is more than a year of monthly capacity."),
    ({"headcount": ""}, "headcount", "This field is required."),
    ({"order_lead_days": "soon"}, "order_lead_days", "Enter a whole number."),
    ({"processes": []}, "processes", "Choose at least 1."),
    ({"certificates-1-kind": "wrap", "certificates-1-issuer": "WRAP", "certificates-1-valid_until": "2027-01-31"},
     "certificates-1-number", "This field is required."),
    ({"certificates-0-valid_until": "next year"}, "certificates-0-valid_until", "Enter a date as YYYY-MM-DD."),
]


def test_invalid_profile_shows_message_beside_the_field(app, client, factory, world):
    login_as(client, factory, world.users["maker_user"])
    before = _profile(app, world.maker_a)
    for change, field, message in INVALID_PROFILES:
        data = {**maker_form(MAKER_BODY, before.version), **change}
        response = post_form(client, f"/makers/{world.maker_a}/edit", data)
        assert response.status_code == 422, change
        html = _text(response)
        assert f'id="{field}-error" data-field="{field}">{message}' in html, change
        assert f'aria-describedby="{field}-error"' in html, change
        assert "Please correct the marked fields." in html and f'href="#{field}"' in html, change
        after = _profile(app, world.maker_a)
        assert after.version == before.version and after.monthly_capacity == before.monthly_capacity, change


def test_invalid_profile_message_in_spanish(app, client, factory, world):
    login_as(client, factory, world.users["maker_user"])
    set_language(client, "es")
    version = _profile(app, world.maker_a).version
    data = {**maker_form(MAKER_BODY, version), "monthly_capacity": "-5"}
    html = _text(post_form(client, f"/makers/{world.maker_a}/edit", data))
    assert 'id="monthly_capacity-error" data-field="monthly_capacity">Debe ser al menos 0.' in html
    assert "Corrija los campos marcados." in html


def test_stale_version_is_a_conflict(app, client, factory, world):
    login_as(client, factory, world.users["maker_user"])
    before = _profile(app, world.maker_a)
    data = maker_form({**MAKER_BODY, "monthly_capacity": 1234}, before.version - 1 if before.version > 1 else 0)
    response = post_form(client, f"/makers/{world.maker_a}/edit", data)
    assert response.status_code == 409
    assert "Someone else saved this record" in _text(response)
    after = _profile(app, world.maker_a)
    assert after.version == before.version and after.monthly_capacity == before.monthly_capacity


def test_two_tabs_second_save_conflicts(app, client, factory, world):
    login_as(client, factory, world.users["maker_user"])
    version = _profile(app, world.maker_a).version
    first = post_form(client, f"/makers/{world.maker_a}/edit", maker_form({**MAKER_BODY, "headcount": 41}, version))
    assert first.status_code == 302
    second = post_form(client, f"/makers/{world.maker_a}/edit", maker_form({**MAKER_BODY, "headcount": 99}, version))
    assert second.status_code == 409
    assert _profile(app, world.maker_a).headcount == 41


# -- requirements -----------------------------------------------------------------------------------

def test_buyer_creates_and_edits_a_requirement(app, client, factory, world):
    login_as(client, factory, world.users["buyer_user"])
    body = {**REQUIREMENT_BODY, "title": "Western jeans, 5,000 pieces", "product_line": "jeans_western",
            "quantity": 5000, "status": "draft"}
    response = post_form(client, "/requirements/new", requirement_form(body))
    assert response.status_code == 302, _text(response)[:2000]
    req_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    req = _requirement(app, req_id)
    assert (req.buyer_id, req.quantity, req.status, req.processes) == (world.buyer_a, 5000, "draft",
                                                                       ["sewing", "laundry"])
    assert "Western jeans, 5,000 pieces" in _text(client.get("/requirements"))

    response = post_form(client, f"/requirements/{req_id}/edit",
                         requirement_form({**body, "status": "open", "quantity": 6000}, req.version))
    assert response.status_code == 302
    assert (_requirement(app, req_id).status, _requirement(app, req_id).quantity) == ("open", 6000)

    stale = post_form(client, f"/requirements/{req_id}/edit", requirement_form(body, req.version))
    assert stale.status_code == 409 and "Someone else saved this record" in _text(stale)
    assert _requirement(app, req_id).quantity == 6000


def test_invalid_requirement_shows_messages(app, client, factory, world):
    login_as(client, factory, world.users["buyer_user"])
    with app.app_context():
        count = len(db.session().scalars(select(Requirement)).all())
    data = requirement_form({**REQUIREMENT_BODY, "quantity": "0", "lead_time_days": "1", "title": ""})
    response = post_form(client, "/requirements/new", data)
    assert response.status_code == 422
    html = _text(response)
    assert 'id="quantity-error" data-field="quantity">Must be at least 1.' in html
    assert 'id="lead_time_days-error" data-field="lead_time_days">Must be at least 3.' in html
    assert 'id="title-error" data-field="title">This field is required.' in html
    # a rule over two fields runs once the fields are valid: shown at the top and beside the field it names
    response = post_form(client, "/requirements/new",
                         requirement_form({**REQUIREMENT_BODY, "unit_price_min": "20", "unit_price_max": "10"}))
    assert response.status_code == 422
    html = _text(response)
    assert '<li>The lowest price must not exceed the highest price.</li>' in html
    assert 'id="unit_price_min-error" data-field="unit_price_min">The lowest price' in html
    with app.app_context():
        assert len(db.session().scalars(select(Requirement)).all()) == count


def test_requirement_visibility(client, factory, world):
    login_as(client, factory, world.users["buyer_b_user"])
    assert client.get(f"/requirements/{world.draft_req}").status_code == 404
    assert client.get(f"/requirements/{world.draft_req}/edit").status_code == 404
    # a buyer never sees a competitor's requests, even open ones (permissions.can_view_requirement)
    assert client.get(f"/requirements/{world.open_req}").status_code == 404
    assert client.get(f"/requirements/{world.open_req}/edit").status_code == 404
    assert "Secret capsule collection" not in _text(client.get("/requirements"))
    client.post("/logout", data={"csrf_token": page_token(client, "/home")})

    login_as(client, factory, world.users["maker_user"])
    assert client.get(f"/requirements/{world.open_req}").status_code == 200
    assert client.get(f"/requirements/{world.draft_req}").status_code == 404
    assert client.get("/requirements/999999").status_code == 404
    assert client.get("/requirements/new").status_code == 403  # buyers only


def test_other_buyer_cannot_overwrite_a_requirement(app, client, factory, world):
    login_as(client, factory, world.users["buyer_b_user"])
    before = _requirement(app, world.open_req)
    response = post_form(client, f"/requirements/{world.open_req}/edit",
                         requirement_form({**REQUIREMENT_BODY, "quantity": 1}, before.version), token_page="/home")
    assert response.status_code == 404  # not even its existence is confirmed
    assert _requirement(app, world.open_req).version == before.version
