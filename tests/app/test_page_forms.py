"""One way to do forms (issue 11): page modules read posted fields through their concern's
WTForms classes (``<concern>/forms.py``), never ``request.form`` directly.

A page that reads ``request.form`` itself skips the form class, so its fields have no single
definition, no lazy label and no place for a message beside the field. The check reads the
source of every ``matchmaker/**/pages*.py``, and every template: a template that reads
``request.form`` shows the raw post instead of the form object its view passes.
"""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DIRECT = re.compile(r"\brequest\s*\.\s*form\b")


def page_modules() -> list[Path]:
    return sorted((ROOT / "matchmaker").rglob("pages*.py"))


def test_the_page_modules_are_found():
    names = {p.relative_to(ROOT).as_posix() for p in page_modules()}
    assert {"matchmaker/contact/pages.py", "matchmaker/fairs/pages_schedule.py",
            "matchmaker/orders/pages_figures.py", "matchmaker/home/pages.py"} <= names


def test_no_page_module_reads_request_form_directly():
    offenders = [f"{p.relative_to(ROOT)}:{n}: {line.strip()}"
                 for p in page_modules()
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                 if DIRECT.search(line)]
    assert offenders == [], "read these fields through a form class in the concern's forms.py:\n" + "\n".join(offenders)


def templates() -> list[Path]:
    return sorted((ROOT / "matchmaker" / "templates").rglob("*.html"))


def test_no_template_reads_request_form_directly():
    assert any(p.name == "view.html" and p.parent.name == "fairs" for p in templates())
    offenders = [f"{p.relative_to(ROOT)}:{n}: {line.strip()}"
                 for p in templates()
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                 if DIRECT.search(line)]
    assert offenders == [], "show the form object the view passes (form.field.data), not request.form:\n" + \
        "\n".join(offenders)
