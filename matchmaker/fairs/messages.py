"""Every fairs validation message as a sentence in the reader's language, naming its field.

Pydantic errors are mapped by their *type* (``string_too_short``, ``greater_than_equal``, …)
and context, never by their English text; the fairs schemas raise their own rules as
``PydanticCustomError`` types (``fair_sessions_overlap``, …) with the field in the context.
:class:`~matchmaker.errors.DomainError` carries an English template and parameters,
translated here too. The API answers in English; the pages in ``i18n.locale()``.
"""
from __future__ import annotations

from pydantic import ValidationError

from .formatting import tr
from ..catalog import N_

FIELDS = {
    "name": N_("Name"), "venue": N_("Venue"), "timezone": N_("Time zone"), "slot_minutes": N_("Slot length (minutes)"),
    "request_deadline": N_("Request deadline"), "sessions": N_("Sessions"), "breaks": N_("Breaks"), "tables": N_("Tables"),
    "table_count": N_("Number of tables"), "default_min_meetings": N_("Minimum meetings per participant"),
    "default_max_meetings": N_("Maximum meetings per participant"), "association_id": N_("Hosting association"),
    "organization_id": N_("Firm"), "min_meetings": N_("Minimum meetings"), "max_meetings": N_("Maximum meetings"),
    "fixed_table_id": N_("Fixed table"), "unavailable": N_("Unavailable slots"), "time_limit": N_("Time limit (seconds)"),
    "mark": N_("Your mark"), "to_participant_id": N_("Counterpart"), "expires_at": N_("Expires"), "level": N_("Publication"),
    "participants": N_("Participants"), "label": N_("Label"), "start": N_("Start"), "end": N_("End"), "csv": N_("CSV file"),
    "status": N_("Status"), "locked": N_("Locked"), "kind": N_("Action"), "event": N_("Follow-up"),
    "absent_participant_id": N_("Absent participant"), "from_participant_id": N_("On behalf of"),
    "schedule": N_("Schedule"), "settings": N_("Settings"),
}

# pydantic error type -> sentence (English msgid; the Spanish is in the gettext catalog)
TYPES = {
    "missing": N_("this field is required."),
    "string_too_short": N_("enter at least {min_length} character(s)."),
    "string_too_long": N_("enter at most {max_length} characters."),
    "string_type": N_("enter text."),
    "greater_than_equal": N_("enter a number of at least {ge}."),
    "less_than_equal": N_("enter a number of at most {le}."),
    "greater_than": N_("enter a number above {gt}."),
    "less_than": N_("enter a number below {lt}."),
    "int_parsing": N_("enter a whole number."),
    "int_type": N_("enter a whole number."),
    "int_from_float": N_("enter a whole number."),
    "float_parsing": N_("enter a number."),
    "float_type": N_("enter a number."),
    "bool_parsing": N_("choose yes or no."),
    "bool_type": N_("choose yes or no."),
    "datetime_parsing": N_("enter a date and time as YYYY-MM-DD HH:MM."),
    "datetime_from_date_parsing": N_("enter a date and time as YYYY-MM-DD HH:MM."),
    "datetime_type": N_("enter a date and time as YYYY-MM-DD HH:MM."),
    "too_short": N_("give at least {min_length}."),
    "too_long": N_("give at most {max_length}."),
    "literal_error": N_("choose one of {expected}."),
    "enum": N_("choose one of {expected}."),
    "extra_forbidden": N_("this field is not accepted here."),
    "list_type": N_("give a list."),
    "model_type": N_("give an object."),
    "dict_type": N_("give an object."),
    "json_invalid": N_("the request body is not valid JSON."),
    # the fairs schemas' own rules
    "fair_unknown_zone": N_("unknown time zone {zone}."),
    "fair_period_order": N_("the end must be after the start."),
    "fair_period_offsets": N_("start and end must both give a UTC offset, or neither."),
    "fair_no_tables": N_("a fair needs at least one table; zero tables given."),
    "fair_tables_repeat": N_("table labels must not repeat."),
    "fair_no_sessions": N_("a fair needs at least one session."),
    "fair_sessions_overlap": N_("sessions overlap: {first} and {second}."),
    "fair_break_outside": N_("this break is outside every session: {period}."),
    "fair_slot_too_long": N_("a slot of {minutes} minutes is longer than the session {session} ({length} minutes)."),
    "fair_min_above_max": N_("the minimum must not exceed the maximum."),
    "fair_session_past": N_("the session {session} is in the past; every session must be upcoming."),
    "fair_deadline_after_start": N_("the request deadline must be before the first session ({first})."),
    "fair_expiry_past": N_("the expiry date must be in the future."),
}
FALLBACK = N_("this value is not valid.")


def field_label(field: str, lang: str) -> str:
    return tr(lang, FIELDS.get(field, field.replace("_", " ")))


def _field_of(err: dict) -> str:
    ctx = err.get("ctx") or {}
    if "field" in ctx:
        return str(ctx["field"])
    loc = [str(p) for p in err["loc"]]
    return ".".join(loc) or "body"


def problems(exc: ValidationError, lang: str = "en") -> list[dict]:
    """``[{"field", "problem", "type"}]``: the field path and a sentence naming it in ``lang``."""
    out = []
    for err in exc.errors(include_url=False):
        field = _field_of(err)
        ctx = {k: v for k, v in (err.get("ctx") or {}).items() if k != "field"}
        template = TYPES.get(err["type"], FALLBACK)
        try:
            sentence = tr(lang, template, **{k: _show(v) for k, v in ctx.items()})
        except (KeyError, IndexError):
            sentence = tr(lang, FALLBACK)
        head = field.split(".")[0]
        row = " ({})".format(tr(lang, "item {n}", n=int(field.split(".")[1]) + 1)) \
            if "." in field and field.split(".")[1].isdigit() else ""
        out.append({"field": field, "type": err["type"],
                    "problem": f"{field_label(head, lang)}{row}: {sentence}"})
    return out


def _show(value) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def fair_error(exc, lang: str = "en") -> str:
    """A :class:`~matchmaker.errors.DomainError` as a sentence in ``lang`` that names its field."""
    params = {k: str(v) for k, v in getattr(exc, "params", {}).items()}
    if "standing" in params:
        standing = params["standing"]  # (a variable: extraction reads literals inside a call as msgids)
        params["standing"] = tr(lang, standing)
    template = getattr(exc, "template", exc.message)
    text = tr(lang, template, **params) if params else tr(lang, exc.message)
    return f"{field_label(exc.field, lang)}: {text}"


def stored_error(detail: dict | None, fallback: str, lang: str) -> str:
    """A job's failure (``DomainError.as_dict()`` kept in its result) in ``lang``."""
    if not detail or "template" not in detail:
        return fallback
    params = dict(detail.get("params") or {})
    if "standing" in params:
        standing = params["standing"]
        params["standing"] = tr(lang, standing)
    template = detail["template"]
    text = tr(lang, template, **params) if params else tr(lang, template)
    return f"{field_label(detail.get('field', ''), lang)}: {text}"
