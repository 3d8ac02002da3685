"""Contact pages: a user's notifications, their email preferences, and the demo's outbox (routes on
the ``contact`` blueprint of ``contact.pages``).
"""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for

from .. import db
from ..auth import current_actor
from ..forms import Problems
from ..i18n import gettext as _
from ..i18n import locale
from . import forms as cf
from . import kinds
from . import notify as nt
from .pages import bp
from ..access import allow, ADMIN, SIGNED_IN


# -- notifications ---------------------------------------------------------------------------------

@bp.get("/notifications")
@allow(SIGNED_IN)
def notifications():
    actor = current_actor()
    lang = locale()
    items = [{"note": n, "text": nt.label(n, lang)} for n in nt.recent(db.session(), actor.id)]
    return render_template("contact/notifications.html", items=items)


@bp.post("/notifications/read")
@allow(SIGNED_IN)
def notifications_read():
    nt.mark_read(db.session(), current_actor().id)
    return redirect(url_for("contact.notifications"))


def _render_preferences(problems: Problems | None = None, status: int = 200):
    from . import kinds
    actor = current_actor()
    rows = [{"spec": spec, "mode": mode} for spec, mode in
            ((spec, nt.preferences(db.session(), actor)[spec.code]) for spec in kinds.kinds_for(actor.role))]
    return render_template("contact/preferences.html", rows=rows, mode_labels=kinds.MODE_LABELS,
                           problems=problems or Problems()), status


@bp.get("/notifications/preferences")
@allow(SIGNED_IN)
def preferences():
    return _render_preferences()


@bp.post("/notifications/preferences")
@allow(SIGNED_IN)
def preferences_save():
    from . import kinds
    actor = current_actor()
    choices = cf.preferences_form([spec.code for spec in kinds.kinds_for(actor.role)]).modes()
    problems = Problems()
    for kind, mode in choices.items():
        if mode not in kinds.MODES:
            problems.add(f"mode_{kind}", _("Choose how to be emailed."))
    for p in nt.preference_problems(actor, {k: m for k, m in choices.items() if m in kinds.MODES}):
        problems.add("mode_" + p["field"].split(".", 1)[1], p["problem"])
    if problems:
        return _render_preferences(problems, 422)
    nt.set_preferences(db.session(), actor, choices)
    flash(_("Your notification preferences are saved."), "success")
    return redirect(url_for("contact.preferences"))


@bp.get("/notifications/outbox")
@allow(ADMIN)
def outbox():
    """The demo's sent mail: the latest emails of the outbox, sent or waiting (platform admin)."""
    from sqlalchemy import select

    from .records import EmailOutbox
    rows = db.session().scalars(select(EmailOutbox).order_by(EmailOutbox.id.desc()).limit(200)).all()
    lang = locale()
    return render_template("contact/outbox.html", rows=rows, kind_label=lambda code: kinds.kind_label(code, lang))
