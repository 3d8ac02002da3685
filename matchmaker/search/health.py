"""What the health endpoint says about search: how far behind the index is, and why.

``pending_changes`` outbox rows not yet in the index, ``oldest_pending_age_s`` how long
the oldest has waited, per index the last successful sync and the last error, and this
process's drainer (running, failing, seconds until its next attempt).
"""
from __future__ import annotations

import os
from datetime import datetime, timezone

from sqlalchemy import func, select

from .. import db
from .records import IndexOutbox, SyncState
from .sync import mode


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
    return {
        "backend": "embedded" if app.config["SEARCH_URL"] == "embedded" else "elasticsearch",
        "sync": mode(app),
        "pending_changes": pending,
        "oldest_pending_age_s": age,
        "indices": {name: {"last_sync_at": s.last_sync_at.isoformat() if s.last_sync_at else None,
                           "last_error": s.last_error} for name, s in states.items()},
        "drainer": drainer.status() if drainer is not None and drainer.pid == os.getpid() else None,
    }
