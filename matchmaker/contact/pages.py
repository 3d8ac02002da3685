"""Contact pages: the ``contact`` blueprint, its template helpers, and the buyer's shortlists
(side-by-side comparison, sending inquiries, comparing quotes).

The blueprint's other views join it from their own modules, registered with it by the app factory:
``pages_inquiries`` (the inquiry page both sides share: answer, quote, progress, conversation) and
``pages_notifications`` (notifications, email preferences, the demo outbox).

Same services and schemas as the JSON API (``contact.api``). Forms carry a CSRF token; every
refusal is shown beside the field it concerns (or at the top), with a 4xx status and nothing written.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from pydantic import ValidationError

from .. import db
from ..auth import current_actor
from ..forms import Problems, describe
from ..i18n import gettext as _
from ..i18n import ngettext
from ..i18n import locale
from ..errors import Conflict
from ..security import local_path, small_int
from . import forms as cf
from . import schemas as s
from . import inquiries as iq
from . import quotes as qt
from . import services as svc
from . import shortlists as sh
from .api import daily_limit
from ..access import allow, BUYERS
from ..errors import DomainError
from ..catalog import N_

bp = Blueprint("contact", __name__)

STATUS_LABELS = {"sent": N_("Awaiting answer"), "accepted": N_("Accepted"), "declined": N_("Declined")}
EVENT_LABELS = {"sample_requested": N_("Sample requested"), "sample_approved": N_("Sample approved"),
                "order_placed": N_("Order placed")}
EVENT_ACTIONS = {"sample_requested": N_("Request a sample"), "sample_approved": N_("Approve the sample"),
                 "order_placed": N_("Record the order")}
SOURCE_LABELS = {"search": N_("Search results"), "ranking": N_("Ranked list"), "profile": N_("Profile"), "api": N_("API")}


@bp.app_context_processor
def _helpers():
    def shortlist_requirements():
        actor = current_actor()
        if actor is None or actor.role != "buyer_user":
            return []
        if "contact_requirements" not in g:
            g.contact_requirements = svc.open_requirements(db.session(), actor.organization_id)
        return g.contact_requirements

    def shortlisted():
        """{requirement id: the makers on its shortlist} of the buyer's firm, once a request."""
        actor = current_actor()
        if actor is None or actor.role != "buyer_user" or actor.organization_id is None:
            return {}
        if "contact_shortlisted" not in g:
            g.contact_shortlisted = svc.shortlisted_makers(db.session(), actor.organization_id)
        return g.contact_shortlisted

    def on_shortlist(req_id, maker_id) -> bool:
        return maker_id in shortlisted().get(req_id, ())

    def shortlist_requirements_lacking(maker_id):
        """The buyer's open requirements whose shortlist does not hold ``maker_id`` yet."""
        held = shortlisted()
        return [r for r in shortlist_requirements() if maker_id not in held.get(r.id, ())]

    def contact_unread():
        if "contact_unread" not in g:
            g.contact_unread = svc.unread_counts(db.session(), current_actor())
        return g.contact_unread

    return {"shortlist_requirements": shortlist_requirements, "contact_unread": contact_unread,
            "on_shortlist": on_shortlist, "shortlist_requirements_lacking": shortlist_requirements_lacking}


@bp.context_processor
def _labels():
    lang = locale()
    return {"inquiry_status_label": lambda code: _(STATUS_LABELS.get(code, code)),
            "event_label": lambda code: _(EVENT_LABELS.get(code, code)),
            "event_action": lambda code: _(EVENT_ACTIONS.get(code, code)),
            "source_label": lambda code: _(SOURCE_LABELS.get(code, code)),
            "decline_label": lambda code: s.DECLINE_REASONS.label(code, lang) if code in s.DECLINE_REASONS else "—",
            "decline_reasons": s.DECLINE_REASONS, "buyer_events": s.BUYER_EVENTS,
            "event_fields": iq.BUYER_EVENT_FIELDS}


def problems_of(exc: ValidationError) -> Problems:
    """A schema's refusals, each beside its field (shared by every contact page module)."""
    problems = Problems()
    for err in exc.errors(include_url=False):
        name = str(err["loc"][0]) if err["loc"] else "top"
        problems.add(name, describe(err))  # by the error's type (forms.ERROR_MESSAGES), never its text
    return problems


def refused(exc: DomainError) -> Problems:
    """A service's refusal, beside its field and at the top of the page."""
    problems = Problems()
    problems.add(exc.field, exc.text())
    problems.top.append(exc.text())
    return problems


def _own_requirement(req_id: int):
    try:
        return svc.own_requirement(db.session(), current_actor(), req_id)
    except DomainError:
        abort(404)  # never confirm another buyer's requirement


def _safe_next(target: str, default: str) -> str:
    return local_path(target, default)


def _form_int(form: cf.ContactForm, name: str) -> str | None:
    return form.text(name) or None


# -- shortlists ------------------------------------------------------------------------------------

@bp.get("/shortlists")
@allow(BUYERS)
def shortlists():
    rows = sh.shortlists_of(db.session(), current_actor().organization_id)
    return render_template("contact/shortlists.html", rows=rows)


def _render_shortlist(req, problems: Problems | None = None, form=None, status: int = 200):
    sess, actor = db.session(), current_actor()
    sl = sh.shortlist_for(sess, req)
    rows = sh.comparison(sess, req, sl.entries if sl else [])
    refusal = svc.clearance_refusal(sess, actor.organization_id)
    return render_template("contact/shortlist.html", req=req, rows=rows, problems=problems or Problems(),
                           form=form or {}, refusal=refusal.text() if refusal else None,
                           limit=daily_limit()), status


@bp.get("/requirements/<int:req_id>/shortlist")
@allow(BUYERS)
def shortlist(req_id: int):
    return _render_shortlist(_own_requirement(req_id))


@bp.post("/shortlist")
@allow(BUYERS)
def shortlist_add():
    sess, actor = db.session(), current_actor()
    form = cf.ShortlistAddForm()
    raw_req = form.text("requirement_id")
    payload = {k: v for k, v in {"maker_id": _form_int(form, "maker_id"), "rank": _form_int(form, "rank"),
                                 "model_version": _form_int(form, "model_version"),
                                 "source": form.raw("source") or "profile"}.items() if v is not None}
    problems = Problems()
    req = None
    if small_int(raw_req) is None:
        problems.add("requirement_id", _("Choose the requirement this maker is for."))
    else:
        try:
            req = svc.own_requirement(sess, actor, small_int(raw_req))
        except DomainError as exc:
            problems.add("requirement_id", exc.text())
    data = None
    try:
        data = s.ShortlistAdd.model_validate(payload)
    except ValidationError as exc:
        for name, messages in problems_of(exc).fields.items():
            for m in messages:
                problems.add(name if name in {"maker_id", "requirement_id"} else "maker_id", m)
    if not problems:
        try:
            sh.add_to_shortlist(sess, actor, req, data)
        except Conflict:
            sess.rollback()
            flash(_("This maker is already on the shortlist."), "info")
            return redirect(url_for("contact.shortlist", req_id=req.id))
        except DomainError as exc:
            problems.add("maker_id", exc.text())
    if problems:
        return render_template("contact/add.html", problems=problems, form=form.values(),
                               requirements=svc.open_requirements(sess, actor.organization_id)), 422
    flash(_("Added to the shortlist of \u201c{title}\u201d.", title=req.title), "success")
    return redirect(_safe_next(form.raw("next"), url_for("contact.shortlist", req_id=req.id)))


@bp.post("/requirements/<int:req_id>/shortlist/<int:maker_id>/remove")
@allow(BUYERS)
def shortlist_remove(req_id: int, maker_id: int):
    req = _own_requirement(req_id)
    try:
        sh.remove_from_shortlist(db.session(), req, maker_id)
    except DomainError:
        abort(404)
    flash(_("Removed from the shortlist."), "success")
    return redirect(url_for("contact.shortlist", req_id=req.id))


@bp.post("/requirements/<int:req_id>/inquiries")
@allow(BUYERS)
def send(req_id: int):
    req, sess, actor = _own_requirement(req_id), db.session(), current_actor()
    form = cf.SendForm().values()
    try:
        data = s.InquiryIn.model_validate({"requirement_id": req.id, **form})
    except ValidationError as exc:
        problems = problems_of(exc)
        if "maker_ids" in problems.fields and not form["maker_ids"]:
            problems.fields["maker_ids"] = [_("Choose at least one maker.")]
        return _render_shortlist(req, problems, form, 422)
    try:
        rows = iq.send_inquiries(sess, actor, data, daily_limit())
    except Conflict:
        problems = Problems()
        problems.add("maker_ids", _("Someone sent this requirement to one of these makers at the same moment."))
        return _render_shortlist(req, problems, form, 409)
    except DomainError as exc:
        sess.rollback()
        return _render_shortlist(req, refused(exc), form, exc.status)
    flash(ngettext("Inquiry sent to {n} maker.", "Inquiry sent to {n} makers.", len(rows)), "success")
    return redirect(url_for("contact.inquiries"))


@bp.get("/requirements/<int:req_id>/quotes")
@allow(BUYERS)
def quotes(req_id: int):
    req = _own_requirement(req_id)
    return render_template("contact/quotes.html", req=req, rows=qt.quote_table(db.session(), req))
