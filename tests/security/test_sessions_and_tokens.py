"""Sessions end on sign-out and on a new password; cookies are Secure outside demo; CSRF tokens expire;
users list and revoke their own API tokens."""
from __future__ import annotations

import re
import time

from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect

from matchmaker import create_app
from matchmaker.cli import alembic_config
from matchmaker.config import load_config

_CSRF = re.compile(r'name="csrf_token"[^>]*\bvalue="([^"]+)"')
NEW_PASSWORD = "a much longer new passphrase"


def _sign_in(client, email, password):
    token = _CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    return client.post("/login", data={"csrf_token": token, "email": email, "password": password})


def _cookie(client):
    return client.get_cookie("session").value


def _with_cookie(app, value):
    other = app.test_client()
    other.set_cookie("session", value)
    return other


def _csrf(client):
    return _CSRF.search(client.get("/home").get_data(as_text=True)).group(1)


def test_a_copied_session_cookie_dies_with_sign_out(app, client, factory):
    email = factory.email(factory.user("buyer_user"))
    assert _sign_in(client, email, factory.PASSWORD).status_code == 302
    stolen = _cookie(client)
    assert _with_cookie(app, stolen).get("/home").status_code == 200  # the copy works while signed in
    assert client.post("/logout", data={"csrf_token": _csrf(client)}).status_code == 302
    r = _with_cookie(app, stolen).get("/home")
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    assert _sign_in(client, email, factory.PASSWORD).status_code == 302  # signing in again works
    assert client.get("/home").status_code == 200


def test_a_new_password_ends_other_sessions_but_not_this_one(app, client, factory):
    user = factory.user("maker_user", factory.org("maker"))
    email, headers = factory.email(user), factory.token(user)
    assert _sign_in(client, email, factory.PASSWORD).status_code == 302
    laptop = app.test_client()
    assert _sign_in(laptop, email, factory.PASSWORD).status_code == 302
    r = client.post("/api/v1/account/password", json={"current_password": "nope", "new_password": NEW_PASSWORD},
                    headers=headers)
    assert r.status_code == 403 and r.json["error"]["fields"][0]["field"] == "current_password"
    r = client.post("/api/v1/account/password", json={"current_password": factory.PASSWORD, "new_password": "short"},
                    headers=headers)
    assert r.status_code == 422
    r = client.post("/api/v1/account/password",
                    json={"current_password": factory.PASSWORD, "new_password": NEW_PASSWORD}, headers=headers)
    assert r.status_code == 204
    assert laptop.get("/home").status_code == 302  # the other browser is signed out
    assert client.get("/home").status_code == 302  # an API change ends page sessions too
    assert _sign_in(laptop, email, factory.PASSWORD).status_code == 401
    assert _sign_in(laptop, email, NEW_PASSWORD).status_code == 302


def test_the_account_page_changes_the_password_and_keeps_this_session(app, client, factory):
    user = factory.user("buyer_user", factory.org("buyer"))
    email = factory.email(user)
    assert _sign_in(client, email, factory.PASSWORD).status_code == 302
    laptop = app.test_client()
    assert _sign_in(laptop, email, factory.PASSWORD).status_code == 302
    token = _CSRF.search(client.get("/account").get_data(as_text=True)).group(1)
    r = client.post("/account/password", data={"csrf_token": token, "current_password": factory.PASSWORD,
                                               "new_password": NEW_PASSWORD})
    assert r.status_code == 302
    assert client.get("/account").status_code == 200
    assert laptop.get("/home").status_code == 302


def test_users_list_and_revoke_only_their_own_tokens(client, factory):
    me, other = factory.user("buyer_user"), factory.user("buyer_user")
    first, second, theirs = factory.token(me), factory.token(me), factory.token(other)
    r = client.get("/api/v1/tokens", headers=first)
    assert r.status_code == 200
    items = r.json["items"]
    assert len(items) == 2 and [i["current"] for i in items] == [True, False]
    assert all("token" not in i and "token_hash" not in i for i in items)
    their_id = client.get("/api/v1/tokens", headers=theirs).json["items"][0]["id"]
    assert client.delete(f"/api/v1/tokens/{their_id}", headers=first).status_code == 404
    assert client.get("/api/v1/tokens", headers=theirs).status_code == 200  # untouched
    assert client.delete(f"/api/v1/tokens/{items[1]['id']}", headers=first).status_code == 204
    assert client.get("/api/v1/tokens", headers=second).status_code == 401  # revoked at once
    listed = client.get("/api/v1/tokens", headers=first).json["items"]
    assert [i["revoked"] for i in listed] == [False, True]
    assert client.get("/api/v1/tokens").status_code == 401
    assert client.delete("/api/v1/tokens/1").status_code == 401


def test_the_account_page_lists_and_revokes_tokens(client, factory):
    user = factory.user("maker_user", factory.org("maker"))
    headers = factory.token(user)
    assert _sign_in(client, factory.email(user), factory.PASSWORD).status_code == 302
    html = client.get("/account").get_data(as_text=True)
    token_id = client.get("/api/v1/tokens", headers=headers).json["items"][0]["id"]
    assert f'data-token-id="{token_id}"' in html
    assert 'href="/account"' in client.get("/home").get_data(as_text=True)
    r = client.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": _CSRF.search(html).group(1)})
    assert r.status_code == 302
    assert client.get("/api/v1/tokens", headers=headers).status_code == 401
    with client.session_transaction() as sess:
        sess["lang"] = "es"
    assert "Tokens de la API" in client.get("/account").get_data(as_text=True)


def test_session_cookie_is_secure_outside_demo_and_testing(tmp_path, monkeypatch):
    monkeypatch.delenv("MATCHMAKER_SESSION_COOKIE_SECURE", raising=False)
    monkeypatch.delenv("MATCHMAKER_DEMO", raising=False)
    assert load_config(str(tmp_path), {"SECRET_KEY": "k"})["SESSION_COOKIE_SECURE"] is True
    assert load_config(str(tmp_path), {"DEMO": True})["SESSION_COOKIE_SECURE"] is False
    monkeypatch.setenv("MATCHMAKER_SESSION_COOKIE_SECURE", "0")
    assert load_config(str(tmp_path), {"SECRET_KEY": "k"})["SESSION_COOKIE_SECURE"] is False
    monkeypatch.setenv("MATCHMAKER_SESSION_COOKIE_SECURE", "1")
    assert load_config(str(tmp_path), {"DEMO": True})["SESSION_COOKIE_SECURE"] is True


def test_a_secure_app_sets_a_secure_httponly_cookie(app, factory):
    secure = create_app({**{k: app.config[k] for k in ("TESTING", "SECRET_KEY", "SEARCH_PATH", "MODEL_DIR")},
                         "SESSION_COOKIE_SECURE": True})
    try:
        client = secure.test_client()
        r = _sign_in(client, factory.email(factory.user("buyer_user")), factory.PASSWORD)
        cookie = r.headers["Set-Cookie"]
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    finally:
        secure.extensions["matchmaker.engine"].dispose()


def test_csrf_tokens_expire(app, factory):
    assert app.config["WTF_CSRF_TIME_LIMIT"] == 8 * 3600
    short = create_app({**{k: app.config[k] for k in ("TESTING", "SECRET_KEY", "SEARCH_PATH", "MODEL_DIR")},
                        "WTF_CSRF_TIME_LIMIT": 1})
    try:
        client = short.test_client()
        token = _CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
        time.sleep(2.1)
        r = client.post("/login", data={"csrf_token": token, "email": factory.email(factory.user("buyer_user")),
                                        "password": factory.PASSWORD})
        assert r.status_code == 400 and "Reload the page" in r.get_data(as_text=True)
    finally:
        short.extensions["matchmaker.engine"].dispose()


def test_migrations_reach_the_head_with_session_version(database_url):
    script = ScriptDirectory.from_config(alembic_config(database_url))
    heads = set(script.get_heads())
    assert len(heads) == 1
    assert script.get_revision("0005").down_revision == "0003"
    engine = create_engine(database_url)
    try:
        columns = {c["name"]: c for c in inspect(engine).get_columns("users")}
        assert "session_version" in columns and columns["session_version"]["nullable"] is False
        with engine.connect() as conn:
            from sqlalchemy import text
            current = {r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version"))}
        assert current == heads
    finally:
        engine.dispose()
