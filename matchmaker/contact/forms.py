"""The contact pages' forms (Flask-WTF): adding a maker to a shortlist, sending inquiries, the
maker's answer and quote, the buyer's progress steps, the conversation, and the notification
preferences.

They carry the raw values as typed; ``contact.schemas`` decides, and the pages show its refusals
beside these fields. Field names equal the schemas' (and the ones the templates post). CSRFProtect
checks every page POST before the view runs. Labels are the catalogue's, lazily worded.
"""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectMultipleField, StringField, TextAreaField

from ..i18n import lazy_gettext as _l


class ContactForm(FlaskForm):
    class Meta:
        csrf = False  # CSRFProtect checks every page POST before the view runs

    def text(self, name: str) -> str:
        """A field's value as sent, stripped; ``""`` when missing."""
        data = self[name].data if name in self else None
        return data.strip() if isinstance(data, str) else ""

    def raw(self, name: str) -> str:
        """A field's value exactly as sent; ``""`` when missing."""
        data = self[name].data if name in self else None
        return data if isinstance(data, str) else ""

    def values(self) -> dict:
        """The values sent, as typed, to show the form again beside its problems."""
        return {name: fld.raw_data[0] for name, fld in self._fields.items() if fld.raw_data}


class ShortlistAddForm(ContactForm):
    requirement_id = StringField(_l("Requirement"))
    maker_id = HiddenField()
    rank = HiddenField()
    model_version = HiddenField()
    source = HiddenField()
    next = HiddenField()  # the page to go back to (a local path only)


class SendForm(ContactForm):
    maker_ids = SelectMultipleField(_l("Makers"), validate_choice=False)
    message = TextAreaField()

    def values(self) -> dict:
        return {"maker_ids": list(self.maker_ids.data or []), "message": self.raw("message")}


class AnswerForm(ContactForm):
    decision = HiddenField()  # the button pressed: accept or decline
    reason = StringField()
    note = TextAreaField()
    version = HiddenField()


QUOTE_FIELDS = ("unit_price", "currency", "lead_time_days", "moq", "valid_until", "notes")


class QuoteForm(ContactForm):
    unit_price = StringField()
    currency = StringField()
    lead_time_days = StringField()
    moq = StringField()
    valid_until = StringField()
    notes = TextAreaField()


class EventForm(ContactForm):
    event = HiddenField()


class AcceptForm(ContactForm):
    """Accepting a quote: a button, nothing but the token."""


class MessageForm(ContactForm):
    body = TextAreaField()


class PreferencesForm(ContactForm):
    """A ``mode_<kind>`` choice per notification kind; the kinds depend on the reader's role."""

    def modes(self) -> dict[str, str]:
        return {name[5:]: self.raw(name) for name in self._fields if name.startswith("mode_")}


def preferences_form(kind_codes) -> PreferencesForm:
    """A :class:`PreferencesForm` with the ``mode_<kind>`` field of each of ``kind_codes``."""

    class _Form(PreferencesForm):
        pass

    for code in kind_codes:
        setattr(_Form, f"mode_{code}", StringField())
    return _Form()
