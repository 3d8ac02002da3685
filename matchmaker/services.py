"""Reading and writing the cluster's records: the one path the API and the pages share.

Each write checks the version the client last read (optimistic locking), runs in
one transaction and either commits whole or not at all. A user's edit of a firm's record
(organization, maker or buyer profile) is logged in the same transaction: who, which fields. Callers pass validated
pydantic objects from ``validation``; permission checks stay in the views.
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from . import validation as v
from .schema import (
    Association, BuyerProfile, Certificate, MakerNiche, MakerProcess, MakerProductLine, MakerProfile,
    Organization, Requirement,
)
from .schema import utcnow
from .taxonomy import size_band
from .errors import Conflict


def commit(session: Session) -> None:
    """Commit, turning a lost race into :class:`Conflict` and leaving nothing half-written."""
    try:
        session.commit()
    except StaleDataError as exc:
        session.rollback()
        raise Conflict("the record was changed by someone else; reload it and try again") from exc
    except IntegrityError as exc:
        session.rollback()
        raise Conflict("the change conflicts with an existing record") from exc


def audit_edit(session: Session, actor, organization_id: int, action: str, fields, detail: dict | None = None) -> None:
    """Record who changed which fields of a firm's record in the append-only audit log (``vetting_audit``).

    One row per association the firm belongs to, so each association's log export shows the edits
    of its members (one row without an association for a firm that belongs to none). Edits made
    without a user (demo data, imports) are not users' edits and are not logged.
    """
    if actor is None:
        return
    from .schema import Membership
    from .vetting.audit import audit

    fields = sorted(fields)
    if not fields:
        return
    assocs = list(session.scalars(select(Membership.association_id)
                                  .where(Membership.organization_id == organization_id)
                                  .order_by(Membership.association_id))) or [None]
    for assoc in assocs:
        audit(session, actor, action, assoc, organization_id, fields=fields, **(detail or {}))


def _changed(before: dict, after: dict) -> list[str]:
    return [k for k in after if before.get(k) != after[k]]


def _check_version(row, version: int) -> None:
    if row.version != version:
        raise Conflict(f"version {version} is stale; the current version is {row.version}")


# -- organizations -------------------------------------------------------------------------

def organization_dict(org: Organization) -> dict:
    return {
        "id": org.id, "kind": org.kind, "name": org.name, "legal_name": org.legal_name,
        "description": org.description, "website": org.website, "city": org.city, "state": org.state,
        "country": org.country, "lat": org.lat, "lon": org.lon, "ownership_group_id": org.ownership_group_id,
        "version": org.version,
    }


def create_organization(session: Session, data: v.OrganizationIn, actor=None) -> Organization:
    org = Organization(**data.model_dump())
    session.add(org)
    session.flush()
    audit_edit(session, actor, org.id, "organization_created", data.model_dump(exclude_unset=True))
    commit(session)
    return org


def update_organization(session: Session, org: Organization, data: v.OrganizationPatch, actor=None) -> Organization:
    _check_version(org, data.version)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    before = {key: getattr(org, key) for key in changes}
    for key, value in changes.items():
        setattr(org, key, value)
    changed = _changed(before, changes)
    # the directory fields are public, so the log keeps their old and new values
    audit_edit(session, actor, org.id, "organization_edited", changed,
               {"before": {k: before[k] for k in changed}, "after": {k: changes[k] for k in changed}})
    _touch_maker_document(session, org.id)
    commit(session)
    return org


# -- maker profiles ------------------------------------------------------------------------

def maker_dict(profile: MakerProfile, org: Organization | None = None) -> dict:
    """The public capability profile: never a maker's clients, orders or prices paid."""
    org = org or profile.organization
    data = {c: getattr(profile, c) for c in MAKER_COLUMNS}
    data.update(
        organization_id=org.id, name=org.name, city=org.city, state=org.state, country=org.country,
        lat=org.lat, lon=org.lon, size_band=size_band(profile.headcount), version=profile.version,
        processes=sorted(p.code for p in profile.processes),
        product_lines=sorted(p.code for p in profile.product_lines),
        niches=sorted(n.code for n in profile.niches),
        certificates=[{"kind": c.kind, "issuer": c.issuer, "number": c.number,
                       "valid_until": c.valid_until.isoformat()} for c in profile.certificates],
    )
    return data


MAKER_COLUMNS = [
    name for name in v.MakerProfileFields.model_fields
    if name not in {"processes", "product_lines", "niches", "certificates"}
]


def maker_dicts(session: Session, ids: list[int]) -> dict[int, dict]:
    """The same public profiles as :func:`maker_dict` for many makers, read with plain rows.

    Search pages hydrate 20 hits at a time; building ORM objects for every process and
    certificate row cost more than the search itself, so this reads five narrow queries.
    """
    from .schema import Certificate, MakerNiche, MakerProcess, MakerProductLine

    if not ids:
        return {}
    prof, org = MakerProfile.__table__, Organization.__table__
    rows = session.execute(
        select(*(prof.c[c] for c in MAKER_COLUMNS), prof.c.organization_id, prof.c.version,
               org.c.name, org.c.city, org.c.state, org.c.country, org.c.lat, org.c.lon)
        .join(org, org.c.id == prof.c.organization_id).where(prof.c.organization_id.in_(ids))).mappings()
    out = {}
    for row in rows:
        data = {c: row[c] for c in MAKER_COLUMNS}
        data.update(organization_id=row["organization_id"], name=row["name"], city=row["city"],
                    state=row["state"], country=row["country"], lat=row["lat"], lon=row["lon"],
                    size_band=size_band(row["headcount"]), version=row["version"],
                    processes=[], product_lines=[], niches=[], certificates=[])
        out[row["organization_id"]] = data
    for key, model in (("processes", MakerProcess), ("product_lines", MakerProductLine), ("niches", MakerNiche)):
        table = model.__table__
        for maker_id, code in session.execute(select(table.c.maker_id, table.c.code)
                                              .where(table.c.maker_id.in_(ids)).order_by(table.c.code)):
            out[maker_id][key].append(code)
    cert = Certificate.__table__
    for maker_id, kind, issuer, number, valid_until in session.execute(
            select(cert.c.maker_id, cert.c.kind, cert.c.issuer, cert.c.number, cert.c.valid_until)
            .where(cert.c.maker_id.in_(ids)).order_by(cert.c.id)):
        out[maker_id]["certificates"].append({"kind": kind, "issuer": issuer, "number": number,
                                              "valid_until": valid_until.isoformat()})
    return out


def _apply_maker(profile: MakerProfile, data: v.MakerProfileFields) -> None:
    for name in MAKER_COLUMNS:
        setattr(profile, name, getattr(data, name))
    profile.processes = [MakerProcess(code=c) for c in data.processes]
    profile.product_lines = [MakerProductLine(code=c) for c in data.product_lines]
    profile.niches = [MakerNiche(code=c) for c in data.niches]
    profile.certificates = [Certificate(**c.model_dump()) for c in data.certificates]


def create_maker_profile(session: Session, org: Organization, data: v.MakerProfileIn, actor=None) -> MakerProfile:
    if org.kind != "maker":
        raise Conflict(f"organization {org.id} is a {org.kind}, not a maker")
    if org.maker_profile is not None:
        raise Conflict(f"organization {org.id} already has a maker profile; update it instead")
    profile = MakerProfile(organization_id=org.id)
    _apply_maker(profile, data)
    session.add(profile)
    audit_edit(session, actor, org.id, "maker_profile_created", data.model_dump(exclude_unset=True))
    _touch_maker_document(session, org.id)
    commit(session)
    return profile


def _maker_fields(profile: MakerProfile) -> dict:
    """The profile as the schema's fields (to tell which ones an edit changed; names only are logged)."""
    data = {name: getattr(profile, name) for name in MAKER_COLUMNS}
    for key in ("processes", "product_lines", "niches"):
        data[key] = sorted(p.code for p in getattr(profile, key))
    data["certificates"] = sorted((c.kind, c.issuer, c.number, c.valid_until.isoformat())
                                  for c in profile.certificates)
    return data


def replace_maker_profile(session: Session, profile: MakerProfile, data: v.MakerProfilePut,
                          actor=None) -> MakerProfile:
    _check_version(profile, data.version)
    before = _maker_fields(profile) if actor is not None else {}
    with session.no_autoflush:
        _apply_maker(profile, data)
        if actor is not None:
            after = {name: getattr(data, name) for name in MAKER_COLUMNS}
            after.update({key: sorted(getattr(data, key)) for key in ("processes", "product_lines", "niches")})
            after["certificates"] = sorted((c.kind, c.issuer, c.number, c.valid_until.isoformat())
                                           for c in data.certificates)
            audit_edit(session, actor, profile.organization_id, "maker_profile_edited", _changed(before, after))
    profile.updated_at = utcnow()  # always UPDATE the row, so the version check runs
    _touch_maker_document(session, profile.organization_id)
    commit(session)
    return profile


def _touch_maker_document(session: Session, organization_id: int) -> None:
    from .search.outbox import record_change
    record_change(session, "makers", organization_id)


# -- buyer profiles ------------------------------------------------------------------------

def buyer_dict(profile: BuyerProfile) -> dict:
    org = profile.organization
    data = profile_fields(profile, v.BuyerProfileIn)
    data.update(organization_id=org.id, name=org.name, country=org.country, city=org.city,
                version=profile.version)
    return data


def profile_fields(row, schema) -> dict:
    return {name: getattr(row, name) for name in schema.model_fields}


def create_buyer_profile(session: Session, org: Organization, data: v.BuyerProfileIn, actor=None) -> BuyerProfile:
    if org.kind not in {"buyer", "buying_agent"}:
        raise Conflict(f"organization {org.id} is a {org.kind}, not a buyer")
    if org.buyer_profile is not None:
        raise Conflict(f"organization {org.id} already has a buyer profile; update it instead")
    profile = BuyerProfile(organization_id=org.id, **data.model_dump())
    session.add(profile)
    audit_edit(session, actor, org.id, "buyer_profile_created", data.model_dump(exclude_unset=True))
    commit(session)
    return profile


def replace_buyer_profile(session: Session, profile: BuyerProfile, data: v.BuyerProfilePut,
                          actor=None) -> BuyerProfile:
    _check_version(profile, data.version)
    changes = data.model_dump(exclude={"version"})
    before = {key: getattr(profile, key) for key in changes}
    for key, value in changes.items():
        setattr(profile, key, value)
    audit_edit(session, actor, profile.organization_id, "buyer_profile_edited", _changed(before, changes))
    commit(session)
    return profile


# -- requirements --------------------------------------------------------------------------

def requirement_dict(req: Requirement) -> dict:
    data = profile_fields(req, v.RequirementFields)
    data.update(id=req.id, buyer_id=req.buyer_id, version=req.version,
                created_at=req.created_at.isoformat() if req.created_at else None)
    return data


def create_requirement(session: Session, buyer_id: int, user_id: int, data: v.RequirementIn) -> Requirement:
    req = Requirement(buyer_id=buyer_id, created_by_id=user_id, **data.model_dump())
    session.add(req)
    session.flush()
    _touch_requirement_document(session, req.id)
    commit(session)
    return req


def replace_requirement(session: Session, req: Requirement, data: v.RequirementPut) -> Requirement:
    _check_version(req, data.version)
    for key, value in data.model_dump(exclude={"version"}).items():
        setattr(req, key, value)
    _touch_requirement_document(session, req.id)
    commit(session)
    return req


def _touch_requirement_document(session: Session, requirement_id: int) -> None:
    from .search.outbox import record_change
    record_change(session, "requirements", requirement_id)


# -- associations --------------------------------------------------------------------------

def association_dict(assoc: Association, member_count: int | None = None) -> dict:
    return {"id": assoc.id, "name": assoc.name, "slug": assoc.slug, "sector": assoc.sector,
            "city": assoc.city, "state": assoc.state, "shares_incidents": assoc.shares_incidents,
            "member_count": member_count}


def create_association(session: Session, data: v.AssociationIn) -> Association:
    assoc = Association(**data.model_dump())
    session.add(assoc)
    commit(session)
    return assoc


def count(session: Session, stmt) -> int:
    return session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
