"""What a new password does to the account's API tokens.

A reset (the emailed link, by page or API, or an admin's temporary password) assumes someone else may
hold the old password, and anyone holding it could have exchanged it for bearer tokens: every token
of the account is refused at once, even one whose check this process has cached (with the
authentication epoch in the database, and in Redis). A user changing their own password, proving the
current one, ends their other page sessions but keeps their tokens, and the account page says so.
"""
from __future__ import annotations

import re

import pytest

from matchmaker.tokens import cache as token_cache

from tests.accounts.conftest import deliver, post_page
from tests.conftest import Factory
from tests.support.world import csrf_from, login_as, set_language

REDIS_URL = "redis://127.0.0.1:6379/9"
NEW = "a brand new passphrase"


def _works(client, headers) -> int:
    """The status of an API call with ``headers``; called twice first so the check is cached."""
    return client.get("/api/v1/tokens", headers=headers).status_code


def _cached(client, *tokens) -> None:
    for headers in tokens:
        for _ in range(2):  # the first request after the tables were emptied starts an epoch, caching nothing
            assert _works(client, headers) == 200


@pytest.mark.parametrize("epoch", ["database", "redis"])
def test_a_reset_by_the_emailed_link_revokes_every_token_of_the_account(app, client, factory, smtp, epoch):
    if epoch == "redis":
        app.config["TOKEN_CACHE"] = REDIS_URL
        token_cache.init_app(app)
    uid = factory.user("buyer_user", factory.org("buyer"), email="jim@lonestar.example")
    other = factory.user("buyer_user", factory.org("buyer"))
    first, second, bystander = factory.token(uid), factory.token(uid), factory.token(other)
    _cached(client, first, second, bystander)

    post_page(client, "/password/forgot", {"email": "jim@lonestar.example"})
    deliver(app, smtp)
    assert post_page(client, smtp.link("jim@lonestar.example"), {"new_password": NEW}).status_code == 302

    assert _works(client, first) == 401 and _works(client, second) == 401
    assert client.get("/api/v1/makers", headers=first).get_json()["error"]["code"] == "unauthenticated"
    assert _works(client, bystander) == 200  # another user's token is untouched
    fresh = client.post("/api/v1/tokens", json={"email": "jim@lonestar.example", "password": NEW})
    assert fresh.status_code == 201
    assert _works(client, {"Authorization": f"Bearer {fresh.get_json()['token']}"}) == 200


def test_a_reset_through_the_api_revokes_the_tokens_too(app, client, factory, smtp):
    uid = factory.user("maker_user", factory.org("maker"), email="rosa@taller.example")
    headers = factory.token(uid)
    _cached(client, headers)
    client.post("/api/v1/password/forgot", json={"email": "rosa@taller.example"})
    deliver(app, smtp)
    token = smtp.link("rosa@taller.example").rsplit("/", 1)[1]
    assert client.post("/api/v1/password/reset", json={"token": token, "new_password": NEW}).status_code == 204
    assert _works(client, headers) == 401
    browser = app.test_client()
    assert post_page(browser, "/login", {"email": "rosa@taller.example", "password": NEW}).status_code == 302
    html = browser.get("/account").get_data(as_text=True)
    assert "Revoked" in html and "/revoke" not in html  # the account page shows it revoked


def test_an_admin_reset_revokes_the_tokens_and_ends_the_sessions(app, client, factory):
    maker = factory.user("maker_user", factory.org("maker"))
    admin = factory.user("platform_admin")
    headers, admins_token = factory.token(maker), factory.token(admin)
    _cached(client, headers, admins_token)
    before = login_as(app.test_client(), factory, maker)
    login_as(client, factory, admin)
    csrf = csrf_from(client.get("/admin/users").get_data(as_text=True))
    r = client.post(f"/admin/users/{maker}/password", data={"csrf_token": csrf})
    assert r.status_code == 200 and re.search(r'<code class="secret">([^<]+)</code>', r.get_data(as_text=True))
    assert _works(client, headers) == 401
    assert before.get("/home").status_code == 302
    assert _works(client, admins_token) == 200  # the admin's own token goes on


def test_changing_your_own_password_keeps_your_tokens_and_says_so(app, client, factory):
    uid = factory.user("buyer_user", factory.org("buyer"))
    headers = factory.token(uid)
    _cached(client, headers)
    elsewhere = login_as(app.test_client(), factory, uid)
    browser = login_as(app.test_client(), factory, uid)
    r = post_page(browser, "/account/password", {"current_password": Factory.PASSWORD, "new_password": NEW},
                  token_page="/account")
    assert r.status_code == 302
    html = browser.get("/account").get_data(as_text=True)
    assert "Your API tokens still work: revoke below any you do not recognise." in html
    assert elsewhere.get("/home").status_code == 302  # the other page session ended
    assert _works(client, headers) == 200

    by_api = client.post("/api/v1/account/password", headers=headers,
                         json={"current_password": NEW, "new_password": "yet another passphrase"})
    assert by_api.status_code == 204
    assert _works(client, headers) == 200  # the program that changed it goes on working


def test_the_note_about_tokens_is_in_spanish_and_only_when_some_still_work(app, client, factory):
    uid = factory.user("buyer_user", factory.org("buyer"))
    browser = login_as(app.test_client(), factory, uid)
    set_language(browser, "es")
    post_page(browser, "/account/password", {"current_password": Factory.PASSWORD, "new_password": NEW},
              token_page="/account")
    assert "Sus tokens de la API" not in browser.get("/account").get_data(as_text=True)  # it has none
    factory.token(uid)
    post_page(browser, "/account/password", {"current_password": NEW, "new_password": "yet another passphrase"},
              token_page="/account")
    assert "Sus tokens de la API siguen funcionando: revoque abajo los que no reconozca." in \
        browser.get("/account").get_data(as_text=True)
