"""Sign-in throttling: failed attempts counted per account and per address in a fixed window.

After ``SIGNIN_ACCOUNT_LIMIT`` failed sign-ins for one email (default 5), or
``SIGNIN_ADDRESS_LIMIT`` from one client address (default 20), within ``SIGNIN_WINDOW_SECONDS``
(default 15 minutes), further attempts are refused without checking the password until the
window ends: the API answers 429 with ``Retry-After``, the sign-in page says how long to wait.
A successful sign-in clears its account's count.

The counts live in this process's memory by default (``MATCHMAKER_RATE_LIMIT_URL=memory``),
or in Redis (``redis://host:6379/0``) so that every gunicorn worker and host shares them.
"""
from __future__ import annotations

import hashlib
import logging
import math
import threading
import time
from dataclasses import dataclass

from flask import Flask, current_app, request

EXTENSION = "matchmaker.ratelimit"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Refusal:
    retry_after: int  # whole seconds until the next attempt is counted again
    scope: str        # "account" or "address"


class MemoryStore:
    """Fixed-window counters in one process (tests, demo, a single worker)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._counts: dict[str, tuple[int, float]] = {}  # key -> (count, window end on the monotonic clock)

    def get(self, key: str) -> tuple[int, float]:
        with self._lock:
            count, ends = self._counts.get(key, (0, 0.0))
            if ends <= time.monotonic():
                self._counts.pop(key, None)
                return 0, 0.0
            return count, ends - time.monotonic()

    def hit(self, key: str, window: int) -> None:
        with self._lock:
            now = time.monotonic()
            count, ends = self._counts.get(key, (0, 0.0))
            if ends <= now:
                count, ends = 0, now + window
            self._counts[key] = (count + 1, ends)
            if len(self._counts) > 100_000:  # bounded memory under a flood of made-up emails
                for stale in [k for k, (_, e) in self._counts.items() if e <= now]:
                    del self._counts[stale]

    def clear(self, key: str) -> None:
        with self._lock:
            self._counts.pop(key, None)


class RedisStore:
    """The same counters in Redis: ``INCR`` plus an expiry set by the first failure of a window.

    While Redis cannot be reached, each process counts in its own memory (logged), so sign-in
    neither fails nor goes unthrottled during an outage.
    """

    def __init__(self, url: str, prefix: str):
        import redis

        self._redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._errors = redis.RedisError
        self._prefix = prefix
        self._fallback = MemoryStore()

    def _call(self, fallback, fn):
        try:
            return fn()
        except self._errors as exc:
            log.warning("rate-limit store unreachable (%s); counting sign-ins in this process", exc)
            return fallback()

    def get(self, key: str) -> tuple[int, float]:
        def from_redis():
            pipe = self._redis.pipeline()
            pipe.get(self._prefix + key)
            pipe.pttl(self._prefix + key)
            count, ttl_ms = pipe.execute()
            if count is None or ttl_ms is None or ttl_ms < 0:
                return 0, 0.0
            return int(count), ttl_ms / 1000
        return self._call(lambda: self._fallback.get(key), from_redis)

    def hit(self, key: str, window: int) -> None:
        def to_redis():
            pipe = self._redis.pipeline()
            pipe.incr(self._prefix + key)
            pipe.expire(self._prefix + key, window, nx=True)
            pipe.execute()
        self._call(lambda: self._fallback.hit(key, window), to_redis)

    def clear(self, key: str) -> None:
        self._fallback.clear(key)
        self._call(lambda: None, lambda: self._redis.delete(self._prefix + key))


def init_app(app: Flask) -> None:
    url = app.config.get("RATE_LIMIT_URL") or "memory"
    if url == "memory":
        store = MemoryStore()
    elif url.startswith(("redis://", "rediss://", "unix://")):
        store = RedisStore(url, app.config.get("RATE_LIMIT_PREFIX", "matchmaker:signin:"))
    else:
        raise ValueError(f"MATCHMAKER_RATE_LIMIT_URL must be 'memory' or a redis:// URL, not {url!r}")
    app.extensions[EXTENSION] = store


def _limits() -> tuple[int, int, int]:
    cfg = current_app.config
    return (int(cfg.get("SIGNIN_ACCOUNT_LIMIT", 5)), int(cfg.get("SIGNIN_ADDRESS_LIMIT", 20)),
            int(cfg.get("SIGNIN_WINDOW_SECONDS", 900)))


def _keys(email: str) -> tuple[str, str]:
    account = hashlib.sha256((email or "").strip().lower().encode()).hexdigest()[:32]
    return f"acct:{account}", f"addr:{request.remote_addr or 'unknown'}"


def _store():
    return current_app.extensions[EXTENSION]


def check(email: str) -> Refusal | None:
    """Whether a sign-in for ``email`` from this request's address may be tried now."""
    account_limit, address_limit, _ = _limits()
    account_key, address_key = _keys(email)
    store = _store()
    for key, limit, scope in ((account_key, account_limit, "account"), (address_key, address_limit, "address")):
        count, remaining = store.get(key)
        if count >= limit:
            return Refusal(max(1, math.ceil(remaining)), scope)
    return None


def failed(email: str) -> None:
    *_, window = _limits()
    store = _store()
    for key in _keys(email):
        store.hit(key, window)


def succeeded(email: str) -> None:
    _store().clear(_keys(email)[0])
