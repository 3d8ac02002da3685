"""English and Spanish: the reader's language, the gettext catalog, and Babel's formats.

The Spanish lives in one gettext catalog, ``matchmaker/translations/es/LC_MESSAGES/messages.po``
(English is the msgid). ``python scripts/i18n.py update`` extracts the msgids from the code and
templates (pybabel's extractors) and the taxonomy's labels into it, ``compile`` writes the ``.mo``
that setup builds; a process loads the ``.mo``, or the ``.po`` itself when the ``.mo`` is missing
or older, so a fresh checkout never shows stale words. Flask-Babel selects the locale per request
(:func:`select_locale`) and gives lazy strings for labels defined at import time.

Messages use ``str.format`` placeholders (``"{n} makers"``) filled after translation;
:func:`translate` works in any context (jobs, emails in the recipient's language), and
:func:`gettext` / :func:`ngettext` / :func:`pgettext` in the current reader's.
"""
from __future__ import annotations

from flask import g, has_app_context, has_request_context, request, session
from flask_babel import Babel, LazyString

from .catalog import (  # noqa: F401  (re-exported: the app's one translation module)
    BABEL_LOCALES, DOMAIN, LANGUAGES, TRANSLATIONS, N_, compile_catalogs, translate, translate_plural,
)
from . import catalog as _catalog

babel = Babel()


def init_app(app) -> None:
    """Flask-Babel with our locale choice and catalog folder (its ``get_locale`` and formats agree)."""
    # Flask-Babel's own formats (``flask_babel.format_decimal`` ...) follow the same Babel locale as ours:
    # es_MX for a Spanish reader (its catalog lookup falls back from es_MX to es)
    babel.init_app(app, locale_selector=babel_locale, default_translation_directories=str(TRANSLATIONS),
                   default_domain=DOMAIN)
    # WTForms' built-in messages stay English msgids: our forms word them (``forms.py``, ``admin/forms.py``)
    # through this catalog, rather than Flask-WTF switching to WTForms' own catalog once Flask-Babel is present.
    app.config.setdefault("WTF_I18N_ENABLED", False)


def select_locale() -> str:
    """Explicit choice (stored in the session) first, then the browser's preference."""
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or "en"


def locale() -> str:
    """The reader's language: the request's choice, or English outside a request (CLI, jobs)."""
    if not has_request_context():
        return g.get("locale", "en") if has_app_context() else "en"
    if "locale" not in g:
        g.locale = select_locale()
    return g.locale


def gettext(message: str, **params) -> str:
    return translate(message, locale(), **params)


def ngettext(singular: str, plural: str, n: int, **params) -> str:
    return translate_plural(singular, plural, n, locale(), **params)


def pgettext(context: str, message: str, **params) -> str:
    return translate(message, locale(), context=context, **params)


def lazy_gettext(message: str, **params) -> LazyString:
    """For labels defined at import time (form classes): translated when shown, in the reader's language."""
    return LazyString(gettext, message, **params)


# -- numbers and dates in the reader's locale (Babel's CLDR data) ------------------------------------
# The cluster is Mexican: Spanish pages follow es_MX, English pages en_US (``catalog.BABEL_LOCALES``; the
# numbers inside translated messages, ``{pct:.1f}``, are written in the same locale by ``catalog.fill``).


def babel_locale(lang: str | None = None) -> str:
    return _catalog.babel_locale(lang or locale())


def _finite(value) -> bool:
    import math

    try:
        return value is not None and value != "" and math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def format_number(value, digits: int | None = None, lang: str | None = None) -> str:
    """``4550`` → ``4,550``; ``digits`` fixes the decimals (``0.255, 1`` → ``0.3``); ``None`` → ``—``."""
    from babel.numbers import format_decimal

    if not _finite(value):
        return "—"
    if digits is None:
        return format_decimal(value, locale=babel_locale(lang))
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(value, format=pattern, locale=babel_locale(lang), decimal_quantization=True)


def format_percent(value, digits: int = 0, lang: str | None = None, signed: bool = False) -> str:
    """A share 0–1 as a percentage in the locale's own form (its sign, spacing and decimal mark, e.g.
    ``80%`` in en_US and es_MX, ``80 %`` in es): ``digits`` fixes the decimals; ``signed`` shows ``+``
    on a rise (``+8.0%``); ``None``/NaN → ``—``."""
    from babel import Locale
    from babel.numbers import parse_pattern

    if not _finite(value):
        return "—"
    loc = Locale.parse(babel_locale(lang))
    pattern = parse_pattern(loc.percent_formats[None].pattern)
    pattern.frac_prec = (digits, digits)
    text = pattern.apply(value, loc)
    return loc.number_symbols["latn"]["plusSign"] + text if signed and value > 0 else text


def format_currency(value, currency: str | None, lang: str | None = None) -> str:
    """An amount with its currency as the locale writes it: ``$9.50`` for USD in en_US, ``USD 9.50`` (a
    no-break space) in es_MX, ``$9.50`` for MXN in es_MX; an amount without a currency is a plain number with
    two decimals; ``None`` → ``—``. The one money format of the pages (the ``money`` filter).

    Babel applies the locale's pattern but not CLDR's currency spacing, which puts a no-break space between
    a currency symbol made of letters (``USD``) and the digits beside it, as ICU and browsers write it; a
    symbol such as ``$`` or ``€`` stays next to the digits, as the pattern says."""
    from babel.numbers import format_currency as _fc, get_currency_symbol

    if not _finite(value):
        return "—"
    if not currency:
        return format_number(value, 2, lang)
    where = babel_locale(lang)
    text = _fc(value, currency, locale=where)
    symbol = get_currency_symbol(currency, locale=where)
    at = text.find(symbol)
    if at < 0 or not symbol:
        return text
    end = at + len(symbol)
    if symbol[-1].isalpha() and end < len(text) and text[end].isdigit():
        text = text[:end] + "\xa0" + text[end:]
    if symbol[0].isalpha() and at > 0 and text[at - 1].isdigit():
        text = text[:at] + "\xa0" + text[at:]
    return text


def _as_date(value):
    from datetime import date, datetime

    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return value if isinstance(value, (date, datetime)) else None


def format_date(value, style: str = "medium", lang: str | None = None) -> str:
    """A date in words of the reader's language: ``1 dic 2026`` / ``Dec 1, 2026``; ISO strings accepted."""
    from datetime import datetime

    from babel.dates import format_date as _fd

    parsed = _as_date(value)
    if parsed is None:
        return "—" if value in (None, "") else str(value)
    if isinstance(parsed, datetime):
        parsed = parsed.date()
    return _fd(parsed, format=style, locale=babel_locale(lang))


def format_datetime(value, style: str = "medium", lang: str | None = None) -> str:
    """A moment: the date as ``format_date`` writes it, then hours and minutes (``Dec 1, 2026, 3:04 PM`` /
    ``1 dic 2026, 3:04 p.m.``), joined as the locale joins them; ISO strings accepted."""
    from datetime import date, datetime, time

    from babel import Locale
    from babel.dates import format_date as _fd, format_time as _ft

    parsed = _as_date(value)
    if parsed is None:
        return "—" if value in (None, "") else str(value)
    if not isinstance(parsed, datetime) and isinstance(parsed, date):
        parsed = datetime.combine(parsed, time())
    where = babel_locale(lang)
    joined = str(Locale.parse(where).datetime_formats[style])
    return joined.replace("{1}", _fd(parsed, format=style, locale=where)).replace(
        "{0}", _ft(parsed, format="short", locale=where))


def format_weekday(value, lang: str | None = None) -> str:
    from babel.dates import format_date as _fd

    parsed = _as_date(value)
    return "—" if parsed is None else _fd(parsed, format="EEEE", locale=babel_locale(lang))


FILTERS = {"number": format_number, "percent": format_percent, "money": format_currency, "date": format_date,
           "datetime": format_datetime, "weekday": format_weekday}
