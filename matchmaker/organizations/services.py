"""Reading and writing firms and associations: the one path the API and the pages share.

Each write checks the version the client last read (``db.check_version``), runs in one transaction
and either commits whole or not at all (``db.commit``). A user's edit of a firm's record (here the
organization; the maker and buyer profiles in ``makers.services`` and ``buyers.services``) is logged in
the same transaction by :func:`audit_edit`: who, which fields. Callers pass validated pydantic objects
from ``organizations.schemas``; permission checks stay in the views.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db import changed_fields, check_version, commit
from ..search.outbox import record_change
from ..vetting.audit import audit
from .records import Association, Membership, Organization
from .schemas import AssociationIn, OrganizationIn, OrganizationPatch


def audit_edit(session: Session, actor, organization_id: int, action: str, fields, detail: dict | None = None) -> None:
    """Record who changed which fields of a firm's record in the append-only audit log (``vetting_audit``).

    One row per association the firm belongs to, so each association's log export shows the edits
    of its members (one row without an association for a firm that belongs to none). Edits made
    without a user (demo data, imports) are not users' edits and are not logged.
    """
    if actor is None:
        return
    fields = sorted(fields)
    if not fields:
        return
    assocs = list(session.scalars(select(Membership.association_id)
                                  .where(Membership.organization_id == organization_id)
                                  .order_by(Membership.association_id))) or [None]
    for assoc in assocs:
        audit(session, actor, action, assoc, organization_id, fields=fields, **(detail or {}))


# -- organizations -------------------------------------------------------------------------

def organization_dict(org: Organization) -> dict:
    return {
        "id": org.id, "kind": org.kind, "name": org.name, "legal_name": org.legal_name,
        "description": org.description, "website": org.website, "city": org.city, "state": org.state,
        "country": org.country, "lat": org.lat, "lon": org.lon, "ownership_group_id": org.ownership_group_id,
        "version": org.version,
    }


def create_organization(session: Session, data: OrganizationIn, actor=None) -> Organization:
    org = Organization(**data.model_dump())
    session.add(org)
    session.flush()
    audit_edit(session, actor, org.id, "organization_created", data.model_dump(exclude_unset=True))
    commit(session)
    return org


def update_organization(session: Session, org: Organization, data: OrganizationPatch, actor=None) -> Organization:
    check_version(org, data.version)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    before = {key: getattr(org, key) for key in changes}
    for key, value in changes.items():
        setattr(org, key, value)
    changed = changed_fields(before, changes)
    # the directory fields are public, so the log keeps their old and new values
    audit_edit(session, actor, org.id, "organization_edited", changed,
               {"before": {k: before[k] for k in changed}, "after": {k: changes[k] for k in changed}})
    record_change(session, "makers", org.id)  # a maker's search document carries its firm's name and place
    commit(session)
    return org


# -- associations --------------------------------------------------------------------------

def association_dict(assoc: Association, member_count: int | None = None) -> dict:
    return {"id": assoc.id, "name": assoc.name, "slug": assoc.slug, "sector": assoc.sector,
            "city": assoc.city, "state": assoc.state, "shares_incidents": assoc.shares_incidents,
            "member_count": member_count}


def create_association(session: Session, data: AssociationIn) -> Association:
    assoc = Association(**data.model_dump())
    session.add(assoc)
    commit(session)
    return assoc
