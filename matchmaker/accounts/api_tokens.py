"""API routes of a signed-in account: bearer tokens (exchange a password for one, list, revoke) and a new
password. The self-service routes (sign-up, verification, reset) are in ``accounts.api``.

A child blueprint of ``api`` (``ApiRoutes``): its endpoints keep the names ``api.<view>``.
"""
from __future__ import annotations

from flask import jsonify
from sqlalchemy import select

from .. import auth, db, ratelimit
from ..api.common import ApiRoutes, not_found, paged, parse_body, reject_unknown_args
from ..api.openapi import operation
from ..api.schemas import Page, PageQuery
from ..auth import bearer_digest, current_actor, find_user, issue_token, verify_password
from .records import ApiToken
from .schemas import PasswordChange, TokenInfo, TokenOut, TokenRequest
from ..access import allow, PUBLIC, SIGNED_IN
from ..catalog import N_
from ..errors import DomainError

bp = ApiRoutes("tokens", __name__)

FAILED_SIGN_INS = {"account": N_("too many failed sign-ins for this account; try again in {seconds} s"),
                   "address": N_("too many failed sign-ins for this address; try again in {seconds} s")}


@bp.post("/tokens")
@allow(PUBLIC)
@operation("Exchange email and password for a bearer token", json=TokenRequest, responses={201: TokenOut},
           errors=(401, 429), description="Throttled: 429 with Retry-After after repeated failures for one account "
           "or address.")
def create_token():
    data = parse_body(TokenRequest)
    if refusal := ratelimit.check(data.email):
        raise DomainError("too_many_attempts", FAILED_SIGN_INS[refusal.scope],
                          params={"seconds": refusal.retry_after}, status=429,
                          headers={"Retry-After": str(refusal.retry_after)})
    user = find_user(data.email)
    if not verify_password(user, data.password):
        ratelimit.failed(data.email)
        raise DomainError("unauthenticated", "wrong email or password", status=401)
    ratelimit.succeeded(data.email)
    token = issue_token(user, data.name)
    db.session().commit()
    return jsonify({"token": token, "role": user.role, "organization_id": user.organization_id}), 201


def _token_dict(row: ApiToken, current_hash: str | None) -> dict:
    return {"id": row.id, "name": row.name, "created_at": row.created_at.isoformat(),
            "expires_at": row.expires_at.isoformat() if row.expires_at else None, "revoked": row.revoked,
            "current": row.token_hash == current_hash}


@bp.get("/tokens")
@allow(SIGNED_IN)
@operation("Your own API tokens (name, dates, revoked, current)", query=PageQuery,
           responses={200: Page[TokenInfo]}, errors=(400,))
def list_tokens():
    """The caller's own tokens (never the token text, which is not stored)."""
    reject_unknown_args(set())
    current = bearer_digest()
    stmt = select(ApiToken).where(ApiToken.user_id == current_actor().id).order_by(ApiToken.id)
    return paged(stmt, lambda row: _token_dict(row, current))


@bp.delete("/tokens/<int:token_id>")
@allow(SIGNED_IN)
@operation("Revoke one of your API tokens", responses={204: None}, errors=(404,))
def revoke_token(token_id: int):
    row = db.session().get(ApiToken, token_id)
    if row is None or row.user_id != current_actor().id:
        raise not_found("token", token_id)  # another user's token is not confirmed to exist
    row.revoked = True
    db.session().commit()
    return "", 204


@bp.post("/account/password")
@allow(SIGNED_IN)
@operation("Set a new password (send the current one)", json=PasswordChange, responses={204: None},
           errors=(429,), description="Ends every page session of the account; 403 when the current password "
           "is wrong.")
def change_password():
    """Set a new password; every page session of the account ends (its API tokens stay valid).

    The caller proved the current password, so this is a routine change, not a recovery: revoking the
    tokens would silently stop every program using them (and this very request's token). A user who
    fears the password leaked revokes tokens one by one here or on the account page, which lists them;
    a password *reset* (emailed link, admin) revokes them all (``accounts.services.reset_password``)."""
    data = parse_body(PasswordChange)
    user = current_actor()
    if refusal := ratelimit.check(user.email):
        raise DomainError("too_many_attempts", "too many failed sign-ins; try again in {seconds} s",
                          params={"seconds": refusal.retry_after}, status=429,
                          headers={"Retry-After": str(refusal.retry_after)})
    if not verify_password(user, data.current_password):
        ratelimit.failed(user.email)
        raise DomainError("wrong_password", "the current password is wrong", status=403,
                          fields=[{"field": "current_password", "problem": "wrong password"}])
    auth.change_password(user, data.new_password)
    db.session().commit()
    return "", 204
