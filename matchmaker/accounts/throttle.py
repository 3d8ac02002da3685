"""Limits on sign-ups and emailed links, counted in the sign-in throttle's store (``ratelimit``).

Memory in one process, or Redis shared by every worker (``MATCHMAKER_RATE_LIMIT_URL``), with the
same fixed windows. Every accepted attempt counts (not only failures): each one may send an email.

* sign-ups: ``SIGNUP_ADDRESS_LIMIT`` per client address (default 10) per ``SIGNUP_WINDOW_SECONDS`` (1 h);
* emailed links (password reset, verification sent again): ``MAIL_ACCOUNT_LIMIT`` per email
  (default 3) and ``MAIL_ADDRESS_LIMIT`` per address (default 20) per ``MAIL_WINDOW_SECONDS`` (1 h).
"""
from __future__ import annotations

import hashlib
import math

from flask import current_app, request

from ..ratelimit import EXTENSION, Refusal


def _cfg(name: str, default: int) -> int:
    return int(current_app.config.get(name, default))


def _address() -> str:
    return request.remote_addr or "unknown"


def _account(email: str) -> str:
    return hashlib.sha256((email or "").strip().lower().encode()).hexdigest()[:32]


def _keys(kind: str, email: str | None) -> list[tuple[str, int, str]]:
    if kind == "signup":
        return [(f"signup:addr:{_address()}", _cfg("SIGNUP_ADDRESS_LIMIT", 10), "address")]
    keys = [(f"mail:addr:{_address()}", _cfg("MAIL_ADDRESS_LIMIT", 20), "address")]
    if email is not None:
        keys.insert(0, (f"mail:acct:{_account(email)}", _cfg("MAIL_ACCOUNT_LIMIT", 3), "account"))
    return keys


def _window(kind: str) -> int:
    return _cfg("SIGNUP_WINDOW_SECONDS" if kind == "signup" else "MAIL_WINDOW_SECONDS", 3600)


def attempt(kind: str, email: str | None = None) -> Refusal | None:
    """Count one attempt of ``kind`` (``signup`` or ``mail``); a :class:`Refusal` when over a limit."""
    store = current_app.extensions[EXTENSION]
    keys = _keys(kind, email)
    for key, limit, scope in keys:
        count, remaining = store.get(key)
        if count >= limit:
            return Refusal(max(1, math.ceil(remaining)), scope)
    for key, _limit, _scope in keys:
        store.hit(key, _window(kind))
    return None
