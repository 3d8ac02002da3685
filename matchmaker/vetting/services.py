"""The vetting workflow: reports → case → votes → decision → right of reply → reopening.

Its steps live one concept a module: ``reports`` (members report payments, incidents with their
evidence, references; the board verifies incidents), ``cases`` (a buyer applies, a member proposes,
cases reopen on a verified incident or a due review), ``decisions`` (recusal, the board's votes and
its decision) and ``replies`` (the subject's right of reply). Here is what they share: the one
commit, who may act where (the subject, the reporting association, the board's association), and
writing a subject's standing. Reading standings and clearance is ``vetting.clearance``; the audit
log is ``vetting.audit``.

Every write runs in one transaction and commits whole or not at all (evidence files written
before a failed commit are deleted again). Role checks that depend on the record (recusal,
one vote per member, which association) are in these modules and in ``vetting.access``; each view's
``@allow`` runs first. Views call the ``*_view`` functions of ``vetting.views``, which decide what each
audience may see:

* board and staff of the case's association: everything, reporters included (shared incidents
  of another association come without their reporter);
* members (makers): the decision, the risk band and aggregated signals, never a description or
  a reporter;
* the subject itself: its standing and the incidents against it, never who reported them;
* board and staff looking at a subject's status: their own association's standing and cases, and
  only the incidents their association may see (its own, plus verified shared ones).
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..access import is_admin
from ..accounts.records import User
from ..organizations.records import Membership, Organization
from ..records import utcnow
from ..requirements.records import Requirement
from ..search.outbox import record_change
from ..errors import Conflict
from .records import SUBJECT_KINDS, Decision, Standing
from .audit import AUDIT_ACTIONS, AUDIT_COLUMNS, audit, audit_csv  # noqa: F401  (re-exported)
from .clearance import CLEARED, cleared_subjects, is_cleared, standings, under_review  # noqa: F401  (re-exported)
from ..errors import DomainError


def commit(session: Session) -> None:
    """Commit the step whole; a unique constraint it hits (a parallel request won) is a :class:`Conflict`."""
    try:
        session.commit()
    except IntegrityError as exc:
        session.rollback()
        raise Conflict("the change conflicts with an existing record") from exc


# -- who and where ----------------------------------------------------------------------------

def subject_org(session: Session, subject_id: int, field: str = "subject_id") -> Organization:
    org = session.get(Organization, subject_id)
    if org is None:
        raise DomainError("not_found", "no organization {id}", field=field, params={"id": subject_id}, status=404)
    if org.kind not in SUBJECT_KINDS:
        raise DomainError("invalid", "organization {id} is a {kind}: only buyers, buying agents and input vendors "
                          "are vetted", field=field, params={"id": subject_id, "kind": org.kind})
    return org


def member_associations(session: Session, org_id: int | None) -> list[int]:
    if org_id is None:
        return []
    return list(session.scalars(select(Membership.association_id).where(Membership.organization_id == org_id)
                                .order_by(Membership.association_id)))


#: the association a viewer whose firm belongs to none reads the records of: no association's
NO_ASSOCIATION = -1


def viewer_association(session: Session, user: User) -> int | None:
    """Whose records ``user`` reads: its own association (staff, board), its firm's first one (members),
    every association's (None) for the platform admin only. A firm of no association reads no one's
    records (:data:`NO_ASSOCIATION`): None would be the admin's unscoped view, counts from every
    association, hearsay included, which members of those associations never share."""
    if is_admin(user):
        return None
    if user.association_id is not None:
        return user.association_id
    mine = member_associations(session, user.organization_id)
    return mine[0] if mine else NO_ASSOCIATION


def reporting_association(session: Session, user: User, requested: int | None) -> int:
    """The association a member's report goes to: one its firm belongs to."""
    if user.organization_id is None:
        raise DomainError("forbidden", "reports come from a member firm; your account has no firm",
                          status=403)
    mine = member_associations(session, user.organization_id)
    if requested is not None:
        if requested not in mine:
            raise DomainError("forbidden", "your firm is not a member of association {id}",
                              params={"id": requested}, field="association_id", status=403)
        return requested
    if user.association_id in mine:
        return user.association_id
    if not mine:
        raise DomainError("forbidden", "your firm is not a member of any association", status=403)
    return mine[0]


def board_association(user: User, requested: int | None) -> int:
    """Staff and board act for their own association only."""
    if user.association_id is None:
        raise DomainError("forbidden", "your account is not attached to an association", status=403)
    if requested is not None and requested != user.association_id:
        raise DomainError("forbidden", "you act only for your own association", field="association_id",
                          status=403)
    return user.association_id


# -- reports ----------------------------------------------------------------------------------

def check_not_self(user: User, subject_id: int) -> None:
    if user.organization_id == subject_id:
        raise DomainError("invalid", "a firm cannot report about itself", field="subject_id")


# -- standings ----------------------------------------------------------------------------------

def set_standing(session: Session, association_id: int, subject_id: int, decision: Decision) -> None:
    """Replace the standing and queue the subject's requirements for the search index (same transaction)."""
    st = session.get(Standing, (association_id, subject_id))
    if st is None:
        st = Standing(association_id=association_id, subject_id=subject_id)
        session.add(st)
    st.outcome, st.conditions, st.decision_id = decision.outcome, list(decision.conditions), decision.id
    st.review_date, st.updated_at = decision.review_date, utcnow()
    # The index keeps the highest document version, so the requirement rows are touched (their
    # optimistic-lock version goes up) and re-queued: the new clearance reaches the index.
    for req in session.scalars(select(Requirement).where(Requirement.buyer_id == subject_id)):
        req.updated_at = utcnow()
        record_change(session, "requirements", req.id)
