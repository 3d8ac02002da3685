"""Vetting's object rules: which association's cases a user reviews, votes on, and whose status it reads.

Who reaches a vetting route at all is each view's ``@allow`` (``matchmaker.access``: ``REVIEWERS``,
``BOARD``, ``SUBJECTS``...). Here, after the record is loaded: board and staff see only their own
association's cases and reporters, only the board votes (recusal is checked on top, in
``vetting.decisions``), and a buyer or vendor reads and answers only its own status.
"""
from __future__ import annotations

from ..access import SUBJECTS, acts_for, is_admin


def can_review_association(user, association_id: int | None) -> bool:
    """Board members and staff of the association (and the platform admin) see case details and reporters."""
    if is_admin(user):
        return True
    return (user is not None and user.role in {"board_member", "association_staff"}
            and association_id is not None and user.association_id == association_id)


def can_review_case(user, case) -> bool:
    return can_review_association(user, case.association_id)


def can_vote_on_case(user, case) -> bool:
    """Board members of the case's association; recusal is checked on top (vetting.decisions)."""
    return user is not None and user.role == "board_member" and user.association_id == case.association_id


def can_view_subject_status(user, subject_id: int) -> bool:
    """The subject's own status page: the subject itself, board, staff, admin; never another buyer."""
    if is_admin(user) or (user is not None and user.role in {"board_member", "association_staff"}):
        return True
    return user is not None and user.role in SUBJECTS and acts_for(user, subject_id)


def can_reply_as_subject(user, subject_id: int) -> bool:
    return user is not None and user.role in SUBJECTS and acts_for(user, subject_id)
