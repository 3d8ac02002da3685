"""Authentication: passwords, page sessions (Flask-Login) and API bearer tokens.

Pages use a signed session cookie; the JSON API uses ``Authorization: Bearer``
tokens only, so the API needs no CSRF token and a browser session can never
be replayed against it. Only a token's SHA-256 is stored; checks are cached per process
until anything about users or tokens changes (:mod:`matchmaker.tokens.cache`).

A session cookie carries the user's ``session_version`` from sign-in; signing out or setting a
new password bumps the stored version, so every copy of an older cookie stops working. A password
reset (the emailed link, or an admin's temporary password) also revokes every API token of the
account (:func:`revoke_tokens`); a user changing their own password keeps their tokens.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta, timezone

from flask import g, request, session
from flask_login import LoginManager, current_user
from sqlalchemy import select, update
from werkzeug.security import check_password_hash, generate_password_hash

from . import db
from .accounts.records import ApiToken, User
from .tokens import cache as token_cache

login_manager = LoginManager()
login_manager.login_view = "auth.login"

TOKEN_LIFETIME = timedelta(days=90)


class SessionUser:
    """Flask-Login's view of a user row."""

    def __init__(self, user: User):
        self.row = user

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        return str(self.row.id)


SESSION_VERSION_KEY = "_sv"


@login_manager.user_loader
def _load_user(user_id: str):
    user = db.session().get(User, int(user_id)) if user_id.isdigit() and len(user_id) < 19 else None
    if user is None or not user.active or session.get(SESSION_VERSION_KEY, 0) != user.session_version:
        return None
    return SessionUser(user)


def start_session(user: User) -> None:
    """Sign ``user`` in to this browser session, remembering the session version it belongs to."""
    from flask_login import login_user

    session.clear()
    login_user(SessionUser(user))
    session[SESSION_VERSION_KEY] = user.session_version


def end_sessions(user: User) -> None:
    """End every page session of ``user`` (this one and any copied cookie); the caller commits."""
    user.session_version = (user.session_version or 0) + 1


def change_password(user: User, new_password: str, keep_this_session: bool = False) -> None:
    """Set a new password and end the user's page sessions (but this one, from the account page)."""
    user.password_hash = hash_password(new_password)
    end_sessions(user)
    if keep_this_session and session.get("_user_id") == str(user.id):
        session[SESSION_VERSION_KEY] = user.session_version


def revoke_tokens(sess, user_id: int) -> int:
    """Revoke every API token of the user (the caller commits); how many were still live.

    A bulk update of ``api_tokens``, so it bumps the authentication epoch in the same transaction and
    a token check cached by any process is refused on its very next request
    (:mod:`matchmaker.tokens.cache`).
    """
    return sess.execute(update(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked.is_(False))
                        .values(revoked=True).execution_options(synchronize_session="fetch")).rowcount


def hash_password(password: str) -> str:
    return generate_password_hash(password)


def verify_password(user: User | None, password: str) -> bool:
    if user is None or not user.active:
        check_password_hash(_DUMMY_HASH, password)  # same work whether or not the user exists
        return False
    return check_password_hash(user.password_hash, password)


_DUMMY_HASH = generate_password_hash("not-a-password")


def find_user(email: str) -> User | None:
    return db.session().scalar(select(User).where(User.email == email.strip().lower()))


def issue_token(user: User, name: str = "api") -> str:
    """Create a bearer token for ``user``; the plain token is returned once and never stored."""
    token = secrets.token_urlsafe(32)
    db.session().add(ApiToken(user_id=user.id, name=name, token_hash=_digest(token),
                              expires_at=datetime.now(timezone.utc) + TOKEN_LIFETIME))
    return token


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def bearer_digest() -> str | None:
    """SHA-256 of this request's bearer token, or ``None`` without one."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return _digest(token.strip())


def _valid_token(sess, digest: str):
    """``(user, token id, expires_at)`` for a valid token of an active user, else ``None``: one query."""
    found = sess.execute(
        select(User, ApiToken.id, ApiToken.revoked, ApiToken.expires_at).join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == digest)).first()
    if found is None:
        return None
    user, token_id, revoked, expires = found
    if revoked or not user.active:
        return None
    if expires is not None and expires.replace(tzinfo=expires.tzinfo or timezone.utc) < datetime.now(timezone.utc):
        return None
    return user, token_id, expires


def _user_from_bearer() -> User | None:
    """The token's user: from this process's cache while the authentication epoch is unchanged
    (:mod:`matchmaker.tokens.cache`), else from the database."""
    digest = bearer_digest()
    if digest is None:
        return None
    cache = token_cache.current()
    if cache is not None:
        return cache.user(db.session(), digest, _valid_token)
    found = _valid_token(db.session(), digest)
    return found[0] if found else None


def is_api_request() -> bool:
    return request.blueprint == "api"


def current_actor() -> User | None:
    """The signed-in user of this request: by bearer token on the API, by session on pages."""
    if "actor" not in g:
        if is_api_request():
            g.actor = _user_from_bearer()
        else:
            g.actor = current_user.row if current_user.is_authenticated else None
    return g.actor
