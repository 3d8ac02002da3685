"""Standings and clearance: which buyers an association (or any) has approved, and who is under review.

What gating reads (search, fairs, contact, the permission rules), kept below the workflow so that
reading a standing never imports the vetting services.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .records import Standing, VettingCase

CLEARED = ("approved", "approved_with_conditions")


def standings(session: Session, subject_ids, association_id: int | None = None) -> dict[int, Standing]:
    """The standing per subject: in ``association_id``, or the most recent across associations."""
    ids = list(subject_ids)
    if not ids:
        return {}
    stmt = select(Standing).where(Standing.subject_id.in_(ids))
    if association_id is not None:
        stmt = stmt.where(Standing.association_id == association_id)
    out: dict[int, Standing] = {}
    for st in session.scalars(stmt.order_by(Standing.updated_at)):
        out[st.subject_id] = st  # latest wins
    return out


def cleared_subjects(session: Session, subject_ids, association_id: int | None = None) -> set[int]:
    ids = list(subject_ids)
    if not ids:
        return set()
    stmt = select(Standing.subject_id).where(Standing.subject_id.in_(ids), Standing.outcome.in_(CLEARED))
    if association_id is not None:
        stmt = stmt.where(Standing.association_id == association_id)
    return set(session.scalars(stmt))


def is_cleared(session: Session, buyer_id: int, association_id: int | None = None) -> bool:
    """Approved or approved with conditions (by ``association_id``, or by any association)."""
    return buyer_id in cleared_subjects(session, [buyer_id], association_id)


def under_review(session: Session, subject_ids, association_id: int | None = None) -> set[int]:
    stmt = select(VettingCase.subject_id).where(VettingCase.subject_id.in_(list(subject_ids)),
                                                VettingCase.status == "open")
    if association_id is not None:
        stmt = stmt.where(VettingCase.association_id == association_id)
    return set(session.scalars(stmt))


# Who reads a firm's standing (outcome, conditions, review date, under review): the makers who deal with
# vetted firms, the association's people, the platform admin, and the firm itself. Never a rival
# subject: a vendor does not see another vendor's standing, nor a buyer another buyer's (audit item 1).
STANDING_READER_ROLES = frozenset({"maker_user", "association_staff", "board_member", "fair_organizer",
                                   "platform_admin"})


def may_see_standing(user, subject_id: int) -> bool:
    """True when ``user`` may read ``subject_id``'s vetting standing (see ``STANDING_READER_ROLES``)."""
    if user is None:
        return False
    if user.role in STANDING_READER_ROLES:
        return True
    return user.organization_id is not None and user.organization_id == subject_id
