"""Every interface string has Spanish in the gettext catalog (``matchmaker/translations/es/.../messages.po``).

The catalog is the one source of Spanish: the tests read the PO file itself, so no import order and no
module of the app can change what they see.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from matchmaker import forms
from matchmaker.makers.forms import CertificateRow, MakerProfileForm
from matchmaker.requirements.forms import RequirementForm
from matchmaker.catalog import catalog_paths

with catalog_paths("es")[0].open("rb") as _fh:
    PO = read_po(_fh, locale="es")
ES = {m.id: m.string for m in PO if isinstance(m.id, str) and m.id and not m.context and m.string}
# a plural's singular and plural msgids, when every form has Spanish
ES_PLURAL = {msgid for m in PO if isinstance(m.id, tuple) and not m.context and all(m.string) for msgid in m.id}
# (context, msgid) of every message with Spanish (context None without ``pgettext``; a plural gives its
# singular and its plural, when every form has Spanish): what the readers of whole files look up, so a
# ``_("X")`` is not taken as translated because only ``pgettext(ctx, "X")`` has Spanish
ES_KEYS = {(m.context, msgid) for m in PO if m.id and (all(m.string) if isinstance(m.id, tuple) else m.string)
           for msgid in (m.id if isinstance(m.id, tuple) else (m.id,))}

ROOT = Path(__file__).resolve().parents[2] / "matchmaker"


def _i18n_tool():
    """``scripts/i18n.py`` as a module: its keywords and extraction are the project's one definition."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("i18n_tool", ROOT.parent / "scripts" / "i18n.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    return tool


TOOL = _i18n_tool()


def _msgids(paths) -> dict[tuple[str | None, str], str]:
    """(context, msgid) -> file of every message Babel extracts from ``paths`` (templates as Jinja, the rest as Python)
    with the project's keywords, as ``scripts/i18n.py`` extracts them: implicit string concatenation,
    plurals, contexts and keyword arguments included. A plural gives its singular and its plural."""
    from babel.messages.extract import extract_from_file

    found = {}
    for path in paths:
        method = "jinja2" if path.suffix == ".html" else "python"
        options = {"extensions": ""} if method == "jinja2" else {}
        for _lineno, message, _comments, context in extract_from_file(method, str(path), TOOL.KEYWORDS,
                                                                      options=options):
            for msgid in (message if isinstance(message, tuple) else (message,)):
                if msgid:
                    found[(context or None, msgid)] = str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return found


def test_the_reader_reads_a_msgid_written_in_pieces_as_one(tmp_path):
    """A long msgid split over lines (implicit concatenation) is one msgid, as gettext looks it up."""
    module = tmp_path / "pages.py"
    module.write_text('flash(_("Your order is recorded; "\n      "the other side confirms it."), "ok")\n'
                      "title = _('One {n}', n=1)\n", encoding="utf-8")
    template = tmp_path / "page.html"
    template.write_text('<p>{{ _("Saved.") }} {{ ngettext("{n} maker", "{n} makers", n) }}</p>', encoding="utf-8")
    assert {m for _c, m in _msgids([module, template])} == {
        "Your order is recorded; the other side confirms it.", "One {n}", "Saved.", "{n} maker", "{n} makers"}


def test_every_template_string_has_a_spanish_entry():
    templates = sorted((ROOT / "templates").rglob("*.html"))
    found = _msgids(templates)
    assert len(found) > 100  # the reader does find the strings
    missing = {key: where for key, where in found.items() if key not in ES_KEYS}
    assert missing == {}, f"add these to messages.po: {missing}"


def test_every_module_string_has_a_spanish_entry():
    """Every module of the app, not a chosen few: pages, forms, services, jobs, emails."""
    modules = [p for p in sorted(ROOT.rglob("*.py")) if "migrations" not in p.relative_to(ROOT).parts]
    found = _msgids(modules)
    assert len(found) > 800  # the reader does find the strings
    assert {"pages_board.py", "pages.py", "services.py", "kinds.py"} <= {Path(w).name for w in found.values()}
    missing = {key: where for key, where in found.items() if key not in ES_KEYS}
    assert missing == {}, f"add these to messages.po: {missing}"


@pytest.mark.parametrize("form_class", [MakerProfileForm, RequirementForm, CertificateRow])
def test_every_form_label_has_a_spanish_entry(app, form_class):
    with app.test_request_context():
        form = form_class(meta={"csrf": False})
        labels = {str(field.label.text) for field in form if field.type not in {"HiddenField", "CSRFTokenField"}}
    assert labels and not labels - set(ES), f"add these labels to messages.po: {sorted(labels - set(ES))}"


def test_spanish_entries_keep_their_placeholders():
    for msgid, text in ES.items():
        assert set(re.findall(r"{\w+}", msgid)) == set(re.findall(r"{\w+}", text)), msgid


# -- issue 9: every message a person reads has a Spanish form ---------------------------------------

def _page_forms():
    """Every WTForms form class of the pages (shared, makers, requirements, vetting, admin), found by walking
    the modules."""
    import inspect

    from flask_wtf import FlaskForm
    from wtforms import Form

    from matchmaker.admin import forms as admin_forms
    from matchmaker.makers import forms as maker_forms
    from matchmaker.requirements import forms as requirement_forms
    from matchmaker.vetting import forms as vetting_forms

    found = []
    for module in (forms, maker_forms, requirement_forms, vetting_forms, admin_forms):
        for _name, obj in vars(module).items():
            if inspect.isclass(obj) and issubclass(obj, Form) and obj not in (Form, FlaskForm) \
                    and obj.__module__ == module.__name__:
                found.append(obj)
    return found


def test_every_form_label_and_validator_message_of_every_page_form_has_spanish(app):
    classes = _page_forms()
    assert len(classes) >= 14
    missing = {}
    with app.test_request_context():
        for cls in classes:
            form = cls(meta={"csrf": False})
            for fld in form:
                if fld.type in {"HiddenField", "CSRFTokenField"}:
                    continue
                texts = [str(fld.label.text)] + [str(getattr(v, "message", None)) for v in fld.validators
                                            if getattr(v, "message", None)]
                for text in texts:
                    if text not in ES:
                        missing.setdefault(cls.__name__, []).append(text)
    assert missing == {}, f"add these to the Spanish catalogue: {missing}"


def _schemas():
    from pydantic import BaseModel

    from matchmaker import validation
    from matchmaker.vetting import schemas as vetting_schemas

    seen = []
    for module in (validation, vetting_schemas):
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, BaseModel) and obj is not BaseModel \
                    and obj.model_fields and obj not in seen:
                seen.append(obj)
    return seen


BAD_VALUES = [None, "", " ", "x", "zz-unknown", -10**12, 10**12, 0, -1, 1.5, "1.5", True, [], ["zz-unknown"],
              ["a", "a"], "2999-01-01", "1900-01-01", "not a date", "a" * 6000, {"k": 1}, [{"kind": "zz"}]]


def _every_error(schema):
    """Feed each field of ``schema`` every bad value (and the whole model nothing / an unknown field)."""
    from pydantic import ValidationError

    errors = []
    payloads = [{}, {"unknown_field": 1}]
    payloads += [{name: value} for name in schema.model_fields for value in BAD_VALUES]
    for payload in payloads:
        try:
            schema.model_validate(payload)
        except ValidationError as exc:
            errors.extend(exc.errors(include_url=False))
    return errors


def test_every_pydantic_error_our_schemas_raise_has_a_sentence_in_both_languages(app):
    """Errors are worded by type and ctx; none falls back to the generic sentence or to pydantic's English."""
    from matchmaker.forms import FALLBACK_MESSAGE, describe, message_for

    types, unworded = set(), {}
    with app.test_request_context():
        for schema in _schemas():
            for err in _every_error(schema):
                types.add(err["type"])
                msgid, params = message_for(err)
                if msgid == FALLBACK_MESSAGE or msgid not in ES:
                    unworded.setdefault(err["type"], (schema.__name__, err["loc"], err["msg"]))
    assert {"missing", "greater_than_equal", "less_than_equal", "int_parsing", "string_too_long",
            "extra_forbidden", "unknown_code", "date_from_datetime_parsing"} & types
    assert len(types) >= 12, types
    assert unworded == {}, f"give these pydantic error types a sentence in forms.ERROR_MESSAGES: {unworded}"

    with app.test_request_context(headers={"Accept-Language": "es"}):
        err = {"type": "greater_than_equal", "loc": ("quantity",), "msg": "x", "ctx": {"ge": 10000}}
        assert describe(err) == "Debe ser al menos 10,000."
        err = {"type": "string_too_short", "loc": ("rationale",), "msg": "x", "ctx": {"min_length": 20}}
        assert describe(err) == "Escriba al menos 20 caracteres."
    with app.test_request_context(headers={"Accept-Language": "en"}):
        err = {"type": "less_than_equal", "loc": ("quantity",), "msg": "x", "ctx": {"le": 10_000_000}}
        assert describe(err) == "Must be at most 10,000,000."


def test_model_level_rules_name_their_field():
    """A cross-field rule says which field it concerns, so the page puts it beside that field."""
    from datetime import date, timedelta

    from pydantic import ValidationError

    from matchmaker.vetting.schemas import DecisionIn

    body = {"outcome": "approved", "rationale": "Pays on time according to three firms.",
            "review_date": (date.today() + timedelta(days=30)).isoformat(), "deposit_share": 0.3}
    with pytest.raises(ValidationError) as info:
        DecisionIn.model_validate(body)
    (err,) = info.value.errors()
    assert err["type"] == "deposit_without_condition" and err["ctx"]["field"] == "deposit_share"


@pytest.mark.parametrize("lang, number, date_text, weekday", [
    ("en", "4,550", "Oct 29, 2026", "Thursday"),
    ("es", "4,550", "29 oct 2026", "jueves"),
])
def test_numbers_and_dates_follow_the_reader(lang, number, date_text, weekday):
    from datetime import date

    from matchmaker.i18n import format_date, format_number, format_weekday

    assert format_number(4550, lang=lang) == number
    assert format_date(date(2026, 10, 29), lang=lang) == date_text
    assert format_date("2026-10-29", lang=lang) == date_text
    assert format_weekday(date(2026, 10, 29), lang=lang) == weekday
    assert format_number(float("nan"), lang=lang) == "—" and format_number(None, lang=lang) == "—"


def test_every_msgid_of_the_code_templates_and_taxonomy_has_spanish():
    """pybabel's extraction over the whole app, plus the taxonomy's labels: none may lack Spanish."""
    root = Path(__file__).resolve().parents[2]
    run = subprocess.run([sys.executable, str(root / "scripts" / "i18n.py"), "check"], capture_output=True,
                         text=True, cwd=root, timeout=300)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]


def test_the_extraction_sees_the_app_and_an_unmarked_string_would_fail(tmp_path):
    """The check is not vacuous: it finds hundreds of msgids, and a new ``_()`` string without Spanish fails."""
    tool = TOOL
    pot = tool.extract()
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in pot if m.id}
    assert len(ids) > 800 and "Sign in" in ids and "Cutting" in ids and "{n:,} maker" in ids
    assert {m.context for m in pot if m.id == "Cutting"} == {"process"}
    pot.add("A sentence nobody translated yet")
    assert tool.untranslated("es", pot) == ["A sentence nobody translated yet"]


def test_the_extraction_finds_dynamic_messages_and_a_lost_one_would_fail():
    """Texts used through codes and tables (an engine's reason, a notification's label, a 404's noun) are
    extracted where they are defined; a catalog msgid that extraction no longer finds fails the check."""
    tool = TOOL
    pot = tool.extract()
    ids = {m.id for m in pot if isinstance(m.id, str)}
    assert {"refused {n:.0f} warranty claims", "raises risk", "Order figure to confirm", "relationship",
            "learned ranker", "There is no order {id} for your firm."} <= ids
    assert tool.obsolete("es", pot) == []
    del pot["Order figure to confirm"]
    assert tool.obsolete("es", pot) == ["Order figure to confirm"]


def test_plural_forms_follow_the_number(app):
    from matchmaker.i18n import ngettext

    with app.test_request_context(headers={"Accept-Language": "es"}):
        assert ngettext("{n:,} maker", "{n:,} makers", 1) == "1 fabricante"
        assert ngettext("{n:,} maker", "{n:,} makers", 3) == "3 fabricantes"
        assert ngettext("{n:,} maker", "{n:,} makers", 1234) == "1,234 fabricantes"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert ngettext("{n:,} maker", "{n:,} makers", 1) == "1 maker"
        assert ngettext("{n:,} maker", "{n:,} makers", 0) == "0 makers"
        assert ngettext("{n:,} maker", "{n:,} makers", 1234) == "1,234 makers"


def test_form_labels_are_lazy_and_read_in_the_readers_language(app):
    """A form class is built once at import; its labels are translated when shown, per request."""
    with app.test_request_context(headers={"Accept-Language": "es"}):
        assert str(MakerProfileForm.headcount.args[0]) == "Personal"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert str(MakerProfileForm.headcount.args[0]) == "Headcount"


def test_one_english_word_reads_differently_per_vocabulary():
    """The taxonomy's labels carry their vocabulary as message context ("Declined" by a maker vs a board)."""
    from matchmaker import taxonomy as tx
    from matchmaker.catalog import translate

    assert tx.PROCESS_STAGES.label("cutting", "es") == "Corte"
    contexts = {m.context for m in PO if m.id == "Declined"}
    assert None in contexts and len(contexts) >= 2
    declined = {translate("Declined", "es", context=c) for c in contexts}
    assert len(declined) >= 2


def test_a_stale_compiled_catalog_is_not_used(tmp_path, monkeypatch):
    """A fresh checkout or an edited .po never shows stale words: an older .mo is ignored."""
    import os
    import shutil

    from matchmaker import catalog

    folder = tmp_path / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po, _mo = catalog_paths("es")
    shutil.copy(po, folder / "messages.po")
    monkeypatch.setattr(catalog, "TRANSLATIONS", tmp_path)
    catalog.catalog.cache_clear()
    try:
        catalog.compile_catalogs()
        assert catalog.translate("Sign in", "es") == "Iniciar sesión"
        text = (folder / "messages.po").read_text(encoding="utf-8")
        (folder / "messages.po").write_text(text.replace('"Iniciar sesión"', '"Entrar"', 1), encoding="utf-8")
        later = (folder / "messages.mo").stat().st_mtime + 5
        os.utime(folder / "messages.po", (later, later))
        catalog.catalog.cache_clear()
        assert catalog.translate("Sign in", "es") == "Entrar"
    finally:
        catalog.catalog.cache_clear()


def test_a_context_of_its_own_is_not_a_translation_of_the_plain_message(tmp_path):
    """``pgettext("fair", "Open")`` having Spanish does not make a plain ``_("Open")`` Spanish."""
    module = tmp_path / "pages.py"
    module.write_text('a = pgettext("a context nobody uses", "Saved.")\n', encoding="utf-8")
    assert _msgids([module]) == {("a context nobody uses", "Saved."): str(module)}
    assert (None, "Saved.") in ES_KEYS and ("a context nobody uses", "Saved.") not in ES_KEYS
