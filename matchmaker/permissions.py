"""Object rules of the core records: organizations, maker and buyer profiles, requirements, outcome logs.

Who reaches a route at all is each view's ``@allow`` declaration (``matchmaker.access``, with the role
constants). These rules decide about one record after the view loads it: a maker edits only its own
profile, a buyer sees and edits only its own requirements, nobody reads another firm's outcome log.
Each concern keeps its own object rules beside its views (``vetting/access.py``, ``fairs/access.py``,
``orders/access.py``, ...); these stay here until the core records get their own packages.
"""
from __future__ import annotations

from .access import acts_for, is_admin  # callers of the core rules read these here too


def can_edit_organization(user, organization) -> bool:
    """The firm itself, the platform admin, and staff of an association the firm is a member of.

    A buyer (never a member) and another association's maker are not the staff's to edit.
    """
    if is_admin(user) or acts_for(user, organization.id):
        return True
    return user is not None and user.role == "association_staff" and is_member_of(organization.id,
                                                                                 user.association_id)


def is_member_of(organization_id: int, association_id: int | None) -> bool:
    if association_id is None:
        return False
    from sqlalchemy import select

    from . import db
    from .organizations.records import Membership
    return db.session().scalar(select(Membership.organization_id).where(
        Membership.organization_id == organization_id, Membership.association_id == association_id)) is not None


def can_edit_maker_profile(user, organization) -> bool:
    if is_admin(user):
        return True
    return user.role == "maker_user" and acts_for(user, organization.id) and organization.kind == "maker"


def can_edit_buyer_profile(user, organization) -> bool:
    if is_admin(user):
        return True
    return (user.role == "buyer_user" and acts_for(user, organization.id)
            and organization.kind in {"buyer", "buying_agent"})


def can_view_requirement(user, requirement) -> bool:
    """Owners see all their requirements; others see only open ones; drafts stay private."""
    if acts_for(user, requirement.buyer_id) or is_admin(user):
        return True
    if user.role == "buyer_user":
        return False  # a buyer never sees a competitor's requests
    if requirement.status != "open":
        return False
    if user.role == "maker_user":  # makers deal only with buyers an association cleared
        from . import db
        from .vetting.clearance import is_cleared
        return is_cleared(db.session(), requirement.buyer_id)
    return True


def can_edit_requirement(user, requirement) -> bool:
    return is_admin(user) or (user.role == "buyer_user" and acts_for(user, requirement.buyer_id))


def can_view_outcomes(user, organization_id: int) -> bool:
    """A firm's outcome log reveals its clients: only the firm itself (and the platform admin)."""
    return is_admin(user) or acts_for(user, organization_id)


def visible_requirement_filter(user):
    """A SQL condition selecting the requirements ``user`` may list.

    Makers see only the open requirements of buyers an association cleared;
    association staff see every open one (they vet the rest).
    """
    from sqlalchemy import and_, or_, select, true

    from .requirements.records import Requirement
    from .vetting.records import Standing
    from .vetting.clearance import CLEARED

    if is_admin(user):
        return true()
    own = Requirement.buyer_id == user.organization_id
    if user.role == "buyer_user":
        return own
    open_ = Requirement.status == "open"
    if user.role == "maker_user":
        cleared = select(Standing.subject_id).where(Standing.outcome.in_(CLEARED))
        return or_(and_(open_, Requirement.buyer_id.in_(cleared)), own)
    return or_(open_, own)
