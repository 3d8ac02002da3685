"""Contact pages: the inquiry list and the inquiry page both sides share (routes on the ``contact``
blueprint of ``contact.pages``): the maker answers and quotes, the buyer records progress and accepts a
quote, both write in the conversation.

A refusal comes back on the inquiry page beside its form, with a 4xx status and nothing written; a
lost race shows the inquiry as it is now, with a 409.
"""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for

from .. import db, paging
from ..auth import current_actor
from ..forms import Problems, parse
from ..i18n import format_number, gettext as _
from ..records import utcnow
from ..errors import Conflict
from ..security import small_int
from . import forms as cf
from . import notify as nt
from . import schemas as s
from . import conversations as cv
from . import inquiries as iq
from . import quotes as qt
from .pages import EVENT_LABELS, STATUS_LABELS, bp, problems_of, refused
from ..access import allow, BUYERS, MAKERS, TALKERS
from ..errors import DomainError
from ..catalog import N_


# -- inquiries ----------------------------------------------------------------------------------------

PER_PAGE = 50


@bp.get("/inquiries")
@allow(TALKERS)
def inquiries():
    actor = current_actor()
    status = request.args.get("status") if request.args.get("status") in STATUS_LABELS else None
    page = paging.page_arg()
    rows, total = iq.inquiries_for(db.session(), actor, status, None, PER_PAGE, paging.offset(page, PER_PAGE))
    pages = paging.page_count(total, PER_PAGE)
    if (past := paging.to_last_page(page, pages)) is not None:
        return past
    _prefill_badges({i.buyer_id for i in rows})
    return render_template("contact/inquiries.html", rows=rows, total=total, page=page, status=status,
                           pages=pages, is_maker=actor.role == "maker_user")


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
        return iq.visible_inquiry(db.session(), current_actor(), inquiry_id)
    except DomainError:
        abort(404)


def _render_inquiry(inq, side: str, problems: Problems | None = None, form=None, status: int = 200,
                    which: str = ""):
    sess, actor = db.session(), current_actor()
    messages = cv.thread(sess, actor, inq)
    refusal = cv.send_refusal(sess, actor, inq)
    from sqlalchemy import select

    from ..orders.records import Order
    order_id = sess.scalar(select(Order.id).where(Order.inquiry_id == inq.id))
    return render_template("contact/inquiry.html", inq=inq, side=side, messages=messages,
                           quotes=qt.quotes_of(sess, inq), problems=problems or Problems(), form=form or {},
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
        return _render_inquiry(inq, side, refused(exc), form.values(), exc.status, which)
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
    data, problems = parse(s.AnswerIn, payload, problems_of)
    if problems:
        return _render_inquiry(inq, side, problems, form.values(), 422, "answer")
    done = _("Inquiry accepted.") if data.decision == "accept" else _("Inquiry declined.")
    return _act(inq, side, "answer", iq.answer, data, done, form)


@bp.post("/inquiries/<int:inquiry_id>/quote")
@allow(MAKERS)
def quote(inquiry_id: int):
    inq, side = _inquiry(inquiry_id)
    form = cf.QuoteForm()
    payload = {k: form.text(k) for k in cf.QUOTE_FIELDS}
    payload = {k: v for k, v in payload.items() if v or k == "notes"}
    data, problems = parse(s.QuoteIn, payload, problems_of)
    if problems:
        return _render_inquiry(inq, side, problems, form.values(), 422, "quote")
    return _act(inq, side, "quote", qt.add_quote, data, _("Quote sent."), form)


@bp.post("/inquiries/<int:inquiry_id>/events")
@allow(BUYERS)
def event(inquiry_id: int):
    inq, side = _inquiry(inquiry_id)
    form = cf.EventForm()
    data, problems = parse(s.EventIn, {"event": form.raw("event")}, problems_of)
    if problems:
        return _render_inquiry(inq, side, problems, form.values(), 422, "event")
    return _act(inq, side, "event", lambda sess, user, i, ev: iq.record_event(sess, user, i, ev), data.event,
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
        return _render_inquiry(inq, side, refused(exc), form.values(), exc.status, "accept")
    flash(_("Quote accepted: the order is open."), "success")
    asked = inq.requirement.quantity
    if order.quantity > asked:  # the quote's minimum order raised the quantity: say so, never silently
        flash(_("The order's quantity is the quote's minimum, {moq}, above the {asked} your requirement asked for.",
                moq=format_number(order.quantity), asked=format_number(asked)), "info")
    return redirect(url_for("orders.view", order_id=order.id))


@bp.post("/inquiries/<int:inquiry_id>/messages")
@allow(TALKERS)
def message(inquiry_id: int):
    inq, side = _inquiry(inquiry_id)
    form = cf.MessageForm()
    data, problems = parse(s.MessageIn, {"body": form.raw("body")}, problems_of)
    if problems:
        return _render_inquiry(inq, side, problems, form.values(), 422, "message")
    sess = db.session()
    try:
        cv.send_message(sess, current_actor(), inq, data)
    except DomainError as exc:
        sess.rollback()
        return _render_inquiry(inq, side, refused(exc), form.values(), exc.status, "message")
    return redirect(url_for("contact.inquiry", inquiry_id=inq.id, _anchor="thread"))
