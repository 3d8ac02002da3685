"""The vetting pages' forms (WTForms): reports, votes, decisions, status, reply, application, proposal.

Labels are English msgids the form template translates; the rules are the pydantic schemas of
:mod:`matchmaker.vetting.schemas`, applied by the pages (:mod:`matchmaker.vetting.pages`).
"""
from __future__ import annotations

from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, HiddenField, MultipleFileField, SelectField, StringField, TextAreaField

from .. import db
from .. import taxonomy as tx
from ..forms import CodeChecks, CodeSelect, NumberField, PercentField
from ..i18n import locale
from ..organizations.records import Organization
from .records import SUBJECT_KINDS
from ..catalog import N_


def _subject_choices(kinds=SUBJECT_KINDS):
    rows = db.session().execute(select(Organization.id, Organization.name, Organization.kind)
                                .where(Organization.kind.in_(kinds)).order_by(Organization.name)).all()
    return [("", "—")] + [(str(i), f"{n} ({tx.ORG_KINDS.label(k, locale())})") for i, n, k in rows]


def _date(label):
    return StringField(label, render_kw={"type": "date"})


class PaymentForm(FlaskForm):
    subject_id = SelectField("Buyer or vendor", validate_choice=False)
    invoice_date = _date("Invoice date")
    amount = NumberField("Invoice amount", step="0.01")
    currency = CodeSelect("Currency", vocab=tx.CURRENCIES, blank=False)
    terms_days = NumberField("Agreed terms (days)")
    due_date = _date("Due date")
    paid_date = _date(N_("Paid on"))
    paid_amount = NumberField("Amount paid", step="0.01")
    deposit_share = PercentField("Deposit share (%)")


class IncidentForm(FlaskForm):
    subject_id = SelectField("Buyer or vendor", validate_choice=False)
    type = CodeSelect("Incident type", vocab=tx.INCIDENT_TYPES)
    severity = CodeSelect("Severity", vocab=tx.INCIDENT_SEVERITIES)
    occurred_on = _date("Date")
    description = TextAreaField("What happened")
    evidence = MultipleFileField("Evidence (PDF, JPEG or PNG, 5 MB each)")


class VoteForm(FlaskForm):
    vote = CodeSelect(N_("Your vote"), vocab=tx.VETTING_OUTCOMES)
    comment = TextAreaField("Comment")


class DecisionForm(FlaskForm):
    outcome = CodeSelect("Decision", vocab=tx.VETTING_OUTCOMES)
    conditions = CodeChecks(N_("Conditions"), vocab=tx.VETTING_CONDITIONS)
    deposit_share = PercentField("Deposit share (%)")
    rationale = TextAreaField("Written rationale")
    review_date = _date("Review date")


class StatusForm(FlaskForm):
    status = CodeSelect("Status", vocab=tx.INCIDENT_STATUSES)
    note = StringField("Note")
    back = HiddenField()  # the page to return to (a local path)


class ReplyForm(FlaskForm):
    incident_id = SelectField("About incident", validate_choice=False)
    body = TextAreaField("Your reply")
    dispute = BooleanField("I dispute this incident")


class ApplyForm(FlaskForm):
    association_id = SelectField("Association", validate_choice=False)
    note = TextAreaField("Note")


class ProposeForm(FlaskForm):
    subject_id = SelectField("Buyer or vendor", validate_choice=False)
    note = TextAreaField("Note")
    back = HiddenField()
