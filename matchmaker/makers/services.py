"""Reading and writing makers' capability profiles: the one path the API, the pages and the search share.

Each write checks the version the client last read (``db.check_version``), runs in one transaction with
the search outbox row and the audit log row of a user's edit (``organizations.services.audit_edit``:
who, which fields), and either commits whole or not at all. Callers pass validated pydantic objects
from ``makers.schemas``; permission checks stay in the views. ``maker_dict`` is the public profile:
never a maker's clients, orders or prices paid.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db import changed_fields, check_version, commit
from ..errors import Conflict
from ..organizations.records import Organization
from ..organizations.services import audit_edit
from ..records import utcnow
from ..search.outbox import record_change
from ..taxonomy import size_band
from .records import Certificate, MakerNiche, MakerProcess, MakerProductLine, MakerProfile
from .schemas import MakerProfileFields, MakerProfileIn, MakerProfilePut


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
    name for name in MakerProfileFields.model_fields
    if name not in {"processes", "product_lines", "niches", "certificates"}
]


def maker_dicts(session: Session, ids: list[int]) -> dict[int, dict]:
    """The same public profiles as :func:`maker_dict` for many makers, read with plain rows.

    Search pages hydrate 20 hits at a time; building ORM objects for every process and
    certificate row cost more than the search itself, so this reads five narrow queries.
    """
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


def _apply_maker(profile: MakerProfile, data: MakerProfileFields) -> None:
    for name in MAKER_COLUMNS:
        setattr(profile, name, getattr(data, name))
    profile.processes = [MakerProcess(code=c) for c in data.processes]
    profile.product_lines = [MakerProductLine(code=c) for c in data.product_lines]
    profile.niches = [MakerNiche(code=c) for c in data.niches]
    profile.certificates = [Certificate(**c.model_dump()) for c in data.certificates]


def create_maker_profile(session: Session, org: Organization, data: MakerProfileIn, actor=None) -> MakerProfile:
    if org.kind != "maker":
        raise Conflict("organization {id} is a {kind}, not a maker", params={"id": org.id, "kind": org.kind})
    if org.maker_profile is not None:
        raise Conflict("organization {id} already has a maker profile; update it instead", params={"id": org.id})
    profile = MakerProfile(organization_id=org.id)
    _apply_maker(profile, data)
    session.add(profile)
    audit_edit(session, actor, org.id, "maker_profile_created", data.model_dump(exclude_unset=True))
    touch_maker_document(session, org.id)
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


def replace_maker_profile(session: Session, profile: MakerProfile, data: MakerProfilePut,
                          actor=None) -> MakerProfile:
    check_version(profile, data.version)
    before = _maker_fields(profile) if actor is not None else {}
    with session.no_autoflush:
        _apply_maker(profile, data)
        if actor is not None:
            after = {name: getattr(data, name) for name in MAKER_COLUMNS}
            after.update({key: sorted(getattr(data, key)) for key in ("processes", "product_lines", "niches")})
            after["certificates"] = sorted((c.kind, c.issuer, c.number, c.valid_until.isoformat())
                                           for c in data.certificates)
            audit_edit(session, actor, profile.organization_id, "maker_profile_edited", changed_fields(before, after))
    profile.updated_at = utcnow()  # always UPDATE the row, so the version check runs
    touch_maker_document(session, profile.organization_id)
    commit(session)
    return profile


def touch_maker_document(session: Session, organization_id: int) -> None:
    """Queue the maker's search document for re-indexing, in the same transaction as the change."""
    record_change(session, "makers", organization_id)
