"""Signed, time-limited, single-use links (itsdangerous, which Flask ships), one salt per purpose.

* email verification: ``{"u": user id, "e": email}``; single use because following it sets
  ``AccountSignup.verified_at`` (a second visit finds it set), and bound to the address it was sent to.
* password reset: ``{"u": user id, "h": a keyed digest of the password hash}``; setting any new
  password (this link, the account page, the admin) changes the hash, so the link stops working.

The payload is signed, not secret: it names a user id and nothing that helps guess a password.
"""
from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

VERIFY_SALT = "matchmaker.accounts.verify-email"
RESET_SALT = "matchmaker.accounts.password-reset"


class LinkProblem(Exception):
    """A link that cannot be used: ``reason`` is ``expired``, ``invalid`` or ``used``."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def verify_hours() -> int:
    return int(current_app.config.get("ACCOUNT_VERIFY_HOURS", 48))


def reset_minutes() -> int:
    return int(current_app.config.get("PASSWORD_RESET_MINUTES", 60))


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _load(salt: str, token: str, max_age: int) -> dict:
    if not token or len(token) > 1000:
        raise LinkProblem("invalid")
    try:
        data = _serializer(salt).loads(token, max_age=max_age)
    except SignatureExpired:
        raise LinkProblem("expired") from None
    except BadSignature:
        raise LinkProblem("invalid") from None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise LinkProblem("invalid")
    return data


def password_digest(password_hash: str) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, password_hash.encode(), hashlib.sha256).hexdigest()[:24]


def make_verify_token(user_id: int, email: str) -> str:
    return _serializer(VERIFY_SALT).dumps({"u": user_id, "e": email})


def read_verify_token(token: str) -> dict:
    return _load(VERIFY_SALT, token, verify_hours() * 3600)


def make_reset_token(user_id: int, password_hash: str) -> str:
    return _serializer(RESET_SALT).dumps({"u": user_id, "h": password_digest(password_hash)})


def read_reset_token(token: str) -> dict:
    return _load(RESET_SALT, token, reset_minutes() * 60)


def matches_password(data: dict, password_hash: str) -> bool:
    return hmac.compare_digest(str(data.get("h", "")), password_digest(password_hash))
