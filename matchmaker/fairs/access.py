"""Trade fairs' object rules: which association's organizer runs a fair, and whose agenda is whose.

Who reaches a fair route at all is each view's ``@allow`` (``matchmaker.access``: ``FAIR_RUNNERS``,
``FAIR_PEOPLE``...). Here, after the fair or participant is loaded: only the hosting association's
organizer (or the platform admin) runs a fair; a buyer or maker acts only for its own firm; a
meeting's check-in code is scanned by the organizer or the meeting's *other* side.
"""
from __future__ import annotations

from ..access import acts_for, is_admin


def can_run_fair(user, association_id: int | None) -> bool:
    """The hosting association's fair organizer (or the platform admin) runs a fair."""
    if is_admin(user):
        return True
    return (user is not None and user.role == "fair_organizer"
            and association_id is not None and user.association_id == association_id)


def can_register_at_fair(user, association_id: int | None, organization_id: int) -> bool:
    """The organizer registers anyone; a buyer or maker user registers only its own firm."""
    if can_run_fair(user, association_id):
        return True
    return user is not None and user.role in {"buyer_user", "maker_user"} and acts_for(user, organization_id)


def can_view_fair_participant(user, association_id: int | None, organization_id: int) -> bool:
    """A participant's agenda, requests and settings: its own firm and the organizer, nobody else."""
    return can_run_fair(user, association_id) or acts_for(user, organization_id)


def can_check_in_fair_meeting(user, association_id: int | None, counterpart_organization_id: int) -> bool:
    """A check-in code on one side's agenda is scanned by the organizer or by the meeting's other side
    (whose firm is ``counterpart_organization_id``), never by the side that holds it."""
    return can_run_fair(user, association_id) or (
        user is not None and user.role in {"buyer_user", "maker_user"} and acts_for(user, counterpart_organization_id))
