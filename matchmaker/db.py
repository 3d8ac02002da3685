"""One engine per application, one session per request, and the write helpers every concern's services use.

Views call :func:`session`; the session is closed (and rolled back if the
request failed) when the application context ends, so nothing is half-written.
Each write checks the version the client last read (:func:`check_version`, optimistic locking), runs
in one transaction and either commits whole or not at all (:func:`commit`).
"""
from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy import create_engine, event, func, select
from sqlalchemy.dialects.sqlite.base import SQLiteExecutionContext
from sqlalchemy.engine import Engine
from sqlalchemy.engine.cursor import _DEFAULT_FETCH, FullyBufferedCursorFetchStrategy
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from .errors import Conflict


class _WholeResultContext(SQLiteExecutionContext):
    """Each SQLite result is read whole when executed, so no statement keeps a read snapshot open.

    An unfinished SELECT (rows not all read: a result read only after a later write, an iterator left
    half-read, a loop that writes as it reads) holds its snapshot on the connection. A write there after
    another connection committed must turn that stale snapshot into a writer, which SQLite refuses at once
    with "database is locked" (SQLITE_BUSY_SNAPSHOT): the busy timeout cannot help. With every row in
    memory the statement is finished, and the write waits for the lock like any other.

    Transactions are unchanged: pysqlite still begins one just before the first INSERT, UPDATE or DELETE,
    so that write takes the write lock (waiting up to the busy timeout) and the reads after it see every
    commit before it (the claims and row locks that keep one winner of a race rely on this). Beginning at
    the first SELECT instead would make every read-then-write request a stale-snapshot writer, and
    ``BEGIN IMMEDIATE`` there would serialise every page, reads included. A result asked to stream
    (``stream_results``, ``yield_per``) is left as it is: it must be read to the end before writing.
    """

    def post_exec(self):
        super().post_exec()
        if (self.cursor.description is not None and self.cursor_fetch_strategy is _DEFAULT_FETCH
                and not self._is_server_side and not self.execution_options.get("stream_results")
                and not self.execution_options.get("yield_per")):
            self.cursor_fetch_strategy = FullyBufferedCursorFetchStrategy(self.cursor)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})
        engine.dialect.execution_ctx_cls = _WholeResultContext

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["matchmaker.engine"] = engine
    app.extensions["matchmaker.sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
    app.teardown_appcontext(_close_session)


def engine() -> Engine:
    return current_app.extensions["matchmaker.engine"]


def session() -> Session:
    if "db_session" not in g:
        g.db_session = current_app.extensions["matchmaker.sessionmaker"]()
    return g.db_session


def _close_session(exc: BaseException | None) -> None:
    sess = g.pop("db_session", None)
    if sess is not None:
        if exc is not None:
            sess.rollback()
        sess.close()


# -- writing and counting ---------------------------------------------------------------------------

def commit(session: Session) -> None:
    """Commit, turning a lost race into :class:`Conflict` and leaving nothing half-written."""
    try:
        session.commit()
    except StaleDataError as exc:
        session.rollback()
        raise Conflict("the record was changed by someone else; reload it and try again") from exc
    except IntegrityError as exc:
        session.rollback()
        raise Conflict("the change conflicts with an existing record") from exc


def check_version(row, version: int) -> None:
    """Refuse an edit made from a stale read: the client sends the version it last read."""
    if row.version != version:
        raise Conflict("version {version} is stale; the current version is {current}",
                       params={"version": version, "current": row.version})


def changed_fields(before: dict, after: dict) -> list[str]:
    """The keys of ``after`` whose value differs from ``before`` (what an edit changed, for the audit log)."""
    return [k for k in after if before.get(k) != after[k]]


def profile_fields(row, schema) -> dict:
    """A row's values of every field of the pydantic ``schema`` (a record as its API body reads)."""
    return {name: getattr(row, name) for name in schema.model_fields}


def count(session: Session, stmt) -> int:
    return session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))


def like_escape(text: str) -> str:
    """``text`` as a literal inside a ``LIKE`` pattern (with ``escape="\\"``)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
