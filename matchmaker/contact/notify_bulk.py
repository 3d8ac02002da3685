"""Many notices of one kind at once, in set-based statements (the daily slip check announces thousands).

:func:`notify_many` does what :func:`contact.notify.notify_users` does for each of its items (a notice
per active user, once per user and dedup key; its email in the outbox, in the recipient's language,
when the user's preference for the kind is ``immediate``), but with one preference query, one
``INSERT ... ON CONFLICT DO NOTHING RETURNING`` and one outbox insert per chunk of rows instead of a
few statements per notice. Not committed: the caller's transaction writes them with what they announce.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert as plain_insert
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts.records import User
from ..records import utcnow
from . import kinds as k
from .notify import base_url, new_message_id, translate
from .records import EmailOutbox, Notification, NotificationPreference

CHUNK = 500


@dataclass(frozen=True)
class Item:
    """One announcement: who hears it, its message's parameters, the page it links to, what it is about."""

    users: list[User]
    params: dict
    link: str
    subject: tuple[str, int | None]
    dedup_key: str


def _dialect_insert(session: Session):
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def modes_of(session: Session, user_ids: list[int], kind: str) -> dict[int, str]:
    """Each user's chosen email mode for ``kind`` (users without a choice are left out)."""
    chosen: dict[int, str] = {}
    for start in range(0, len(user_ids), CHUNK):
        chunk = user_ids[start:start + CHUNK]
        chosen.update(session.execute(select(NotificationPreference.user_id, NotificationPreference.mode)
                                      .where(NotificationPreference.user_id.in_(chunk),
                                             NotificationPreference.kind == kind)).all())
    return chosen


def notify_many(session: Session, kind: str, items: list[Item]) -> int:
    """Write the notices (and immediate emails) of ``items``; returns how many notices were new."""
    spec = k.KINDS[kind]
    users = {u.id: u for item in items for u in item.users if u is not None and u.active}
    if not users:
        return 0
    chosen = modes_of(session, sorted(users), kind)
    modes = {uid: (chosen.get(uid, spec.default) if chosen.get(uid, spec.default) in spec.modes else spec.default)
             for uid in users}
    now, site, insert = utcnow(), base_url(), _dialect_insert(session)
    values = [dict(user_id=u.id, kind=kind, inquiry_id=None, subject_type=item.subject[0], subject_id=item.subject[1],
                   params=dict(item.params), link=item.link, email_mode=modes[u.id], dedup_key=item.dedup_key,
                   created_at=now)
              for item in items for u in item.users if u is not None and u.id in users]
    by_key = {(v["user_id"], v["dedup_key"]): v for v in values}
    table = Notification.__table__
    stmt = (insert(table).on_conflict_do_nothing()
            .returning(table.c.id, table.c.user_id, table.c.dedup_key))
    made = 0
    for start in range(0, len(values), CHUNK):
        # one compiled statement, executemany (SQLAlchemy batches it into multi-row INSERTs with RETURNING)
        stored = session.execute(stmt, values[start:start + CHUNK]).all()  # only the rows this call wrote
        made += len(stored)
        emails = []
        for note_id, user_id, dedup_key in stored:
            if modes[user_id] != "immediate":
                continue
            user, row = users[user_id], by_key[(user_id, dedup_key)]
            lang = user.locale or "en"
            headline = k.text(kind, row["params"], lang)
            emails.append(dict(notification_id=note_id, user_id=user_id, kind=kind, message_id=new_message_id(),
                               to_address=user.email, subject=headline[:300],
                               body=translate(lang, k.EMAIL_BODY, headline=headline, link=site + row["link"]),
                               created_at=now))
        if emails:
            session.execute(plain_insert(EmailOutbox.__table__), emails)
    return made
