"""Moving changes from the database into the search index without losing any.

* :func:`drain` reads outbox rows, rebuilds each named document from the database
  and writes it to the index; only then are those outbox rows deleted. If the
  index is unreachable the rows stay and the error is recorded for the health
  endpoint. Replays are harmless: documents carry versions and the index keeps
  the highest.
* With the embedded backend, :func:`init_app` drains right after every commit
  that queued changes. With Elasticsearch, ``flask index sync`` runs
  :func:`run_worker`, a loop with back-off.
* :func:`rebuild_all` builds a fresh versioned index from the database and swaps
  it in, then replays everything changed while it was building.
"""
from __future__ import annotations

import logging
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from flask import Flask, current_app, g
from sqlalchemy import delete, event, inspect, select, update
from sqlalchemy.orm import Session

from indexing import IndexSpec, IndexUnavailable, SearchBackend, open_backend

from ..schema import IndexOutbox, SyncState
from .documents import DOCUMENTS, SPECS, existing_ids

log = logging.getLogger(__name__)

BATCH = 500


def backend(app: Flask | None = None) -> SearchBackend:
    """This process's backend, opened once and kept in ``app.extensions``."""
    app = app or current_app
    be = app.extensions.get("matchmaker.search")
    if be is None:
        url = app.config["SEARCH_URL"]
        if url == "embedded":
            be = open_backend(app.config["SEARCH_PATH"])
        else:
            be = open_backend(url, **app.config.get("SEARCH_CLIENT_OPTIONS", {}))
        app.extensions["matchmaker.search"] = be
    return be


def spec_for(name: str, app: Flask | None = None) -> IndexSpec:
    """The mapping of logical index ``name``, under this deployment's prefix (shared clusters)."""
    spec = SPECS[name]
    prefix = (app or current_app).config.get("SEARCH_PREFIX", "")
    return replace(spec, name=prefix + spec.name) if prefix else spec


def init_app(app: Flask) -> None:
    """Drain after each commit that queued changes, when the backend is embedded."""
    if app.config["SEARCH_URL"] != "embedded":
        return
    sessionmaker = app.extensions["matchmaker.sessionmaker"]
    try:  # changes written outside a request (command line, imports) reach the index at start-up
        with sessionmaker() as session:
            if not inspect(session.connection()).has_table(IndexOutbox.__tablename__):
                # a first start (e.g. `flask db upgrade` itself): nothing can be queued before the tables exist
                log.info("search outbox not drained at start-up: the database is not migrated yet")
            else:
                drain_quietly(session, backend(app), app)
    except Exception:  # noqa: BLE001 - e.g. an unreachable database; the next drain catches up
        log.warning("could not drain the search outbox at start-up", exc_info=True)
    _warm_up(app)

    @event.listens_for(sessionmaker, "after_flush")
    def _mark(session, _ctx):
        if any(isinstance(obj, IndexOutbox) for obj in session.new):
            session.info["outbox_dirty"] = True

    @event.listens_for(sessionmaker, "after_commit")
    def _drain_after_commit(session):
        if session.info.pop("outbox_dirty", False):
            session.info["drain_pending"] = True

    @app.after_request
    def _drain(response):
        sess = g.get("db_session")
        if sess is not None and sess.info.pop("drain_pending", False):
            try:
                with sessionmaker() as fresh:
                    drain_quietly(fresh, backend(app), app)
            except Exception:  # the write is committed and queued; the next drain retries it
                log.exception("draining the search outbox failed; changes stay queued")
        return response


def _warm_up(app: Flask) -> None:
    """Load each index's in-memory copy now, so a worker's first visitor does not wait for it."""
    from indexing import Query, SearchError

    for name in SPECS:
        try:
            backend(app).search(spec_for(name, app).name, Query(per_page=1))
        except SearchError:
            pass  # no index yet: nothing to load


def drain(session: Session, be: SearchBackend, app: Flask | None = None, limit: int | None = None) -> int:
    """Write queued changes to the index; return how many outbox rows were settled."""
    app = app or current_app
    settled = 0
    while limit is None or settled < limit:
        rows = session.execute(select(IndexOutbox.id, IndexOutbox.index_name, IndexOutbox.doc_id)
                               .order_by(IndexOutbox.id).limit(BATCH)).all()
        if not rows:
            break
        by_index: dict[str, set[int]] = {}
        for _, index, doc_id in rows:
            by_index.setdefault(index, set()).add(int(doc_id))
        try:
            for index, ids in by_index.items():
                spec = spec_for(index, app)
                be.ensure_index(spec)
                id_list = sorted(ids)
                be.upsert(spec.name, DOCUMENTS[index](session, id_list))
                gone = set(id_list) - existing_ids(session, index, id_list)
                if gone:
                    be.delete(spec.name, [str(i) for i in gone])
        except IndexUnavailable as exc:
            session.rollback()
            session.execute(update(IndexOutbox).where(IndexOutbox.id.in_([r[0] for r in rows]))
                            .values(attempts=IndexOutbox.attempts + 1))
            _record(session, by_index, error=str(exc))
            session.commit()
            log.warning("search index unavailable; %d changes stay queued: %s", len(rows), exc)
            raise
        session.execute(delete(IndexOutbox).where(IndexOutbox.id.in_([r[0] for r in rows])))
        _record(session, by_index, error=None)
        session.commit()
        settled += len(rows)
    return settled


def _record(session: Session, indices, error: str | None) -> None:
    now = datetime.now(timezone.utc)
    for name in indices:
        state = session.get(SyncState, name) or SyncState(index_name=name)
        if error is None:
            state.last_sync_at, state.last_error = now, None
        else:
            state.last_error = error[:500]
        session.add(state)


def drain_quietly(session: Session, be: SearchBackend, app: Flask | None = None) -> int:
    """Like :func:`drain`, but an unreachable index is logged, not raised (the rows stay queued)."""
    try:
        return drain(session, be, app)
    except IndexUnavailable:
        return 0


def run_worker(app: Flask, interval: float = 1.0, max_backoff: float = 60.0, stop_after: float | None = None,
               echo=print) -> None:
    """Drain forever (or for ``stop_after`` seconds), backing off while the index is down."""
    sessionmaker = app.extensions["matchmaker.sessionmaker"]
    be = backend(app)
    wait = interval
    started = time.monotonic()
    while stop_after is None or time.monotonic() - started < stop_after:
        with sessionmaker() as session:
            try:
                n = drain(session, be, app)
                if n:
                    echo(f"synced {n} changes")
                wait = interval
            except IndexUnavailable as exc:
                wait = min(max_backoff, wait * 2)
                echo(f"index unavailable ({exc}); retrying in {wait:.0f}s")
        time.sleep(wait)


def rebuild_all(app: Flask, progress=None) -> dict[str, str]:
    """Rebuild every index from the database into new versioned indices, then swap them in."""
    sessionmaker = app.extensions["matchmaker.sessionmaker"]
    be = backend(app)
    started = datetime.now(timezone.utc) - timedelta(seconds=1)
    physical = {}
    for name in SPECS:
        spec = spec_for(name, app)
        with sessionmaker() as session:
            total = _count(session, name)
            report = (lambda n, name=name, total=total: progress(f"index {name}", n, total)) if progress else None
            physical[name] = be.rebuild(spec, DOCUMENTS[name](session), report)
    with sessionmaker() as session:
        _replay_changed_since(session, started)
        drain_quietly(session, be, app)
    return physical


def _count(session: Session, name: str) -> int:
    from sqlalchemy import func

    from ..schema import MakerProfile, Requirement
    model = MakerProfile if name == "makers" else Requirement
    return session.scalar(select(func.count()).select_from(model))


def _replay_changed_since(session: Session, since: datetime) -> None:
    """Queue documents written while the rebuild was reading, so the new index misses none."""
    from ..schema import MakerProfile, Organization, Requirement
    from .outbox import record_change

    for org_id in session.scalars(select(MakerProfile.organization_id).join(Organization).where(
            (MakerProfile.updated_at >= since) | (Organization.updated_at >= since))):
        record_change(session, "makers", org_id)
    for req_id in session.scalars(select(Requirement.id).where(Requirement.updated_at >= since)):
        record_change(session, "requirements", req_id)
    session.commit()
