"""Contact pages: the buyer's shortlists (side-by-side comparison, sending inquiries, comparing
quotes) and the inquiry page both sides share (answer, quote, progress, conversation).

Same services and schemas as the JSON API (``contact.api``). Forms carry a CSRF token; every
refusal is shown beside the field it concerns (or at the top), with a 4xx status and nothing written.
"""
from __future__ import annotations

from urllib.parse import urlparse

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from pydantic import ValidationError

from .. import db
from ..auth import current_actor
from ..forms import Problems, describe
from ..i18n import gettext as _
from ..i18n import locale
from ..records import utcnow
from ..errors import Conflict
from ..security import small_int
from . import forms as cf
from . import notify as nt
from . import schemas as s
from . import services as svc
from .api import daily_limit
from ..access import allow, ADMIN, BUYERS, MAKERS, SIGNED_IN, TALKERS
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

    def contact_unread():
        if "contact_unread" not in g:
            g.contact_unread = svc.unread_counts(db.session(), current_actor())
        return g.contact_unread

    return {"shortlist_requirements": shortlist_requirements, "contact_unread": contact_unread}


@bp.context_processor
def _labels():
    lang = locale()
    return {"inquiry_status_label": lambda code: _(STATUS_LABELS.get(code, code)),
            "event_label": lambda code: _(EVENT_LABELS.get(code, code)),
            "event_action": lambda code: _(EVENT_ACTIONS.get(code, code)),
            "source_label": lambda code: _(SOURCE_LABELS.get(code, code)),
            "decline_label": lambda code: s.DECLINE_REASONS.label(code, lang) if code in s.DECLINE_REASONS else "—",
            "decline_reasons": s.DECLINE_REASONS, "buyer_events": s.BUYER_EVENTS,
            "event_fields": svc.BUYER_EVENT_FIELDS}


def _problems(exc: ValidationError) -> Problems:
    problems = Problems()
    for err in exc.errors(include_url=False):
        name = str(err["loc"][0]) if err["loc"] else "top"
        problems.add(name, describe(err))  # by the error's type (forms.ERROR_MESSAGES), never its text
    return problems


def _refused(exc: DomainError) -> Problems:
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
    parts = urlparse(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc:
        return target
    return default


def _form_int(form: cf.ContactForm, name: str) -> str | None:
    return form.text(name) or None


# -- shortlists ------------------------------------------------------------------------------------

@bp.get("/shortlists")
@allow(BUYERS)
def shortlists():
    rows = svc.shortlists_of(db.session(), current_actor().organization_id)
    return render_template("contact/shortlists.html", rows=rows)


def _render_shortlist(req, problems: Problems | None = None, form=None, status: int = 200):
    sess, actor = db.session(), current_actor()
    sl = svc.shortlist_for(sess, req)
    rows = svc.comparison(sess, req, sl.entries if sl else [])
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
        for name, messages in _problems(exc).fields.items():
            for m in messages:
                problems.add(name if name in {"maker_id", "requirement_id"} else "maker_id", m)
    if not problems:
        try:
            svc.add_to_shortlist(sess, actor, req, data)
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
        svc.remove_from_shortlist(db.session(), req, maker_id)
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
        problems = _problems(exc)
        if "maker_ids" in problems.fields and not form["maker_ids"]:
            problems.fields["maker_ids"] = [_("Choose at least one maker.")]
        return _render_shortlist(req, problems, form, 422)
    try:
        rows = svc.send_inquiries(sess, actor, data, daily_limit())
    except Conflict:
        problems = Problems()
        problems.add("maker_ids", _("Someone sent this requirement to one of these makers at the same moment."))
        return _render_shortlist(req, problems, form, 409)
    except DomainError as exc:
        sess.rollback()
        return _render_shortlist(req, _refused(exc), form, exc.status)
    flash(_("Inquiry sent to {count} makers.", count=len(rows)), "success")
    return redirect(url_for("contact.inquiries"))


@bp.get("/requirements/<int:req_id>/quotes")
@allow(BUYERS)
def quotes(req_id: int):
    req = _own_requirement(req_id)
    return render_template("contact/quotes.html", req=req, rows=svc.quote_table(db.session(), req))


# -- inquiries ----------------------------------------------------------------------------------------

@bp.get("/inquiries")
@allow(TALKERS)
def inquiries():
    actor = current_actor()
    status = request.args.get("status") if request.args.get("status") in STATUS_LABELS else None
    page = request.args.get("page", "1")
    page = small_int(page, 1, max=100_000) or 1
    rows, total = svc.inquiries_for(db.session(), actor, status, None, 50, (page - 1) * 50)
    _prefill_badges({i.buyer_id for i in rows})
    return render_template("contact/inquiries.html", rows=rows, total=total, page=page, status=status,
                           pages=(total + 49) // 50, is_maker=actor.role == "maker_user")


def _prefill_badges(buyer_ids: set[int]) -> None:
    """Read the page's vetting badges in three queries instead of three per buyer (same rule as
    ``vetting.pages.vetting_badge``: the reader's association first, else the latest standing)."""
    from ..vetting import services as vs
    from ..vetting import views as vv
    from ..vetting.clearance import may_see_standing
    from ..vetting.pages import badge_html

    sess, actor = db.session(), current_actor()
    buyer_ids = {b for b in buyer_ids if may_see_standing(actor, b)}   # vetting_badge hides the rest
    if not buyer_ids:
        return
    assoc = actor.association_id
    own = vs.standings(sess, buyer_ids, assoc) if assoc else {}
    latest = vs.standings(sess, buyer_ids)
    reviewing = vs.under_review(sess, buyer_ids, assoc)
    cache = g.setdefault("vetting_badges", {})
    for b in buyer_ids:
        cache.setdefault((b, None), badge_html(vv.standing_dict(own.get(b) or latest.get(b), b in reviewing)))


def _inquiry(inquiry_id: int):
    try:
        return svc.visible_inquiry(db.session(), current_actor(), inquiry_id)
    except DomainError:
        abort(404)


def _render_inquiry(inq, side: str, problems: Problems | None = None, form=None, status: int = 200,
                    which: str = ""):
    sess, actor = db.session(), current_actor()
    messages = svc.thread(sess, actor, inq)
    refusal = svc.send_refusal(sess, actor, inq)
    from sqlalchemy import select

    from ..orders.records import Order
    order_id = sess.scalar(select(Order.id).where(Order.inquiry_id == inq.id))
    return render_template("contact/inquiry.html", inq=inq, side=side, messages=messages,
                           quotes=svc.quotes_of(sess, inq), problems=problems or Problems(), form=form or {},
                           which=which, cannot_send=refusal.text() if refusal else None, order_id=order_id,
                           today=utcnow().date()), status


@bp.get("/inquiries/<int:inquiry_id>")
@allow(TALKERS)
def inquiry(inquiry_id: int):
    inq, side = _inquiry(inquiry_id)
    nt.mark_read(db.session(), current_actor().id, inq.id)  # opening the inquiry reads its notifications
    return _render_inquiry(inq, side)


def _act(inq, side, which: str, fn, data_or_none, success: str, form: cf.ContactForm):
    sess = db.session()
    try:
        fn(sess, current_actor(), inq, data_or_none)
    except Conflict as exc:
        sess.rollback()
        sess.refresh(inq)
        problems = Problems(top=[_("Someone changed this inquiry at the same moment; here is what it says now.")
                                 if "same moment" in str(exc) or "changed since" in str(exc)
                                 else _conflict_text(str(exc))])
        return _render_inquiry(inq, side, problems, form.values(), 409, which)
    except DomainError as exc:
        sess.rollback()
        return _render_inquiry(inq, side, _refused(exc), form.values(), exc.status, which)
    flash(success, "success")
    return redirect(url_for("contact.inquiry", inquiry_id=inq.id))


def _conflict_text(message: str) -> str:
    known = {"this inquiry has already been answered": N_("This inquiry has already been answered."),
             "you declined this inquiry; a declined inquiry takes no quote": N_("You declined this inquiry; it takes no quote."),
             "the maker declined this inquiry": N_("The maker declined this inquiry.")}
    if message in known:
        return _(known[message])
    if message.endswith("is already recorded for this inquiry"):
        return _("This step is already recorded.")
    return _("Someone changed this inquiry at the same moment; here is what it says now.")


@bp.post("/inquiries/<int:inquiry_id>/answer")
@allow(MAKERS)
def answer(inquiry_id: int):
    inq, side = _inquiry(inquiry_id)
    form = cf.AnswerForm()
    payload = {"decision": form.raw("decision"), "note": form.raw("note")}
    if form.raw("reason"):
        payload["reason"] = form.raw("reason")
    if small_int(form.raw("version")) is not None:
        payload["version"] = small_int(form.raw("version"))
    try:
        data = s.AnswerIn.model_validate(payload)
    except ValidationError as exc:
        return _render_inquiry(inq, side, _problems(exc), form.values(), 422, "answer")
    done = _("Inquiry accepted.") if data.decision == "accept" else _("Inquiry declined.")
    return _act(inq, side, "answer", svc.answer, data, done, form)


@bp.post("/inquiries/<int:inquiry_id>/quote")
@allow(MAKERS)
def quote(inquiry_id: int):
    inq, side = _inquiry(inquiry_id)
    form = cf.QuoteForm()
    payload = {k: form.text(k) for k in cf.QUOTE_FIELDS}
    payload = {k: v for k, v in payload.items() if v or k == "notes"}
    try:
        data = s.QuoteIn.model_validate(payload)
    except ValidationError as exc:
        return _render_inquiry(inq, side, _problems(exc), form.values(), 422, "quote")
    return _act(inq, side, "quote", svc.add_quote, data, _("Quote sent."), form)


@bp.post("/inquiries/<int:inquiry_id>/events")
@allow(BUYERS)
def event(inquiry_id: int):
    inq, side = _inquiry(inquiry_id)
    form = cf.EventForm()
    try:
        data = s.EventIn.model_validate({"event": form.raw("event")})
    except ValidationError as exc:
        return _render_inquiry(inq, side, _problems(exc), form.values(), 422, "event")
    return _act(inq, side, "event", lambda sess, user, i, ev: svc.record_event(sess, user, i, ev), data.event,
                _("Recorded: {what}.", what=_(EVENT_LABELS[data.event])), form)


@bp.post("/inquiries/<int:inquiry_id>/quotes/<int:quote_id>/accept")
@allow(BUYERS)
def accept_quote(inquiry_id: int, quote_id: int):
    """The buyer accepts one quote: the order is made (``contact.acceptance``) and its page opens."""
    from .acceptance import accept_quote as accept

    inq, side = _inquiry(inquiry_id)
    form = cf.AcceptForm()
    sess = db.session()
    try:
        order = accept(sess, current_actor(), inq, quote_id)
    except Conflict as exc:
        sess.rollback()
        sess.refresh(inq)
        text = (_("An order was already placed on this inquiry.") if "already placed" in str(exc)
                else _conflict_text(str(exc)))
        return _render_inquiry(inq, side, Problems(top=[text]), form.values(), 409, "accept")
    except DomainError as exc:
        sess.rollback()
        return _render_inquiry(inq, side, _refused(exc), form.values(), exc.status, "accept")
    flash(_("Quote accepted: the order is open."), "success")
    return redirect(url_for("orders.view", order_id=order.id))


@bp.post("/inquiries/<int:inquiry_id>/messages")
@allow(TALKERS)
def message(inquiry_id: int):
    inq, side = _inquiry(inquiry_id)
    form = cf.MessageForm()
    try:
        data = s.MessageIn.model_validate({"body": form.raw("body")})
    except ValidationError as exc:
        return _render_inquiry(inq, side, _problems(exc), form.values(), 422, "message")
    sess = db.session()
    try:
        svc.send_message(sess, current_actor(), inq, data)
    except DomainError as exc:
        sess.rollback()
        return _render_inquiry(inq, side, _refused(exc), form.values(), exc.status, "message")
    return redirect(url_for("contact.inquiry", inquiry_id=inq.id, _anchor="thread"))


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
    return render_template("contact/outbox.html", rows=rows)
