"""Notifications: an in-app notice per user and, in the same transaction, its email in the outbox.

:func:`notify_users` is the one way in: a kind (``contact.kinds``), the subject it is about, the
parameters of its message and the path of the subject's page. It is called before the caller
commits (the contact services directly; vetting and fairs through ``matchmaker.events`` signals,
see ``contact.subscribers``), so a notice exists exactly when what it announces does. The user's
preference for the kind decides the email: ``immediate`` (an outbox row now, in the recipient's
language), ``digest`` (the notice waits for the daily digest) or ``off``. Nothing is sent
here: ``contact.mailer`` delivers the outbox outside any request.
"""
from __future__ import annotations

import os
import uuid

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..accounts.records import User
from ..records import utcnow
from . import kinds as k
from .kinds import translate  # noqa: F401  (kept: other modules word emails with it)
from .records import EmailOutbox, Inquiry, Notification, NotificationPreference


def base_url() -> str:
    """The site's address for links in emails: ``BASE_URL``, else the request's host, else the environment."""
    try:
        from flask import current_app, has_request_context, request
        configured = current_app.config.get("BASE_URL")
        if configured:
            return configured.rstrip("/")
        if has_request_context():
            return request.host_url.rstrip("/")
    except RuntimeError:
        pass
    return os.environ.get("MATCHMAKER_BASE_URL", "http://localhost:8000").rstrip("/")


def _mail_domain() -> str:
    try:
        from flask import current_app
        sender = current_app.config.get("MAIL_FROM") or os.environ.get("MATCHMAKER_MAIL_FROM") or ""
    except RuntimeError:
        sender = os.environ.get("MATCHMAKER_MAIL_FROM", "")
    return sender.rpartition("@")[2].strip(">") or "matchmaker.local"


def new_message_id() -> str:
    """A Message-ID fixed when the email is queued: every attempt to send it carries the same one."""
    return f"<{uuid.uuid4().hex}@{_mail_domain()}>"


def queue_email(session: Session, to_address: str, subject: str, body: str, *, user_id: int | None = None,
                kind: str = "", notification_id: int | None = None) -> EmailOutbox:
    """Put one email in the outbox (not committed here; the worker sends it after the commit)."""
    row = EmailOutbox(notification_id=notification_id, user_id=user_id, kind=kind, message_id=new_message_id(),
                      to_address=to_address, subject=subject[:300], body=body, created_at=utcnow())
    session.add(row)
    return row


# -- preferences -----------------------------------------------------------------------------------

def preferences(session: Session, user: User) -> dict[str, str]:
    """The user's email mode per kind it can receive (its own choice, else the kind's default)."""
    chosen = dict(session.execute(select(NotificationPreference.kind, NotificationPreference.mode)
                                  .where(NotificationPreference.user_id == user.id)).all())
    return {spec.code: chosen.get(spec.code, spec.default) for spec in k.kinds_for(user.role)}


def _modes_of(session: Session, user_ids: list[int], kind: str) -> dict[int, str]:
    rows = session.execute(select(NotificationPreference.user_id, NotificationPreference.mode)
                           .where(NotificationPreference.user_id.in_(user_ids), NotificationPreference.kind == kind))
    return dict(rows.all())


def set_preferences(session: Session, user: User, choices: dict[str, str]) -> dict[str, str]:
    """Store ``choices`` (already checked against ``kinds_for`` and each kind's modes) and commit."""
    for kind, mode in choices.items():
        row = session.get(NotificationPreference, (user.id, kind))
        if row is None:
            session.add(NotificationPreference(user_id=user.id, kind=kind, mode=mode))
        else:
            row.mode = mode
    session.commit()
    return preferences(session, user)


def preference_problems(user: User, choices: dict[str, str]) -> list[dict]:
    """``[{"field": "preferences.<kind>", "problem": ...}]`` for kinds the user cannot get or modes a kind lacks."""
    from ..i18n import gettext

    allowed = {spec.code: spec for spec in k.kinds_for(user.role)}
    problems = []
    for kind, mode in choices.items():
        spec = allowed.get(kind)
        if spec is None:
            problems.append({"field": f"preferences.{kind}", "problem": gettext(
                "Unknown kind of notification for your role; choose one of: {kinds}.", kinds=", ".join(allowed))})
        elif mode not in spec.modes:
            problems.append({"field": f"preferences.{kind}", "problem": gettext(
                "This notification can only be emailed as: {modes}.", modes=", ".join(spec.modes))})
    return problems


# -- writing notices -------------------------------------------------------------------------------

def _insert_dedup(session: Session, values: dict) -> int | None:
    """INSERT ... ON CONFLICT DO NOTHING on (user, dedup key): the id, or None when it was there already."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(Notification).values(**values).on_conflict_do_nothing().returning(Notification.id)
    return session.execute(stmt).scalar()


def notify_users(session: Session, users: list[User], kind: str, params: dict, link: str, *,
                 subject: tuple[str, int | None] = ("inquiry", None), inquiry_id: int | None = None,
                 dedup_key: str | None = None) -> list[int]:
    """A notice for each of ``users`` and, for those who want it at once, its email (not committed)."""
    spec = k.KINDS[kind]
    users = [u for u in users if u is not None and u.active]
    if not users:
        return []
    modes = _modes_of(session, [u.id for u in users], kind)
    made, now, site = [], utcnow(), base_url()
    for user in users:
        mode = modes.get(user.id, spec.default)
        if mode not in spec.modes:
            mode = spec.default
        values = dict(user_id=user.id, kind=kind, inquiry_id=inquiry_id, subject_type=subject[0],
                      subject_id=subject[1], params=dict(params), link=link, email_mode=mode, dedup_key=dedup_key,
                      created_at=now)
        if dedup_key is not None:
            note_id = _insert_dedup(session, values)
            if note_id is None:
                continue  # this user was told already
        else:
            note = Notification(**values)
            session.add(note)
            session.flush()
            note_id = note.id
        made.append(note_id)
        if mode == "immediate":
            lang = user.locale or "en"
            headline = k.text(kind, params, lang)
            queue_email(session, user.email, headline,
                        translate(lang, k.EMAIL_BODY, headline=headline, link=site + link),
                        user_id=user.id, kind=kind, notification_id=note_id)
    return made


def firm_users(session: Session, organization_id: int, role: str) -> list[User]:
    return list(session.scalars(select(User).where(User.organization_id == organization_id, User.role == role,
                                                   User.active.is_(True)).order_by(User.id)))


def notify(session: Session, inq: Inquiry, kind: str, to_side: str) -> None:
    """The notice of an inquiry step for every active user of the receiving firm (not committed here)."""
    org, role = (inq.buyer_id, "buyer_user") if to_side == "buyer" else (inq.maker_id, "maker_user")
    params = {"buyer": inq.buyer.name, "maker": inq.maker.name, "title": inq.requirement.title}
    notify_users(session, firm_users(session, org, role), kind, params, f"/inquiries/{inq.id}",
                 subject=("inquiry", inq.id), inquiry_id=inq.id)


# -- reading ---------------------------------------------------------------------------------------

def label(note: Notification, lang: str) -> str:
    return k.text(note.kind, note.params or {}, lang)


def unread(session: Session, user_id: int) -> int:
    return session.scalar(select(func.count(Notification.id)).where(Notification.user_id == user_id,
                                                                   Notification.read_at.is_(None))) or 0


def recent(session: Session, user_id: int, limit: int = 100, unread_only: bool = False) -> list[Notification]:
    stmt = select(Notification).where(Notification.user_id == user_id)
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    return list(session.scalars(stmt.order_by(Notification.id.desc()).limit(limit)))


def mark_read(session: Session, user_id: int, inquiry_id: int | None = None, ids: list[int] | None = None) -> int:
    """Mark the user's own unread notices read (all, one inquiry's, or the given ids); commits."""
    stmt = update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    if inquiry_id is not None:
        stmt = stmt.where(Notification.inquiry_id == inquiry_id)
    if ids is not None:
        stmt = stmt.where(Notification.id.in_(ids))
    done = session.execute(stmt.values(read_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    if done:
        session.commit()
    return done


def notice_dict(note: Notification, lang: str) -> dict:
    return {"id": note.id, "kind": note.kind, "subject": {"type": note.subject_type, "id": note.subject_id},
            "inquiry_id": note.inquiry_id, "text": label(note, lang), "link": note.link, "email": note.email_mode,
            "created_at": note.created_at.isoformat() if note.created_at else None,
            "read_at": note.read_at.isoformat() if note.read_at else None}


# the worker lives in ``contact.mailer``; kept importable from here for older callers
def send_pending(session: Session, smtp_url: str, sender: str, batch: int = 100, **options) -> tuple[int, int]:
    from .mailer import send_pending as _send
    return _send(session, smtp_url, sender, batch, **options)
