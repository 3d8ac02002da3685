"""Warm a fresh worker before it serves: the screener loaded and the buyers' directory already scored.

A new gunicorn worker's first ``/vetting/buyers`` took 4-12 s (scikit-learn and the model files loaded,
every listed buyer's fingerprint and features computed). :func:`warm_up` does that work at boot, from the
gunicorn hook ``post_worker_init`` (``scripts/gunicorn_conf.py``, the config ``scripts/demo.sh`` and
``flask serve`` use), so the worker accepts its first request only once it is done. Never from
``create_app``: tests and CLI commands that do not score buyers do not pay for it.

It scores the directory's first page (``views.directory_query``) as each viewer sees it (every
association, and the platform-wide view), through :func:`.screening.assess`, whose per-process cache the
page then reads; nothing is written (no audit entry: nobody was shown a score).
"""
from __future__ import annotations

import logging
import time
from datetime import date

from sqlalchemy import select

log = logging.getLogger(__name__)


def warm_up(app, per_page: int | None = None) -> dict:
    """Load the promoted screener and score the directory's first page for every viewer; returns what it did.

    Failures are logged, never raised: a worker without a model or with a broken one still serves (the
    pages say so in words)."""
    started = time.monotonic()
    out = {"model_version": None, "scored": 0, "views": 0, "seconds": 0.0}
    try:
        with app.app_context():
            from .. import db
            from ..organizations.records import Association
            from .pages_members import PER_PAGE
            from .records import SUBJECT_KINDS
            from .screening import assess, promoted_screener
            from .views import directory_query

            _model, out["model_version"] = promoted_screener()
            app.jinja_env.get_template("vetting/directory.html")
            sess = db.session()
            try:
                ids = list(sess.scalars(directory_query(SUBJECT_KINDS).limit(per_page or PER_PAGE)))
                views = [None, *sess.scalars(select(Association.id).order_by(Association.id))]
                today = date.today()
                for association_id in views:
                    out["scored"] += len(assess(sess, ids, association_id, today))
                out["views"] = len(views)
            finally:
                sess.rollback()  # read only; the app context's end closes the session
    except Exception:  # noqa: BLE001 - the worker serves anyway; the first visitor pays as before
        log.warning("screener warm-up failed", exc_info=True)
    out["seconds"] = round(time.monotonic() - started, 2)
    return out
