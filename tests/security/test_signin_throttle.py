"""Sign-in throttling on the page and on /api/v1/tokens, per account and per address, in memory and in Redis."""
from __future__ import annotations

import re
import time
import uuid

import pytest

from matchmaker import create_app

REDIS_URL = "redis://127.0.0.1:6379/0"
_CSRF = re.compile(r'name="csrf_token"[^>]*\bvalue="([^"]+)"')


def _app_like(app, **overrides):
    base = {k: app.config[k] for k in ("TESTING", "SECRET_KEY", "SEARCH_PATH", "MODEL_DIR")}
    return create_app({**base, **overrides})


@pytest.fixture(params=["memory", "redis"])
def throttled(request, app):
    """The app with its sign-in counts in memory, or in the real Redis under a prefix of this test's own."""
    if request.param == "memory":
        yield app
        return
    import redis
    prefix = f"mm-test-{uuid.uuid4().hex[:8]}:"
    other = _app_like(app, RATE_LIMIT_URL=REDIS_URL, RATE_LIMIT_PREFIX=prefix)
    yield other
    other.extensions["matchmaker.engine"].dispose()
    r = redis.Redis.from_url(REDIS_URL)
    for key in r.scan_iter(prefix + "*"):
        r.delete(key)


def _token(client, email, password, addr="10.0.0.1"):
    return client.post("/api/v1/tokens", json={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": addr})


def _attempts_until(client, email, password, status=429, addr="10.0.0.1", most=60):
    for n in range(1, most + 1):
        if _token(client, email, password, addr).status_code == status:
            return n
    return None


def test_token_requests_are_throttled_per_account(throttled, factory):
    client = throttled.test_client()
    email = factory.email(factory.user("buyer_user"))
    assert _attempts_until(client, email, "wrong") == 6  # five failures are answered, the sixth is refused
    r = _token(client, email, factory.PASSWORD)  # even the right password waits: no guessing while locked
    assert r.status_code == 429
    assert r.json["error"]["code"] == "too_many_attempts" and r.json["error"]["status"] == 429
    assert 1 <= int(r.headers["Retry-After"]) <= 900
    other = factory.email(factory.user("buyer_user"))
    assert _token(client, other, factory.PASSWORD).status_code == 201  # another account is not locked out


def test_token_requests_are_throttled_per_address(throttled, factory):
    client = throttled.test_client()
    emails = [f"nobody-{i}@test.mx" for i in range(25)]
    answered = 0
    for email in emails:  # one wrong guess per made-up account, all from one address
        if _token(client, email, "wrong", addr="10.9.9.9").status_code == 429:
            break
        answered += 1
    assert answered == 20
    email = factory.email(factory.user("maker_user"))
    assert _token(client, email, factory.PASSWORD, addr="10.9.9.9").status_code == 429
    assert _token(client, email, factory.PASSWORD, addr="10.1.1.1").status_code == 201


def test_a_success_clears_the_account_count(throttled, factory):
    client = throttled.test_client()
    email = factory.email(factory.user("buyer_user"))
    for _ in range(4):
        assert _token(client, email, "wrong").status_code == 401
    assert _token(client, email, factory.PASSWORD).status_code == 201
    for _ in range(4):
        assert _token(client, email, "wrong").status_code == 401  # the count started again


def test_the_lock_ends_with_its_window(app, factory):
    short = _app_like(app, SIGNIN_WINDOW_SECONDS=2)
    try:
        client = short.test_client()
        email = factory.email(factory.user("buyer_user"))
        assert _attempts_until(client, email, "wrong") == 6
        time.sleep(2.2)
        assert _token(client, email, factory.PASSWORD).status_code == 201
    finally:
        short.extensions["matchmaker.engine"].dispose()


def test_redis_counts_are_shared_between_workers(app, factory):
    """Two app instances (two gunicorn workers) on one Redis see one count."""
    prefix = f"mm-test-{uuid.uuid4().hex[:8]}:"
    one = _app_like(app, RATE_LIMIT_URL=REDIS_URL, RATE_LIMIT_PREFIX=prefix)
    two = _app_like(app, RATE_LIMIT_URL=REDIS_URL, RATE_LIMIT_PREFIX=prefix)
    try:
        email = factory.email(factory.user("buyer_user"))
        for i in range(5):
            assert _token((one if i % 2 else two).test_client(), email, "wrong").status_code == 401
        assert _token(one.test_client(), email, factory.PASSWORD).status_code == 429
        assert _token(two.test_client(), email, factory.PASSWORD).status_code == 429
    finally:
        for a in (one, two):
            a.extensions["matchmaker.engine"].dispose()


def _page_login(client, email, password, addr="10.0.0.2"):
    html = client.get("/login").get_data(as_text=True)
    token = _CSRF.search(html).group(1)
    return client.post("/login", data={"csrf_token": token, "email": email, "password": password},
                       environ_base={"REMOTE_ADDR": addr})


@pytest.mark.parametrize("lang, words", [("en", "Too many failed sign-ins"),
                                         ("es", "Demasiados intentos fallidos")])
def test_the_sign_in_page_says_how_long_to_wait(throttled, factory, lang, words):
    client = throttled.test_client()
    with client.session_transaction() as sess:
        sess["lang"] = lang
    email = factory.email(factory.user("maker_user"))
    statuses = [_page_login(client, email, "wrong").status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]
    r = _page_login(client, email, factory.PASSWORD)
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    html = r.get_data(as_text=True)
    assert words in html and re.search(r"\b1[0-5] min\b", html), html[:2000]


def test_page_and_api_share_one_count(throttled, factory):
    client = throttled.test_client()
    email = factory.email(factory.user("maker_user"))
    for _ in range(3):
        assert _page_login(client, email, "wrong", addr="10.0.0.1").status_code == 401
    for _ in range(2):
        assert _token(client, email, "wrong").status_code == 401
    assert _token(client, email, factory.PASSWORD).status_code == 429


def test_an_unreachable_redis_still_throttles_in_process(app, factory):
    down = _app_like(app, RATE_LIMIT_URL="redis://127.0.0.1:1/0")  # nothing listens on port 1
    try:
        client = down.test_client()
        email = factory.email(factory.user("buyer_user"))
        assert _token(client, email, factory.PASSWORD).status_code == 201  # sign-in still works
        assert _attempts_until(client, email, "wrong") == 6
    finally:
        down.extensions["matchmaker.engine"].dispose()
