"""Rebuilding every index from the database, then swapping the new indexes in.

:func:`rebuild_all` (``flask index rebuild``, setup, the vetting screen's re-index) builds a fresh
versioned index per logical index from the database rows, swaps the alias to it, then makes up for
what changed while it was reading: rows written meanwhile are queued again
(:func:`_replay_changed_since`) and rows deleted meanwhile are removed from the new index
(:func:`_drop_vanished`), and the outbox is drained into it. A large table's documents are built in
worker processes (:mod:`.rebuilding`).

Why a module of its own: :mod:`.sync` is the steady state, wiring the backend into the app and
draining the outbox after each commit; a rebuild is an occasional whole-database operation with its
own concerns (worker processes, counting rows, the swap). It uses :mod:`.sync`'s backend and drain;
:mod:`.sync` never imports it.
"""
from __future__ import annotations

import logging
from contextlib import nullcontext
from datetime import datetime, timedelta, timezone

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from indexing import IndexSpec, SearchBackend

from .documents import DOCUMENTS, SPECS, all_ids
from .sync import backend, drain_quietly, spec_for

log = logging.getLogger(__name__)


def rebuild_all(app: Flask, progress=None) -> dict[str, str]:
    """Rebuild every index from the database into new versioned indices, then swap them in.

    A table of at least ``SEARCH_REBUILD_PARALLEL_MIN`` rows has its documents built by
    ``SEARCH_REBUILD_WORKERS`` worker processes when the backend takes prepared batches (the embedded
    one; see :mod:`.rebuilding`); the index is the same either way. Rows written while it reads are
    queued again afterwards (:func:`_replay_changed_since`), whichever process read them."""
    from . import rebuilding

    sessionmaker = app.extensions["matchmaker.sessionmaker"]
    be = backend(app)
    started = datetime.now(timezone.utc) - timedelta(seconds=1)
    physical = {}
    specs = {name: spec_for(name, app) for name in SPECS}
    with sessionmaker() as session:
        totals = {name: _count(session, name) for name in SPECS}
    count = rebuilding.workers(app) if hasattr(be, "rebuild_prepared") else 0
    least = rebuilding.parallel_min(app)
    parallel = [name for name in SPECS if count and totals[name] >= least]
    with (rebuilding.Workers(app.config["DATABASE_URL"], specs, count) if parallel else nullcontext()) as pool:
        for name, spec in specs.items():
            total = totals[name]
            report = (lambda n, name=name, total=total: progress(f"index {name}", n, total)) if progress else None
            with sessionmaker() as session:
                if name in parallel:
                    physical[name] = be.rebuild_prepared(spec, pool.prepared_batches(session, name), report)
                else:
                    physical[name] = be.rebuild(spec, DOCUMENTS[name](session), report)
    with sessionmaker() as session:
        _replay_changed_since(session, started)
        _drop_vanished(session, be, specs)
        drain_quietly(session, be, app)
    return physical


def _count(session: Session, name: str) -> int:
    from sqlalchemy import func

    from ..makers.records import MakerProfile
    from ..requirements.records import Requirement
    model = MakerProfile if name == "makers" else Requirement
    return session.scalar(select(func.count()).select_from(model))


def _drop_vanished(session: Session, be: SearchBackend, specs: dict[str, IndexSpec]) -> None:
    """Delete from the new indexes the documents of rows deleted while the rebuild read them: their outbox
    entries were drained into the index the alias named then. The index's ids are read before the
    table's, so a row added meanwhile is never taken for a vanished one."""
    for name, spec in specs.items():
        indexed = {int(i) for i in be.versions(spec.name)}
        gone = indexed - all_ids(session, name)
        if gone:
            log.info("rebuild: %d %s deleted while it read them, deleted from the new index", len(gone), name)
            be.delete(spec.name, [str(i) for i in sorted(gone)])


def _replay_changed_since(session: Session, since: datetime) -> None:
    """Queue documents written while the rebuild was reading, so the new index misses none."""
    from ..makers.records import MakerProfile
    from ..organizations.records import Organization
    from ..requirements.records import Requirement
    from .outbox import record_change

    for org_id in session.scalars(select(MakerProfile.organization_id).join(Organization).where(
            (MakerProfile.updated_at >= since) | (Organization.updated_at >= since))):
        record_change(session, "makers", org_id)
    for req_id in session.scalars(select(Requirement.id).where(Requirement.updated_at >= since)):
        record_change(session, "requirements", req_id)
    session.commit()
