"""The account page leads to the API documentation its tokens are for (nothing in the app linked to it)."""
from __future__ import annotations

import pytest

from tests.support.world import csrf_from, login, login_as, set_language


def test_the_account_page_links_the_api_documentation_in_the_readers_language(client, factory):
    buyer = factory.org("buyer", name="Lone Star Denim")
    login_as(client, factory, factory.user("buyer_user", organization_id=buyer))
    set_language(client, "es")
    html = client.get("/account").get_data(as_text=True)
    assert 'href="/api/v1/docs" data-testid="api-docs">Documentación de la API</a>' in html
    assert "Un token permite que un programa use la API de Matchmaker a su nombre." in html
    assert client.get("/api/v1/docs").status_code == 200


def _says(html: str, field: str) -> str:
    import re
    found = re.search(rf'data-field="{field}">([^<]*)<', html)
    return found.group(1) if found else ""


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_password_form_says_beside_each_field_what_is_wrong(client, factory, lang):
    """An empty current password was answered "the new password must have 12 to 200 characters" at the
    top, beside nothing; each field now says its own problem, in the reader's language."""
    buyer = factory.org("buyer", name="Lone Star Denim")
    user = factory.user("buyer_user", organization_id=buyer)
    login_as(client, factory, user)
    set_language(client, lang)
    words = {"en": {"empty": "Enter your current password.", "wrong": "The current password is wrong.",
                    "short": "The new password must have 12 to 200 characters."},
             "es": {"empty": "Escriba su contraseña actual.", "wrong": "La contraseña actual es incorrecta.",
                    "short": "La contraseña nueva debe tener de 12 a 200 caracteres."}}[lang]
    good = "a-long-enough-new-password"
    cases = [({"current_password": "", "new_password": good}, 422, {"current_password": words["empty"]}),
             ({"current_password": factory.PASSWORD, "new_password": "short"}, 422, {"new_password": words["short"]}),
             ({"current_password": "", "new_password": ""}, 422,
              {"current_password": words["empty"], "new_password": words["short"]}),
             ({"current_password": "not-the-password", "new_password": good}, 403,
              {"current_password": words["wrong"]})]
    for data, status, expected in cases:
        token = csrf_from(client.get("/account").get_data(as_text=True))
        r = client.post("/account/password", data={**data, "csrf_token": token})
        html = r.get_data(as_text=True)
        assert r.status_code == status, data
        for field in ("current_password", "new_password"):
            assert _says(html, field) == expected.get(field, ""), (data, field)
            if field in expected:
                assert f'aria-describedby="{field}-error" aria-invalid="true"' in html
    assert login(app_client := client.application.test_client(), factory.email(user)).status_code == 302
    assert app_client.get("/home").status_code == 200  # the password never changed
