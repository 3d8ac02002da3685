"""Page forms: WTForms renders the fields and carries the raw values; pydantic decides.

The rules live once, in each concern's ``schemas``: a page builds the same pydantic object the
JSON API parses (:func:`validate_form`), and pydantic's errors are mapped back to
the form field they concern (:func:`map_errors`). WTForms itself checks nothing but
the CSRF token, so no rule is written twice. The helpers every concern's ``forms.py`` uses are
here: taxonomy fields (:class:`CodeSelect`, :class:`CodeChecks`), raw number and word-list inputs,
schema defaults, and the translated error messages.

Field names equal the schema's field names; certificate rows are
``certificates-<row>-<attribute>``. Labels are English msgids translated in the
templates with ``_()``.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from flask_wtf import FlaskForm
from pydantic import BaseModel, ValidationError
from wtforms import BooleanField, FieldList, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from . import taxonomy as tx
from .i18n import gettext as _
from .i18n import locale
from .catalog import N_
from .validation import PercentText

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


class PercentField(NumberField):
    """A 0–1 share typed in percent (``30`` for 30 %): sent to the schema as a ``validation.PercentText``,
    which the share's ``percent_share`` checks against percent limits and turns into the share."""

    def __init__(self, label=None, step: str = "any", **kwargs):
        super().__init__(label, step=step, **kwargs)


class WordListField(StringField):
    """A short list typed as comma-separated words (e.g. language codes ``es, en``)."""

    def _value(self):
        if isinstance(self.data, (list, tuple)):
            return ", ".join(self.data)
        return super()._value()


def schema_defaults(schema: type[BaseModel]) -> dict:
    """The defaults pydantic would apply, to pre-fill a new record's form (read from the schema, not repeated)."""
    return {name: info.get_default(call_default_factory=True) for name, info in schema.model_fields.items()
            if not info.is_required() and info.get_default(call_default_factory=True) is not None}


#: shown above a form whose record someone else saved meanwhile (a version conflict)
CONFLICT_MESSAGE = N_("Someone else saved this record while you were editing. Reload and apply your changes again.")


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
        elif isinstance(fld, PercentField):
            value = _text(fld.data)
            if value:
                payload[name] = PercentText(value)
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


def parse(schema: type[BaseModel], payload: dict, problems_of: Callable[[ValidationError], Problems]):
    """``schema`` from ``payload``: ``(model, Problems())``, or ``(None, problems_of(refusal))`` for the page
    to show beside its fields (a 422)."""
    try:
        return schema.model_validate(payload), Problems()
    except ValidationError as exc:
        return None, problems_of(exc)


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
    """The field a model-level rule names in its ctx (``validation.rule_error``); never read from its text."""
    return str((err.get("ctx") or {}).get("field") or "")


def _limit(value) -> str:
    from .i18n import format_number
    return format_number(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


# pydantic's error *types* (and our own rule codes from ``validation.rule_error``) -> (msgid, ctx key of
# the limit or None). The msgids are English sentences of the catalogue; a test walks every schema's
# fields and checks each type met here has a Spanish form.
ERROR_MESSAGES: dict[str, tuple[str, str | None]] = {
    "missing": (N_("This field is required."), None),
    "term_required": (N_("This term is required: it cannot be left blank."), None),
    "greater_than_equal": (N_("Must be at least {limit}."), "ge"),
    "greater_than": (N_("Must be more than {limit}."), "gt"),
    "less_than_equal": (N_("Must be at most {limit}."), "le"),
    "less_than": (N_("Must be less than {limit}."), "lt"),
    "int_parsing": (N_("Enter a whole number."), None),
    "int_from_float": (N_("Enter a whole number."), None),
    "int_type": (N_("Enter a whole number."), None),
    "float_parsing": (N_("Enter a number."), None),
    "float_type": (N_("Enter a number."), None),
    "finite_number": (N_("Enter a number."), None),
    "bool_parsing": (N_("Choose yes or no."), None),
    "bool_type": (N_("Choose yes or no."), None),
    "string_type": (N_("Enter text."), None),
    "string_too_long": (N_("Use at most {limit} characters."), "max_length"),
    "too_short": (N_("Choose at least {limit}."), "min_length"),
    "too_long": (N_("Choose at most {limit}."), "max_length"),
    "list_type": (N_("Choose from the list."), None),
    "model_type": (N_("This value has the wrong format."), None),
    "dict_type": (N_("This value has the wrong format."), None),
    "model_attributes_type": (N_("This value has the wrong format."), None),
    "string_pattern_mismatch": (N_("This value has the wrong format."), None),
    "literal_error": ("Choose one of the listed values.", None),
    "extra_forbidden": (N_("Unknown field."), None),
    # our own rules (validation.rule_error)
    "unknown_code": (N_("Unknown value: choose from the list."), None),
    "repeated_code": (N_("Choose each value only once."), None),
    "repeated_maker": (N_("Choose each maker only once."), None),
    "valid_until_past": (N_("The validity date must be today or later."), None),
    "valid_until_far": (N_("The validity date must be on or before {limit}."), "last"),
    "moq_over_capacity": (N_("The minimum order quantity is more than a year of monthly capacity."), None),
    "price_range": (N_("The lowest price must not exceed the highest price."), None),
    "future_date": (N_("The date must not be in the future."), None),
    "purchase_too_old": (N_("The purchase date must not be before {limit}."), "earliest"),
    "due_before_invoice": (N_("The due date must not be before the invoice date."), None),
    "paid_before_invoice": ("The payment date must not be before the invoice date.", None),
    "paid_amount_without_date": (N_("Give the date of payment with the amount paid."), None),
    "overpaid": (N_("The amount paid must not exceed the invoice amount."), None),
    "review_date_past": (N_("The review date must be after today."), None),
    "review_date_far": (N_("The review date must be within {limit} years."), "years"),
    "conditions_missing": (N_("Choose at least one condition for an approval with conditions."), None),
    "conditions_unexpected": (N_("Conditions apply only to an approval with conditions."), None),
    "deposit_without_condition": (N_("A deposit share needs the deposit condition."), None),
    "dispute_without_incident": (N_("Choose the incident you dispute."), None),
    "score_range": (N_("Choose a score from 1 to 5."), None),
    "blank_answer": (N_("Write an answer."), None),
    "milestone_empty": (N_("Give the planned date, the actual date or both."), None),
    "rejects_over_quantity": (N_("More pieces rejected than delivered."), None),
    "dispute_field": (N_("Choose a figure from the list."), None),
    "claimed_not_number": (N_("This figure is a number: enter a number."), None),
    "order_origin": (N_("Name the buyer, or the fair meeting the order came from."), None),
}
FALLBACK_MESSAGE = N_("This value is not valid.")


def message_for(err: dict) -> tuple[str, dict]:
    """The catalogue msgid and its parameters for one pydantic error, chosen by type and ctx."""
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind == "string_too_short":
        if (ctx.get("min_length") or 1) <= 1:
            return N_("This field is required."), {}
        return N_("Write at least {limit} characters."), {"limit": _limit(ctx["min_length"])}
    if kind.startswith("date") or kind.startswith("datetime"):
        if "outside expected range" in str(ctx.get("error", "")):  # 2026-02-31, 2026-13-01: well written
            return N_("That date does not exist in the calendar."), {}
        return N_("Enter a date as YYYY-MM-DD."), {}
    if kind in ERROR_MESSAGES:
        msgid, key = ERROR_MESSAGES[kind]
        if not key:
            return msgid, {}
        year = str((err.get("loc") or ("",))[-1]).endswith("year")  # a year is 1850, never "1,850"
        return msgid, {"limit": str(ctx.get(key)) if year else _limit(ctx.get(key))}
    return FALLBACK_MESSAGE, {}


def describe(err: dict) -> str:
    """A pydantic error as a sentence in the user's language."""
    # by the error's type only: a rule of ours is a validation.rule_error with its own type (a plain
    # ValueError's English text is never looked up as a msgid; it gets the fallback sentence)
    msgid, params = message_for(err)
    return _(msgid, **params)
