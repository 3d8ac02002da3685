"""The fair pages' small action forms (Flask-WTF): buttons and selects whose values the pages check
against the fair's vocabularies, or pydantic's schemas check (``fairs.schemas``). Field names equal
the ones the templates post; the templates word their own labels. CSRFProtect checks every POST first.
"""
from __future__ import annotations

from flask import request
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, SelectMultipleField, StringField, TextAreaField

from ..i18n import lazy_gettext as _l


class FairPageForm(FlaskForm):
    class Meta:
        csrf = False  # CSRFProtect checks every page POST before the view runs

    def text(self, name: str) -> str:
        """A field's value as sent, stripped; ``""`` when missing."""
        data = self[name].data if name in self else None
        return data.strip() if isinstance(data, str) else ""

    def values(self) -> dict:
        """The values sent, as typed, to show the form again beside its problems."""
        return {name: fld.raw_data[0] for name, fld in self._fields.items() if fld.raw_data}


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


class NewFairForm(FairPageForm):
    """A new fair: sessions and breaks are lines of text, the tables a number or a list of labels."""

    name = StringField(_l("Name"))
    venue = StringField(_l("Venue"))
    association_id = StringField(_l("Hosting association (id)"))
    sessions = TextAreaField(_l("Sessions"))
    breaks = TextAreaField(_l("Breaks"))
    slot_minutes = StringField(_l("Slot length (minutes)"))
    table_count = StringField(_l("Number of tables"))
    table_labels = StringField(_l("Table labels"))
    default_min_meetings = StringField(_l("Minimum meetings per participant"))
    default_max_meetings = StringField(_l("Maximum meetings per participant"))
    request_deadline = StringField(_l("Request deadline"))


class RegisterForm(FairPageForm):
    organization_id = HiddenField()  # the firm an organizer registers; empty for one's own firm


class ParticipantForm(FairPageForm):
    """An organizer's changes to one participant: slots away, meeting bounds, a fixed table."""

    unavailable = SelectMultipleField(validate_choice=False)
    min_meetings = StringField()
    max_meetings = StringField()
    fixed_table_id = StringField()

    def unavailable_slots(self) -> list[str]:
        return list(self.unavailable.data or [])


class RequestsForm(FairPageForm):
    """A participant's marks: a ``mark-<id>`` select and an ``expires-<id>`` date per other participant.

    The page lists the other side's participants, so the fields are made per request
    (:func:`requests_form`) for the ids the page posted; the view checks each id with the service.
    """

    def marks(self) -> list[tuple[int, str, str]]:
        """``(participant id, mark, expiry)`` per posted row, in the page's order, as typed."""
        return [(int(name[5:]), fld.data or "", self.text(f"expires-{int(name[5:])}"))
                for name, fld in self._fields.items() if name.startswith("mark-")]


def _participant_id(suffix: str) -> int | None:
    """The participant id of a ``mark-<id>``/``expires-<id>`` name, or None (ASCII digits only: ``"²"``
    is a digit to ``str.isdigit`` but no number to ``int``)."""
    return int(suffix) if suffix.isascii() and suffix.isdigit() else None


def requests_form() -> RequestsForm:
    """A :class:`RequestsForm` with the ``mark-<id>``/``expires-<id>`` pair of each id posted. Both names
    are read with the id normalised (``mark-007`` and ``expires-007`` are the pair of participant 7), so a
    mark and its expiry always meet, however the id was spelled."""
    posted, ids = MultiDict(), []
    for key, values in request.form.lists():
        prefix, _sep, suffix = key.partition("-")
        pid = _participant_id(suffix) if prefix in ("mark", "expires") else None
        if pid is not None:
            key = f"{prefix}-{pid}"
            if prefix == "mark" and pid not in ids:
                ids.append(pid)
        posted.setlist(key, posted.getlist(key) + values)

    class _Form(RequestsForm):
        pass

    for other in ids:
        setattr(_Form, f"mark-{other}", StringField())
        setattr(_Form, f"expires-{other}", StringField())
    return _Form(formdata=posted)
