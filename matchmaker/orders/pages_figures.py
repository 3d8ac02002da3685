"""The figure forms of the order page (their routes join ``orders.pages.bp``): a milestone's planned and
actual dates, a delivery, an invoice (the maker), a payment, confirming the other side's figure,
disputing one figure, answering or withdrawing a dispute.

Each parses its form with the API's schema; a refusal comes back on the order page beside the field,
with a 4xx status and nothing written.
"""
from __future__ import annotations

from flask import abort
from pydantic import ValidationError

from .. import db
from ..auth import current_actor
from ..forms import Problems
from ..i18n import gettext as _
from . import disputes as dsp
from . import figures as fig
from . import schemas as s
from .forms import DeliveryForm, DisputeAnswerForm, DisputeForm, InvoiceForm, MilestoneForm, PaymentForm
from .pages import act, bp, order_or_404, payload, problems_of, render_order
from .records import MILESTONES
from ..access import allow, MAKERS, TALKERS
from ..errors import DomainError

FIGURE_KINDS = {"milestone", "delivery", "invoice", "payment"}


@bp.post("/orders/<int:order_id>/milestones")
@allow(TALKERS)
def milestone(order_id: int):
    order, side = order_or_404(order_id)
    form = MilestoneForm()
    stage = form.text("stage")
    if stage not in MILESTONES:
        problems = Problems()
        problems.add("stage", _("Choose a production stage."))
        return render_order(order, side, problems, "milestone", 422, form)
    data = payload(form, ("planned_on", "actual_on"))
    seen = form.seen_version(stage)  # the version of this stage the page showed
    if seen:
        data["version"] = seen
    try:
        body = s.MilestoneIn.model_validate(data)
    except ValidationError as exc:
        return render_order(order, side, problems_of(exc), "milestone", 422, form)
    return act(order, side, "milestone", fig.set_milestone, db.session(), order, side, stage, body,
               success=_("Milestone recorded: the other side is asked to confirm it."), anchor="milestones",
               form=form)


@bp.post("/orders/<int:order_id>/deliveries")
@allow(TALKERS)
def delivery(order_id: int):
    order, side = order_or_404(order_id)
    form = DeliveryForm()
    data = payload(form, ("delivered_on", "quantity", "rejected_quantity"))
    data["note"] = form.note.data or ""
    try:
        body = s.DeliveryIn.model_validate(data)
    except ValidationError as exc:
        return render_order(order, side, problems_of(exc), "delivery", 422, form)
    return act(order, side, "delivery", fig.add_delivery, db.session(), order, side, body,
               success=_("Delivery recorded: the other side is asked to confirm it."), anchor="deliveries",
               form=form)


@bp.post("/orders/<int:order_id>/invoices")
@allow(MAKERS)
def invoice(order_id: int):
    order, side = order_or_404(order_id)
    form = InvoiceForm()
    data = payload(form, ("number", "issued_on", "due_on", "amount", "currency"))
    data["is_deposit"] = bool(form.is_deposit.data)
    try:
        body = s.InvoiceIn.model_validate(data)
    except ValidationError as exc:
        return render_order(order, side, problems_of(exc), "invoice", 422, form)
    return act(order, side, "invoice", fig.add_invoice, db.session(), order, side, body,
               success=_("Invoice recorded: the buyer is asked to confirm it."), anchor="invoices", form=form)


@bp.post("/orders/<int:order_id>/invoices/<int:invoice_id>/payments")
@allow(TALKERS)
def payment(order_id: int, invoice_id: int):
    order, side = order_or_404(order_id)
    try:
        inv = fig.invoice_of(db.session(), order, invoice_id)
    except DomainError:
        abort(404)
    form = PaymentForm()
    try:
        body = s.OrderPaymentIn.model_validate(payload(form, ("paid_on", "amount")))
    except ValidationError as exc:
        return render_order(order, side, problems_of(exc), f"payment-{inv.id}", 422, form)
    return act(order, side, f"payment-{inv.id}", fig.add_payment, db.session(), order, side, inv, body,
               success=_("Payment recorded: the other side is asked to confirm it."), anchor="invoices", form=form)


@bp.post("/orders/<int:order_id>/figures/<kind>/<int:figure_id>/confirm")
@allow(TALKERS)
def confirm_figure(order_id: int, kind: str, figure_id: int):
    order, side = order_or_404(order_id)
    if kind not in FIGURE_KINDS:
        abort(404)
    try:
        fig.figure_of(db.session(), order, kind, figure_id)
    except DomainError:
        abort(404)
    return act(order, side, "confirm_figure", fig.confirm_figure, db.session(), order, side, kind, figure_id,
               success=_("Figure confirmed."))


@bp.post("/orders/<int:order_id>/disputes")
@allow(TALKERS)
def dispute(order_id: int):
    order, side = order_or_404(order_id)
    form = DisputeForm()
    subject, _sep, rest = form.text("figure").partition(":")
    subject_id, _sep, field = rest.partition(":")
    data = {"subject": subject, "subject_id": subject_id, "field": field,
            "claimed_value": form.claimed_value.data or "", "note": form.note.data or ""}
    try:
        body = s.DisputeIn.model_validate(data)
    except ValidationError as exc:
        problems = problems_of(exc)
        # the subject, its id and the field are the parts of the one select: their own messages ("Enter a
        # whole number." for the id of no figure) would name nothing the user sees
        parts = [problems.fields.pop(k, None) for k in ("subject", "subject_id", "field")]
        if any(parts):
            problems.add("figure", _("Choose the figure you dispute."))
        return render_order(order, side, problems, "dispute", 422, form)
    return act(order, side, "dispute", dsp.raise_dispute, db.session(), order, side, current_actor(), body,
               success=_("Dispute sent: the other side is asked to answer it."), anchor="disputes", form=form)


@bp.post("/orders/<int:order_id>/disputes/<int:dispute_id>/answer")
@allow(TALKERS)
def answer(order_id: int, dispute_id: int):
    order, side = order_or_404(order_id)
    try:
        dsp.dispute_of(db.session(), order, dispute_id)
    except DomainError:
        abort(404)
    form = DisputeAnswerForm()
    try:
        body = s.DisputeAnswerIn.model_validate({"answer": form.answer.data or ""})
    except ValidationError as exc:
        return render_order(order, side, problems_of(exc), f"answer-{dispute_id}", 422, form)
    return act(order, side, f"answer-{dispute_id}", dsp.answer_dispute, db.session(), order, side, current_actor(),
               dispute_id, body, success=_("Answer sent."), anchor="disputes", form=form)


@bp.post("/orders/<int:order_id>/disputes/<int:dispute_id>/withdraw")
@allow(TALKERS)
def withdraw(order_id: int, dispute_id: int):
    order, side = order_or_404(order_id)
    try:
        dsp.dispute_of(db.session(), order, dispute_id)
    except DomainError:
        abort(404)
    return act(order, side, f"answer-{dispute_id}", dsp.withdraw_dispute, db.session(), order, side, dispute_id,
               success=_("Dispute withdrawn."), anchor="disputes")
