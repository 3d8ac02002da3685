"""Authentication: passwords, page sessions (Flask-Login) and API bearer tokens.

Pages use a signed session cookie; the JSON API uses ``Authorization: Bearer``
tokens only, so the API needs no CSRF token and a browser session can never
be replayed against it. Only a token's SHA-256 is stored.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta, timezone

from flask import g, request
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


@login_manager.user_loader
def _load_user(user_id: str):
    user = db.session().get(User, int(user_id)) if user_id.isdigit() else None
    return SessionUser(user) if user is not None and user.active else None


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


def _user_from_bearer() -> User | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    found = db.session().execute(
        select(User, ApiToken.revoked, ApiToken.expires_at).join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == _digest(token.strip()))).first()  # one query per API request
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
