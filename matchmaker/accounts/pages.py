"""Public pages of self-service accounts: sign up, verify the email, ask for a link, reset the password.

Forms carry a CSRF token (Flask-WTF); the rules are the pydantic schemas of :mod:`.schemas`, and each
refusal is shown beside its field with a 4xx status. A link that is expired, tampered with or used
already answers a page saying so (and what to do), never a server error.
"""
from __future__ import annotations

import math
import os

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_wtf import FlaskForm
from pydantic import ValidationError
from wtforms import PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice

from .. import db
from .. import taxonomy as tx
from ..auth import current_actor
from ..forms import CodeSelect, Problems, describe, form_payload
from ..i18n import gettext as _
from ..i18n import locale
from . import schemas as s
from . import services as svc
from . import throttle
from ..access import allow, PUBLIC
from ..catalog import N_
from ..errors import DomainError

bp = Blueprint("accounts", __name__)


# -- forms ----------------------------------------------------------------------------------------

# outside the form class: a marker nested in a form field's call is not extracted
SIGNUP_KINDS = (SelectChoice("buyer", N_("Buying firm")),
                SelectChoice("input_vendor", N_("Input vendor (fabric, trims, machinery)")))


class SignupForm(FlaskForm):
    kind = SelectField("Open an account as", validate_choice=False, choices=list(SIGNUP_KINDS))
    firm_name = StringField("Firm name", render_kw={"autocomplete": "organization"})
    country = SelectField("Country", validate_choice=False)
    city = StringField("City")
    website = StringField("Website", render_kw={"type": "url", "placeholder": "https://"})
    buyer_type = CodeSelect(N_("Buyer type (buying firms)"), vocab=tx.BUYER_TYPES)
    name = StringField("Your name", render_kw={"autocomplete": "name"})
    email = StringField("Email", render_kw={"type": "email", "autocomplete": "email"})
    password = PasswordField("Password (at least 12 characters)", render_kw={"autocomplete": "new-password"})
    language = SelectField("Language for emails and pages", validate_choice=False,
                           choices=[SelectChoice("en", "English"), SelectChoice("es", "Español")])


class EmailForm(FlaskForm):
    email = StringField("Email", render_kw={"type": "email", "autocomplete": "email"})


class ResetForm(FlaskForm):
    new_password = PasswordField("New password (at least 12 characters)", render_kw={"autocomplete": "new-password"})


def validated(form: FlaskForm, schema, secret_fields=()) -> tuple:
    """``(model, Problems())`` or ``(None, problems)``, each message beside the field it concerns."""
    payload, _rows = form_payload(form, schema)
    for name in secret_fields:  # passwords as typed: never stripped
        if form[name].data:
            payload[name] = form[name].data
    try:
        return schema.model_validate(payload), Problems()
    except ValidationError as exc:
        problems = Problems()
        for err in exc.errors(include_url=False):
            name = str(err["loc"][0]) if err["loc"] else ""
            rule = s.RULE_MESSAGES.get(err["type"])
            text = _(rule) if rule else describe(err)
            if name in form:
                problems.add(name, text)
            else:
                problems.top.append(text)
        return None, problems


# -- links in emails ------------------------------------------------------------------------------

def base_url() -> str:
    """Where links in emails point: ``BASE_URL`` / ``MATCHMAKER_BASE_URL`` (set it in production, so a
    forged Host header cannot redirect a reset link), else the address this request came to."""
    return (current_app.config.get("BASE_URL") or os.environ.get("MATCHMAKER_BASE_URL")
            or request.host_url).rstrip("/")


def verify_link(token: str) -> str:
    return base_url() + url_for("accounts.verify", token=token)


def reset_link(token: str) -> str:
    return base_url() + url_for("accounts.reset", token=token)


def _wait_text(refusal) -> str:
    return _("Too many attempts. Please wait {minutes} min and try again.",
             minutes=math.ceil(refusal.retry_after / 60))


# -- sign-up --------------------------------------------------------------------------------------

def _signup_form() -> SignupForm:
    form = SignupForm()
    form.country.choices = [SelectChoice("", "—")] + [SelectChoice(c, n) for c, n in s.country_names(locale())]
    form.kind.choices = [SelectChoice(c.value, _(c.label)) for c in form.kind.choices]
    if request.method == "GET":
        form.language.data = locale()
    return form


@bp.route("/signup", methods=["GET", "POST"])
@allow(PUBLIC)
def signup():
    if current_actor() is not None:
        return redirect(url_for("main.home"))
    form = _signup_form()
    problems, status, headers = Problems(), 200, {}
    if request.method == "POST" and form.validate_on_submit():
        data, problems = validated(form, s.SignupIn, secret_fields=("password",))
        if data is None:
            status = 422
        elif refusal := throttle.attempt("signup"):
            problems.top.append(_wait_text(refusal))
            status, headers = 429, {"Retry-After": str(refusal.retry_after)}
        else:
            try:
                user = svc.signup(db.session(), data, verify_link)
            except DomainError as exc:
                if exc.code != "email_taken":
                    raise
                problems.add("email", _(EMAIL_TAKEN))  # the page's own sentence: it says what to do next
                status = 409
            else:
                session["lang"] = user.locale
                session["signup_email"] = user.email
                return redirect(url_for("accounts.sent"))
    elif request.method == "POST":
        problems.top.append(_("The form expired. Please send it again."))
        status = 400
    return render_template("accounts/signup.html", form=form, problems=problems), status, headers


@bp.get("/signup/sent")
@allow(PUBLIC)
def sent():
    return render_template("accounts/sent.html", email=session.get("signup_email"))


LINK_TEXT = {
    "invalid": N_("This link is not valid. Copy the whole link from the email, or ask for a new one."),
    "expired": N_("This link has expired. Ask for a new one."),
}
EMAIL_TAKEN = N_("An account with this email exists already. Sign in, or reset your password if you forgot it.")
RESET_USED = (N_("This link was used already, or your password was changed since it was sent. Ask for a new one "
                 "if you still need it."))


@bp.get("/verify/<token>")
@allow(PUBLIC)
def verify(token: str):
    try:
        user = svc.verify(db.session(), token)
    except DomainError as exc:
        if (reason := svc.link_reason(exc)) is None:
            raise
        text = (_("This link was used already: your email address is confirmed. Sign in.")
                if reason == "used" else _(LINK_TEXT[reason]))
        return render_template("accounts/link_problem.html", text=text, reason=reason,
                               again=url_for("accounts.resend")), exc.status
    session["lang"] = user.locale
    return render_template("accounts/verified.html", user=user,
                           next_url=url_for("auth.login", next=url_for("vetting.status_mine")))


# -- links on request -----------------------------------------------------------------------------

def _ask_for_link(template: str, purpose: str, link):
    form = EmailForm()
    problems, status, headers = Problems(), 200, {}
    if request.method == "POST" and form.validate_on_submit():
        data, problems = validated(form, s.EmailIn)
        if data is None:
            status = 422
        elif refusal := throttle.attempt("mail", data.email):
            problems.top.append(_wait_text(refusal))
            status, headers = 429, {"Retry-After": str(refusal.retry_after)}
        else:
            svc.request_link(db.session(), data, purpose, link)
            return render_template(template, form=form, problems=problems, done=True), 200
    elif request.method == "POST":
        problems.top.append(_("The form expired. Please send it again."))
        status = 400
    return render_template(template, form=form, problems=problems, done=False), status, headers


@bp.route("/password/forgot", methods=["GET", "POST"])
@allow(PUBLIC)
def forgot():
    return _ask_for_link("accounts/forgot.html", "reset", reset_link)


@bp.route("/signup/resend", methods=["GET", "POST"])
@allow(PUBLIC)
def resend():
    return _ask_for_link("accounts/resend.html", "verify", verify_link)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@allow(PUBLIC)
def reset(token: str):
    form = ResetForm()
    problems, status = Problems(), 200
    try:
        svc.reset_user(db.session(), token)
        if request.method == "POST" and not form.validate_on_submit():
            problems.top.append(_("The form expired. Please send it again."))
            status = 400
        elif request.method == "POST":
            try:
                data = s.ResetIn(token=token, new_password=form.new_password.data or "")
            except ValidationError as exc:
                for err in exc.errors(include_url=False):
                    problems.add("new_password", describe(err))
                status = 422
            else:
                svc.reset_password(db.session(), data)
                session.clear()  # whoever was signed in here signs in again, with the new password
                flash(_("Your new password is set; every other session of your account ended. Sign in."),
                      "success")
                return redirect(url_for("auth.login"))
    except DomainError as exc:
        if (reason := svc.link_reason(exc)) is None:
            raise
        text = _(RESET_USED) if reason == "used" else _(LINK_TEXT[reason])
        return render_template("accounts/link_problem.html", text=text, reason=reason,
                               again=url_for("accounts.forgot")), exc.status
    return render_template("accounts/reset.html", form=form, problems=problems), status
