"""A per-process cache of bearer-token checks that never outlives a revocation.

Without it every API request joins ``api_tokens`` to ``users`` and loads the user through the ORM
(issue 12: 12 % of a search request). With it, a request whose token was checked before reads one
number, the *authentication epoch*, and if it is unchanged takes the cached user:

* ``database`` (default): the epoch is the row of :class:`~matchmaker.tokens.records.AuthEpoch`,
  read by primary key on the request's own connection before anything else, so the epoch and the
  token are read from the same committed state;
* ``redis://…``: the epoch is a Redis key, ``INCR``-ed right after the commit of every change (before
  the response leaves), so a search needs no database connection at all. While Redis cannot be
  reached, the database epoch is used (it is bumped in every mode).

Every change to a ``User`` or an ``ApiToken`` row made through SQLAlchemy (an object flushed, or a
bulk ``update``/``delete`` statement) bumps the database epoch inside the same transaction, in every
process and script, so a revoked token, a deactivated user or a changed role is seen by every
worker on its very next request. Entries also expire after ``TOKEN_CACHE_SECONDS`` (default 30),
which bounds what a hand-written SQL change outside SQLAlchemy could leave stale. Only successful
checks are cached; an unknown, revoked or expired token always goes to the database.
"""
from __future__ import annotations

import logging
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timezone

from flask import Flask, current_app
from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, make_transient_to_detached

from ..accounts.records import ApiToken, User

log = logging.getLogger(__name__)

EXTENSION = "matchmaker.token_cache"
INFO_KEY = "mm_token_cache"  # in Session.info: this app's cache (for the Redis bump after commit)
CHANGED_KEY = "mm_auth_changed"
REDIS_KEY = "matchmaker:auth-epoch"
MAX_ENTRIES = 10_000

_READ = text("SELECT value FROM auth_epochs WHERE id = 1")
_BUMP = text("UPDATE auth_epochs SET value = value + 1 WHERE id = 1")
_CREATE = text("INSERT INTO auth_epochs (id, value) VALUES (1, :v) ON CONFLICT (id) DO NOTHING")


@dataclass(frozen=True)
class Entry:
    user: User  # a detached copy; each request merges its own instance into its session
    token_id: int
    expires_at: datetime | None
    epoch: tuple[str, int]
    until: float  # time.monotonic() after which the entry is not used


#: engine -> (has the table, monotonic time checked): a database not yet upgraded to 0023 keeps working,
#: without the cache, and its user and token writes are not refused for a missing table
_TABLE: dict[Engine, tuple[bool, float]] = {}
_RECHECK = 60.0


def _has_table(engine: Engine) -> bool:
    known = _TABLE.get(engine)
    if known is not None and (known[0] or time.monotonic() - known[1] < _RECHECK):
        return known[0]
    with engine.connect() as conn:
        present = inspect(conn).has_table("auth_epochs")
    if not present:
        log.warning("token cache: no auth_epochs table (run `flask db upgrade`); bearer checks are not cached")
    _TABLE[engine] = (present, time.monotonic())
    return present


def _aware(moment: datetime | None) -> datetime | None:
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _snapshot(user: User) -> User:
    copy = User(**{attr.key: getattr(user, attr.key) for attr in inspect(User).column_attrs})
    make_transient_to_detached(copy)
    return copy


class TokenCache:
    def __init__(self, mode: str, ttl: float, max_entries: int = MAX_ENTRIES):
        self.mode, self.ttl, self.max_entries = mode, ttl, max_entries
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self._lock = threading.Lock()
        self._redis = None
        if mode.startswith(("redis://", "rediss://", "unix://")):
            import redis

            self._redis = redis.Redis.from_url(mode, socket_timeout=0.5, socket_connect_timeout=0.5)
            self._redis_errors = redis.RedisError

    # -- the epoch ---------------------------------------------------------------

    def epoch(self, session: Session) -> tuple[str, int] | None:
        """The current epoch, or ``None`` when it cannot be read (then nothing is cached)."""
        if self._redis is not None:
            try:
                value = self._redis.get(REDIS_KEY)
                if value is not None:
                    return ("redis", int(value))
                self._redis.set(REDIS_KEY, secrets.randbits(62), nx=True)
            except self._redis_errors as exc:
                log.warning("token cache: Redis unreachable (%s); using the database epoch", exc)
        if not _has_table(session.get_bind()):
            return None
        value = session.connection().execute(_READ).scalar()
        if value is None:  # an emptied table: start a fresh random epoch, cache from the next request
            with session.get_bind().begin() as conn:
                conn.execute(_CREATE, {"v": secrets.randbits(62)})
            return None
        return ("db", int(value))

    def published(self) -> None:
        """After the commit of a change to users or tokens: move the Redis epoch too."""
        if self._redis is not None:
            try:
                self._redis.incr(REDIS_KEY)
            except self._redis_errors as exc:  # the entries still expire after ttl seconds
                log.error("token cache: could not publish a revocation to Redis (%s)", exc)

    # -- entries -----------------------------------------------------------------

    def user(self, session: Session, digest: str, load) -> User | None:
        """The active user holding the valid token ``digest``; ``load(session, digest)`` reads the
        database and returns ``(user, token_id, expires_at)`` for a valid token, else ``None``."""
        epoch = self.epoch(session)
        now = datetime.now(timezone.utc)
        with self._lock:
            entry = self._entries.get(digest)
            if entry is not None:
                self._entries.move_to_end(digest)
        if (entry is not None and entry.epoch == epoch and entry.until > time.monotonic()
                and (entry.expires_at is None or entry.expires_at >= now)):
            return session.merge(entry.user, load=False)
        found = load(session, digest)
        if found is None:
            with self._lock:
                self._entries.pop(digest, None)
            return None
        user, token_id, expires_at = found
        if epoch is not None:
            fresh = Entry(_snapshot(user), token_id, _aware(expires_at), epoch, time.monotonic() + self.ttl)
            with self._lock:
                self._entries[digest] = fresh
                self._entries.move_to_end(digest)
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
        return user

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def current() -> TokenCache | None:
    return current_app.extensions.get(EXTENSION)


def init_app(app: Flask) -> None:
    mode = app.config.get("TOKEN_CACHE") or "database"
    if mode == "off":
        app.extensions.pop(EXTENSION, None)
        return
    if mode != "database" and not mode.startswith(("redis://", "rediss://", "unix://")):
        raise ValueError(f"MATCHMAKER_TOKEN_CACHE must be 'database', 'off' or a redis:// URL, not {mode!r}")
    cache = TokenCache(mode, float(app.config.get("TOKEN_CACHE_SECONDS") or 30))
    app.extensions[EXTENSION] = cache
    app.extensions["matchmaker.sessionmaker"].configure(info={INFO_KEY: cache})


# -- bumping the epoch: every session, every process ------------------------------


def _bump(session: Session | None, connection) -> None:
    if not _has_table(connection.engine):
        return
    if connection.execute(_BUMP).rowcount == 0:  # an emptied table
        if connection.execute(_CREATE, {"v": secrets.randbits(62)}).rowcount == 0:
            connection.execute(_BUMP)  # someone created it meanwhile
    if session is not None:
        session.info[CHANGED_KEY] = True


def _row_changed(_mapper, connection, target) -> None:
    _bump(inspect(target).session, connection)


for _model in (User, ApiToken):
    event.listen(_model, "after_update", _row_changed)
    event.listen(_model, "after_delete", _row_changed)


@event.listens_for(Session, "do_orm_execute")
def _bulk_change(state) -> None:
    if (state.is_update or state.is_delete) and state.bind_mapper is not None \
            and state.bind_mapper.class_ in (User, ApiToken):
        _bump(state.session, state.session.connection())


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.info.pop(CHANGED_KEY, False):
        cache = session.info.get(INFO_KEY)
        if cache is not None:
            cache.published()


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, _previous) -> None:
    session.info.pop(CHANGED_KEY, None)
