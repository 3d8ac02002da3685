"""The home concern's one form: the language switch in every page's footer (Flask-WTF).

It carries the chosen language and the page to go back to; the view keeps only a known language and a
local path. CSRFProtect checks the POST before the view runs.
"""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField


class LanguageForm(FlaskForm):
    class Meta:
        csrf = False  # CSRFProtect checks every page POST before the view runs

    lang = StringField()
    next = HiddenField()
