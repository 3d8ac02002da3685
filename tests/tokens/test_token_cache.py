"""Bearer-token checks are cached per process, and a revocation is still refused on the very next request.

In process: a repeated request with a known token reads no token row (only the one-row epoch), and
each kind of change (revocation through the API, deactivation of the user object, a bulk role change)
is seen at once. Across processes: a real gunicorn with two workers, each holding cached checks, refuses
a token revoked through either worker on every following request, with the epoch in the database and
with the epoch in Redis.
"""
from __future__ import annotations

import pytest
from sqlalchemy import event, update

from matchmaker import db
from matchmaker.accounts.records import ApiToken, User
from tests.support.live_server import call, gunicorn

REDIS_URL = "redis://127.0.0.1:6379/9"


def _statements(app):
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_a):
        seen.append(statement.lower())

    with app.app_context():
        engine = db.engine()
    event.listen(engine, "before_cursor_execute", record)
    return seen, lambda: event.remove(engine, "before_cursor_execute", record)


def test_a_known_token_is_checked_without_reading_the_token_again(app, client, factory):
    user = factory.user("buyer_user", factory.org("buyer", "Cache Co", country="US"))
    headers = factory.token(user)
    for _ in range(2):  # the first request after the tables were emptied starts a new epoch, caching nothing
        assert client.get("/api/v1/makers", headers=headers).status_code == 200
    seen, stop = _statements(app)
    try:
        response = client.get("/api/v1/makers", headers=headers)
    finally:
        stop()
    assert response.status_code == 200
    assert not any("api_tokens" in s for s in seen), seen
    assert any("auth_epochs" in s for s in seen)


def test_revoking_a_cached_token_refuses_it_on_the_next_request(client, factory):
    user = factory.user("buyer_user", factory.org("buyer", "Revoke Co", country="US"))
    headers, other = factory.token(user), factory.token(user)
    assert client.get("/api/v1/makers", headers=headers).status_code == 200
    assert client.get("/api/v1/makers", headers=other).status_code == 200
    mine = [t for t in client.get("/api/v1/tokens", headers=headers).json["items"] if t["current"]][0]
    assert client.delete(f"/api/v1/tokens/{mine['id']}", headers=other).status_code == 204
    assert client.get("/api/v1/makers", headers=headers).status_code == 401
    assert client.get("/api/v1/makers", headers=other).status_code == 200


def test_deactivating_or_changing_the_role_of_a_cached_user_is_seen_at_once(app, client, factory):
    org = factory.org("buyer", "Role Co", country="US")
    first, second = factory.user("buyer_user", org), factory.user("buyer_user", org)
    h1, h2 = factory.token(first), factory.token(second)
    for _ in range(2):
        assert client.get("/api/v1/search/makers", headers=h1).status_code == 200
        assert client.get("/api/v1/search/requirements", headers=h2).status_code == 403  # buyers do not
    with app.app_context():
        db.session().get(User, first).active = False  # an object flushed
        db.session().execute(update(User).where(User.id == second).values(role="maker_user"))  # a bulk update
        db.session().commit()
    assert client.get("/api/v1/search/makers", headers=h1).status_code == 401
    assert client.get("/api/v1/search/requirements", headers=h2).status_code == 200  # makers do


def test_an_expired_cached_token_is_refused(app, client, factory):
    from datetime import datetime, timedelta, timezone

    user = factory.user("buyer_user", factory.org("buyer", "Expiry Co", country="US"))
    headers = factory.token(user)
    assert client.get("/api/v1/makers", headers=headers).status_code == 200
    with app.app_context():
        db.session().execute(update(ApiToken).where(ApiToken.user_id == user).values(
            expires_at=datetime.now(timezone.utc) - timedelta(seconds=1)))
        db.session().commit()
    assert client.get("/api/v1/makers", headers=headers).status_code == 401


@pytest.mark.parametrize("epoch", ["database", "redis"])
def test_a_revocation_through_one_worker_is_refused_by_every_worker(app, factory, database_url, tmp_path,
                                                                    monkeypatch, epoch):
    if epoch == "redis":
        import redis

        try:  # Redis runs on this machine and in CI: its absence is a broken setup, not a reason to skip
            redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping()
        except redis.RedisError as exc:
            pytest.fail(f"no Redis at {REDIS_URL} ({exc}); the token cache's Redis epoch cannot be tested")
        monkeypatch.setenv("MATCHMAKER_TOKEN_CACHE", REDIS_URL)
    else:
        monkeypatch.delenv("MATCHMAKER_TOKEN_CACHE", raising=False)
    user = factory.user("buyer_user", factory.org("buyer", "Workers Co", country="US"))
    headers, other = factory.token(user), factory.token(user)
    with gunicorn(database_url, workers=2, threads=1, root=tmp_path / "server") as base:
        for _ in range(30):  # separate connections, spread over both workers, each caching both tokens
            for h in (headers, other):
                status, body = call(base, "GET", "/api/v1/tokens", headers=h)
                assert status == 200, body
        items = call(base, "GET", "/api/v1/tokens", headers=headers)[1]["items"]
        mine = [t["id"] for t in items if t["current"]][0]
        assert call(base, "DELETE", f"/api/v1/tokens/{mine}", headers=other)[0] == 204
        refused = [call(base, "GET", "/api/v1/tokens", headers=headers)[0] for _ in range(30)]
        still = [call(base, "GET", "/api/v1/tokens", headers=other)[0] for _ in range(10)]
    assert refused == [401] * 30
    assert still == [200] * 10
