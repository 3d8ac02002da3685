"""Dates, numbers and fixed labels of the fairs pages and agendas in a given language.

The pages use the reader's language (``i18n.locale()``); an agenda file uses its participant's.
Weekday and month names and number formats come from Babel's CLDR data; numbers are written as the
app writes them everywhere (``i18n.format_number``/``format_percent``: Spanish as in Mexico, es_MX).
"""
from __future__ import annotations

import re
from datetime import datetime

from babel.dates import format_datetime, format_time

from ..catalog import translate
from ..i18n import format_number, format_percent


def tr(lang: str, message: str, **params) -> str:
    """``gettext`` for an explicit language (an agenda is written in its participant's language)."""
    return translate(message, lang, **params)


def when(moment: datetime, lang: str) -> str:
    """Weekday, date and time, e.g. ``Thu 12 Mar 2026 09:00`` / ``jue 12 mar 2026 09:00``."""
    return format_datetime(moment, "EEE d MMM y HH:mm", locale=lang)


def short(moment: datetime, lang: str) -> str:
    """Weekday, day and month with the time: ``Thu 12 Mar 09:00`` / ``jue 12 mar 09:00``."""
    return format_datetime(moment, "EEE d MMM HH:mm", locale=lang)


def span(start: datetime, end: datetime, lang: str) -> str:
    return f"{when(start, lang)}–{format_time(end, 'HH:mm', locale=lang)}"


def number(value, lang: str, digits: int = 0) -> str:
    """``1,234.5`` in both languages (Mexico writes numbers as the US does), with ``digits`` decimals."""
    return format_number(value, digits, lang)


def percent(value, lang: str, digits: int = 0) -> str:
    """A share 0–1 in the locale's own percent form (``12%`` in en_US and es_MX), ``digits`` decimals."""
    return format_percent(value, digits, lang)


_NUMBERED_TABLE = re.compile(r"^(?:Table|Mesa) (\d+)$")


def table_label(label: str, lang: str) -> str:
    """Tables the form numbered ("Table 3", "Mesa 3") read in the reader's language; names stay."""
    match = _NUMBERED_TABLE.match(label or "")
    return tr(lang, "Table {n}", n=match.group(1)) if match else label
