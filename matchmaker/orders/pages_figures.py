"""The figure forms of the order page (their routes join ``orders.pages.bp``): a milestone's planned and
actual dates, a delivery, an invoice (the maker), a payment, confirming the other side's figure,
disputing one figure, answering or withdrawing a dispute.

Each parses its form with the API's schema; a refusal comes back on the order page beside the field,
with a 4xx status and nothing written.
"""
from __future__ import annotations

from flask import abort, request
from pydantic import ValidationError

from .. import db
from ..auth import current_actor
from ..forms import Problems
from ..i18n import gettext as _
from . import disputes as dsp
from . import figures as fig
from . import schemas as s
from .access import OrderError
from .pages import act, bp, order_or_404, payload, problems_of, render_order
from .records import MILESTONES

FIGURE_KINDS = {"milestone", "delivery", "invoice", "payment"}


@bp.post("/orders/<int:order_id>/milestones")
def milestone(order_id: int):
    order, side = order_or_404(order_id)
    stage = request.form.get("stage", "")
    if stage not in MILESTONES:
        problems = Problems()
        problems.add("stage", _("Choose a production stage."))
        return render_order(order, side, problems, "milestone", 422)
    data = payload(("planned_on", "actual_on"))
    seen = request.form.get(f"version_{stage}", "").strip()  # the version of this stage the page showed
    if seen:
        data["version"] = seen
    try:
        body = s.MilestoneIn.model_validate(data)
    except ValidationError as exc:
        return render_order(order, side, problems_of(exc), "milestone", 422)
    return act(order, side, "milestone", fig.set_milestone, db.session(), order, side, stage, body,
               success=_("Milestone recorded: the other side is asked to confirm it."), anchor="milestones")


@bp.post("/orders/<int:order_id>/deliveries")
def delivery(order_id: int):
    order, side = order_or_404(order_id)
    data = payload(("delivered_on", "quantity", "rejected_quantity"))
    data["note"] = request.form.get("note", "")
    try:
        body = s.DeliveryIn.model_validate(data)
    except ValidationError as exc:
        return render_order(order, side, problems_of(exc), "delivery", 422)
    return act(order, side, "delivery", fig.add_delivery, db.session(), order, side, body,
               success=_("Delivery recorded: the other side is asked to confirm it."), anchor="deliveries")


@bp.post("/orders/<int:order_id>/invoices")
def invoice(order_id: int):
    order, side = order_or_404(order_id)
    data = payload(("number", "issued_on", "due_on", "amount", "currency"))
    data["is_deposit"] = request.form.get("is_deposit") == "y"
    try:
        body = s.InvoiceIn.model_validate(data)
    except ValidationError as exc:
        return render_order(order, side, problems_of(exc), "invoice", 422)
    return act(order, side, "invoice", fig.add_invoice, db.session(), order, side, body,
               success=_("Invoice recorded: the buyer is asked to confirm it."), anchor="invoices")


@bp.post("/orders/<int:order_id>/invoices/<int:invoice_id>/payments")
def payment(order_id: int, invoice_id: int):
    order, side = order_or_404(order_id)
    try:
        inv = fig.invoice_of(db.session(), order, invoice_id)
    except OrderError:
        abort(404)
    try:
        body = s.OrderPaymentIn.model_validate(payload(("paid_on", "amount")))
    except ValidationError as exc:
        return render_order(order, side, problems_of(exc), f"payment-{inv.id}", 422)
    return act(order, side, f"payment-{inv.id}", fig.add_payment, db.session(), order, side, inv, body,
               success=_("Payment recorded: the other side is asked to confirm it."), anchor="invoices")


@bp.post("/orders/<int:order_id>/figures/<kind>/<int:figure_id>/confirm")
def confirm_figure(order_id: int, kind: str, figure_id: int):
    order, side = order_or_404(order_id)
    if kind not in FIGURE_KINDS:
        abort(404)
    try:
        fig.figure_of(db.session(), order, kind, figure_id)
    except OrderError:
        abort(404)
    return act(order, side, "confirm_figure", fig.confirm_figure, db.session(), order, side, kind, figure_id,
               success=_("Figure confirmed."))


@bp.post("/orders/<int:order_id>/disputes")
def dispute(order_id: int):
    order, side = order_or_404(order_id)
    subject, _sep, rest = request.form.get("figure", "").partition(":")
    subject_id, _sep, field = rest.partition(":")
    data = {"subject": subject, "subject_id": subject_id, "field": field,
            "claimed_value": request.form.get("claimed_value", ""), "note": request.form.get("note", "")}
    try:
        body = s.DisputeIn.model_validate(data)
    except ValidationError as exc:
        problems = problems_of(exc)
        if any(k in problems.fields for k in ("subject", "subject_id", "field")):
            problems.add("figure", _("Choose the figure you dispute."))
        return render_order(order, side, problems, "dispute", 422)
    return act(order, side, "dispute", dsp.raise_dispute, db.session(), order, side, current_actor(), body,
               success=_("Dispute sent: the other side is asked to answer it."), anchor="disputes")


@bp.post("/orders/<int:order_id>/disputes/<int:dispute_id>/answer")
def answer(order_id: int, dispute_id: int):
    order, side = order_or_404(order_id)
    try:
        dsp.dispute_of(db.session(), order, dispute_id)
    except OrderError:
        abort(404)
    try:
        body = s.DisputeAnswerIn.model_validate({"answer": request.form.get("answer", "")})
    except ValidationError as exc:
        return render_order(order, side, problems_of(exc), f"answer-{dispute_id}", 422)
    return act(order, side, f"answer-{dispute_id}", dsp.answer_dispute, db.session(), order, side, current_actor(),
               dispute_id, body, success=_("Answer sent."), anchor="disputes")


@bp.post("/orders/<int:order_id>/disputes/<int:dispute_id>/withdraw")
def withdraw(order_id: int, dispute_id: int):
    order, side = order_or_404(order_id)
    try:
        dsp.dispute_of(db.session(), order, dispute_id)
    except OrderError:
        abort(404)
    return act(order, side, f"answer-{dispute_id}", dsp.withdraw_dispute, db.session(), order, side, dispute_id,
               success=_("Dispute withdrawn."), anchor="disputes")
