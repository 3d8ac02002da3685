"""Who may do what: the one module that holds the role rules.

Two layers, both here:

* ``ROUTES`` maps every endpoint to the roles that may call it. A ``before_request``
  hook enforces it for every request, and an endpoint missing from the table is
  refused (fail closed); a test checks that every route of the app is listed and
  walks the whole roles × routes matrix.
* Object rules (``can_*``) decide about one record: a maker edits only its own
  profile, a buyer sees and edits only its own requirements, nobody reads another
  firm's outcome log. Views call them after loading the record.
"""
from __future__ import annotations

from .taxonomy import ROLES

PUBLIC = "public"            # anyone, signed in or not
SIGNED_IN = "signed_in"      # any signed-in user, whatever the role

ALL_ROLES = frozenset(ROLES.codes)
ADMIN = frozenset({"platform_admin"})
MAKERS = frozenset({"maker_user"})
BUYERS = frozenset({"buyer_user"})
ASSOCIATION = frozenset({"association_staff", "board_member", "fair_organizer"})
STAFF = frozenset({"association_staff", "platform_admin"})

ROUTES: dict[str, str | frozenset[str]] = {
    # pages
    "static": PUBLIC,
    "auth.login": PUBLIC,
    "auth.logout": SIGNED_IN,
    "main.index": PUBLIC,
    "main.set_language": PUBLIC,
    "main.home": SIGNED_IN,
    "main.health": PUBLIC,
    "directory.organizations": SIGNED_IN,
    "directory.organization": SIGNED_IN,
    "makers.edit": MAKERS | ADMIN,
    "requirements.mine": BUYERS,
    "requirements.new": BUYERS,
    "requirements.edit": BUYERS | ADMIN,
    "requirements.view": SIGNED_IN,
    # JSON API
    "api.openapi": PUBLIC,
    "api.create_token": PUBLIC,
    "api.list_organizations": SIGNED_IN,
    "api.get_organization": SIGNED_IN,
    "api.create_organization": STAFF,
    "api.update_organization": MAKERS | BUYERS | STAFF,
    "api.list_associations": SIGNED_IN,
    "api.create_association": ADMIN,
    "api.list_makers": SIGNED_IN,
    "api.get_maker": SIGNED_IN,
    "api.create_maker": MAKERS | ADMIN,
    "api.update_maker": MAKERS | ADMIN,
    "api.list_buyers": SIGNED_IN,
    "api.get_buyer": SIGNED_IN,
    "api.create_buyer": BUYERS | ADMIN,
    "api.update_buyer": BUYERS | ADMIN,
    "api.list_requirements": SIGNED_IN,
    "api.get_requirement": SIGNED_IN,
    "api.create_requirement": BUYERS,
    "api.update_requirement": BUYERS | ADMIN,
    "api.list_outcomes": MAKERS | BUYERS | ADMIN,
    "api.search_makers_api": SIGNED_IN,
    "api.search_requirements_api": MAKERS | ASSOCIATION | STAFF,
}


def route_allows(endpoint: str | None, user) -> int | None:
    """``None`` when ``user`` may call ``endpoint``; else the HTTP status to answer (401 or 403)."""
    rule = ROUTES.get(endpoint or "")
    if rule is None:
        return 403 if user is not None else 401
    if rule == PUBLIC:
        return None
    if user is None:
        return 401
    if rule == SIGNED_IN or user.role in rule:
        return None
    return 403


def is_admin(user) -> bool:
    return user is not None and user.role == "platform_admin"


def acts_for(user, organization_id: int | None) -> bool:
    """The user works for this firm (its own maker or buyer account)."""
    return user is not None and organization_id is not None and user.organization_id == organization_id


def can_edit_organization(user, organization) -> bool:
    return is_admin(user) or user.role == "association_staff" or acts_for(user, organization.id)


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
    return requirement.status == "open"


def can_edit_requirement(user, requirement) -> bool:
    return is_admin(user) or (user.role == "buyer_user" and acts_for(user, requirement.buyer_id))


def can_view_outcomes(user, organization_id: int) -> bool:
    """A firm's outcome log reveals its clients: only the firm itself (and the platform admin)."""
    return is_admin(user) or acts_for(user, organization_id)


def visible_requirement_filter(user):
    """A SQL condition selecting the requirements ``user`` may list."""
    from sqlalchemy import or_, true

    from .schema import Requirement

    if is_admin(user):
        return true()
    own = Requirement.buyer_id == user.organization_id
    if user.role == "buyer_user":
        return own
    return or_(Requirement.status == "open", own)
