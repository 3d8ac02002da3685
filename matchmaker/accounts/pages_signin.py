"""Sign in and sign out of the pages (session cookie, CSRF-protected form).

A self-service account whose email is not verified yet is inactive, so its password never starts a
session; whoever types that right password is told to follow the emailed link (or ask for it again).
"""
from __future__ import annotations

import math
from ..security import local_path

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_login import logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from .. import db, ratelimit
from ..auth import current_actor, end_sessions, find_user, start_session, verify_password
from ..i18n import gettext as _
from .services import awaiting_verification, needs_vetting_application
from ..access import allow, PUBLIC, SIGNED_IN

bp = Blueprint("auth", __name__)



class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths, so the login page cannot be used as an open redirect."""
    return local_path(target, url_for("main.home"))


@bp.route("/login", methods=["GET", "POST"])
@allow(PUBLIC)
def login():
    form = LoginForm()
    error, status, headers, unverified = None, 200, {}, False
    if form.validate_on_submit():
        refusal = ratelimit.check(form.email.data)
        user = None if refusal else find_user(form.email.data)
        if refusal:
            minutes = math.ceil(refusal.retry_after / 60)
            error = _("Too many failed sign-ins. Please wait {minutes} min and try again.", minutes=minutes)
            status, headers = 429, {"Retry-After": str(refusal.retry_after)}
        elif verify_password(user, form.password.data):
            ratelimit.succeeded(form.email.data)
            start_session(user)
            session["lang"] = user.locale
            target = request.args.get("next")
            if not target and needs_vetting_application(db.session(), user):
                target = url_for("vetting.status_mine")  # a buyer who signed up here applies first
            return redirect(_safe_next(target))
        elif awaiting_verification(db.session(), form.email.data, form.password.data):
            ratelimit.succeeded(form.email.data)
            error, status, unverified = _("Confirm your email address first: follow the link we sent you."), 403, True
        else:
            ratelimit.failed(form.email.data)
            error, status = _("Wrong email or password."), 401
    elif request.method == "POST":
        status = 422  # an empty email or password: refused, and said beside the field
    return render_template("accounts/login.html", form=form, error=error, unverified=unverified,
                           demo_logins=_demo_logins()), status, headers


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
@allow(SIGNED_IN)
def logout():
    actor = current_actor()
    if actor is not None:
        end_sessions(actor)  # a copy of this cookie must not outlive the sign-out
        db.session().commit()
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))
