"""JSON endpoints of the contact concern: a child blueprint of ``api`` (``/api/v1/...``), nested by ``create_app``.

Route rules are each view's ``@allow`` (buyers and makers only: association staff and the
platform admin do not read private threads); object rules (own requirement, own inbox) are
checked in ``services`` after loading the record, and a record of another firm is a 404.
"""
from __future__ import annotations

import os

from flask import current_app, jsonify, request

from .. import db
from ..api.common import ApiRoutes, int_arg, page_args, page_envelope, parse_body, reject_unknown_args
from ..auth import current_actor
from . import kinds
from . import notify as nt
from . import schemas as s
from . import conversations as cv
from . import inquiries as iq
from . import quotes as qt
from . import services as svc
from . import shortlists as sh
from ..api.openapi import operation
from ..orders.schemas import OrderOut
from ..access import allow, BUYERS, MAKERS, SIGNED_IN, TALKERS
from ..errors import DomainError

bp = ApiRoutes("contact", __name__)


def _call(fn, *args):
    """Run a service step; its refusals (DomainError) reach the API's one handler as they are."""
    return fn(*args)


def daily_limit() -> int:
    """Inquiries a buyer may send per UTC day: ``INQUIRY_DAILY_LIMIT`` or ``MATCHMAKER_INQUIRY_DAILY_LIMIT``."""
    raw = current_app.config.get("INQUIRY_DAILY_LIMIT") or os.environ.get("MATCHMAKER_INQUIRY_DAILY_LIMIT")
    try:
        return max(1, int(raw)) if raw else iq.DEFAULT_DAILY_LIMIT
    except ValueError:
        return iq.DEFAULT_DAILY_LIMIT


def _requirement(req_id: int):
    return _call(svc.own_requirement, db.session(), current_actor(), req_id, "req_id")


def _inquiry(inquiry_id: int):
    return _call(iq.visible_inquiry, db.session(), current_actor(), inquiry_id)


# -- shortlists -------------------------------------------------------------------------------------

@bp.get("/shortlists")
@allow(BUYERS)
@operation("The buyer's shortlists, one per requirement", responses={200: s.ShortlistList}, errors=(400,))
def contact_list_shortlists():
    reject_unknown_args(set())
    rows = sh.shortlists_of(db.session(), current_actor().organization_id)
    return jsonify({"items": [{"requirement_id": sl.requirement_id, "requirement_title": sl.requirement.title,
                               "makers": n} for sl, n in rows], "total": len(rows)})


@bp.get("/requirements/<int:req_id>/shortlist")
@allow(BUYERS)
@operation("The shortlist side by side", responses={200: s.Shortlist}, errors=(404,),
           description="Processes, capacity, MOQ, lead times, tiers, valid certificates, distance, track record.")
def contact_get_shortlist(req_id: int):
    req, sess = _requirement(req_id), db.session()
    sl = sh.shortlist_for(sess, req)
    entries = sl.entries if sl else []
    return jsonify({"requirement_id": req.id, "items": sh.comparison(sess, req, entries)})


@bp.post("/requirements/<int:req_id>/shortlist")
@allow(BUYERS)
@operation("Add a maker to the shortlist; logs 'shortlisted'", json=s.ShortlistAdd,
           responses={201: s.EntryOut}, errors=(404, 409), description="Send the source, and the rank and "
           "model_version of the ranked list that showed it.")
def contact_add_to_shortlist(req_id: int):
    req = _requirement(req_id)
    data = parse_body(s.ShortlistAdd)
    entry = _call(sh.add_to_shortlist, db.session(), current_actor(), req, data)
    return jsonify(sh.entry_dict(entry)), 201


@bp.delete("/requirements/<int:req_id>/shortlist/<int:maker_id>")
@allow(BUYERS)
@operation("Remove a maker from the shortlist", responses={204: None}, errors=(404,))
def contact_remove_from_shortlist(req_id: int, maker_id: int):
    req = _requirement(req_id)
    _call(sh.remove_from_shortlist, db.session(), req, maker_id)
    return "", 204


# -- inquiries and quotes ----------------------------------------------------------------------------

@bp.post("/inquiries")
@allow(BUYERS)
@operation("Send a requirement to one or several makers; logs 'contacted'", json=s.InquiryIn,
           responses={201: s.SentInquiries}, errors=(404, 409, 429), description="Cleared buyers only (403 "
           "with the reason otherwise); 429 past the daily limit.")
def contact_send_inquiries():
    data = parse_body(s.InquiryIn)
    rows = _call(iq.send_inquiries, db.session(), current_actor(), data, daily_limit())
    return jsonify({"items": [iq.inquiry_dict(i, "buyer") for i in rows]}), 201


@bp.get("/inquiries")
@allow(TALKERS)
@operation("A maker's inbox or a buyer's sent inquiries", query=s.InquiryQuery,
           responses={200: s.InquiryPage}, errors=(400,))
def contact_list_inquiries():
    reject_unknown_args({"status", "requirement_id"})
    status = request.args.get("status") or None
    if status is not None and status not in ("sent", "accepted", "declined"):
        raise DomainError("invalid_parameter", "status must be sent, accepted or declined", status=400,
                          fields=[{"field": "status", "problem": "unknown status; allowed: sent, accepted, declined"}])
    page, per_page = page_args()
    actor = current_actor()
    rows, total = iq.inquiries_for(db.session(), actor, status, int_arg("requirement_id", None, 1),
                                    per_page, (page - 1) * per_page)
    side = "maker" if actor.role == "maker_user" else "buyer"
    return jsonify(page_envelope([iq.inquiry_dict(i, side) for i in rows], total, page, per_page))


@bp.get("/inquiries/<int:inquiry_id>")
@allow(TALKERS)
@operation("An inquiry with its quotes (its buyer and maker only)", responses={200: s.InquiryDetail},
           errors=(404,))
def contact_get_inquiry(inquiry_id: int):
    inq, side = _inquiry(inquiry_id)
    nt.mark_read(db.session(), current_actor().id, inq.id)
    body = iq.inquiry_dict(inq, side)
    body["quotes"] = [qt.quote_dict(q) for q in qt.quotes_of(db.session(), inq)]
    return jsonify(body)


@bp.post("/inquiries/<int:inquiry_id>/answer")
@allow(MAKERS)
@operation("Accept, or decline with a reason; logs 'declined'", json=s.AnswerIn,
           responses={200: s.InquiryOut}, errors=(404, 409),
           description="Once; 409 when already answered or the version is stale.")
def contact_answer_inquiry(inquiry_id: int):
    inq, _side = _inquiry(inquiry_id)
    data = parse_body(s.AnswerIn)
    inq = _call(iq.answer, db.session(), current_actor(), inq, data)
    return jsonify(iq.inquiry_dict(inq, "maker"))


@bp.post("/inquiries/<int:inquiry_id>/quotes")
@allow(MAKERS)
@operation("Quote: unit price, currency, lead time, MOQ, validity date, notes; logs 'quoted'",
           json=s.QuoteIn, responses={201: s.QuoteOut}, errors=(404, 409))
def contact_add_quote(inquiry_id: int):
    inq, _side = _inquiry(inquiry_id)
    data = parse_body(s.QuoteIn)
    quote = _call(qt.add_quote, db.session(), current_actor(), inq, data)
    return jsonify(qt.quote_dict(quote)), 201


@bp.post("/inquiries/<int:inquiry_id>/events")
@allow(BUYERS)
@operation("The buyer records sample_requested, sample_approved or order_placed", json=s.EventIn,
           responses={200: s.InquiryOut}, errors=(404, 409))
def contact_record_event(inquiry_id: int):
    inq, _side = _inquiry(inquiry_id)
    data = parse_body(s.EventIn)
    inq = _call(iq.record_event, db.session(), current_actor(), inq, data.event)
    return jsonify(iq.inquiry_dict(inq, "buyer"))


@bp.post("/inquiries/<int:inquiry_id>/quotes/<int:quote_id>/accept")
@allow(BUYERS)
@operation("The buyer accepts a quote: one order, prefilled from the quote and the requirement; logs "
           "'order_placed' (once)", responses={201: OrderOut}, errors=(404, 409),
           description="A second accept on the same inquiry (of this quote or another) is a 409; so is an "
           "expired quote.")
def contact_accept_quote(inquiry_id: int, quote_id: int):
    from ..orders.views import order_dict
    from .acceptance import accept_quote

    inq, _side = _inquiry(inquiry_id)
    order = _call(accept_quote, db.session(), current_actor(), inq, quote_id)
    return jsonify(order_dict(db.session(), order, "buyer")), 201


@bp.get("/requirements/<int:req_id>/quotes")
@allow(BUYERS)
@operation("The latest quote of each maker, cheapest first", responses={200: s.QuoteTable},
           errors=(404,))
def contact_compare_quotes(req_id: int):
    req = _requirement(req_id)
    return jsonify({"requirement_id": req.id, "items": qt.quote_table(db.session(), req)})


# -- conversations ------------------------------------------------------------------------------------

@bp.get("/inquiries/<int:inquiry_id>/messages")
@allow(TALKERS)
@operation("The thread, with read receipts; can_send and why not", responses={200: s.Thread},
           errors=(404,), description="Reading marks the other side's messages read.")
def contact_list_messages(inquiry_id: int):
    inq, _side = _inquiry(inquiry_id)
    sess, actor = db.session(), current_actor()
    nt.mark_read(sess, actor.id, inq.id)
    items = [cv.message_dict(m) for m in cv.thread(sess, actor, inq)]
    refusal = cv.send_refusal(sess, actor, inq)
    return jsonify({"items": items, "can_send": refusal is None,
                    "cannot_send_reason": refusal.text() if refusal else None})


@bp.post("/inquiries/<int:inquiry_id>/messages")
@allow(TALKERS)
@operation("Write in the thread", json=s.MessageIn, responses={201: s.MessageOut}, errors=(404, 409),
           description="A buyer whose clearance was withdrawn is refused with the reason.")
def contact_send_message(inquiry_id: int):
    inq, _side = _inquiry(inquiry_id)
    data = parse_body(s.MessageIn)
    msg = _call(cv.send_message, db.session(), current_actor(), inq, data)
    return jsonify(cv.message_dict(msg)), 201


@bp.get("/notifications/unread")
@allow(SIGNED_IN)
@operation("Your unread notification count", responses={200: s.UnreadCount})
def contact_unread_count():
    return jsonify({"unread": svc.unread_counts(db.session(), current_actor())})


@bp.get("/notifications")
@allow(SIGNED_IN)
@operation("Your notifications and the unread count", responses={200: s.Notifications},
           errors=(400,))
def contact_list_notifications():
    reject_unknown_args({"unread", "limit"})
    actor, sess = current_actor(), db.session()
    from ..i18n import locale
    unread_only = request.args.get("unread") in {"1", "true"}
    items = [nt.notice_dict(n, locale()) for n in nt.recent(sess, actor.id, int_arg("limit", 100, 1, 500),
                                                            unread_only)]
    return jsonify({"items": items, "unread": nt.unread(sess, actor.id)})


@bp.post("/notifications/read")
@allow(SIGNED_IN)
@operation("Mark all your notifications read", responses={200: s.Marked})
def contact_mark_notifications_read():
    ids = parse_body(s.ReadIn).ids if request.get_data(cache=True) else None
    return jsonify({"marked": nt.mark_read(db.session(), current_actor().id, ids=ids)})


def _preference_items(actor) -> list[dict]:
    from ..i18n import gettext
    chosen = nt.preferences(db.session(), actor)
    return [{"kind": spec.code, "label": gettext(spec.label), "mode": chosen[spec.code], "modes": list(spec.modes)}
            for spec in kinds.kinds_for(actor.role)]


@bp.get("/notifications/preferences")
@allow(SIGNED_IN)
@operation("Your email preference per kind of notice", responses={200: s.Preferences}, errors=(400,))
def contact_get_preferences():
    reject_unknown_args(set())
    return jsonify({"items": _preference_items(current_actor())})


@bp.put("/notifications/preferences")
@allow(SIGNED_IN)
@operation("Set email preferences per kind; 422 names preferences.<kind> for a kind your role does not get or a "
           "mode it does not allow", json=s.PreferencesIn, responses={200: s.Preferences})
def contact_set_preferences():
    actor = current_actor()
    data = parse_body(s.PreferencesIn)
    problems = nt.preference_problems(actor, data.preferences)
    if problems:
        raise DomainError("invalid", "some preferences cannot be set", status=422, fields=problems)
    nt.set_preferences(db.session(), actor, data.preferences)
    return jsonify({"items": _preference_items(actor)})
