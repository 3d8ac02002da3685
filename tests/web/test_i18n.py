"""Every interface string of the pages has a Spanish entry in ``i18n.ES``."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from matchmaker import forms
from matchmaker.i18n import ES

ROOT = Path(__file__).resolve().parents[2] / "matchmaker"
# _("...") or _('...') with a literal first argument, in templates and in the page code
MSGID = re.compile(r"""\b_\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""")


def _msgids(paths) -> dict[str, str]:
    found = {}
    for path in paths:
        for match in MSGID.finditer(path.read_text(encoding="utf-8")):
            found[match.group(1) if match.group(1) is not None else match.group(2)] = str(path.relative_to(ROOT))
    return found


def test_every_template_string_has_a_spanish_entry():
    templates = sorted((ROOT / "templates").rglob("*.html"))
    found = _msgids(templates)
    assert len(found) > 100  # the regex does find the strings
    missing = {msgid: where for msgid, where in found.items() if msgid not in ES}
    assert missing == {}, f"add these to i18n.ES: {missing}"


def test_every_page_code_string_has_a_spanish_entry():
    found = _msgids(sorted((ROOT / "web").glob("*.py")) + [ROOT / "forms.py"])
    missing = {msgid: where for msgid, where in found.items() if msgid not in ES}
    assert missing == {}, f"add these to i18n.ES: {missing}"


@pytest.mark.parametrize("form_class", [forms.MakerProfileForm, forms.RequirementForm, forms.CertificateRow])
def test_every_form_label_has_a_spanish_entry(app, form_class):
    with app.test_request_context():
        form = form_class(meta={"csrf": False})
        labels = {field.label.text for field in form if field.type not in {"HiddenField", "CSRFTokenField"}}
    assert labels and not labels - set(ES), f"add these labels to i18n.ES: {sorted(labels - set(ES))}"


def test_spanish_entries_keep_their_placeholders():
    for msgid, text in ES.items():
        assert set(re.findall(r"{\w+}", msgid)) == set(re.findall(r"{\w+}", text)), msgid
