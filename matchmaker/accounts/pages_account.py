"""The user's account page: a new password (which ends the other sessions, not the API tokens) and the API
tokens to revoke."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import PasswordField
from wtforms.validators import DataRequired, Length

from .. import auth, db, ratelimit
from ..auth import current_actor, verify_password
from ..i18n import gettext as _
from .records import ApiToken
from ..access import allow, SIGNED_IN

bp = Blueprint("account", __name__)



class PasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired(), Length(max=200)])
    new_password = PasswordField("New password (at least 12 characters)",
                                 validators=[DataRequired(), Length(min=12, max=200)])


def _render(form, status=200, error=None, fields=None):
    """``fields``: field name -> the message shown beside it (the top ``error`` says it too)."""
    tokens = db.session().scalars(select(ApiToken).where(ApiToken.user_id == current_actor().id)
                                  .order_by(ApiToken.id)).all()
    return render_template("accounts/account.html", form=form, tokens=tokens, error=error,
                           fields=fields or {}), status


def _form_problems(form: PasswordForm) -> dict[str, str]:
    """Each refused field with its own sentence: an empty current password is not a short new one."""
    out = {}
    if form.current_password.errors:
        out["current_password"] = (_("Enter your current password.") if not form.current_password.data
                                   else _("The current password is wrong."))
    if form.new_password.errors:
        out["new_password"] = _("The new password must have 12 to 200 characters.")
    return out


@bp.get("/account")
@allow(SIGNED_IN)
def view():
    return _render(PasswordForm())


@bp.post("/account/password")
@allow(SIGNED_IN)
def password():
    form = PasswordForm()
    user = current_actor()
    if not form.validate_on_submit():
        fields = _form_problems(form)
        if not fields:  # the CSRF token: the form is stale
            return _render(form, 400, _("The form expired; try again."))
        return _render(form, 422, " ".join(fields.values()), fields)
    if refusal := ratelimit.check(user.email):
        minutes = -(-refusal.retry_after // 60)
        return _render(form, 429, _("Too many failed sign-ins. Please wait {minutes} min and try again.",
                                    minutes=minutes))
    if not verify_password(user, form.current_password.data):
        ratelimit.failed(user.email)
        return _render(form, 403, _("The current password is wrong."),
                       {"current_password": _("The current password is wrong.")})
    auth.change_password(user, form.new_password.data, keep_this_session=True)
    db.session().commit()
    flash(_("Your password was changed; you were signed out everywhere else."), "success")
    # the API tokens stay valid (see accounts.api_tokens.change_password): say so, beside the list to revoke them
    if db.session().scalar(select(ApiToken.id).where(ApiToken.user_id == user.id, ApiToken.revoked.is_(False))
                           .limit(1)) is not None:
        flash(_("Your API tokens still work: revoke below any you do not recognise."), "info")
    return redirect(url_for("account.view"))


@bp.post("/account/tokens/<int:token_id>/revoke")
@allow(SIGNED_IN)
def revoke(token_id: int):
    FlaskForm()  # the CSRF token is checked by CSRFProtect before this view runs
    row = db.session().get(ApiToken, token_id)
    if row is None or row.user_id != current_actor().id:
        abort(404)
    row.revoked = True
    db.session().commit()
    flash(_("Token revoked."), "success")
    return redirect(url_for("account.view"))
