"""The consortium pages' forms (Flask-WTF): propose a team, lock a stage, send the offer, set the
stated share for small firms, and a member's answer to its part.

They check the CSRF token (``validate_on_submit``) and carry the raw values; the pages and
``consortia.schemas`` decide. Labels are the catalogue's, lazily worded in the reader's language.
"""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import Optional

from ..i18n import lazy_gettext as _l


class ConsortiumForm(FlaskForm):
    def values(self) -> dict:
        """The values sent, as typed, to show the form again beside its problems."""
        return {name: fld.raw_data[0] for name, fld in self._fields.items() if fld.raw_data}


class ProposeForm(ConsortiumForm):
    pass


class LockForm(ConsortiumForm):
    version = HiddenField()
    alternative = HiddenField()


class SendForm(ConsortiumForm):
    version = HiddenField()
    chosen = HiddenField()
    unit_price = StringField(_l("Price per piece"))
    currency = StringField(_l("Currency"))
    valid_until = StringField(_l("Valid until"))
    notes = TextAreaField(_l("Notes to the buyer"))
    show_stage_prices = BooleanField(_l("Show the buyer each stage's price"))


class ShareForm(ConsortiumForm):
    version = HiddenField()
    small_share = StringField(_l("Stated share for small firms (%)"))


class PartForm(ConsortiumForm):
    units = IntegerField(_l("Units you can take"), validators=[Optional()])
    unit_price = StringField(_l("Your price per piece for this part (USD)"))
    decline = BooleanField(_l("Decline this part"))
