"""The fair pages' small action forms (Flask-WTF): buttons and selects whose values the pages check
against the fair's vocabularies, or pydantic's schemas check (``fairs.schemas``). Field names equal
the ones the templates post; the templates word their own labels. CSRFProtect checks every POST first.
"""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField


class FairPageForm(FlaskForm):
    class Meta:
        csrf = False  # CSRFProtect checks every page POST before the view runs

    def text(self, name: str) -> str:
        """A field's value as sent, stripped; ``""`` when missing."""
        data = self[name].data if name in self else None
        return data.strip() if isinstance(data, str) else ""


class SettingsForm(FairPageForm):
    fill_minimums = HiddenField()  # "1" when the box is ticked


class CheckInForm(FairPageForm):
    status = HiddenField()


class FollowUpForm(FairPageForm):
    wave = HiddenField()
    next_step = StringField()
    rating = StringField()


class ScheduleForm(FairPageForm):
    time_limit = StringField()


class PublishForm(FairPageForm):
    level = HiddenField()


class MeetingActionForm(FairPageForm):
    action = HiddenField()
    absent = StringField()
    back = HiddenField()
