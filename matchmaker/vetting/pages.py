"""Vetting pages: the ``vetting`` blueprint, the status badge and case-note helpers every page may use,
and the form helpers its page modules share.

The views join the blueprint from their own modules, registered with it by the app factory:
``pages_board`` (the board's queue and case page, incident status, evidence, the audit export),
``pages_members`` (the member directory, report forms, proposals) and ``pages_status`` (a buyer's own
status, its reply, its application).

Forms carry a CSRF token (Flask-WTF); the rules are the pydantic schemas of
:mod:`matchmaker.vetting.schemas`, and every refusal is shown beside the field it concerns
(or at the top of the form), with status 4xx and nothing written.
"""
from __future__ import annotations

import re

from flask import Blueprint, flash, g
from markupsafe import Markup

from .. import db
from .. import taxonomy as tx
from ..auth import current_actor
from ..forms import Problems, validate_form
from ..i18n import gettext as _
from ..i18n import format_date, locale
from .clearance import may_see_standing
from . import services as vs
from . import views as vv
from ..errors import DomainError
from ..catalog import N_

bp = Blueprint("vetting", __name__, url_prefix="/vetting")


# -- the status badge, for every page that shows a buyer to a maker --------------------------------

@bp.app_context_processor
def _badge_helper():
    return {"vetting_badge": vetting_badge, "case_note": case_note}


# Notes the system writes when it opens a case itself (vetting.cases), in the reader's language;
# a note typed by a person is shown as written.
_SYSTEM_NOTES = (
    (re.compile(r"^review date (\d{4}-\d{2}-\d{2}) reached$"), N_("Review date due: {date}."), "date"),
    (re.compile(r"^incident (\d+) verified$"), N_("Incident #{n} was verified."), "n"),
)


def case_note(note: str | None) -> str:
    if not note:
        return ""
    for pattern, msgid, key in _SYSTEM_NOTES:
        match = pattern.match(note)
        if match:
            value = match.group(1)
            return _(msgid, **{key: format_date(value) if key == "date" else value})
    return note


def vetting_badge(org_id: int, association_id: int | None = None) -> Markup:
    """``{{ vetting_badge(buyer.id) }}``: the buyer's vetting status as a small badge (cached per request).

    Nothing for a reader who may not see the standing (``clearance.may_see_standing``: a rival buyer or
    vendor), so a competitor's outcome never shows on a directory or vendor page."""
    user = current_actor()
    if not may_see_standing(user, org_id):
        return Markup("")
    cache = g.setdefault("vetting_badges", {})
    key = (org_id, association_id)
    if key not in cache:
        sess = db.session()
        assoc = association_id or (user.association_id if user else None)
        st = vs.standings(sess, [org_id], assoc).get(org_id) or vs.standings(sess, [org_id]).get(org_id)
        reviewing = bool(vs.under_review(sess, [org_id], assoc))
        cache[key] = badge_html(vv.standing_dict(st, reviewing))
    return cache[key]


BADGE_CLASS = {"approved": "ok", "approved_with_conditions": "ok", "watchlist": "warn", "rejected": "bad",
               "under_review": "warn", "not_vetted": ""}


def badge_html(standing: dict) -> Markup:
    status = standing["status"]
    if status in tx.VETTING_OUTCOMES:
        text = tx.VETTING_OUTCOMES.label(status, locale())
    else:
        text = _("Under review") if status == "under_review" else _("Not vetted")
    if standing.get("conditions"):
        text += ": " + ", ".join(tx.VETTING_CONDITIONS.label(c, locale()) for c in standing["conditions"])
    return Markup('<span class="badge {}" data-vetting-status="{}">{}</span>').format(
        BADGE_CLASS.get(status, ""), status, text)


def _translated(problems: Problems) -> Problems:
    problems.fields = {k: [_(m) for m in v] for k, v in problems.fields.items()}
    problems.top = [_(m) for m in problems.top]
    return problems


def refusal(exc: DomainError, form) -> Problems:
    """A service's refusal, beside its field when the form has it, else at the top."""
    problems = Problems()
    text = exc.text()
    if exc.field and exc.field in form:
        problems.add(exc.field, text)
    else:
        problems.top.append(text)
    return problems


def validated(form, schema):
    """``(data, problems)``: the form checked for CSRF, then parsed by the pydantic ``schema``."""
    if not form.validate():  # CSRF only; the rules are pydantic's
        return None, Problems(top=[_("The form was refused. Reload the page and try again.")])
    data, problems = validate_form(form, schema)
    return data, _translated(problems)


def flash_problems(problems: Problems) -> None:
    """A form that has no page of its own to come back to: its refusals flashed as one message."""
    flash(" ".join(problems.top + [m for v in problems.fields.values() for m in v]), "error")
