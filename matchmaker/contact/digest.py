"""The daily digest: new open requirements that fit a maker, and every notice waiting for a digest email.

``run_daily`` (the ``notify-digest`` job through ``matchmaker.jobs`` that the ``notify send`` worker starts
once per UTC day, see ``worker.py``; by hand ``flask notify digest [--job]``) does two things, each safe to repeat:

1. :func:`announce_fitting_requirements`: for every maker firm, the open requirements of the last
   days that it may see (``permissions.visible_requirement_filter``: open, and of a buyer an
   association cleared) and that fit it (a required process it offers, its product line, at least
   its minimum order, no shorter than its lead time, no better quality than it makes) become a
   ``new_requirement`` notice for its users, once per requirement and user (dedup key).
2. :func:`send_digests`: each user with notices waiting for a digest gets one email, in their
   language, listing them. A ``DigestRun`` row per user and UTC day is inserted first (or not at
   all when it exists), and the notices are stamped with the email's outbox id in the same
   transaction, so a user gets at most one digest a day and a notice is in at most one digest.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import distinct, or_, select, update
from sqlalchemy.orm import Session

from .. import permissions as perm
from .. import taxonomy as tx
from ..accounts.records import User
from ..makers.records import MakerProfile
from ..records import utcnow
from ..requirements.records import Requirement
from . import kinds as k
from . import notify as nt
from .records import DigestRun, Notification

WINDOW_DAYS = 2
DIGEST_JOB = "notify-digest"


def fits(req: Requirement, profile: MakerProfile) -> bool:
    """The same rules as the search's "fits me" filter, plus a required process the maker offers."""
    processes = {p.code for p in profile.processes}
    lines = {p.code for p in profile.product_lines}
    if req.processes and not processes & set(req.processes):
        return False
    if lines and req.product_line not in lines:
        return False
    if req.quantity < (profile.min_order_qty or 0) or req.lead_time_days < (profile.order_lead_days or 0):
        return False
    return tx.QUALITY_TIERS.rank(req.min_quality_tier) <= tx.QUALITY_TIERS.rank(profile.quality_tier)


def announce_fitting_requirements(session: Session, now=None, window_days: int = WINDOW_DAYS) -> int:
    """Write the ``new_requirement`` notices of recent open requirements (not committed); returns how many."""
    now = now or utcnow()
    since = now - timedelta(days=window_days)
    users = list(session.scalars(select(User).where(User.role == "maker_user", User.active.is_(True),
                                                    User.organization_id.is_not(None)).order_by(User.id)))
    by_firm: dict[int, list[User]] = defaultdict(list)
    for u in users:
        by_firm[u.organization_id].append(u)
    made = 0
    for org_id, people in by_firm.items():
        profile = session.get(MakerProfile, org_id)
        if profile is None:
            continue
        visible = perm.visible_requirement_filter(people[0])  # what this maker may see, nothing else
        reqs = session.scalars(select(Requirement).where(visible, Requirement.status == "open",
                                                         Requirement.buyer_id != org_id,
                                                         or_(Requirement.created_at >= since,
                                                             Requirement.updated_at >= since))
                               .order_by(Requirement.id))
        for req in reqs:
            if fits(req, profile):
                made += len(nt.notify_users(session, people, "new_requirement", {"title": req.title},
                                            f"/requirements/{req.id}", subject=("requirement", req.id),
                                            dedup_key=f"requirement:{req.id}"))
    return made


def _insert_run(session: Session, user_id: int, day: date) -> bool:
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    done = session.execute(insert(DigestRun).values(user_id=user_id, day=day, items=0, created_at=utcnow())
                           .on_conflict_do_nothing().returning(DigestRun.user_id))
    return done.scalar() is not None  # (rowcount is not reliable for an ORM-enabled INSERT on every driver)


def _pending(user_id: int):
    return (Notification.user_id == user_id, Notification.email_mode == "digest",
            Notification.digest_outbox_id.is_(None))


def send_digests(session: Session, day: date | None = None) -> dict:
    """One digest email per user with waiting notices, at most once per UTC ``day``; commits per user."""
    day = day or utcnow().date()
    waiting = list(session.scalars(select(distinct(Notification.user_id)).where(
        Notification.email_mode == "digest", Notification.digest_outbox_id.is_(None))))
    session.rollback()
    emails = items = 0
    site = nt.base_url()
    for user_id in sorted(waiting):
        if not _insert_run(session, user_id, day):
            session.rollback()
            continue  # this user's digest of the day went out already: the rest waits for tomorrow
        stmt = select(Notification).where(*_pending(user_id)).order_by(Notification.id)
        if session.get_bind().dialect.name == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True)
        notes = list(session.scalars(stmt))
        user = session.get(User, user_id)
        if not notes or user is None or not user.active:
            session.rollback()
            continue
        lang = user.locale or "en"
        lines = [k.translate(lang, k.DIGEST_INTRO), ""]
        lines += [f"- {nt.label(n, lang)}\n  {site}{n.link}" for n in notes]
        lines += ["", k.translate(lang, k.EMAIL_FOOTER, link=f"{site}/notifications/preferences"), "", "-- Matchmaker"]
        row = nt.queue_email(session, user.email, k.translate(lang, k.DIGEST_SUBJECT, count=len(notes)),
                             "\n".join(lines), user_id=user.id, kind="digest")
        session.flush()
        stamped = session.execute(update(Notification).where(Notification.id.in_([n.id for n in notes]),
                                                             Notification.digest_outbox_id.is_(None))
                                  .values(digest_outbox_id=row.id).execution_options(synchronize_session=False))
        if stamped.rowcount != len(notes):  # another run took some of them: this one writes nothing
            session.rollback()
            continue
        run = session.get(DigestRun, (user_id, day))
        run.outbox_id, run.items = row.id, len(notes)
        session.commit()
        emails += 1
        items += len(notes)
    return {"emails": emails, "items": items}


def run_daily(day: str | None = None) -> dict:
    """The job: announce fitting requirements, then send the day's digests (inside an app context)."""
    from .. import db, jobs

    sess = db.session()
    job_id = jobs.current_job_id()
    jobs.progress(job_id, 0.1, "new requirements that fit makers")
    announced = announce_fitting_requirements(sess)
    sess.commit()
    jobs.progress(job_id, 0.5, "digest emails")
    result = send_digests(sess, date.fromisoformat(day) if day else None)
    return {"announced": announced, **result}


