"""The gettext catalogs: extract msgids from the code and templates, update the PO files, compile them.

    python scripts/i18n.py extract   # matchmaker/translations/messages.pot from the code, templates, taxonomy
    python scripts/i18n.py update    # add new msgids to every language's messages.po (translations kept)
    python scripts/i18n.py compile   # messages.mo for every language (setup runs this)
    python scripts/i18n.py check     # exit 1 on an extracted msgid without Spanish, or a catalog msgid
                                     # that extraction no longer finds (obsolete: mark it or drop it)

Extraction is pybabel's (``babel.messages.extract``) with the project's keywords, plus the taxonomy's
labels with their vocabulary as message context. ``pybabel extract -F babel.cfg -k ...`` gives the same
for code and templates (see ``babel.cfg``). Messages used dynamically (tables of labels, reason and
message codes, error texts kept in constants) are marked where they are defined with ``N_`` (the app's
``matchmaker.catalog.N_``). The engines (``models/``, ``indexing/``, ``scheduling/``) do not import the
app: the few English msgids they define carry a local ``N_`` of their own, the only keyword read there.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from babel.messages.catalog import Catalog  # noqa: E402
from babel.messages.extract import extract_from_dir  # noqa: E402
from babel.messages.pofile import read_po, write_po  # noqa: E402

from matchmaker.catalog import LANGUAGES, TRANSLATIONS, catalog_paths, compile_catalogs  # noqa: E402

# name -> argument spec, as pybabel's ``-k``: which positional argument is the msgid (and the context)
KEYWORDS = {
    "_": None, "gettext": None, "lazy_gettext": None, "_l": None, "N_": None,
    "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
    "translate": (1,),        # catalog.translate(message, lang)
    "translate_plural": (1, 2),
    "tr": (2,),               # fairs.formatting.tr(lang, message)
    # the one domain error: its message id (second argument; a Conflict's first) is an English msgid,
    # worded in the reader's language wherever it is shown (errors.DomainError)
    "DomainError": (2,), "Conflict": (1,),
    "forbidden": (1,),        # api.common.forbidden(message): a 403's DomainError, its message the msgid
}
# form fields: the label (first argument) is a msgid, translated when the form is rendered
KEYWORDS.update({name: (1,) for name in (
    "StringField", "TextAreaField", "NumberField", "IntegerField", "DecimalField", "FloatField", "SelectField",
    "SelectMultipleField", "RadioField", "BooleanField", "PasswordField", "EmailField", "DateField",
    "DateTimeLocalField", "FileField", "MultipleFileField", "WordListField", "SubmitField")})
METHODS = [("matchmaker/migrations/**", "ignore"), ("**/templates/**.html", "jinja2"), ("**.py", "python")]
ENGINES = ("models", "indexing", "scheduling")
ENGINE_KEYWORDS = {"N_": None}  # engines define no gettext; only their marker counts
POT = TRANSLATIONS / "messages.pot"


def extract() -> Catalog:
    """Every msgid of the app: ``_()``-style calls in code and templates, and the taxonomy's labels."""
    pot = Catalog(project="Matchmaker", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
            str(ROOT / "matchmaker"), METHODS, {"**/templates/**.html": {"extensions": ""}}, KEYWORDS,
            comment_tags=("TRANSLATORS:",), strip_comment_tags=True):
        if isinstance(message, tuple):  # plural: (singular, plural)
            pot.add(message, locations=[(f"matchmaker/{filename}", lineno)], context=context)
        elif message:
            pot.add(message, locations=[(f"matchmaker/{filename}", lineno)], context=context,
                    auto_comments=comments)
    for engine in ENGINES:
        for filename, lineno, message, comments, context in extract_from_dir(
                str(ROOT / engine), [("**.py", "python")], {}, ENGINE_KEYWORDS,
                comment_tags=("TRANSLATORS:",), strip_comment_tags=True):
            pot.add(message, locations=[(f"{engine}/{filename}", lineno)], context=context,
                    auto_comments=comments)
    for msgid, context in taxonomy_messages():
        pot.add(msgid, locations=[("matchmaker/taxonomy.py", 0)], context=context)
    return pot


def taxonomy_messages():
    """(label, vocabulary name) of every controlled vocabulary: labels are data, not ``_()`` calls."""
    import importlib
    import pkgutil

    import matchmaker
    from matchmaker.taxonomy import Vocabulary

    seen = set()
    names = ["matchmaker.taxonomy"] + [f"matchmaker.{m.name}.schemas" for m in pkgutil.iter_modules(matchmaker.__path__)
                                       if m.ispkg and (ROOT / "matchmaker" / m.name / "schemas.py").exists()]
    for name in names:
        module = importlib.import_module(name)
        for value in vars(module).values():
            if isinstance(value, Vocabulary) and id(value) not in seen:
                seen.add(id(value))
                for term in value:
                    yield term.en, value.name


def update(pot: Catalog) -> None:
    for lang in LANGUAGES:
        po_path, _ = catalog_paths(lang)
        if lang == "en" or not po_path.exists():
            continue
        with po_path.open("rb") as fh:
            po = read_po(fh, locale=lang)
        po.update(pot, no_fuzzy_matching=True, update_header_comment=False, keep_user_comments=True)
        po.obsolete.clear()  # a msgid gone from the code is gone from the catalog (git keeps history)
        with po_path.open("wb") as fh:
            write_po(fh, po, width=120, sort_output=True, include_previous=False)


def untranslated(lang: str, pot: Catalog | None = None) -> list[str]:
    pot = pot or extract()
    po_path, _ = catalog_paths(lang)
    with po_path.open("rb") as fh:
        po = read_po(fh, locale=lang)
    missing = []
    for message in pot:
        if not message.id:
            continue
        found = po.get(message.id, context=message.context)
        text = found.string if found is not None else None
        if not text or (isinstance(text, tuple) and not all(text)) or (found is not None and found.fuzzy):
            missing.append(f"{message.context + ': ' if message.context else ''}{message.id}")
    return missing


def obsolete(lang: str, pot: Catalog | None = None) -> list[str]:
    """Catalog msgids of ``lang`` that extraction no longer finds: dead text, or a dynamic use left unmarked."""
    pot = pot or extract()
    po_path, _ = catalog_paths(lang)
    with po_path.open("rb") as fh:
        po = read_po(fh, locale=lang)
    return [f"{m.context + ': ' if m.context else ''}{m.id if isinstance(m.id, str) else m.id[0]}"
            for m in po if m.id and pot.get(m.id, context=m.context) is None]


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    if command == "extract":
        with POT.open("wb") as fh:
            write_po(fh, extract(), width=120, sort_output=True)
        print(f"wrote {POT}")
    elif command == "update":
        update(extract())
        print("updated", ", ".join(lang for lang in LANGUAGES if lang != "en"))
    elif command == "compile":
        for path in compile_catalogs():
            print(f"wrote {path}")
    elif command == "check":
        pot = extract()
        bad = {lang: untranslated(lang, pot) for lang in LANGUAGES if lang != "en"}
        gone = {lang: obsolete(lang, pot) for lang in LANGUAGES if lang != "en"}
        for lang, ids in bad.items():
            for msgid in ids:
                print(f"{lang}: no translation for {msgid!r}")
        for lang, ids in gone.items():
            for msgid in ids:
                print(f"{lang}: in the catalog but not extracted (unmarked or unused) {msgid!r}")
        return 1 if any(bad.values()) or any(gone.values()) else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
