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

FIELDS = {
    "name": "Name", "venue": "Venue", "timezone": "Time zone", "slot_minutes": "Slot length (minutes)",
    "request_deadline": "Request deadline", "sessions": "Sessions", "breaks": "Breaks", "tables": "Tables",
    "table_count": "Number of tables", "default_min_meetings": "Minimum meetings per participant",
    "default_max_meetings": "Maximum meetings per participant", "association_id": "Hosting association",
    "organization_id": "Firm", "min_meetings": "Minimum meetings", "max_meetings": "Maximum meetings",
    "fixed_table_id": "Fixed table", "unavailable": "Unavailable slots", "time_limit": "Time limit (seconds)",
    "mark": "Your mark", "to_participant_id": "Counterpart", "expires_at": "Expires", "level": "Publication",
    "participants": "Participants", "label": "Label", "start": "Start", "end": "End", "csv": "CSV file",
    "status": "Status", "locked": "Locked", "kind": "Action", "event": "Follow-up",
    "absent_participant_id": "Absent participant", "from_participant_id": "On behalf of",
}

# pydantic error type -> sentence (English msgid; the Spanish is in the gettext catalog)
TYPES = {
    "missing": "this field is required.",
    "string_too_short": "enter at least {min_length} character(s).",
    "string_too_long": "enter at most {max_length} characters.",
    "string_type": "enter text.",
    "greater_than_equal": "enter a number of at least {ge}.",
    "less_than_equal": "enter a number of at most {le}.",
    "greater_than": "enter a number above {gt}.",
    "less_than": "enter a number below {lt}.",
    "int_parsing": "enter a whole number.",
    "int_type": "enter a whole number.",
    "int_from_float": "enter a whole number.",
    "float_parsing": "enter a number.",
    "float_type": "enter a number.",
    "bool_parsing": "choose yes or no.",
    "bool_type": "choose yes or no.",
    "datetime_parsing": "enter a date and time as YYYY-MM-DD HH:MM.",
    "datetime_from_date_parsing": "enter a date and time as YYYY-MM-DD HH:MM.",
    "datetime_type": "enter a date and time as YYYY-MM-DD HH:MM.",
    "too_short": "give at least {min_length}.",
    "too_long": "give at most {max_length}.",
    "literal_error": "choose one of {expected}.",
    "enum": "choose one of {expected}.",
    "extra_forbidden": "this field is not accepted here.",
    "list_type": "give a list.",
    "model_type": "give an object.",
    "dict_type": "give an object.",
    "json_invalid": "the request body is not valid JSON.",
    # the fairs schemas' own rules
    "fair_unknown_zone": "unknown time zone {zone}.",
    "fair_period_order": "the end must be after the start.",
    "fair_period_offsets": "start and end must both give a UTC offset, or neither.",
    "fair_no_tables": "a fair needs at least one table; zero tables given.",
    "fair_tables_repeat": "table labels must not repeat.",
    "fair_no_sessions": "a fair needs at least one session.",
    "fair_sessions_overlap": "sessions overlap: {first} and {second}.",
    "fair_slot_too_long": "a slot of {minutes} minutes is longer than the session {session} ({length} minutes).",
    "fair_min_above_max": "the minimum must not exceed the maximum.",
    "fair_session_past": "the session {session} is in the past; every session must be upcoming.",
    "fair_deadline_after_start": "the request deadline must be before the first session ({first}).",
    "fair_expiry_past": "the expiry date must be in the future.",
}
FALLBACK = "this value is not valid."


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
        row = f" ({tr(lang, 'item {n}', n=int(field.split('.')[1]) + 1)})" \
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
