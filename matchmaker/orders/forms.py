"""The order page's forms (Flask-WTF): they carry the raw values and the CSRF token; pydantic decides.

Field names equal the API schemas' (``orders.schemas``), so a form's :meth:`OrderPageForm.payload`
is the body the API would take; refusals come back beside these fields (``forms.Problems``). Labels
are the catalogue's, lazily worded in the reader's language. Most forms are only text fields named
like the API's, labelled from ``orders.labels.FIELDS``: :func:`page_form` makes those from the names,
so a name is written once.
"""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.fields.core import UnboundField

from ..i18n import lazy_gettext as _l
from ..validation import PercentText
from .labels import FIELDS
from .records import MILESTONES

# the shares the user types in percent (30 for a 30 % deposit): sent to the schema as the typed percent,
# which it checks against percent limits and stores as the API's 0–1 share (``validation.percent_share``)
PERCENT_FIELDS = ("deposit_share",)
TERM_FORM = ("reference", "product", "quantity", "unit_price", "currency", "delivery_date", "deposit_share",
             "payment_terms_days", "reject_limit_pct", "fabric_by", "trims_by")


def _label(name: str):
    """The field's label of ``orders.labels.FIELDS`` (a catalogue msgid), worded when shown."""
    return _l(FIELDS[name])


class OrderPageForm(FlaskForm):
    """Raw text fields; ``payload`` leaves empty ones out, so the schema applies its default or says
    what is missing."""

    class Meta:
        csrf = False  # CSRFProtect checks every page POST before the view runs

    def text(self, name: str) -> str:
        raw = (self[name].data or "").strip() if name in self else ""
        return PercentText(raw) if raw and name in PERCENT_FIELDS else raw

    def payload(self, names) -> dict:
        return {k: self.text(k) for k in names if self.text(k)}

    def values(self) -> dict:
        """The values sent, to show the form again beside its problems."""
        return {name: fld.raw_data[0] for name, fld in self._fields.items() if fld.raw_data}


def page_form(name: str, *fields: str, base: type[OrderPageForm] = OrderPageForm,
              **other: UnboundField) -> type[OrderPageForm]:
    """A form class on ``base``: a text field for each API field name in ``fields`` (labelled from
    ``orders.labels.FIELDS``), and the ``other`` fields as given (a hidden version, a text area...)."""
    return type(name, (base,), {**{f: StringField(_label(f)) for f in fields}, **other})


TermsFields = page_form("TermsFields", *TERM_FORM)
NewOrderForm = page_form("NewOrderForm", "buyer_id", "requirement_id", "started_on", "fair_meeting_id",
                         base=TermsFields,
                         # typed; resolved to buyer_id on submit when no suggestion was chosen
                         buyer_name=StringField(_l("Buyer")))
TermsForm = page_form("TermsForm", base=TermsFields, version=HiddenField())
ConfirmForm = page_form("ConfirmForm", version=HiddenField())
CloseForm = page_form("CloseForm", "status", version=HiddenField())
DeliveryForm = page_form("DeliveryForm", "delivered_on", "quantity", "rejected_quantity",
                         note=TextAreaField(_label("note")))
InvoiceForm = page_form("InvoiceForm", "number", "issued_on", "due_on", "amount", "currency",
                        is_deposit=BooleanField(_label("is_deposit")))
PaymentForm = page_form("PaymentForm", "paid_on", "amount")


class MilestoneForm(OrderPageForm):
    """One stage's dates; ``version_<stage>`` is the version of that stage the page showed."""

    stage = StringField(_l("Stage"))
    planned_on = StringField(_label("planned_on"))
    actual_on = StringField(_label("actual_on"))

    def seen_version(self, stage: str) -> str:
        return self.text(f"version_{stage}")


for _stage in MILESTONES:
    setattr(MilestoneForm, f"version_{_stage}", HiddenField())


class DisputeForm(OrderPageForm):
    figure = StringField(_l("Figure you dispute"))  # ``subject:subject_id:field``
    claimed_value = StringField(_l("What you say it is"))
    note = TextAreaField(_l("Why"))


class DisputeAnswerForm(OrderPageForm):
    answer = TextAreaField(_l("Your answer"))
