"""The order page's forms (Flask-WTF): they carry the raw values and the CSRF token; pydantic decides.

Field names equal the API schemas' (``orders.schemas``), so a form's :meth:`OrderPageForm.payload`
is the body the API would take; refusals come back beside these fields (``forms.Problems``). Labels
are the catalogue's, lazily worded in the reader's language.
"""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField, TextAreaField

from ..i18n import lazy_gettext as _l
from .labels import FIELDS
from .records import MILESTONES

TERM_FORM = ("reference", "product", "quantity", "unit_price", "currency", "delivery_date", "deposit_share",
             "payment_terms_days", "reject_limit_pct", "fabric_by", "trims_by")


def _label(name: str):
    """The field's label of ``orders.labels.FIELDS`` (a catalogue msgid), worded when shown."""
    return _l(FIELDS[name])


def _field(name: str) -> StringField:
    return StringField(_label(name))


class OrderPageForm(FlaskForm):
    """Raw text fields; ``payload`` leaves empty ones out, so the schema applies its default or says
    what is missing."""

    class Meta:
        csrf = False  # CSRFProtect checks every page POST before the view runs

    def text(self, name: str) -> str:
        return (self[name].data or "").strip() if name in self else ""

    def payload(self, names) -> dict:
        return {k: self.text(k) for k in names if self.text(k)}

    def values(self) -> dict:
        """The values sent, to show the form again beside its problems."""
        return {name: fld.raw_data[0] for name, fld in self._fields.items() if fld.raw_data}


class TermsFields(OrderPageForm):
    reference = _field("reference")
    product = _field("product")
    quantity = _field("quantity")
    unit_price = _field("unit_price")
    currency = _field("currency")
    delivery_date = _field("delivery_date")
    deposit_share = _field("deposit_share")
    payment_terms_days = _field("payment_terms_days")
    reject_limit_pct = _field("reject_limit_pct")
    fabric_by = _field("fabric_by")
    trims_by = _field("trims_by")


class NewOrderForm(TermsFields):
    buyer_id = _field("buyer_id")
    buyer_name = StringField(_l("Buyer"))  # typed; resolved to buyer_id on submit when no suggestion was chosen
    requirement_id = _field("requirement_id")
    started_on = _field("started_on")
    fair_meeting_id = _field("fair_meeting_id")


class TermsForm(TermsFields):
    version = HiddenField()


class ConfirmForm(OrderPageForm):
    version = HiddenField()


class CloseForm(OrderPageForm):
    status = _field("status")
    version = HiddenField()


class MilestoneForm(OrderPageForm):
    """One stage's dates; ``version_<stage>`` is the version of that stage the page showed."""

    stage = StringField(_l("Stage"))
    planned_on = _field("planned_on")
    actual_on = _field("actual_on")

    def seen_version(self, stage: str) -> str:
        return self.text(f"version_{stage}")


for _stage in MILESTONES:
    setattr(MilestoneForm, f"version_{_stage}", HiddenField())


class DeliveryForm(OrderPageForm):
    delivered_on = _field("delivered_on")
    quantity = _field("quantity")
    rejected_quantity = _field("rejected_quantity")
    note = TextAreaField(_label("note"))


class InvoiceForm(OrderPageForm):
    number = _field("number")
    issued_on = _field("issued_on")
    due_on = _field("due_on")
    amount = _field("amount")
    currency = _field("currency")
    is_deposit = BooleanField(_label("is_deposit"))


class PaymentForm(OrderPageForm):
    paid_on = _field("paid_on")
    amount = _field("amount")


class DisputeForm(OrderPageForm):
    figure = StringField(_l("Figure you dispute"))  # ``subject:subject_id:field``
    claimed_value = StringField(_l("What you say it is"))
    note = TextAreaField(_l("Why"))


class DisputeAnswerForm(OrderPageForm):
    answer = TextAreaField(_l("Your answer"))
