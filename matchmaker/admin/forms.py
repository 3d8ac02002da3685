"""Admin forms. WTForms checks these (they are not API schemas); every validator message is an
English msgid of the catalogue, translated when shown (:func:`problems_of`)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from .. import taxonomy as tx
from ..forms import Problems
from ..i18n import gettext as _
from ..i18n import locale
from ..catalog import N_

EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
REQUIRED = N_("This field is required.")
# validator messages as constants: a marker nested in a form field's call is not extracted
EMAIL_TOO_LONG = N_("Use at most 254 characters.")
EMAIL_FORMAT = N_("Enter an email address such as name@firm.mx.")
NAME_TOO_LONG = N_("Use at most 200 characters.")


def role_choices():
    return [(t.code, t.label(locale())) for t in tx.ROLES]


class UserForm(FlaskForm):
    email = StringField("Email", validators=[
        DataRequired(REQUIRED), Length(max=254, message=EMAIL_TOO_LONG), Regexp(EMAIL, message=EMAIL_FORMAT)])
    name = StringField("Name", validators=[DataRequired(REQUIRED), Length(max=200, message=NAME_TOO_LONG)])
    role = SelectField("Role", validate_choice=True)
    # the firm is typed (suggested as the admin types) and resolved to its id: no select of every firm
    organization_id = HiddenField("Organization")
    organization_name = StringField("Organization", validators=[Length(max=200, message=NAME_TOO_LONG)])
    association_id = SelectField("Association", validate_choice=False)
    active = BooleanField("Active", default=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = role_choices()
        self.role.validators = [DataRequired(REQUIRED)]


class MembershipForm(FlaskForm):
    organization_id = SelectField("Firm", validate_choice=False, validators=[DataRequired(REQUIRED)])
    role = SelectField("Role", validate_choice=True)
    since = StringField("Member since", validators=[Optional(), Regexp(r"^\d{4}-\d{2}-\d{2}$",
                                                                       message=N_("Enter a date as YYYY-MM-DD."))],
                        render_kw={"type": "date"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [(t.code, t.label(locale())) for t in tx.MEMBERSHIP_ROLES]


class ActionForm(FlaskForm):
    """A bare CSRF-protected button (disable, enable, remove, temporary password)."""
    back = HiddenField()


class MembershipRoleForm(ActionForm):
    """A member's new role in the association (the page checks it against the vocabulary)."""
    role = StringField("Role")


# WTForms' own messages that a user can meet on these forms, by the text WTForms gives them
# (a select whose value is not among the choices); our own validators pass msgids above.
WTFORMS_MESSAGES = {"Not a valid choice.": "Choose one of the listed values."}


def problems_of(form: FlaskForm) -> Problems:
    """The form's WTForms errors as translated sentences beside each field (CSRF at the top)."""
    problems = Problems()
    for name, messages in form.errors.items():
        for message in messages:
            text = _(WTFORMS_MESSAGES.get(str(message), str(message)))
            if name == "csrf_token":
                problems.top.append(_("The form was refused. Reload the page and try again."))
            else:
                problems.add(name, text)
    return problems
