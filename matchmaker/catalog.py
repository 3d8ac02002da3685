"""The gettext catalogs: loading, compiling, and translating a message into a given language.

Below everything else (the taxonomy's labels and the pages both read it) and free of Flask, so a
job, an email or the index builder translates in any context. ``messages.po`` per language under
``matchmaker/translations`` is the source; ``scripts/i18n.py`` extracts, updates and compiles.
"""
from __future__ import annotations

import io
import os
from functools import lru_cache
from pathlib import Path

from babel.support import NullTranslations, Translations

LANGUAGES = ("en", "es")
TRANSLATIONS = Path(__file__).resolve().parent / "translations"
DOMAIN = "messages"


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


def translate(message: str, lang: str, context: str | None = None, **params) -> str:
    """``message`` in ``lang``, placeholders filled; the English msgid when no translation exists."""
    source = catalog(lang) if lang != "en" else NullTranslations()
    text = source.pgettext(context, message) if context else source.gettext(message)
    return text.format(**params) if params else text


def translate_plural(singular: str, plural: str, n: int, lang: str, **params) -> str:
    """The plural form of ``lang`` for ``n`` (Spanish, like English, has two); ``{n}`` is filled."""
    source = catalog(lang) if lang != "en" else NullTranslations()
    return source.ngettext(singular, plural, n).format(n=n, **params)


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
