"""Searchable documents built from database rows: the index mappings and the row → document step.

A document's ``version`` must grow with every change that affects it, because the
index refuses a lower version (so a late, stale write can never overwrite a newer
one). Maker documents combine two optimistic-lock counters, the organization's
and the profile's; both only grow, so their sum does too.

Requirements are indexed whatever their status, with ``status`` and
``buyer_cleared`` as filterable fields: the index never has to delete a
document when a requirement closes, so ordering of updates stays safe.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from indexing import Field, IndexSpec
from indexing import synonyms as trade_synonyms

from .. import taxonomy as tx
from ..makers.records import MakerProfile
from ..organizations.records import Membership, Organization
from ..requirements.records import Requirement

MAKERS = "makers"
REQUIREMENTS = "requirements"

CERT_VALID_FIELDS = {code: f"cert_valid_{code}" for code in tx.CERTIFICATES.codes}

#: Version 2 (issue 12): completion on names, trade synonyms, ``row_id`` for id order in lists.
#: A deployment on version 1 needs ``flask index rebuild``.
MAKER_SPEC = IndexSpec(MAKERS, 2, (
    Field("name", "text", 3.0, complete=True),
    Field("row_id", "integer"),
    Field("about", "text", 1.0),
    Field("capabilities", "text", 2.0),
    Field("name_sort", "keyword"),
    Field("processes", "keyword"),
    Field("product_lines", "keyword"),
    Field("niches", "keyword"),
    Field("certificates", "keyword"),
    Field("state", "keyword"),
    Field("city", "keyword"),
    Field("country", "keyword"),
    Field("service_tier", "keyword"),
    Field("quality_tier", "keyword"),
    Field("quality_rank", "integer"),
    Field("size_band", "keyword"),
    Field("associations", "keyword"),
    Field("headcount", "integer"),
    Field("monthly_capacity", "integer"),
    Field("available_capacity", "integer"),
    Field("min_order_qty", "integer"),
    Field("order_lead_days", "integer"),
    Field("sample_lead_days", "integer"),
    Field("design_capability", "boolean"),
    Field("export_experience", "boolean"),
    Field("location", "geo_point"),
    *(Field(name, "date") for name in CERT_VALID_FIELDS.values()),
    # the rest of the public profile (makers.services.maker_dict), so a page is drawn from the index alone
    *(Field(name, kind) for name, kind in (
        ("profile_version", "integer"), ("peak_spare_capacity", "integer"), ("committed_share", "float"),
        ("reject_rate_pct", "float"), ("ordered_lists", "keyword"), ("own_brand", "boolean"),
        ("export_share_pct", "float"), ("subcontracts", "boolean"),
        ("separate_export_facility", "boolean"), ("unit_price_min", "float"), ("unit_price_max", "float"),
        ("founded_year", "integer"), ("cert_records", "keyword"))),
), synonyms=trade_synonyms.load())

#: Certificate records in ``cert_records``: zero-padded id (keeps the database's order), kind, issuer,
#: number, valid until, joined by a unit separator. ``ordered_lists``: list name, position, value (keyword
#: lists come back sorted, these keep the profile's order).
_SEP = "\x1f"

REQUIREMENT_SPEC = IndexSpec(REQUIREMENTS, 2, (
    Field("title", "text", 3.0, complete=True),
    Field("row_id", "integer"),
    Field("buyer_id", "keyword"),
    Field("style_text", "text", 1.5),
    Field("capabilities", "text", 1.0),
    Field("product_line", "keyword"),
    Field("processes", "keyword"),
    Field("certificates", "keyword"),
    Field("status", "keyword"),
    Field("buyer_country", "keyword"),
    Field("buyer_cleared", "boolean"),
    Field("quantity", "integer"),
    Field("lead_time_days", "integer"),
    Field("min_quality_rank", "integer"),
    Field("created_at", "date"),
), synonyms=trade_synonyms.load())

SPECS = {MAKERS: MAKER_SPEC, REQUIREMENTS: REQUIREMENT_SPEC}


def _labels(vocab: tx.Vocabulary, codes: Iterable[str]) -> str:
    """Both languages' labels, so "lavandería" and "laundry" both find a laundry."""
    return " ".join(f"{vocab.label(c, 'es')} {vocab.label(c, 'en')}" for c in codes)


def maker_document(profile: MakerProfile, association_ids: list[int]) -> dict:
    org = profile.organization
    processes = [p.code for p in profile.processes]
    lines = [p.code for p in profile.product_lines]
    niches = [n.code for n in profile.niches]
    doc = {
        "id": str(org.id),
        "version": org.version + profile.version,
        "name": org.name,
        "row_id": org.id,
        "name_sort": org.name.lower(),
        "about": profile.about,
        "capabilities": " ".join([_labels(tx.PRODUCT_LINES, lines), _labels(tx.NICHES, niches),
                                  _labels(tx.PROCESS_STAGES, processes)]),
        "processes": processes,
        "product_lines": lines,
        "niches": niches,
        "certificates": sorted({c.kind for c in profile.certificates}),
        "state": org.state,
        "city": org.city,
        "country": org.country,
        "service_tier": profile.service_tier,
        "quality_tier": profile.quality_tier,
        "quality_rank": tx.QUALITY_TIERS.rank(profile.quality_tier),
        "size_band": tx.size_band(profile.headcount),
        "associations": [str(a) for a in association_ids],
        "headcount": profile.headcount,
        "monthly_capacity": profile.monthly_capacity,
        "available_capacity": int(profile.monthly_capacity * (1 - (profile.committed_share or 0))),
        "min_order_qty": profile.min_order_qty,
        "order_lead_days": profile.order_lead_days,
        "sample_lead_days": profile.sample_lead_days,
        "design_capability": profile.design_capability,
        "export_experience": profile.export_experience,
    }
    doc.update(
        profile_version=profile.version, peak_spare_capacity=profile.peak_spare_capacity,
        committed_share=profile.committed_share, reject_rate_pct=profile.reject_rate_pct,
        ordered_lists=[_SEP.join([name, f"{i:03d}", value]) for name in _ORDERED
                       for i, value in enumerate(getattr(profile, name) or [])],
        own_brand=profile.own_brand, export_share_pct=profile.export_share_pct,
        subcontracts=profile.subcontracts, separate_export_facility=profile.separate_export_facility,
        unit_price_min=profile.unit_price_min, unit_price_max=profile.unit_price_max,
        founded_year=profile.founded_year,
        cert_records=[_SEP.join([f"{c.id:012d}", c.kind, c.issuer, c.number, c.valid_until.isoformat()])
                      for c in profile.certificates])
    if org.lat is not None and org.lon is not None:
        doc["location"] = {"lat": org.lat, "lon": org.lon}
    for cert in profile.certificates:
        key = CERT_VALID_FIELDS.get(cert.kind)
        if key and (doc.get(key) is None or cert.valid_until.isoformat() > doc[key]):
            doc[key] = cert.valid_until.isoformat()
    return doc


_ORDERED = ("lab_tests", "languages")
_SCALAR_KEYWORDS = ("service_tier", "quality_tier", "city", "state", "country")
_FLOATS = ("committed_share", "reject_rate_pct", "export_share_pct", "unit_price_min", "unit_price_max")


def maker_card(source: dict) -> dict:
    """The public profile (the shape of ``makers.services.maker_dict``) from a maker document's stored source."""
    from ..makers.services import MAKER_COLUMNS

    card = {c: source.get(c) for c in MAKER_COLUMNS}
    for name in _SCALAR_KEYWORDS:
        value = source.get(name)
        card[name] = value[0] if isinstance(value, list) and value else (value or None)
    for name in _FLOATS:  # JSON engines give back 0.0 as 0
        if card.get(name) is not None:
            card[name] = float(card[name])
    card["about"] = source.get("about") or ""
    for name in _ORDERED:
        card[name] = []
    for record in source.get("ordered_lists", []):
        name, _, value = record.split(_SEP)
        card[name].append(value)
    loc = source.get("location") or {}
    certificates = []
    for record in source.get("cert_records", []):
        _, kind, issuer, number, valid_until = record.split(_SEP)
        certificates.append({"kind": kind, "issuer": issuer, "number": number, "valid_until": valid_until})
    card.update(organization_id=int(source["id"]), name=source.get("name"), lat=loc.get("lat"), lon=loc.get("lon"),
                size_band=source.get("size_band", [None])[0], version=source.get("profile_version"),
                processes=list(source.get("processes", [])), product_lines=list(source.get("product_lines", [])),
                niches=list(source.get("niches", [])), certificates=certificates)  # copies: sources are shared
    return card


def requirement_document(req: Requirement, buyer_cleared: bool = True) -> dict:
    return {
        "id": str(req.id),
        "version": req.version,
        "title": req.title,
        "row_id": req.id,
        "buyer_id": str(req.buyer_id),
        "style_text": req.style_text,
        "capabilities": " ".join([_labels(tx.PRODUCT_LINES, [req.product_line]),
                                  _labels(tx.PROCESS_STAGES, req.processes), _labels(tx.NICHES, req.niches)]),
        "product_line": req.product_line,
        "processes": list(req.processes),
        "certificates": list(req.certificates),
        "status": req.status,
        "buyer_country": req.buyer.country,
        "buyer_cleared": buyer_cleared,
        "quantity": req.quantity,
        "lead_time_days": req.lead_time_days,
        "min_quality_rank": tx.QUALITY_TIERS.rank(req.min_quality_tier),
        "created_at": req.created_at.isoformat(),
    }


def _memberships(session: Session, org_ids: list[int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    rows = session.execute(select(Membership.organization_id, Membership.association_id)
                           .where(Membership.organization_id.in_(org_ids)))
    for org_id, assoc_id in rows:
        out.setdefault(org_id, []).append(assoc_id)
    return out


def maker_documents(session: Session, ids: list[int] | None = None, batch: int = 1000) -> Iterator[dict]:
    """Documents for the given makers (or all), read in batches."""
    stmt = (select(MakerProfile).options(selectinload(MakerProfile.organization))
            .order_by(MakerProfile.organization_id))
    if ids is not None:
        stmt = stmt.where(MakerProfile.organization_id.in_(ids))
    last = 0
    while True:
        rows = session.scalars(stmt.where(MakerProfile.organization_id > last).limit(batch)).all()
        if not rows:
            return
        members = _memberships(session, [r.organization_id for r in rows])
        for profile in rows:
            yield maker_document(profile, members.get(profile.organization_id, []))
        last = rows[-1].organization_id
        session.expunge_all()


def requirement_documents(session: Session, ids: list[int] | None = None, batch: int = 1000) -> Iterator[dict]:
    from ..vetting.clearance import cleared_subjects as cleared_buyers

    stmt = select(Requirement).options(selectinload(Requirement.buyer)).order_by(Requirement.id)
    if ids is not None:
        stmt = stmt.where(Requirement.id.in_(ids))
    last = 0
    while True:
        rows = session.scalars(stmt.where(Requirement.id > last).limit(batch)).all()
        if not rows:
            return
        cleared = cleared_buyers(session, {r.buyer_id for r in rows})
        for req in rows:
            yield requirement_document(req, req.buyer_id in cleared)
        last = rows[-1].id
        session.expunge_all()


DOCUMENTS = {MAKERS: maker_documents, REQUIREMENTS: requirement_documents}


def existing_ids(session: Session, index: str, ids: list[int]) -> set[int]:
    column = MakerProfile.organization_id if index == MAKERS else Requirement.id
    return set(session.scalars(select(column).where(column.in_(ids))))


__all__ = ["MAKERS", "REQUIREMENTS", "SPECS", "DOCUMENTS", "Organization"]
