"""Vetting cases: how one opens (an application, a member's proposal) and reopens (a verified incident,
a review date reached).

One open case per subject and association (``uq_vcase_open``): an application or proposal that
loses the race to a parallel one is a :class:`Conflict` (409); a reopening joins the case already
open. Each case records the screening model's score at opening.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..accounts.records import User
from ..organizations.records import Association
from ..errors import Conflict
from . import schemas as s
from .audit import audit
from .records import Incident, Standing, VettingCase
from .screening import assess, sharing_partners
from .services import board_association, check_not_self, commit, reporting_association, subject_org
from ..errors import DomainError
from ..catalog import N_

# the refusal of a lost race (fixed text, so pages show it in the reader's language through the catalog)
ALREADY_OPEN = N_("a case for this firm is already open in this association")


def open_case_for(session: Session, association_id: int) -> dict[int, VettingCase]:
    return {c.subject_id: c for c in session.scalars(select(VettingCase).where(
        VettingCase.association_id == association_id, VettingCase.status == "open"))}


def _open_case(session: Session, actor: User | None, association_id: int, subject_id: int, origin: str,
               note: str = "", reuse_open: bool = True) -> VettingCase:
    """Open a case, or return the open one (``reuse_open``; else an open case is a :class:`Conflict`)."""
    existing = session.scalar(select(VettingCase).where(
        VettingCase.association_id == association_id, VettingCase.subject_id == subject_id,
        VettingCase.status == "open"))
    if existing is not None:
        if not reuse_open:  # an application or proposal that lost a race to a parallel one
            raise Conflict(ALREADY_OPEN)
        return existing
    score = assess(session, [subject_id], association_id)[subject_id]
    case = VettingCase(association_id=association_id, subject_id=subject_id, origin=origin, note=note,
                       opened_by_id=actor.id if actor else None, status="open",
                       opening_score=score.to_dict("en", with_reasons=False))
    session.add(case)
    try:
        session.flush()
    except IntegrityError as exc:
        # a parallel request opened the case first (uq_vcase_open held): one winner, the rest 409
        session.rollback()
        raise Conflict(ALREADY_OPEN) from exc
    audit(session, actor, "case_reopened" if origin in ("new_verified_incident", "review_due") else "case_opened",
          association_id, subject_id, case.id, origin=origin)
    return case


def apply(session: Session, user: User, data: s.ApplicationIn) -> VettingCase:
    """A buyer (or input vendor) asks an association to vet it."""
    if user.organization_id is None:
        raise DomainError("forbidden", "your account has no firm to apply for", status=403)
    subject_org(session, user.organization_id)
    if session.get(Association, data.association_id) is None:
        raise DomainError("not_found", "no association {id}", field="association_id",
                          params={"id": data.association_id}, status=404)
    _refuse_duplicate(session, data.association_id, user.organization_id)
    case = _open_case(session, user, data.association_id, user.organization_id, "application", data.note,
                      reuse_open=False)
    commit(session)
    return case


def propose(session: Session, user: User, data: s.ProposalIn) -> VettingCase:
    """A member firm (or the board/staff) asks its association to vet a subject."""
    subject_org(session, data.subject_id)
    if user.role in ("association_staff", "board_member"):
        assoc = board_association(user, data.association_id)
    else:
        assoc = reporting_association(session, user, data.association_id)
        check_not_self(user, data.subject_id)
    _refuse_duplicate(session, assoc, data.subject_id)
    case = _open_case(session, user, assoc, data.subject_id, "proposal", data.note, reuse_open=False)
    commit(session)
    return case


def _refuse_duplicate(session: Session, association_id: int, subject_id: int) -> None:
    existing = session.scalar(select(VettingCase.id).where(
        VettingCase.association_id == association_id, VettingCase.subject_id == subject_id,
        VettingCase.status == "open"))
    if existing is not None:
        raise Conflict(ALREADY_OPEN)


def reopen_for_incident(session: Session, incident: Incident, actor: User | None) -> list[VettingCase]:
    """A new verified incident reopens the case where the subject has been vetted or is pending."""
    assocs = {incident.association_id}
    partners = sharing_partners(session, incident.association_id)
    if partners:
        assocs |= set(session.scalars(select(Standing.association_id).where(
            Standing.subject_id == incident.subject_id, Standing.association_id.in_(partners))))
    return [_open_case(session, actor, a, incident.subject_id, "new_verified_incident",
                       f"incident {incident.id} verified") for a in sorted(assocs)]


def reopen_due(session: Session, today: date | None = None, association_id: int | None = None) -> int:
    """Open a case for every standing whose review date has come (and has no open case)."""
    today = today or date.today()
    stmt = select(Standing).where(Standing.review_date <= today)
    if association_id is not None:
        stmt = stmt.where(Standing.association_id == association_id)
    n = 0
    for st in session.scalars(stmt).all():
        if session.scalar(select(VettingCase.id).where(
                VettingCase.association_id == st.association_id, VettingCase.subject_id == st.subject_id,
                VettingCase.status == "open")) is None:
            _open_case(session, None, st.association_id, st.subject_id, "review_due",
                       f"review date {st.review_date.isoformat()} reached")
            n += 1
    if n:
        commit(session)
    return n


REOPEN_JOB = "vetting-reopen-due"


def run_reopen_due(day: str | None = None) -> dict:
    """The job (inside an application context; ``notify send`` runs it daily): reopen the cases due on ``day``."""
    from .. import db, jobs

    jobs.progress(jobs.current_job_id(), 0.1, "reopening cases due for review")
    return {"reopened": reopen_due(db.session(), date.fromisoformat(day) if day else None)}
