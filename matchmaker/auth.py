"""Authentication: passwords, page sessions (Flask-Login) and API bearer tokens.

Pages use a signed session cookie; the JSON API uses ``Authorization: Bearer``
tokens only, so the API needs no CSRF token and a browser session can never
be replayed against it. Only a token's SHA-256 is stored.

A session cookie carries the user's ``session_version`` from sign-in; signing out or setting a
new password bumps the stored version, so every copy of an older cookie stops working.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta, timezone

from flask import g, request, session
from flask_login import LoginManager, current_user
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from . import db
from .schema import ApiToken, User

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


def _user_from_bearer() -> User | None:
    digest = bearer_digest()
    if digest is None:
        return None
    found = db.session().execute(
        select(User, ApiToken.revoked, ApiToken.expires_at).join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == digest)).first()  # one query per API request
    if found is None:
        return None
    user, revoked, expires = found
    if revoked:
        return None
    if expires is not None and expires.replace(tzinfo=expires.tzinfo or timezone.utc) < datetime.now(timezone.utc):
        return None
    return user if user.active else None


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
