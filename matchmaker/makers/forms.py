"""The maker profile form: one field per attribute of ``makers.schemas.MakerProfileFields``.

WTForms renders the fields and carries the raw values; the page validates them with the same pydantic
schema as ``PUT /api/v1/makers/<id>`` (``forms.validate_form``). Certificate rows are
``certificates-<row>-<attribute>``; labels are English msgids translated in the templates with ``_()``.
"""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, FieldList, Form, FormField, HiddenField, StringField, TextAreaField

from .. import taxonomy as tx
from ..forms import CodeChecks, CodeSelect, NumberField, WordListField, schema_defaults
from ..i18n import lazy_gettext as _l
from .schemas import MakerProfileIn


class CertificateRow(Form):
    kind = CodeSelect("Certificate", vocab=tx.CERTIFICATES)
    issuer = StringField(_l("Issuer"))
    number = StringField(_l("Number"))
    valid_until = StringField(_l("Valid until"), render_kw={"type": "date"})


class MakerProfileForm(FlaskForm):
    version = HiddenField()
    headcount = NumberField(_l("Headcount"))
    founded_year = NumberField(_l("Founded"))
    service_tier = CodeSelect("Service tier", vocab=tx.SERVICE_TIERS)
    processes = CodeChecks("Processes", vocab=tx.PROCESS_STAGES)
    product_lines = CodeChecks("Product lines", vocab=tx.PRODUCT_LINES)
    niches = CodeChecks("Niches", vocab=tx.NICHES)
    monthly_capacity = NumberField(_l("Monthly capacity (units)"))
    peak_spare_capacity = NumberField(_l("Spare capacity in peak season"))
    min_order_qty = NumberField(_l("Minimum order quantity"))
    committed_share = NumberField(_l("Share committed to other clients"), step="0.01")
    sample_lead_days = NumberField(_l("Sample lead time (days)"))
    order_lead_days = NumberField(_l("Order lead time (days)"))
    quality_tier = CodeSelect("Quality tier", vocab=tx.QUALITY_TIERS)
    reject_rate_pct = NumberField(_l("Reject rate (%)"), step="0.1")
    lab_tests = CodeChecks("Lab tests", vocab=tx.LAB_TESTS)
    certificates = FieldList(FormField(CertificateRow), label="Certificates", max_entries=60)
    design_capability = BooleanField(_l("Design capability"))
    own_brand = BooleanField(_l("Own brand"))
    subcontracts = BooleanField(_l("Subcontracts work"))
    export_experience = BooleanField(_l("Export experience"))
    export_share_pct = NumberField(_l("Export share (%)"), step="0.1")
    separate_export_facility = BooleanField(_l("Separate export facility"))
    languages = WordListField(_l("Languages"))
    unit_price_min = NumberField(_l("Lowest unit price (USD)"), step="0.01")
    unit_price_max = NumberField(_l("Highest unit price (USD)"), step="0.01")
    about = TextAreaField(_l("About"))


EXTRA_CERTIFICATE_ROWS = 3


def maker_form_data(profile_dict: dict | None) -> dict:
    """Initial form values from :func:`makers.services.maker_dict` (or the schema's defaults for a new profile)."""
    blank_rows = [{} for _ in range(EXTRA_CERTIFICATE_ROWS)]
    if profile_dict is None:
        return {**schema_defaults(MakerProfileIn), "certificates": blank_rows}
    data = dict(profile_dict)
    data["certificates"] = list(profile_dict["certificates"]) + blank_rows
    return data
