"""The requirement form: one field per attribute of ``requirements.schemas.RequirementFields``.

WTForms renders the fields and carries the raw values; the page validates them with the same pydantic
schema as ``PUT /api/v1/requirements/<id>`` (``forms.validate_form``).
"""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField

from .. import taxonomy as tx
from ..forms import CodeChecks, CodeSelect, NumberField
from ..i18n import lazy_gettext as _l


class RequirementForm(FlaskForm):
    version = HiddenField()
    title = StringField(_l("Title"))
    product_line = CodeSelect("Product line", vocab=tx.PRODUCT_LINES)
    quantity = NumberField(_l("Quantity"))
    monthly_volume = NumberField(_l("Monthly volume"))
    unit_price_min = NumberField(_l("Target unit price (min)"), step="0.01")
    unit_price_max = NumberField(_l("Target unit price (max)"), step="0.01")
    currency = CodeSelect("Currency", vocab=tx.CURRENCIES, blank=False)
    lead_time_days = NumberField(_l("Delivery lead time (days)"))
    min_quality_tier = CodeSelect("Minimum quality tier", vocab=tx.QUALITY_TIERS, blank=False)
    processes = CodeChecks("Required processes", vocab=tx.PROCESS_STAGES)
    certificates = CodeChecks("Required certificates", vocab=tx.CERTIFICATES)
    niches = CodeChecks("Style and niche", vocab=tx.NICHES)
    style_text = TextAreaField(_l("Style notes"))
    hard_constraints = CodeChecks("Hard constraints", vocab=tx.HARD_CONSTRAINTS)
    subcontracting = CodeSelect("Subcontracting", vocab=tx.SUBCONTRACTING, blank=False)
    status = CodeSelect("Status", vocab=tx.REQUIREMENT_STATUSES, blank=False)
