"""Sign in and sign out of the pages (session cookie, CSRF-protected form)."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_login import login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from ..auth import SessionUser, find_user, verify_password
from ..i18n import gettext as _

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths, so the login page cannot be used as an open redirect."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("main.home")


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = find_user(form.email.data)
        if verify_password(user, form.password.data):
            session.clear()
            login_user(SessionUser(user))
            session["lang"] = user.locale
            return redirect(_safe_next(request.args.get("next")))
        error = _("Wrong email or password.")
    return render_template("login.html", form=form, error=error, demo_logins=_demo_logins()), \
        200 if error is None else 401


def _demo_logins() -> list[dict]:
    """In demo mode, the logins written by ``demo-data``; never outside demo mode."""
    import json
    import os

    from flask import current_app

    from ..cli import demo_logins_path

    if not current_app.config.get("DEMO") or not os.path.exists(demo_logins_path()):
        return []
    with open(demo_logins_path()) as fh:
        return json.load(fh)


@bp.post("/logout")
def logout():
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))
