"""Page forms: WTForms renders the fields and carries the raw values; pydantic decides.

The rules live once, in ``validation``: a page builds the same pydantic object the
JSON API parses (:func:`validate_form`), and pydantic's errors are mapped back to
the form field they concern (:func:`map_errors`). WTForms itself checks nothing but
the CSRF token, so no rule is written twice.

Field names equal the schema's field names; certificate rows are
``certificates-<row>-<attribute>``. Labels are English msgids translated in the
templates with ``_()``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_wtf import FlaskForm
from pydantic import BaseModel, ValidationError
from wtforms import (
    BooleanField, FieldList, Form, FormField, HiddenField, SelectField, SelectMultipleField, StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice

from . import taxonomy as tx
from .i18n import gettext as _
from .i18n import locale

# -- fields ------------------------------------------------------------------------------------


def _choices(vocab: tx.Vocabulary, blank: bool) -> list[SelectChoice]:
    lang = locale()
    options = [SelectChoice(t.code, t.label(lang)) for t in vocab]
    return [SelectChoice("", "—")] + options if blank else options


class CodeSelect(SelectField):
    """A single taxonomy code; the choice list is localized when the form is built."""

    def __init__(self, label=None, vocab: tx.Vocabulary | None = None, blank: bool = True, **kwargs):
        super().__init__(label, choices=_choices(vocab, blank), validate_choice=False, **kwargs)


class CodeChecks(SelectMultipleField):
    """A group of checkboxes over a taxonomy; unknown codes pass through for pydantic to refuse."""

    def __init__(self, label=None, vocab: tx.Vocabulary | None = None, **kwargs):
        super().__init__(label, choices=_choices(vocab, False), validate_choice=False, **kwargs)


class NumberField(StringField):
    """Raw text rendered as ``<input type=number>``; pydantic parses and bounds it."""

    def __init__(self, label=None, step: str = "1", **kwargs):
        render_kw = {"type": "number", "step": step, "inputmode": "decimal" if step != "1" else "numeric"}
        render_kw.update(kwargs.pop("render_kw", {}) or {})
        super().__init__(label, render_kw=render_kw, **kwargs)


class WordListField(StringField):
    """A short list typed as comma-separated words (e.g. language codes ``es, en``)."""

    def _value(self):
        if isinstance(self.data, (list, tuple)):
            return ", ".join(self.data)
        return super()._value()


class CertificateRow(Form):
    kind = CodeSelect("Certificate", vocab=tx.CERTIFICATES)
    issuer = StringField("Issuer")
    number = StringField("Number")
    valid_until = StringField("Valid until", render_kw={"type": "date"})


class MakerProfileForm(FlaskForm):
    version = HiddenField()
    headcount = NumberField("Headcount")
    founded_year = NumberField("Founded")
    service_tier = CodeSelect("Service tier", vocab=tx.SERVICE_TIERS)
    processes = CodeChecks("Processes", vocab=tx.PROCESS_STAGES)
    product_lines = CodeChecks("Product lines", vocab=tx.PRODUCT_LINES)
    niches = CodeChecks("Niches", vocab=tx.NICHES)
    monthly_capacity = NumberField("Monthly capacity (units)")
    peak_spare_capacity = NumberField("Spare capacity in peak season")
    min_order_qty = NumberField("Minimum order quantity")
    committed_share = NumberField("Share committed to other clients", step="0.01")
    sample_lead_days = NumberField("Sample lead time (days)")
    order_lead_days = NumberField("Order lead time (days)")
    quality_tier = CodeSelect("Quality tier", vocab=tx.QUALITY_TIERS)
    reject_rate_pct = NumberField("Reject rate (%)", step="0.1")
    lab_tests = CodeChecks("Lab tests", vocab=tx.LAB_TESTS)
    certificates = FieldList(FormField(CertificateRow), label="Certificates", max_entries=60)
    design_capability = BooleanField("Design capability")
    own_brand = BooleanField("Own brand")
    subcontracts = BooleanField("Subcontracts work")
    export_experience = BooleanField("Export experience")
    export_share_pct = NumberField("Export share (%)", step="0.1")
    separate_export_facility = BooleanField("Separate export facility")
    languages = WordListField("Languages")
    unit_price_min = NumberField("Lowest unit price (USD)", step="0.01")
    unit_price_max = NumberField("Highest unit price (USD)", step="0.01")
    about = TextAreaField("About")


class RequirementForm(FlaskForm):
    version = HiddenField()
    title = StringField("Title")
    product_line = CodeSelect("Product line", vocab=tx.PRODUCT_LINES)
    quantity = NumberField("Quantity")
    monthly_volume = NumberField("Monthly volume")
    unit_price_min = NumberField("Target unit price (min)", step="0.01")
    unit_price_max = NumberField("Target unit price (max)", step="0.01")
    currency = CodeSelect("Currency", vocab=tx.CURRENCIES, blank=False)
    lead_time_days = NumberField("Delivery lead time (days)")
    min_quality_tier = CodeSelect("Minimum quality tier", vocab=tx.QUALITY_TIERS, blank=False)
    processes = CodeChecks("Required processes", vocab=tx.PROCESS_STAGES)
    certificates = CodeChecks("Required certificates", vocab=tx.CERTIFICATES)
    niches = CodeChecks("Style and niche", vocab=tx.NICHES)
    style_text = TextAreaField("Style notes")
    hard_constraints = CodeChecks("Hard constraints", vocab=tx.HARD_CONSTRAINTS)
    status = CodeSelect("Status", vocab=tx.REQUIREMENT_STATUSES, blank=False)


EXTRA_CERTIFICATE_ROWS = 3


def schema_defaults(schema: type[BaseModel]) -> dict:
    """The defaults pydantic would apply, to pre-fill a new record's form (read from the schema, not repeated)."""
    return {name: info.get_default(call_default_factory=True) for name, info in schema.model_fields.items()
            if not info.is_required() and info.get_default(call_default_factory=True) is not None}


def maker_form_data(profile_dict: dict | None) -> dict:
    """Initial form values from :func:`services.maker_dict` (or the schema's defaults for a new profile)."""
    blank_rows = [{} for _ in range(EXTRA_CERTIFICATE_ROWS)]
    if profile_dict is None:
        from .validation import MakerProfileIn
        return {**schema_defaults(MakerProfileIn), "certificates": blank_rows}
    data = dict(profile_dict)
    data["certificates"] = list(profile_dict["certificates"]) + blank_rows
    return data


# -- from raw form values to the pydantic schema -----------------------------------------------


@dataclass
class Problems:
    """Validation messages: beside a field (by form field name) and at the top of the form."""

    fields: dict[str, list[str]] = field(default_factory=dict)
    top: list[str] = field(default_factory=list)

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, [])
        if message not in self.fields[name]:
            self.fields[name].append(message)

    def __bool__(self) -> bool:
        return bool(self.fields or self.top)


def _text(raw) -> str:
    return "" if raw is None else str(raw).strip()


def form_payload(form: FlaskForm, schema: type[BaseModel]) -> tuple[dict, list[int]]:
    """The raw values of ``form`` as a dict for ``schema``, and which form row each certificate came from.

    Empty inputs are left out, so pydantic applies its default or reports a missing
    value; nothing is coerced or checked here.
    """
    payload: dict = {}
    rows: list[int] = []
    for name in schema.model_fields:
        if name not in form:
            continue
        fld = form[name]
        if isinstance(fld, FieldList):
            payload[name] = []
            for index, entry in enumerate(fld.entries):
                values = {k: _text(sub.data) for k, sub in entry.form._fields.items()}
                if any(values.values()):
                    payload[name].append({k: val for k, val in values.items() if val})
                    rows.append(index)
        elif isinstance(fld, BooleanField):
            payload[name] = bool(fld.data)
        elif isinstance(fld, SelectMultipleField):
            payload[name] = list(fld.data or [])
        elif isinstance(fld, WordListField):
            raw = fld.data if isinstance(fld.data, str) else ", ".join(fld.data or [])
            payload[name] = [w for w in re.split(r"[\s,;]+", raw.strip()) if w]
        elif isinstance(fld, TextAreaField):
            payload[name] = fld.data or ""
        else:
            value = _text(fld.data)
            if value:
                payload[name] = value
    return payload, rows


def validate_form(form: FlaskForm, schema: type[BaseModel]):
    """Build ``schema`` from the form: ``(model, Problems())`` or ``(None, problems)``."""
    payload, rows = form_payload(form, schema)
    try:
        return schema.model_validate(payload), Problems()
    except ValidationError as exc:
        return None, map_errors(exc, form, rows)


def map_errors(exc: ValidationError, form: FlaskForm, rows: list[int]) -> Problems:
    """Put each pydantic error beside the form field its ``loc`` names; the rest at the top."""
    problems = Problems()
    for err in exc.errors(include_url=False):
        loc = err["loc"]
        message = describe(err)
        if not loc:  # a model-level rule: at the top, and also beside the field it names first
            problems.top.append(message)
            named = _named_field(err)
            if named in form:
                problems.add(named, message)
            continue
        name = str(loc[0])
        if name == "certificates" and len(loc) >= 3 and isinstance(loc[1], int) and loc[1] < len(rows):
            problems.add(f"certificates-{rows[loc[1]]}-{loc[2]}", message)
        elif name in form and name != "version":
            problems.add(name, message)
        else:
            problems.top.append(f"{name}: {message}")
    return problems


def _named_field(err: dict) -> str:
    text = str((err.get("ctx") or {}).get("error", err["msg"]))
    return text.split(" ", 1)[0]


def describe(err: dict) -> str:
    """A pydantic error as a sentence in the user's language."""
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in {"greater_than_equal", "greater_than"}:
        return _("Must be at least {limit}.", limit=ctx.get("ge", ctx.get("gt")))
    if kind in {"less_than_equal", "less_than"}:
        return _("Must be at most {limit}.", limit=ctx.get("le", ctx.get("lt")))
    if kind in {"int_parsing", "int_from_float", "int_type"}:
        return _("Enter a whole number.")
    if kind in {"float_parsing", "float_type", "finite_number"}:
        return _("Enter a number.")
    if kind.startswith("date"):
        return _("Enter a date as YYYY-MM-DD.")
    if kind == "string_too_short":
        return _("This field is required.")
    if kind == "string_too_long":
        return _("Use at most {limit} characters.", limit=ctx.get("max_length"))
    if kind == "too_short":
        return _("Choose at least {limit}.", limit=ctx.get("min_length"))
    if kind == "too_long":
        return _("Choose at most {limit}.", limit=ctx.get("max_length"))
    if kind == "string_pattern_mismatch":
        return _("This value has the wrong format.")
    if kind == "literal_error":
        return _("Choose one of the listed values.")
    if kind == "extra_forbidden":
        return _("Unknown field.")
    if kind == "value_error":
        text = str(ctx.get("error", err["msg"]))
        if text.startswith("unknown "):
            return _("Unknown value: choose from the list.")
        if text.startswith("codes must not repeat"):
            return _("Choose each value only once.")
        if text.startswith("min_order_qty"):
            return _("The minimum order quantity is more than a year of monthly capacity.")
        if text.startswith("unit_price_min"):
            return _("The lowest price must not exceed the highest price.")
        return text
    return err["msg"]
