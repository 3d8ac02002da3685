"""Moving changes from the database into the search index without losing any.

* :func:`drain` reads outbox rows, rebuilds each named document from the database
  and writes it to the index; only then are those outbox rows deleted. If the
  index is unreachable the rows stay and the error is recorded for the health
  endpoint. Replays are harmless: documents carry versions and the index keeps
  the highest.
* With the embedded backend, a :class:`Drainer` thread in each process drains
  right after every commit that queued changes, never inside the request (a
  locked or down index does not slow writes). With Elasticsearch,
  ``flask index sync`` runs :func:`run_worker`, a loop with back-off. Tests and
  the command line read their own writes through :func:`wait_idle`.

Rebuilding every index from the database (``flask index rebuild``) is the other
way documents reach the index; it lives in :mod:`.rebuild`, which uses this
module's backend and drain.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import replace
from datetime import datetime, timezone

from flask import Flask, current_app, g
from sqlalchemy import delete, event, inspect, select, update
from sqlalchemy.orm import Session

from indexing import IndexSpec, IndexUnavailable, SearchBackend, open_backend

from .records import IndexOutbox, SyncState
from .documents import DOCUMENTS, SPECS, existing_ids

log = logging.getLogger(__name__)

BATCH = 500


def backend(app: Flask | None = None) -> SearchBackend:
    """This process's backend, opened once per process and kept in ``app.extensions``.

    Reopened after a fork (gunicorn ``--preload``): SQLite connections must not cross one."""
    app = app or current_app
    be = app.extensions.get("matchmaker.search")
    if be is None or getattr(be, "_opened_in_pid", os.getpid()) != os.getpid():
        url = app.config["SEARCH_URL"]
        if url == "embedded":  # options e.g. {"busy_timeout": seconds a writer waits for a locked file}
            be = open_backend(app.config["SEARCH_PATH"], **app.config.get("SEARCH_EMBEDDED_OPTIONS", {}))
        else:
            be = open_backend(url, **app.config.get("SEARCH_CLIENT_OPTIONS", {}))
        be._opened_in_pid = os.getpid()
        app.extensions["matchmaker.search"] = be
    return be


def spec_for(name: str, app: Flask | None = None) -> IndexSpec:
    """The mapping of logical index ``name``, under this deployment's prefix (shared clusters)."""
    spec = SPECS[name]
    prefix = (app or current_app).config.get("SEARCH_PREFIX", "")
    return replace(spec, name=prefix + spec.name) if prefix else spec


MODES = ("background", "inline", "worker")


def mode(app: Flask) -> str:
    """How queued changes reach the index in this deployment (``SEARCH_SYNC``).

    ``background`` (default with the embedded index): a drainer thread in each process,
    woken after every commit that queued changes, so no request waits on the index.
    ``worker`` (default with Elasticsearch): a separate ``flask index sync`` drains.
    ``inline``: drain after each writing request, in the request (a locked or down index
    makes the request wait for it; kept for comparison and benchmarks).
    """
    chosen = app.config.get("SEARCH_SYNC") or ("background" if app.config["SEARCH_URL"] == "embedded" else "worker")
    if chosen not in MODES:
        raise ValueError(f"SEARCH_SYNC must be one of {', '.join(MODES)}, not {chosen!r}")
    return chosen


def init_app(app: Flask) -> None:
    """Hook the outbox drain to commits, in the mode :func:`mode` names."""
    chosen = mode(app)
    if app.config["SEARCH_URL"] == "embedded":
        _housekeep(app)
    if chosen == "worker":
        return
    sessionmaker = app.extensions["matchmaker.sessionmaker"]
    if chosen == "inline":
        try:  # changes written outside a request (command line, imports) reach the index at start-up
            with sessionmaker() as session:
                if not inspect(session.connection()).has_table(IndexOutbox.__tablename__):
                    # a first start (e.g. `flask db upgrade` itself): nothing can be queued before the tables exist
                    log.info("search outbox not drained at start-up: the database is not migrated yet")
                else:
                    drain_quietly(session, backend(app), app)
        except Exception:  # noqa: BLE001 - e.g. an unreachable database; the next drain catches up
            log.warning("could not drain the search outbox at start-up", exc_info=True)
    if app.config["SEARCH_URL"] == "embedded":
        _warm_up(app)

    @event.listens_for(sessionmaker, "after_flush")
    def _mark(session, _ctx):
        if any(isinstance(obj, IndexOutbox) for obj in session.new):
            session.info["outbox_dirty"] = True

    @event.listens_for(sessionmaker, "after_commit")
    def _drain_after_commit(session):
        if session.info.pop("outbox_dirty", False):
            session.info["drain_pending"] = True
            if mode(app) == "background":
                drainer(app).kick()

    if chosen == "background":
        @app.before_request
        def _start_drainer():  # lazily, in the serving process (never in gunicorn's master or a CLI command)
            drainer(app).start()  # its first pass settles what was queued before start-up
        return

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


class Drainer:
    """One per process: a daemon thread that drains the outbox off the request path.

    :meth:`kick` (called after each commit that queued changes) wakes it; without kicks
    it still looks every ``poll`` seconds, which picks up changes queued by the command
    line or by a process that died. While the index is unavailable it backs off
    (``interval`` doubling up to ``max_backoff``) and the rows stay queued. It is started
    lazily and re-created after a fork, so gunicorn's master never runs it.
    """

    def __init__(self, app: Flask, interval: float = 0.5, max_backoff: float = 30.0, poll: float = 5.0) -> None:
        self.app, self.interval, self.max_backoff, self.poll = app, interval, max_backoff, poll
        self.pid = os.getpid()
        self._cv = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopped = False
        self.kicks = 0        # kicks so far
        self.attempted = 0    # kicks covered by the last finished pass (success or failure)
        self.settled = 0      # kicks covered by the last successful pass
        self.failing = False
        self.last_error: str | None = None
        self.retry_at: float | None = None  # monotonic time of the next attempt while backing off

    def start(self) -> None:
        with self._cv:
            if self._thread is None and not self._stopped:
                self._thread = threading.Thread(target=self._run, name="matchmaker-index-drainer", daemon=True)
                self._thread.start()

    def kick(self) -> None:
        """Wake the thread (it is started by the first request, never here: a CLI command stays single-threaded)."""
        with self._cv:
            self.kicks += 1
            self._cv.notify_all()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def stop(self, timeout: float = 15.0) -> None:
        with self._cv:
            self._stopped = True
            self._cv.notify_all()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Wait until a pass that began after the latest kick has finished; True if it succeeded.

        Returns at once (False) while the drainer is failing: the index is down, so waiting
        would only delay the caller, and the changes stay queued.
        """
        deadline = time.monotonic() + timeout
        with self._cv:
            target = self.kicks
            while self.attempted < target and not self.failing and not self._stopped:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cv.wait(left)
            return self.settled >= target

    def status(self) -> dict:
        with self._cv:
            return {"mode": "background", "running": self.running,
                    "failing": self.failing, "last_error": self.last_error,
                    "retry_in_s": None if self.retry_at is None else round(max(0.0, self.retry_at - time.monotonic()), 1)}

    def _run(self) -> None:
        sessionmaker = self.app.extensions["matchmaker.sessionmaker"]
        wait = self.interval
        while True:
            with self._cv:
                if self._stopped:
                    return
                target = self.kicks
            ok = False
            try:
                with sessionmaker() as session:
                    drain(session, backend(self.app), self.app)
                ok, error = True, None
            except IndexUnavailable as exc:
                error = str(exc)
            except Exception as exc:  # noqa: BLE001 - e.g. the database briefly unreachable; retry later
                log.exception("the index drainer failed; changes stay queued")
                error = f"{type(exc).__name__}: {exc}"
            with self._cv:
                self.attempted = max(self.attempted, target)
                if ok:
                    self.settled, self.failing, self.last_error, self.retry_at = target, False, None, None
                    wait = self.interval
                else:
                    self.failing, self.last_error = True, (error or "")[:500]
                    self.retry_at = time.monotonic() + wait
                self._cv.notify_all()
                if ok:  # sleep until kicked (or the next poll)
                    if self.kicks == target and not self._stopped:
                        self._cv.wait(self.poll)
                else:  # back off; kicks do not cut the wait short, the rows stay queued meanwhile
                    self._cv.wait_for(lambda: self._stopped, wait)
                    wait = min(self.max_backoff, wait * 2)


_drainers_lock = threading.Lock()
_started: list[Drainer] = []  # every drainer this process made, for stop_all


def drainer(app: Flask) -> Drainer:
    """This process's drainer for ``app`` (a new one after a fork: threads do not survive it)."""
    with _drainers_lock:
        d = app.extensions.get("matchmaker.drainer")
        if d is None or d.pid != os.getpid():
            d = Drainer(app, **app.config.get("SEARCH_DRAINER_OPTIONS", {}))
            app.extensions["matchmaker.drainer"] = d
            _started.append(d)
        return d


def stop_all(timeout: float = 5.0) -> None:
    """Stop every drainer of this process, e.g. before its database goes away (tests, shutdown)."""
    with _drainers_lock:
        drainers, _started[:] = list(_started), []
    for d in drainers:
        d.stop(timeout)


def wait_idle(app: Flask, timeout: float = 30.0) -> bool:
    """Let the caller read its own writes: wait for this process's drainer (background mode).

    In ``inline`` mode the request already drained. Where no drainer runs in this process
    (``worker`` mode, a command line), this drains here once. Returns whether the queued
    changes reached the index.
    """
    chosen = mode(app)
    d = app.extensions.get("matchmaker.drainer")
    if chosen == "background" and d is not None and d.pid == os.getpid() and d.running:
        return d.wait_idle(timeout)
    if chosen == "inline":
        return True
    with app.extensions["matchmaker.sessionmaker"]() as session:  # no drainer here: drain once, now
        drain_quietly(session, backend(app), app)
        return not _pending(session)


def stop(app: Flask) -> None:
    """Stop this process's drainer (tests, shutdown); queued rows stay for the next one."""
    d = app.extensions.get("matchmaker.drainer")
    if d is not None and d.pid == os.getpid():
        d.stop()


def close(app: Flask) -> None:
    """Close this process's backend of ``app`` (tests, shutdown): the embedded one's tantivy indexes hold
    reader threads and a file watcher each until closed. A later :func:`backend` call opens a new one."""
    be = app.extensions.pop("matchmaker.search", None)
    if be is not None and getattr(be, "_opened_in_pid", os.getpid()) == os.getpid():
        be.close()


def _pending(session: Session) -> int:
    from sqlalchemy import func
    return session.scalar(select(func.count()).select_from(IndexOutbox))


def _housekeep(app: Flask) -> None:
    """Remove what an interrupted rebuild left on disk (the embedded index's partial files)."""
    be = backend(app)
    if hasattr(be, "remove_leftovers"):
        try:
            for name in SPECS:
                be.remove_leftovers(spec_for(name, app).name)
        except OSError:
            log.warning("could not remove leftovers of an interrupted rebuild", exc_info=True)


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
