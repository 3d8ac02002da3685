"""What the health endpoint says about search: backend, pending changes, last sync."""
from __future__ import annotations

from sqlalchemy import func, select

from .. import db
from ..schema import IndexOutbox, SyncState


def search_health(app) -> dict:
    sess = db.session()
    pending = sess.scalar(select(func.count()).select_from(IndexOutbox))
    states = {s.index_name: s for s in sess.scalars(select(SyncState))}
    return {
        "backend": "embedded" if app.config["SEARCH_URL"] == "embedded" else "elasticsearch",
        "pending_changes": pending,
        "indices": {name: {"last_sync_at": s.last_sync_at.isoformat() if s.last_sync_at else None,
                           "last_error": s.last_error} for name, s in states.items()},
    }
