"""The rules of self-service accounts: sign-up, email verification, password reset, and their emails.

Every email is written in the recipient's language and queued in the contact outbox
(``contact.notify.queue_email``) in the same transaction as the change it announces; the
``flask notify send`` worker delivers it, never the web request. Callers pass validated schemas
and a ``link`` function turning a token into the page URL the email carries.
"""
from __future__ import annotations

from typing import Callable

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash

from .. import auth
from ..contact.notify import queue_email, translate
from ..buyers.records import BuyerProfile
from ..organizations.records import Organization
from ..records import utcnow
from .records import User
from . import tokens
from .records import AccountSignup
from .schemas import EmailIn, ResetIn, SignupIn
from ..catalog import N_
from ..errors import DomainError

Link = Callable[[str], str]

VERIFY_SUBJECT = N_("Confirm your email address for Matchmaker")
VERIFY_BODY = N_("Hello {name},\n\nconfirm your email address to open the Matchmaker account of {firm}:\n\n{link}\n\n"
                 "The link works once, for {hours} hours. If you did not sign up, ignore this email.\n\n-- Matchmaker")
RESET_SUBJECT = N_("Reset your Matchmaker password")
RESET_BODY = N_("Hello {name},\n\nsomeone asked to reset the password of your Matchmaker account. Choose a new "
                "password here:\n\n{link}\n\nThe link works once, for {minutes} minutes. If you did not ask, ignore "
                "this email: your password stays as it is.\n\n-- Matchmaker")


EMAIL_TAKEN = N_("an account with this email exists already")
LINK_MESSAGES = {
    "invalid": N_("the link is not valid (copy the whole token from the email)"),
    "expired": N_("the link has expired; ask for a new one"),
    "used": N_("the link was used already"),
}
LINK_STATUS = {"invalid": 400, "expired": 410, "used": 410}


def email_taken() -> DomainError:
    """An account with this email exists already: 409 on ``email``."""
    return DomainError("email_taken", EMAIL_TAKEN, field="email", status=409)


def link_refused(reason: str) -> DomainError:
    """A link that cannot be used: ``reason`` is ``invalid`` (400), ``expired`` or ``used`` (410); the
    code is ``{reason}_link`` (what the API answers), so a page chooses its own sentence by it."""
    return DomainError(f"{reason}_link", LINK_MESSAGES[reason], field="token", status=LINK_STATUS[reason])


def link_reason(exc: DomainError) -> str | None:
    """``invalid``, ``expired`` or ``used`` when ``exc`` refused a link, else None."""
    reason = exc.code.removesuffix("_link")
    return reason if exc.code.endswith("_link") and reason in LINK_MESSAGES else None


# -- sign-up and verification ---------------------------------------------------------------------

def signup(session: Session, data: SignupIn, link: Link) -> User:
    """Create the buyer firm (or input vendor), its profile and its first (inactive) user; queue the
    verification email."""
    if auth.find_user(data.email) is not None:
        raise email_taken()
    vendor = data.kind == "input_vendor"   # an input vendor (issue 15): no buyer profile, the vendor_user role
    org = Organization(kind=data.kind, name=data.firm_name, city=data.city, website=data.website,
                       country=data.country)
    session.add(org)
    session.flush()
    if not vendor:
        session.add(BuyerProfile(organization_id=org.id, buyer_type=data.buyer_type))
    user = User(email=data.email, name=data.name, role="vendor_user" if vendor else "buyer_user",
                organization_id=org.id,
                password_hash=auth.hash_password(data.password), locale=data.language, active=False)
    session.add(user)
    try:
        session.flush()
    except IntegrityError:  # the same email signed up at the same moment
        session.rollback()
        raise email_taken() from None
    session.add(AccountSignup(user_id=user.id, organization_id=org.id, email=user.email, created_at=utcnow()))
    _queue_verification(session, user, org, link)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise email_taken() from None
    return user


def _queue_verification(session: Session, user: User, org: Organization, link: Link) -> None:
    lang = user.locale or "en"
    url = link(tokens.make_verify_token(user.id, user.email))
    queue_email(session, user.email, translate(lang, VERIFY_SUBJECT),
                translate(lang, VERIFY_BODY, name=user.name, firm=org.name, link=url, hours=tokens.verify_hours()))


def pending_signup(session: Session, user: User | None) -> AccountSignup | None:
    """The user's sign-up while its email is not verified yet."""
    if user is None:
        return None
    row = session.get(AccountSignup, user.id)
    return row if row is not None and row.verified_at is None else None


def awaiting_verification(session: Session, email: str, password: str) -> bool:
    """The right password of an account that has not verified its email (said only to who knows it)."""
    user = auth.find_user(email)
    if pending_signup(session, user) is None or user.active:
        return False
    return check_password_hash(user.password_hash, password)


def needs_vetting_application(session: Session, user: User) -> bool:
    """A buyer that opened its account here and has not applied to any association yet: its first
    stop after signing in is the vetting application."""
    from ..vetting.records import VettingCase

    if user.role not in ("buyer_user", "vendor_user") or user.organization_id is None \
            or session.get(AccountSignup, user.id) is None:
        return False
    return session.scalar(select(VettingCase.id).where(VettingCase.subject_id == user.organization_id)
                          .limit(1)) is None


def verify(session: Session, token: str) -> User:
    """Follow a verification link: the email is confirmed and the account may sign in."""
    try:
        data = tokens.read_verify_token(token)
    except tokens.LinkProblem as exc:
        raise link_refused(exc.reason) from None
    user = session.get(User, data["u"])
    row = session.get(AccountSignup, data["u"]) if user is not None else None
    if row is None or user.email != data.get("e") or row.email != user.email:
        raise link_refused("invalid")
    if row.verified_at is not None:
        raise link_refused("used")
    # claimed with a conditional UPDATE, so two visits at the same moment verify once
    claimed = session.execute(update(AccountSignup).where(AccountSignup.user_id == user.id,
                                                          AccountSignup.verified_at.is_(None))
                              .values(verified_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        session.rollback()
        raise link_refused("used")
    user.active = True
    session.commit()
    return user


# -- emailed links on request: reset, or the verification link again -------------------------------

def request_link(session: Session, data: EmailIn, purpose: str, link: Link) -> None:
    """Queue a link by email if the account exists: ``purpose`` is ``reset`` or ``verify``.

    The caller answers the same whatever happens here, so nobody learns which emails have accounts.
    A reset link also goes to an account that never verified its email (following it proves the
    address, and the password someone else may have typed at sign-up is replaced); the verification
    link goes only to such an account; a disabled account gets nothing.
    """
    user = auth.find_user(data.email)
    pending = pending_signup(session, user) is not None and not user.active if user is not None else False
    if user is None or not (user.active or pending):
        return
    if purpose == "verify":
        if not pending:
            return
        _queue_verification(session, user, session.get(Organization, user.organization_id), link)
    else:
        lang = user.locale or "en"
        url = link(tokens.make_reset_token(user.id, user.password_hash))
        queue_email(session, user.email, translate(lang, RESET_SUBJECT),
                    translate(lang, RESET_BODY, name=user.name, link=url, minutes=tokens.reset_minutes()))
    session.commit()


def reset_user(session: Session, token: str) -> User:
    """The user a reset link was made for (active, or not verified yet), while the link is still good."""
    try:
        data = tokens.read_reset_token(token)
    except tokens.LinkProblem as exc:
        raise link_refused(exc.reason) from None
    user = session.get(User, data["u"])
    if user is None or not (user.active or pending_signup(session, user) is not None):
        raise link_refused("invalid")
    if not tokens.matches_password(data, user.password_hash):
        raise link_refused("used")  # a password was set since the link was sent (this link, or another way)
    return user


def reset_password(session: Session, data: ResetIn) -> User:
    """Set the new password; every session of the account ends, every API token of it is revoked, and
    the link stops working (whoever asks for a reset may have lost the password to someone else, who
    could have exchanged it for tokens).

    An account that had not verified its email is verified by it (the link came to that address).
    """
    user = reset_user(session, data.token)
    old_hash = user.password_hash
    # the same as auth.change_password (new hash, session_version bumped so every session ends), but
    # conditional on the hash the link was made for: two uses at the same moment set one password
    changed = session.execute(update(User).where(User.id == user.id, User.password_hash == old_hash).values(
        password_hash=auth.hash_password(data.new_password), session_version=User.session_version + 1)
        .execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        session.rollback()
        raise link_refused("used")
    auth.revoke_tokens(session, user.id)
    session.execute(update(AccountSignup).where(AccountSignup.user_id == user.id, AccountSignup.verified_at.is_(None))
                    .values(verified_at=utcnow()).execution_options(synchronize_session=False))
    if not user.active:
        session.execute(update(User).where(User.id == user.id).values(active=True)
                        .execution_options(synchronize_session=False))
    session.commit()
    session.refresh(user)
    return user
