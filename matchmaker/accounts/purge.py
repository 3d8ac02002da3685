"""Removing sign-ups whose email was never verified.

A self-service sign-up (``AccountSignup``) creates an inactive user and its firm; if the emailed link is
never followed, both stay forever, blocking the email address in a way nobody sees and cluttering the
directory's buyers. :func:`purge_unverified` removes every sign-up older than ``older_than_days`` that is
still unverified and whose user is still inactive, each in its own transaction:

* the ``AccountSignup`` row and its user, with the user's own traces (its notices, queued emails,
  notification preferences, digest runs);
* the firm the sign-up created, with its buyer profile, only if nothing else uses it: no other user,
  no row of any other table pointing at it (a vetting case, a requirement, an order, a membership ...).

A sign-up whose user something else points at (an admin activated it, another table names it) is kept.
Each deletion is conditional (still unverified, still inactive), so a link followed at that moment wins
and the account stays. ``older_than_days`` must be at least the verification link's lifetime, so a link
that still works is never orphaned.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from ..buyers.records import BuyerProfile
from ..organizations.records import Organization
from ..records import Base, utcnow
from .records import User
from . import tokens
from .records import AccountSignup

log = logging.getLogger(__name__)

PURGE_JOB = "accounts-purge-unverified"
DEFAULT_DAYS = 14
# rows that belong to the sign-up itself and go with it
USER_TRACES = ("contact_notifications", "contact_email_outbox", "contact_notification_prefs",
               "contact_digest_runs", "account_signups")
FIRM_TRACES = ("buyer_profiles", "account_signups")


@dataclass
class PurgeResult:
    users: int = 0
    firms: int = 0
    kept: list[int] = field(default_factory=list)  # sign-ups (user ids) kept because something uses the user

    def as_dict(self) -> dict:
        return {"users": self.users, "firms": self.firms, "kept": self.kept}


def min_days() -> int:
    """The shortest age accepted: the verification link's lifetime, in whole days (rounded up)."""
    return max(1, -(-tokens.verify_hours() // 24))


def _referencing(table_name: str, skip: tuple[str, ...]):
    """(table, column) of every foreign key to ``table_name``'s id outside ``skip``."""
    for table in Base.metadata.sorted_tables:
        if table.name in skip:
            continue
        for fk in table.foreign_keys:
            if fk.column.table.name == table_name:
                yield table, fk.parent


def _used(session: Session, table_name: str, row_id: int, skip: tuple[str, ...]) -> bool:
    return any(session.scalar(select(exists().where(column == row_id)))
               for _table, column in _referencing(table_name, skip))


def _delete_traces(session: Session, table_name: str, row_id: int, traces: tuple[str, ...]) -> None:
    tables = Base.metadata.tables
    for name in traces:
        table = tables.get(name)
        if table is None:
            continue
        for fk in table.foreign_keys:
            if fk.column.table.name == table_name:
                session.execute(delete(table).where(fk.parent == row_id))


def _purge_one(session: Session, signup: AccountSignup, result: PurgeResult) -> None:
    user_id, org_id = signup.user_id, signup.organization_id
    if _used(session, "users", user_id, USER_TRACES):
        result.kept.append(user_id)
        return
    # the outbox may point at a notice: the user's emails go before its notices
    _delete_traces(session, "users", user_id, ("contact_email_outbox",))
    done = session.execute(delete(AccountSignup).where(AccountSignup.user_id == user_id,
                                                       AccountSignup.verified_at.is_(None)))
    if done.rowcount != 1:  # verified at this moment: keep it
        session.rollback()
        return
    _delete_traces(session, "users", user_id, USER_TRACES)
    if session.execute(delete(User).where(User.id == user_id, User.active.is_(False))).rowcount != 1:
        session.rollback()  # activated at this moment (an admin): keep it
        return
    result.users += 1
    if org_id is not None and not _used(session, "organizations", org_id, FIRM_TRACES):
        session.execute(delete(BuyerProfile).where(BuyerProfile.organization_id == org_id))
        session.execute(delete(Organization).where(Organization.id == org_id))
        result.firms += 1
    session.commit()


def purge_unverified(session: Session, older_than_days: int = DEFAULT_DAYS) -> PurgeResult:
    """Remove the unverified sign-ups older than ``older_than_days`` (one transaction each; commits)."""
    if older_than_days < min_days():
        raise ValueError(f"older_than_days must be at least {min_days()} (the verification link's lifetime)")
    cutoff = utcnow() - timedelta(days=older_than_days)
    ids = list(session.scalars(select(AccountSignup.user_id).join(User, User.id == AccountSignup.user_id)
                               .where(AccountSignup.verified_at.is_(None), AccountSignup.created_at < cutoff,
                                      User.active.is_(False)).order_by(AccountSignup.user_id)))
    session.rollback()
    result = PurgeResult()
    for user_id in ids:
        signup = session.get(AccountSignup, user_id)
        if signup is None:
            continue
        try:
            _purge_one(session, signup, result)
        except Exception:
            session.rollback()
            log.exception("purging the unverified sign-up of user %s failed; it stays", user_id)
            result.kept.append(user_id)
    return result


def run_purge(older_than_days: int = DEFAULT_DAYS) -> dict:
    """The job (inside an application context)."""
    from .. import db, jobs

    jobs.progress(jobs.current_job_id(), 0.1, "removing unverified sign-ups")
    return purge_unverified(db.session(), older_than_days).as_dict()


def run_daily_purge(day: str | None = None) -> dict:
    """The daily job ``notify send`` runs (called with the day, as every daily task): the default age, counted
    from now (a sign-up's age is its own clock, not the day's)."""
    return run_purge(DEFAULT_DAYS)
