"""Admin and staff pages: model and index health, users, memberships, pending work."""
from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from matchmaker import db
from matchmaker.accounts.records import User
from matchmaker.organizations.records import Membership

from tests.support.world import build_world, csrf_from, login, login_as, set_language


@pytest.fixture
def world(factory):
    return build_world(factory)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), (31, 78, 140)).save(out, format="PNG")
    return out.getvalue()


RANKER_META = {
    "training_window": ["2024-05-05", "2026-05-20"], "test_window": ["2026-05-22", "2026-10-19"],
    "n_train_impressions": 3091, "n_test_queries": 54, "trained_at": "2026-12-01T08:10:05.567011+00:00",
    "metrics": {"learned ranker": {"NDCG@5": 0.4588, "NDCG@10": 0.5533, "MRR": 0.5819},
                "random": {"NDCG@5": 0.3685, "NDCG@10": 0.4499, "MRR": 0.5167}},
}


def _store_ranker(app) -> str:
    from models.registry import ModelRegistry

    reg = ModelRegistry(app.config["MODEL_DIR"])
    version = reg.save("ranker", {"metrics.png": _png(), "model.txt": b"not a model"}, RANKER_META)
    reg.promote("ranker", version)
    return version


def test_model_page_describes_the_ranker_in_words_with_baselines_and_plot(app, client, factory, world):
    version = _store_ranker(app)
    login_as(client, factory, world.users["platform_admin"])
    html = client.get("/admin/models").get_data(as_text=True)
    assert "learned model trained Dec 1, 2026 on outcomes from May 5, 2024 to May 20, 2026" in html
    assert "0.553" in html and "0.450" in html  # the learned ranker beside the random baseline
    assert "3,091" in html
    src = re.search(r'<img src="([^"]+)"', html).group(1)
    image = client.get(src)
    assert image.status_code == 200 and image.mimetype == "image/png" and image.data == _png()
    # only the known plot of a stored version is served
    assert client.get(f"/admin/models/ranker/{version}/model.txt").status_code == 404
    assert client.get(f"/admin/models/ranker/{version}/..%2Fmanifest.json").status_code == 404
    assert client.get("/admin/models/ranker/20990101T000000000000Z/metrics.png").status_code == 404
    assert "No model is promoted yet" in html  # no screener in this test's model directory

    set_language(client, "es")
    html = client.get("/admin/models").get_data(as_text=True)
    assert "modelo aprendido entrenado el 1 dic 2026 con resultados del 5 may 2024 al 20 may 2026" in html


def test_pages_name_a_model_version_in_words(app, client, factory, world):
    from flask import render_template_string

    version = _store_ranker(app)
    with app.test_request_context("/"):
        assert render_template_string("{{ model_words('ranker', v) }}", v=version) == \
            "learned model trained Dec 1, 2026 on outcomes from May 5, 2024 to May 20, 2026"
    login_as(client, factory, world.users["buyer_user"])
    assert version not in client.get(f"/requirements/{world.open_req}").get_data(as_text=True)


def test_only_admins_open_admin_pages(client, factory, world):
    login_as(client, factory, world.users["association_staff"])
    for path in ("/admin/", "/admin/models", "/admin/index", "/admin/users", "/admin/users/new"):
        assert client.get(path).status_code == 403, path


def test_index_page_counts_documents_and_waiting_changes(client, factory, world):
    login_as(client, factory, world.users["platform_admin"])
    html = client.get("/admin/index").get_data(as_text=True)
    table = html[html.index('data-testid="index-health"'):]
    rows = re.findall(r"<tr><td>([^<]+)</td>\s*<td class=\"num\">([^<]+)</td><td class=\"num\">([^<]+)</td>"
                      r"<td class=\"num\">([^<]+)</td>", table)
    assert ("Maker profiles", "2", "2", "0") in rows
    assert ("Requirements", "2", "2", "0") in rows


def _form(client, path):
    return csrf_from(client.get(path).get_data(as_text=True))


def test_admin_creates_a_user_who_signs_in_with_the_temporary_password(app, client, factory, world):
    login_as(client, factory, world.users["platform_admin"])
    token = _form(client, "/admin/users/new")
    r = client.post("/admin/users/new", data={"csrf_token": token, "email": "nueva@taller-azul.mx", "name": "Ana",
                                              "role": "maker_user", "organization_id": str(world.maker_a),
                                              "association_id": "", "active": "y"})
    assert r.status_code == 201
    password = re.search(r'<code class="secret">([^<]+)</code>', r.get_data(as_text=True)).group(1)
    other = app.test_client()
    assert login(other, "nueva@taller-azul.mx", password).status_code == 302
    assert other.get("/home").status_code == 200


def test_bad_user_form_says_why_beside_each_field_in_spanish(client, factory, world):
    login_as(client, factory, world.users["platform_admin"])
    set_language(client, "es")
    token = _form(client, "/admin/users/new")
    r = client.post("/admin/users/new", data={"csrf_token": token, "email": "not-an-email", "name": "",
                                              "role": "buyer_user", "organization_id": ""})
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert 'data-field="email">Escriba un correo como nombre@empresa.mx.' in html
    assert 'data-field="name">Este campo es obligatorio.' in html
    assert 'data-field="organization_id">Una cuenta de fabricante o comprador necesita su empresa.' in html
    r = client.post("/admin/users/new", data={"csrf_token": token, "email": "x@y.mx", "name": "X", "role": "wizard"})
    assert r.status_code == 422
    assert 'data-field="role">Elija uno de los valores de la lista.' in r.get_data(as_text=True)
    duplicate = {"csrf_token": token, "email": factory.email(world.users["maker_user"]).upper(), "name": "Dup",
                 "role": "platform_admin"}
    html = client.post("/admin/users/new", data=duplicate).get_data(as_text=True)
    assert 'data-field="email">Ya existe un usuario con este correo.' in html


def test_disabled_user_cannot_sign_in_and_temporary_password_replaces_the_old(app, client, factory, world):
    maker = world.users["maker_user"]
    login_as(client, factory, world.users["platform_admin"])
    token = _form(client, "/admin/users")
    assert client.post(f"/admin/users/{maker}/active", data={"csrf_token": token}).status_code == 302
    assert login(app.test_client(), factory.email(maker)).status_code != 302
    with app.app_context():
        assert db.session().get(User, maker).active is False
    client.post(f"/admin/users/{maker}/active", data={"csrf_token": token})
    r = client.post(f"/admin/users/{maker}/password", data={"csrf_token": token})
    password = re.search(r'<code class="secret">([^<]+)</code>', r.get_data(as_text=True)).group(1)
    assert login(app.test_client(), factory.email(maker)).status_code != 302  # the old password is gone
    assert login(app.test_client(), factory.email(maker), password).status_code == 302


def test_a_temporary_password_ends_the_sessions_the_old_one_opened(app, client, factory, world):
    """An admin resets a password because it leaked or was forgotten: whoever signed in with it is signed out,
    as after the user's own change or an emailed reset."""
    maker = world.users["maker_user"]
    before = login_as(app.test_client(), factory, maker)
    assert before.get("/home").status_code == 200
    login_as(client, factory, world.users["platform_admin"])
    r = client.post(f"/admin/users/{maker}/password", data={"csrf_token": _form(client, "/admin/users")})
    assert r.status_code == 200
    assert before.get("/home").status_code == 302  # back to the login page
    assert client.get("/admin/users").status_code == 200  # the admin's own session goes on


def test_admin_cannot_disable_itself(client, factory, world):
    me = world.users["platform_admin"]
    login_as(client, factory, me)
    token = _form(client, "/admin/users")
    client.post(f"/admin/users/{me}/active", data={"csrf_token": token})
    assert client.get("/home").status_code == 200


def test_users_list_pages(client, factory, world):
    for _ in range(30):
        factory.user("buyer_user", world.buyer_b)
    with client.application.app_context():
        users = db.session().query(User).count()  # the world's users (one per role) and the 30 above
    login_as(client, factory, world.users["platform_admin"])
    first = client.get("/admin/users").get_data(as_text=True)
    assert first.count('<td><a href="/admin/users/') == 25 and "Page 1 of 2" in re.sub(r"\s+", " ", first)
    second = client.get("/admin/users?page=2").get_data(as_text=True)
    assert users > 25 and second.count('<td><a href="/admin/users/') == users - 25
    assert client.get("/admin/users?page=abc").status_code == 200


def test_staff_manage_own_association_members_only(app, client, factory, world):
    login_as(client, factory, world.users["association_staff"])
    page = f"/admin/associations/{world.association}/members"
    token = _form(client, page)
    r = client.post(page, data={"csrf_token": token, "organization_id": str(world.maker_new), "role": "member",
                                "since": "2026-11-01"})
    assert r.status_code == 302
    with app.app_context():
        assert db.session().query(Membership).filter_by(association_id=world.association,
                                                        organization_id=world.maker_new).count() == 1
    r = client.post(page, data={"csrf_token": token, "organization_id": str(world.maker_new), "role": "member"})
    assert r.status_code == 422 and "This firm is already a member." in r.get_data(as_text=True)
    r = client.post(page, data={"csrf_token": token, "organization_id": str(world.buyer_a), "role": "member"})
    assert r.status_code == 422
    other = factory.user("association_staff", association_id=None)
    client2 = app.test_client()
    login_as(client2, factory, other)
    assert client2.get(page).status_code == 404


def test_staff_dashboard_lists_open_cases(client, factory, world):
    from tests.vetting.conftest import csrf_from as _csrf  # noqa: F401  (same helper shape)

    buyer = world.users["buyer_b_user"]
    login_as(client, factory, buyer)
    token = _form(client, f"/vetting/status/{world.buyer_b}")
    assert client.post("/vetting/apply", data={"csrf_token": token, "association_id": str(world.association)}
                       ).status_code == 302
    staff = client.application.test_client()
    login_as(staff, factory, world.users["association_staff"])
    html = staff.get("/admin/pending").get_data(as_text=True)
    cases = html[html.index('data-testid="pending-cases"'):html.index('data-testid="pending-disputes"')]
    assert "Pacific Boutique" in cases


def test_favicon_is_served(client):
    r = client.get("/favicon.ico")
    assert r.status_code == 200 and r.data[:4] == b"\x00\x00\x01\x00"


def test_disabling_a_login_and_replacing_its_password_ask_first_in_the_readers_language(client, factory, world):
    """Both take effect at once and lock the person out: the buttons carry the question app.js asks
    (data-confirm), naming the login; an inactive login's "Enable" asks nothing."""
    maker = world.users["maker_user"]
    email = factory.email(maker)
    login_as(client, factory, world.users["platform_admin"])
    page = client.get("/admin/users?q=" + email).get_data(as_text=True)
    assert f'data-confirm="Disable {email}? They can no longer sign in."' in page
    assert f'data-confirm="Give {email} a temporary password? Their current password stops working."' in page
    set_language(client, "es")
    page = client.get("/admin/users?q=" + email).get_data(as_text=True)
    assert f'data-confirm="¿Desactivar {email}? Ya no podrá iniciar sesión."' in page
    assert f'data-confirm="¿Dar a {email} una contraseña temporal? Su contraseña actual dejará de funcionar."' in page
    client.post(f"/admin/users/{maker}/active", data={"csrf_token": _form(client, "/admin/users")})
    page = client.get("/admin/users?q=" + email).get_data(as_text=True)
    row = page.split("<tbody>", 1)[1].split(f">{email}</a>", 1)[1].split("</tr>", 1)[0]
    assert "Activar" in row and "¿Desactivar" not in row and "¿Dar a" in row


def test_user_form_names_the_firm_by_typing_with_suggestions_and_resolves_it_on_submit(app, client, factory, world):
    """The user form's organization is a text field, not a select of every firm: as the admin types, firms
    of any kind are suggested; without JavaScript the typed name is resolved on submit, and no or several
    matching firms come back beside the field, in the admin's language, with nothing written. Editing a user
    shows the firm's name and keeps it, or takes a newly typed one."""
    factory.org("buying_agent", name="Lone Star Sourcing", country="US")
    login_as(client, factory, world.users["platform_admin"])
    page = client.get("/admin/users/new").get_data(as_text=True)
    assert 'name="organization_name"' in page and "Pacific Boutique" not in page  # a search field, not a list
    items = client.get("/admin/users/firms?q=lone st").get_json()["items"]
    assert [i["text"] for i in items] == ["Lone Star Denim (US)", "Lone Star Sourcing (US)"]
    assert items[0]["value"] == world.buyer_a and items[1]["kind"] == "buying_agent"
    assert [i["value"] for i in client.get("/admin/users/firms?q=taller azul").get_json()["items"]] == [world.maker_a]
    assert client.get("/admin/users/firms?q=l").get_json()["items"] == []  # two characters at least
    assert client.get("/admin/users/firms?q=%25").get_json()["items"] == []  # no wildcard listing every firm
    token = csrf_from(page)
    base = {"csrf_token": token, "name": "Ana", "role": "buyer_user", "association_id": "", "active": "y"}
    with app.app_context():
        before = db.session().query(User).count()
    r = client.post("/admin/users/new", data={**base, "email": "a@lone.mx", "organization_name": "lone star"})
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and 'data-field="organization_id">Several firms match “lone star”:' in html
    assert "Lone Star Sourcing (US)" in html and "Type the full name." in html
    set_language(client, "es")
    r = client.post("/admin/users/new", data={**base, "email": "a@lone.mx", "organization_name": "Nadie SA"})
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and 'data-field="organization_id">Ninguna empresa se llama «Nadie SA»' in html
    assert html.count('data-field="organization_id"') == 1  # the name's problem, not a second one
    with app.app_context():
        assert db.session().query(User).count() == before
    # one match by part of the name, without JavaScript, makes the user of that firm
    r = client.post("/admin/users/new", data={**base, "email": "a@lone.mx", "organization_name": "lone star den"})
    assert r.status_code == 201
    with app.app_context():
        made = db.session().query(User).filter_by(email="a@lone.mx").one()
        assert made.organization_id == world.buyer_a
        made_id = made.id
    # editing: the field shows the firm's name; kept as it is, it stays; a newly typed name replaces it
    page = client.get(f"/admin/users/{made_id}").get_data(as_text=True)
    assert 'value="Lone Star Denim (US)"' in page and f'value="{world.buyer_a}"' in page
    edit = {**base, "email": "a@lone.mx", "csrf_token": csrf_from(page)}
    r = client.post(f"/admin/users/{made_id}", data={**edit, "organization_id": str(world.buyer_a),
                                                     "organization_name": "Lone Star Denim (US)"})
    assert r.status_code == 302
    r = client.post(f"/admin/users/{made_id}", data={**edit, "organization_id": str(world.buyer_a),
                                                     "organization_name": "Pacific"})
    assert r.status_code == 302
    with app.app_context():
        assert db.session().get(User, made_id).organization_id == world.buyer_b
    # the suggestions are the admin's: a buyer's user gets none
    login_as(client, factory, world.users["buyer_user"])
    assert client.get("/admin/users/firms?q=lone").status_code == 403
