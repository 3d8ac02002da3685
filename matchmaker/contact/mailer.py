"""The outbox worker (``flask notify send``): delivers queued emails over SMTP, outside any request.

``MATCHMAKER_SMTP_URL`` names the server (``smtp://127.0.0.1:25``, ``smtps://user:pw@host:465``,
``smtp+starttls://host:587``). Each round:

1. **claim** up to ``batch`` due rows (not sent, not given up, retry time passed, no live claim) by
   writing a claim token and time, and commit; on PostgreSQL the candidate rows are locked
   ``FOR UPDATE SKIP LOCKED`` so parallel workers claim disjoint rows;
2. **send** each claimed row, with its fixed Message-ID header;
3. right after the server accepts a message (250 to DATA), **commit** ``sent_at`` for that row
   alone; a refusal or a dropped connection records the error and a retry time (doubling from
   ``retry_seconds``) and releases the claim.

Guarantee: no queued email is lost (a row leaves the queue only by a committed ``sent_at``, or
by ``failed_at`` after ``max_attempts`` refusals, shown on the outbox page), and a message the
server accepted is sent again **only** if the worker dies, or the connection drops, in the moment
between the server's 250 and the commit of ``sent_at`` (one row's commit, milliseconds). Such a
second copy carries the same Message-ID, so the receiving side can discard it. A worker that dies
holding claims leaves them to be taken again after ``stale_seconds``.
"""
from __future__ import annotations

import smtplib
import socket
import ssl
import uuid
from types import SimpleNamespace
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate
from urllib.parse import unquote, urlparse

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from ..records import utcnow
from .records import EmailOutbox

MAX_ATTEMPTS = 12
RETRY_SECONDS = 30.0
STALE_SECONDS = 600.0


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


def _due(now, stale_before):
    return (EmailOutbox.sent_at.is_(None), EmailOutbox.failed_at.is_(None),
            or_(EmailOutbox.next_attempt_at.is_(None), EmailOutbox.next_attempt_at <= now),
            or_(EmailOutbox.claimed_at.is_(None), EmailOutbox.claimed_at < stale_before))


def claim(session: Session, batch: int, stale_seconds: float = STALE_SECONDS) -> tuple[str, list[EmailOutbox]]:
    """Claim up to ``batch`` due rows for this worker (committed) and return them, oldest first."""
    token, now = uuid.uuid4().hex, utcnow()
    due = _due(now, now - timedelta(seconds=stale_seconds))
    candidates = select(EmailOutbox.id).where(*due).order_by(EmailOutbox.id).limit(batch)
    if session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    ids = list(session.scalars(candidates))
    if not ids:
        session.rollback()
        return token, []
    # the due conditions again: a row another worker claimed in between is not taken twice
    session.execute(update(EmailOutbox).where(EmailOutbox.id.in_(ids), *due)
                    .values(claimed_by=token, claimed_at=now).execution_options(synchronize_session=False))
    session.commit()
    rows = list(session.scalars(select(EmailOutbox).where(EmailOutbox.claimed_by == token).order_by(EmailOutbox.id)))
    return token, rows


def _message(row: EmailOutbox, sender: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, row.to_address, row.subject
    msg["Message-ID"] = row.message_id or f"<outbox-{row.id}@matchmaker.invalid>"
    msg["Date"] = formatdate(localtime=False)
    msg.set_content(row.body)
    return msg


def _failed(session: Session, row: EmailOutbox, token: str, error: str, retry_seconds: float, max_attempts: int):
    now = utcnow()
    attempts = row.attempts + 1
    values = {"attempts": attempts, "last_error": error[:2000], "claimed_by": None, "claimed_at": None,
              "next_attempt_at": now + timedelta(seconds=retry_seconds * 2 ** min(attempts - 1, 10))}
    if attempts >= max_attempts:
        values["failed_at"] = now
    session.execute(update(EmailOutbox).where(EmailOutbox.id == row.id, EmailOutbox.claimed_by == token)
                    .values(**values).execution_options(synchronize_session=False))
    session.commit()


def _sent(session: Session, row: EmailOutbox, token: str) -> None:
    session.execute(update(EmailOutbox).where(EmailOutbox.id == row.id, EmailOutbox.claimed_by == token)
                    .values(sent_at=utcnow(), attempts=row.attempts + 1, last_error=None, claimed_by=None)
                    .execution_options(synchronize_session=False))
    session.commit()


def send_pending(session: Session, smtp_url: str, sender: str, batch: int = 100, *,
                 retry_seconds: float = RETRY_SECONDS, stale_seconds: float = STALE_SECONDS,
                 max_attempts: int = MAX_ATTEMPTS, timeout: float = 10.0) -> tuple[int, int]:
    """One round: ``(sent, failed)``. A failure keeps the row, with its error and retry time."""
    target = SmtpTarget(smtp_url)
    token, rows = claim(session, batch, stale_seconds)
    if not rows:
        return 0, 0
    # plain copies: each commit below expires the ORM rows, which would reload them one by one
    snapshot = [(r.id, r.attempts, SimpleNamespace(id=r.id, attempts=r.attempts, message_id=r.message_id,
                                                   to_address=r.to_address, subject=r.subject, body=r.body))
                for r in rows]
    sent = failed = 0
    conn = None
    try:
        for _id, _attempts, row in snapshot:
            if conn is None:
                try:
                    conn = target.connect(timeout)
                except (OSError, smtplib.SMTPException) as exc:
                    # nobody answers: every row of the round waits for the next one
                    for _i, _a, rest in snapshot[sent + failed:]:
                        _failed(session, rest, token, f"connect: {exc}", retry_seconds, max_attempts)
                        failed += 1
                    return sent, failed
            try:
                conn.send_message(_message(row, sender))
            except (OSError, smtplib.SMTPException, socket.timeout) as exc:
                _failed(session, row, token, str(exc) or exc.__class__.__name__, retry_seconds, max_attempts)
                failed += 1
                if not isinstance(exc, (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused,
                                        smtplib.SMTPDataError)):
                    _close(conn)  # the connection is gone or in doubt: open a new one for the next row
                    conn = None
            else:
                _sent(session, row, token)
                sent += 1
    finally:
        if conn is not None:
            _close(conn, quit_=True)
    return sent, failed


def _close(conn: smtplib.SMTP, quit_: bool = False) -> None:
    try:
        conn.quit() if quit_ else conn.close()
    except (OSError, smtplib.SMTPException):
        pass
