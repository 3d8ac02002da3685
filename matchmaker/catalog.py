"""The gettext catalogs: loading, compiling, and translating a message into a given language.

Below everything else (the taxonomy's labels and the pages both read it) and free of Flask, so a
job, an email or the index builder translates in any context. ``messages.po`` per language under
``matchmaker/translations`` is the source; ``scripts/i18n.py`` extracts, updates and compiles.
"""
from __future__ import annotations

import io
import os
import re
from functools import lru_cache
from pathlib import Path

from babel.support import NullTranslations, Translations

LANGUAGES = ("en", "es")
TRANSLATIONS = Path(__file__).resolve().parent / "translations"
DOMAIN = "messages"
# Numbers and dates follow the cluster's countries: Spanish as written in Mexico, English as in the US.
BABEL_LOCALES = {"es": "es_MX", "en": "en_US"}


def babel_locale(lang: str) -> str:
    """The Babel (CLDR) locale whose numbers and dates a reader of ``lang`` gets: ``es`` → ``es_MX``."""
    return BABEL_LOCALES.get(lang, "en_US")


def catalog_paths(lang: str) -> tuple[Path, Path]:
    folder = TRANSLATIONS / lang / "LC_MESSAGES"
    return folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"


@lru_cache(maxsize=None)
def catalog(lang: str) -> NullTranslations:
    """The compiled catalog of ``lang`` (English, the source language, has none)."""
    po, mo = catalog_paths(lang)
    if not po.exists():
        return NullTranslations()
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as fh:
            return Translations(fh, domain=DOMAIN)
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as fh:
        buffer = io.BytesIO()
        write_mo(buffer, read_po(fh, locale=lang))
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


_SOURCE = NullTranslations()   # English is the msgids themselves


def translate(message: str, lang: str, context: str | None = None, **params) -> str:
    """``message`` in ``lang``, placeholders filled; the English msgid when no translation exists."""
    source = catalog(lang) if lang != "en" else _SOURCE
    text = source.pgettext(context, message) if context else source.gettext(message)
    return fill(text, lang, **params) if params else text


def translate_plural(singular: str, plural: str, n: int, lang: str, **params) -> str:
    """The plural form of ``lang`` for ``n`` (Spanish, like English, has two); ``{n}`` is filled."""
    source = catalog(lang) if lang != "en" else NullTranslations()
    return fill(source.ngettext(singular, plural, n), lang, n=n, **params)


# a number's format spec in a message: optional sign, grouping, decimals, and f or % ("{pct:.1f}",
# "{km:,.0f}", "{days:+.0f}", "{share:.0%}", "{units:,}")
_NUMBER_SPEC = re.compile(r"^(?P<sign>\+)?,?(?:\.(?P<digits>\d+))?(?P<kind>[f%])?$")


class _Number:
    """A number parameter of a message: ``format`` writes it with a number spec (``{x:.1f}``) by Babel's
    data for the reader's locale, with grouped thousands whether or not the spec asks (``1,234.5`` in
    es_MX and en_US, ``{s:.0%}`` in the locale's percent form); without a spec (ids) it is as ever."""

    __slots__ = ("value", "locale")

    def __init__(self, value, locale: str):
        self.value, self.locale = value, locale

    def __format__(self, spec: str) -> str:
        match = _NUMBER_SPEC.match(spec) if spec else None
        if match is None:
            return format(self.value, spec)
        return format_number_spec(self.value, self.locale, sign=bool(match["sign"]),
                                  digits=None if match["digits"] is None else int(match["digits"]),
                                  percent=match["kind"] == "%")

    def __str__(self) -> str:
        return str(self.value)

    __repr__ = __str__


def format_number_spec(value, locale: str, *, sign: bool = False, digits: int | None = None,
                       percent: bool = False) -> str:
    """One number by Babel in ``locale`` (``es_MX``), thousands grouped: ``digits`` decimals (``None``: as
    many as it has), a ``+`` on a rise, or with ``percent`` a share 0–1 in the locale's percent form."""
    loc, pattern, plain = _number_pattern(locale, "float" if isinstance(value, float) else "int", digits, percent)
    if plain and (digits is not None or isinstance(value, int)):
        # the locale writes numbers with Python's own marks (es_MX, en_US: "1,234.5", "12%", "+3"): Python
        # writes the same text at a tenth of Babel's cost (the ranking explains 60 reasons per search)
        places = f".{digits or 0}" if percent else "" if digits is None else f".{digits}"
        return format(value, ("+" if sign else "") + "," + places + ("%" if percent else "f" if places else ""))
    text = pattern.apply(value, loc)
    if sign and value > 0:
        text = loc.number_symbols["latn"]["plusSign"] + text
    return text


@lru_cache(maxsize=256)
def _number_pattern(locale: str, kind: str, digits: int | None, percent: bool):
    """Babel's parsed locale and number pattern, once per shape (parsing them is most of the cost)."""
    from babel import Locale
    from babel.numbers import parse_pattern

    loc = Locale.parse(locale)
    if percent:
        pattern = parse_pattern(loc.percent_formats[None].pattern)
        pattern.frac_prec = (digits or 0, digits or 0)
    else:
        frac = ("." + "#" * 6 if kind == "float" else "") if digits is None else "." + "0" * digits
        pattern = parse_pattern("#,##0" + frac.rstrip("."))
    symbols = loc.number_symbols["latn"]
    plain = ((symbols["decimal"], symbols["group"], symbols["plusSign"], symbols["minusSign"],
              symbols["percentSign"]) == (".", ",", "+", "-", "%")
             and loc.decimal_formats[None].pattern == "#,##0.###" and loc.percent_formats[None].pattern == "#,##0%")
    return loc, pattern, plain


def fill(message: str, lang: str, **params) -> str:
    """``message.format(**params)`` with its numbers written for ``lang``'s locale (:class:`_Number`)."""
    if ":" not in message:  # no format spec: nothing locale-dependent to write
        return message.format(**params)
    locale = babel_locale(lang)
    return message.format(**{k: _Number(v, locale) if isinstance(v, (int, float)) and not isinstance(v, bool) else v
                             for k, v in params.items()})


def compile_catalogs() -> list[Path]:
    """Write every language's ``.mo`` from its ``.po`` (atomically, so concurrent starts are safe)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for lang in LANGUAGES:
        po, mo = catalog_paths(lang)
        if not po.exists():
            continue
        with po.open("rb") as fh:
            parsed = read_po(fh, locale=lang)
        tmp = mo.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            write_mo(fh, parsed)
        os.replace(tmp, mo)
        written.append(mo)
    catalog.cache_clear()
    return written


def N_(message: str) -> str:
    """Marks a message for extraction where it is translated later (tables of texts)."""
    return message
