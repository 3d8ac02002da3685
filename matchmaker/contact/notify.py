"""Notifications: an in-app notice per user and, in the same transaction, an email in the outbox.

``notify(session, inquiry, kind, to_side)`` is called by the services before they commit, so a
notice exists exactly when its inquiry, quote or message does. Each email is written in the
recipient's own language (``User.locale``). ``send_pending`` is the ``flask notify send`` worker:
it delivers queued emails over SMTP (``MATCHMAKER_SMTP_URL``, e.g. ``smtp://127.0.0.1:25`` or
``smtps://user:password@mail.example:465``; ``smtp+starttls://`` upgrades the connection) and
keeps every failed row with its error for the next run. On PostgreSQL rows are claimed with
``FOR UPDATE SKIP LOCKED`` so several workers never send one email twice.
"""
from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from urllib.parse import unquote, urlparse

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..i18n import CATALOGS
from ..schema import User, utcnow
from .records import EmailOutbox, Inquiry, Notification

KINDS = ("inquiry", "answer", "quote", "reply")

SUBJECTS = {
    "inquiry": "New inquiry from {buyer}: {title}",
    "answer": "{maker} answered your inquiry: {title}",
    "quote": "New quote from {maker}: {title}",
    "reply": "New message about {title}",
}
BODY = "{headline}\n\n{link}\n\n-- Matchmaker"
LIST_LABELS = {
    "inquiry": "New inquiry from {buyer}: {title}",
    "answer": "{maker} answered your inquiry: {title}",
    "quote": "New quote from {maker}: {title}",
    "reply": "New message about {title}",
}


def translate(lang: str, message: str, **params) -> str:
    """``message`` in ``lang`` (the recipient's language, not the sender's request)."""
    text = CATALOGS.get(lang, {}).get(message, message) if lang != "en" else message
    return text.format(**params) if params else text


def _recipients(session: Session, inq: Inquiry, side: str) -> list[User]:
    org, role = (inq.buyer_id, "buyer_user") if side == "buyer" else (inq.maker_id, "maker_user")
    return list(session.scalars(select(User).where(User.organization_id == org, User.role == role,
                                                   User.active.is_(True)).order_by(User.id)))


def notify(session: Session, inq: Inquiry, kind: str, to_side: str, base_url: str | None = None) -> None:
    """A notice and an email for every active user of the receiving firm (not committed here)."""
    if base_url is None:
        from flask import current_app, has_request_context, request
        base_url = current_app.config.get("BASE_URL") or (request.host_url if has_request_context() else "")
    params = {"buyer": inq.buyer.name, "maker": inq.maker.name, "title": inq.requirement.title}
    link = f"{base_url.rstrip('/')}/inquiries/{inq.id}"
    for user in _recipients(session, inq, to_side):
        note = Notification(user_id=user.id, kind=kind, inquiry_id=inq.id, created_at=utcnow())
        session.add(note)
        session.flush()
        lang = user.locale or "en"
        subject = translate(lang, SUBJECTS[kind], **params)
        session.add(EmailOutbox(notification_id=note.id, to_address=user.email, subject=subject[:300],
                                body=translate(lang, BODY, headline=subject, link=link)))


def label(note: Notification, inq: Inquiry, lang: str) -> str:
    return translate(lang, LIST_LABELS[note.kind], buyer=inq.buyer.name, maker=inq.maker.name,
                     title=inq.requirement.title)


def unread(session: Session, user_id: int) -> int:
    return session.scalar(select(func.count(Notification.id)).where(Notification.user_id == user_id,
                                                                   Notification.read_at.is_(None))) or 0


def recent(session: Session, user_id: int, limit: int = 100) -> list[tuple[Notification, Inquiry]]:
    return list(session.execute(select(Notification, Inquiry).join(Inquiry, Inquiry.id == Notification.inquiry_id)
                                .where(Notification.user_id == user_id)
                                .order_by(Notification.id.desc()).limit(limit)).all())


def mark_read(session: Session, user_id: int, inquiry_id: int | None = None) -> int:
    stmt = update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    if inquiry_id is not None:
        stmt = stmt.where(Notification.inquiry_id == inquiry_id)
    done = session.execute(stmt.values(read_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    if done:
        session.commit()
    return done


# -- the email worker ----------------------------------------------------------------------------

class SmtpTarget:
    def __init__(self, url: str):
        parts = urlparse(url)
        if parts.scheme not in ("smtp", "smtps", "smtp+starttls") or not parts.hostname:
            raise ValueError(f"MATCHMAKER_SMTP_URL must look like smtp://host:port, not {url!r}")
        self.scheme, self.host = parts.scheme, parts.hostname
        self.port = parts.port or (465 if parts.scheme == "smtps" else 25)
        self.user = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None

    def connect(self, timeout: float = 10.0) -> smtplib.SMTP:
        if self.scheme == "smtps":
            conn = smtplib.SMTP_SSL(self.host, self.port, timeout=timeout, context=ssl.create_default_context())
        else:
            conn = smtplib.SMTP(self.host, self.port, timeout=timeout)
            if self.scheme == "smtp+starttls":
                conn.starttls(context=ssl.create_default_context())
        if self.user:
            conn.login(self.user, self.password or "")
        return conn


def send_pending(session: Session, smtp_url: str, sender: str, batch: int = 100) -> tuple[int, int]:
    """Send queued emails: ``(sent, failed)``. A failure keeps the row, with its error, for the next run."""
    target = SmtpTarget(smtp_url)
    stmt = (select(EmailOutbox).where(EmailOutbox.sent_at.is_(None)).order_by(EmailOutbox.id).limit(batch))
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    rows = list(session.scalars(stmt))
    if not rows:
        session.rollback()
        return 0, 0
    sent = failed = 0
    try:
        conn = target.connect()
    except (OSError, smtplib.SMTPException) as exc:
        for row in rows:
            row.attempts += 1
            row.last_error = f"connect: {exc}"[:2000]
        session.commit()
        return 0, len(rows)
    try:
        for row in rows:
            msg = EmailMessage()
            msg["From"], msg["To"], msg["Subject"] = sender, row.to_address, row.subject
            msg.set_content(row.body)
            try:
                conn.send_message(msg)
            except (OSError, smtplib.SMTPException) as exc:
                row.attempts += 1
                row.last_error = str(exc)[:2000]
                failed += 1
            else:
                row.sent_at, row.last_error = utcnow(), None
                row.attempts += 1
                sent += 1
    finally:
        try:
            conn.quit()
        except (OSError, smtplib.SMTPException):
            pass
    session.commit()
    return sent, failed


def queue_email(session: Session, to_address: str, subject: str, body: str) -> EmailOutbox:
    """Queue one email that belongs to no notification (e.g. an account's verification or reset link).

    Added to the caller's transaction (not committed here); ``flask notify send`` delivers it.
    """
    row = EmailOutbox(notification_id=None, to_address=to_address, subject=subject[:300], body=body)
    session.add(row)
    return row
