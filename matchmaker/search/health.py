"""What the health endpoint says about search: how far behind the index is, and why.

``pending_changes`` outbox rows not yet in the index, ``oldest_pending_age_s`` how long
the oldest has waited, per index the last successful sync and the last error, this
process's drainer (running, failing, seconds until its next attempt), and whether the
built indexes are outdated: per index the spec version and synonym-list hash the code has
and those the built index recorded, ``rebuild_needed`` when they differ (and at the top
when any index needs it: run ``flask index rebuild``).
"""
from __future__ import annotations

import os
from datetime import datetime, timezone

from sqlalchemy import func, select

from indexing import SearchError, UnknownIndex

from .. import db
from .documents import SPECS
from .records import IndexOutbox, SyncState
from .sync import backend, mode, spec_for


def search_health(app) -> dict:
    sess = db.session()
    pending, oldest = sess.execute(select(func.count(), func.min(IndexOutbox.created_at))
                                   .select_from(IndexOutbox)).one()
    states = {s.index_name: s for s in sess.scalars(select(SyncState))}
    age = None
    if oldest is not None:
        oldest = oldest if oldest.tzinfo else oldest.replace(tzinfo=timezone.utc)
        age = round(max(0.0, (datetime.now(timezone.utc) - oldest).total_seconds()), 1)
    drainer = app.extensions.get("matchmaker.drainer")
    indices = {name: {"last_sync_at": None, "last_error": None} for name in SPECS}
    indices.update({name: {"last_sync_at": s.last_sync_at.isoformat() if s.last_sync_at else None,
                           "last_error": s.last_error} for name, s in states.items()})
    for name in SPECS:
        indices[name].update(built_status(app, name))
    return {
        "backend": "embedded" if app.config["SEARCH_URL"] == "embedded" else "elasticsearch",
        "sync": mode(app),
        "pending_changes": pending,
        "oldest_pending_age_s": age,
        "rebuild_needed": any(i["rebuild_needed"] for i in indices.values() if "rebuild_needed" in i),
        "indices": indices,
        "drainer": drainer.status() if drainer is not None and drainer.pid == os.getpid() else None,
    }


def built_status(app, name: str) -> dict:
    """The code's spec version and synonym hash for index ``name``, the built index's (None when it does
    not exist yet: the first search creates it with the code's spec), and whether a rebuild is needed.
    ``rebuild_needed`` is None when the engine cannot say now (its error is in ``built_error``)."""
    code = spec_for(name, app)
    out = {"spec_version": code.version, "synonyms_hash": code.synonyms_hash,
           "built_spec_version": None, "built_synonyms_hash": None, "rebuild_needed": False}
    try:
        built = backend(app).built_spec(code.name)
    except UnknownIndex:
        return out
    except SearchError as exc:
        return {**out, "rebuild_needed": None, "built_error": str(exc)}
    return {**out, "built_spec_version": built.version, "built_synonyms_hash": built.synonyms_hash,
            "rebuild_needed": (built.version, built.synonyms_hash) != (code.version, code.synonyms_hash)}
