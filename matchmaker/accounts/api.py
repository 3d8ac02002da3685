"""JSON endpoints of self-service accounts, on the ``api`` blueprint (``/api/v1/...``); all public.

Bad input is a 422 naming each field; a taken email a 409 on ``email``; a link that is not valid
a 400, expired or used a 410, on ``token``; too many attempts a 429 with ``Retry-After``. Asking
for a link answers 202 whether or not the email has an account.

A child blueprint of ``api`` (``create_app`` nests it), documented by ``api.openapi.operation``.
"""
from __future__ import annotations

from flask import jsonify, url_for

from .. import db
from ..api.common import ApiRoutes, parse_body
from ..api.openapi import operation
from . import schemas as s
from . import services as svc
from . import throttle
from .pages import reset_link, verify_link
from ..access import allow, PUBLIC
from ..catalog import N_
from ..errors import DomainError

bp = ApiRoutes("accounts", __name__)

def _throttled(kind: str, email: str | None = None) -> None:
    if refusal := throttle.attempt(kind, email):
        raise DomainError("too_many_attempts", TOO_MANY[refusal.scope], params={"seconds": refusal.retry_after},
                          status=429, headers={"Retry-After": str(refusal.retry_after)})


TOO_MANY = {"address": N_("too many attempts from this address; try again in {seconds} s"),
            "account": N_("too many attempts from this account; try again in {seconds} s")}


@bp.post("/signup")
@allow(PUBLIC)
@operation("Open a buyer account: the firm and its first user; a verification link is emailed",
           json=s.SignupIn, responses={201: s.SignupOut}, errors=(409, 429))
def accounts_signup():
    data = parse_body(s.SignupIn)
    _throttled("signup")
    user = svc.signup(db.session(), data, verify_link)  # a taken email: svc.email_taken(), a 409 on email
    return jsonify({"user_id": user.id, "organization_id": user.organization_id, "email": user.email,
                    "status": "verification_sent"}), 201


@bp.post("/signup/verify")
@allow(PUBLIC)
@operation("Verify the email with the token from the emailed link", json=s.VerifyIn,
           responses={200: s.VerifiedOut}, errors=(410,))
def accounts_verify():
    data = parse_body(s.VerifyIn)
    user = svc.verify(db.session(), data.token)  # a bad link: svc.link_refused(), 400 or 410 on token
    return jsonify({"user_id": user.id, "email": user.email, "verified": True,
                    "next": url_for("vetting.status_mine")})


@bp.post("/signup/resend")
@allow(PUBLIC)
@operation("Send the verification link again (same answer whether or not the email has an account)",
           json=s.EmailIn, responses={202: s.LinkSentOut}, errors=(429,))
def accounts_resend_verification():
    data = parse_body(s.EmailIn)
    _throttled("mail", data.email)
    svc.request_link(db.session(), data, "verify", verify_link)
    return jsonify({"status": "sent if the email has an account"}), 202


@bp.post("/password/forgot")
@allow(PUBLIC)
@operation("Email a password reset link (same answer whether or not the email has an account)",
           json=s.EmailIn, responses={202: s.LinkSentOut}, errors=(429,))
def accounts_forgot_password():
    data = parse_body(s.EmailIn)
    _throttled("mail", data.email)
    svc.request_link(db.session(), data, "reset", reset_link)
    return jsonify({"status": "sent if the email has an account"}), 202


@bp.post("/password/reset")
@allow(PUBLIC)
@operation("Set a new password with the token from the emailed link; every other session ends",
           json=s.ResetIn, responses={204: None}, errors=(410,))
def accounts_reset_password():
    data = parse_body(s.ResetIn)
    svc.reset_password(db.session(), data)
    return "", 204
