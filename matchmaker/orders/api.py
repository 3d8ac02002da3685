"""JSON endpoints of the orders concern: a child blueprint of ``api`` (``/api/v1/orders...``), nested by
``create_app``.

Route rules are each view's ``@allow`` (buyers and makers; association staff and the platform
admin do not read individual orders); whose order it is, and which side the caller is, is checked
in ``access`` after loading it, and another firm's order is a 404. Every change takes the version
the caller read where the order's own figures change (terms, confirmation, closing): a stale one is
a 409. Bad input is a 4xx naming the field.
"""
from __future__ import annotations

from flask import jsonify, request

from .. import db
from ..api.common import ApiRoutes, page_args, page_envelope, parse_body, reject_unknown_args
from ..api.openapi import operation
from ..auth import current_actor
from . import disputes as dsp
from . import figures as fig
from . import schemas as s
from . import services as svc
from . import views
from .access import visible_order
from .records import MILESTONES, STATUSES
from ..access import allow, side_of, MAKERS, TALKERS
from ..errors import DomainError

bp = ApiRoutes("orders", __name__)

FIGURE_KINDS = {"milestones": "milestone", "deliveries": "delivery", "invoices": "invoice", "payments": "payment"}


def call(fn, *args):
    """Run a service step; a refusal (DomainError, a lost race is its 409 Conflict) leaves nothing
    half-written and reaches the API's one handler (``errors.init_app``) as it is."""
    try:
        return fn(*args)
    except DomainError:
        db.session().rollback()
        raise


def _order(order_id: int):
    return call(visible_order, db.session(), current_actor(), order_id)


def _full(order, side: str, status: int = 200):
    return jsonify(views.order_dict(db.session(), order, side)), status


@bp.get("/orders")
@allow(TALKERS)
@operation("Your firm's orders, as buyer or as maker, newest first", query=s.OrderQuery,
           responses={200: s.OrderPage}, errors=(400,))
def orders_list():
    reject_unknown_args({"status"})
    status = request.args.get("status") or None
    if status is not None and status not in STATUSES:
        raise DomainError("invalid_parameter", "status must be open, closed or cancelled", status=400,
                          fields=[{"field": "status", "problem": "unknown status; allowed: " + ", ".join(STATUSES)}])
    page, per_page = page_args()
    actor, sess = current_actor(), db.session()
    rows, total = svc.orders_for(sess, actor, status, per_page, (page - 1) * per_page)
    items = views.summary_dicts(sess, rows, lambda o: side_of(actor, o))
    return jsonify(page_envelope(items, total, page, per_page))


@bp.post("/orders")
@allow(TALKERS)
@operation("Record an order: the maker's deal made elsewhere (buyer_id), or either side's order from a fair "
           "meeting whose follow-up named one (fair_meeting_id)", json=s.OrderIn,
           responses={201: s.OrderOut}, errors=(404, 409),
           description="The side that records it has confirmed its terms; the other side confirms them.")
def orders_create():
    data = parse_body(s.OrderIn)
    actor = current_actor()
    order = call(svc.create_order, db.session(), actor, data)
    return _full(order, side_of(actor, order), 201)


@bp.get("/orders/buyers")
@allow(MAKERS)
@operation("Buyer firms a maker may name on an order made elsewhere (id, name, country)",
           responses={200: s.BuyerChoices}, errors=(400,))
def orders_buyer_choices():
    reject_unknown_args({"q"})
    rows = svc.buyer_choices(db.session(), (request.args.get("q") or "").strip()[:100])
    return jsonify({"items": [{"id": o.id, "name": o.name, "country": o.country} for o in rows]})


@bp.get("/orders/<int:order_id>")
@allow(TALKERS)
@operation("One order with its terms, milestones, deliveries, invoices and payments, disputes and term changes "
           "(its buyer and maker only)", responses={200: s.OrderOut}, errors=(404,))
def orders_get(order_id: int):
    order, side = _order(order_id)
    return _full(order, side)


@bp.patch("/orders/<int:order_id>")
@allow(TALKERS)
@operation("Change agreed terms against the version you read", json=s.TermsPatch, responses={200: s.OrderOut},
           errors=(404, 409), description="Clears the other side's confirmation; once both had confirmed, each "
           "change is kept in term_changes. A stale version is a 409; terms as they were are the order as it is "
           "(nothing recorded, nobody told).")
def orders_update_terms(order_id: int):
    order, side = _order(order_id)
    data = parse_body(s.TermsPatch)
    call(svc.update_terms, db.session(), order, side, current_actor(), data)
    return _full(order, side)


@bp.post("/orders/<int:order_id>/confirm")
@allow(TALKERS)
@operation("Confirm the terms as they stand at the version you read", json=s.ConfirmIn,
           responses={200: s.OrderOut}, errors=(404, 409))
def orders_confirm(order_id: int):
    order, side = _order(order_id)
    data = parse_body(s.ConfirmIn)
    call(svc.confirm_terms, db.session(), order, side, data.version)
    return _full(order, side)


@bp.post("/orders/<int:order_id>/close")
@allow(TALKERS)
@operation("Close the order once every delivery is in, or cancel it while nothing is delivered", json=s.CloseIn,
           responses={200: s.OrderOut}, errors=(404, 409))
def orders_close(order_id: int):
    order, side = _order(order_id)
    data = parse_body(s.CloseIn)
    call(svc.close, db.session(), order, side, data)
    return _full(order, side)


@bp.put("/orders/<int:order_id>/milestones/<stage>")
@allow(TALKERS)
@operation("Record a stage's planned and/or actual date (sample_approved, fabric_in, cut, sewn, washed, finished, "
           "shipped, delivered)", json=s.MilestoneIn, responses={200: s.MilestoneOut}, errors=(404, 409))
def orders_set_milestone(order_id: int, stage: str):
    order, side = _order(order_id)
    if stage not in MILESTONES:
        raise DomainError("not_found", "no stage {stage}", status=404, params={"stage": repr(stage[:30])},
                          fields=[{"field": "stage", "problem": "unknown stage; allowed: {allowed}",
                                   "params": {"allowed": ", ".join(MILESTONES)}}])
    data = parse_body(s.MilestoneIn)
    row = call(fig.set_milestone, db.session(), order, side, stage, data)
    return jsonify(views.milestone_dict(row))


@bp.post("/orders/<int:order_id>/deliveries")
@allow(TALKERS)
@operation("Record a (partial) delivery: date, pieces, pieces rejected", json=s.DeliveryIn,
           responses={201: s.DeliveryOut}, errors=(404, 409))
def orders_add_delivery(order_id: int):
    order, side = _order(order_id)
    data = parse_body(s.DeliveryIn)
    return jsonify(views.delivery_dict(call(fig.add_delivery, db.session(), order, side, data))), 201


@bp.post("/orders/<int:order_id>/invoices")
@allow(MAKERS)
@operation("The maker records an invoice (due date from the payment terms unless given)", json=s.InvoiceIn,
           responses={201: s.InvoiceOut}, errors=(404, 409))
def orders_add_invoice(order_id: int):
    order, side = _order(order_id)
    data = parse_body(s.InvoiceIn)
    row = call(fig.add_invoice, db.session(), order, side, data)
    return jsonify(views.invoice_dict(row)), 201


@bp.post("/orders/<int:order_id>/invoices/<int:invoice_id>/payments")
@allow(TALKERS)
@operation("Record a payment of an invoice (never past its amount)", json=s.OrderPaymentIn,
           responses={201: s.OrderPaymentOut}, errors=(404, 409))
def orders_add_payment(order_id: int, invoice_id: int):
    order, side = _order(order_id)
    invoice = call(fig.invoice_of, db.session(), order, invoice_id)
    data = parse_body(s.OrderPaymentIn)
    return jsonify(views.payment_dict(call(fig.add_payment, db.session(), order, side, invoice, data))), 201


@bp.post("/orders/<int:order_id>/<kind>/<int:figure_id>/confirm")
@allow(TALKERS)
@operation("Confirm a figure the other side entered (kind: milestones, deliveries, invoices, payments), once",
           responses={200: s.OrderOut}, errors=(404, 409))
def orders_confirm_figure(order_id: int, kind: str, figure_id: int):
    order, side = _order(order_id)
    if kind not in FIGURE_KINDS:
        raise DomainError("not_found", "no kind of figure {kind}", status=404, params={"kind": repr(kind[:30])},
                          fields=[{"field": "kind", "problem": "allowed: {allowed}",
                                   "params": {"allowed": ", ".join(FIGURE_KINDS)}}])
    call(fig.confirm_figure, db.session(), order, side, FIGURE_KINDS[kind], figure_id)
    return _full(order, side)


@bp.post("/orders/<int:order_id>/disputes")
@allow(TALKERS)
@operation("Dispute one figure (subject, subject_id, field), with the value you claim and why",
           json=s.DisputeIn, responses={201: s.DisputeOut}, errors=(404, 409))
def orders_raise_dispute(order_id: int):
    order, side = _order(order_id)
    data = parse_body(s.DisputeIn)
    row = call(dsp.raise_dispute, db.session(), order, side, current_actor(), data)
    return jsonify(views.dispute_dict(row)), 201


@bp.post("/orders/<int:order_id>/disputes/<int:dispute_id>/answer")
@allow(TALKERS)
@operation("The other side answers a dispute, once", json=s.DisputeAnswerIn, responses={200: s.DisputeOut},
           errors=(404, 409))
def orders_answer_dispute(order_id: int, dispute_id: int):
    order, side = _order(order_id)
    data = parse_body(s.DisputeAnswerIn)
    row = call(dsp.answer_dispute, db.session(), order, side, current_actor(), dispute_id, data)
    return jsonify(views.dispute_dict(row))


@bp.post("/orders/<int:order_id>/disputes/<int:dispute_id>/withdraw")
@allow(TALKERS)
@operation("The side that raised a dispute withdraws it while it is open", responses={200: s.DisputeOut},
           errors=(404, 409))
def orders_withdraw_dispute(order_id: int, dispute_id: int):
    order, side = _order(order_id)
    row = call(dsp.withdraw_dispute, db.session(), order, side, dispute_id)
    return jsonify(views.dispute_dict(row))
