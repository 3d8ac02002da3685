"""The rating pages' forms (Flask-WTF): the rating of one order (a 1–5 select per category of its
direction, and a comment) and a firm's public answer to the ratings it received.

They carry the raw values and the CSRF token; ``ratings.schemas`` decides. Labels are the
catalogue's, lazily worded in the reader's language.
"""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice

from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from .labels import CATEGORY_LABELS, category_label
from .records import CATEGORIES

SCORE_CHOICES = [SelectChoice("", "—")] + [SelectChoice(str(n), str(n)) for n in range(1, 6)]


class RateForm(FlaskForm):
    """1–5 per category of the direction (the category fields are added per direction) and a comment."""

    comment = TextAreaField(_l("Comment for the association's board (optional)"))


def rate_form(direction: str, **kwargs) -> RateForm:
    class _Form(RateForm):
        pass

    for category in CATEGORIES[direction]:
        setattr(_Form, category, SelectField(_l(CATEGORY_LABELS[category]), choices=SCORE_CHOICES,
                                             validate_choice=False))
    return _Form(**kwargs)


class AnswerForm(FlaskForm):
    direction = HiddenField()
    category = SelectField(_l("Answer to"), validate_choice=False)
    body = TextAreaField(_l("Your answer"))
    action = HiddenField(default="publish")


def answer_form(direction: str, **kwargs) -> AnswerForm:
    """The answer form of one direction, its category choices in the reader's language."""
    form = AnswerForm(**kwargs)
    form.category.choices = [SelectChoice("", _("All categories"))] + [
        SelectChoice(c, category_label(c)) for c in CATEGORIES[direction]]
    if not form.direction.data:
        form.direction.data = direction
    return form


class _DirectionForm(FlaskForm):
    class Meta:
        csrf = False  # read before the answer form (which checks the token) is built for that direction

    direction = HiddenField()


def posted_direction() -> str:
    """The direction an answer form was posted for, as sent (``""`` when missing)."""
    return _DirectionForm().direction.data or ""
