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
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from indexing import Field, IndexSpec
from indexing import synonyms as trade_synonyms

from .. import taxonomy as tx
from ..makers.records import Certificate, MakerNiche, MakerProcess, MakerProductLine, MakerProfile
from ..organizations.records import Membership, Organization
from ..requirements.records import Requirement

MAKERS = "makers"
REQUIREMENTS = "requirements"

CERT_VALID_FIELDS = {code: f"cert_valid_{code}" for code in tx.CERTIFICATES.codes}

#: Version 2 (issue 12): completion on names, trade synonyms, ``row_id`` for id order in lists.
#: Version 3: ``capabilities`` also holds the garments of the product lines (``tx.PRODUCT_LINE_GARMENTS``).
#: A deployment on an older version needs ``flask index rebuild`` (``flask index status`` says so).
MAKER_SPEC = IndexSpec(MAKERS, 3, (
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


@lru_cache(maxsize=4096)
def _label(vocab: tx.Vocabulary, code: str) -> str:
    return f"{vocab.label(code, 'es')} {vocab.label(code, 'en')}"


def _labels(vocab: tx.Vocabulary, codes: Iterable[str]) -> str:
    """Both languages' labels, so "lavandería" and "laundry" both find a laundry."""
    return " ".join(_label(vocab, c) for c in codes)


def _garments(lines: Iterable[str]) -> str:
    """The garments of the product lines, each once, so "jeans" finds a line labelled "Pantalón vaquero"."""
    return " ".join(dict.fromkeys(g for c in lines for g in tx.PRODUCT_LINE_GARMENTS.get(c, ())))


def maker_document(profile: MakerProfile, association_ids: list[int]) -> dict:
    """The document of one loaded profile (its organization, processes, lines, niches and certificates);
    codes in code order and certificates in id order, as :func:`maker_documents` reads them."""
    return _maker_doc(profile, profile.organization, sorted(p.code for p in profile.processes),
                      sorted(p.code for p in profile.product_lines), sorted(n.code for n in profile.niches),
                      sorted(profile.certificates, key=lambda c: c.id), association_ids)


def _maker_doc(profile, org, processes: list[str], lines: list[str], niches: list[str], certificates,
               association_ids: list[int]) -> dict:
    """``profile`` and ``org``: a MakerProfile and Organization, or rows of their tables (same attributes);
    ``certificates``: Certificate objects or rows."""
    doc = {
        "id": str(org.id),
        "version": org.version + profile.version,
        "name": org.name,
        "row_id": org.id,
        "name_sort": org.name.lower(),
        "about": profile.about,
        "capabilities": " ".join([_labels(tx.PRODUCT_LINES, lines), _garments(lines), _labels(tx.NICHES, niches),
                                  _labels(tx.PROCESS_STAGES, processes)]),
        "processes": processes,
        "product_lines": lines,
        "niches": niches,
        "certificates": sorted({c.kind for c in certificates}),
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
                      for c in certificates])
    if org.lat is not None and org.lon is not None:
        doc["location"] = {"lat": org.lat, "lon": org.lon}
    for cert in certificates:
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
    """The document of one loaded requirement (its buyer loaded too)."""
    return _requirement_doc(req, req.buyer.country, buyer_cleared)


def _requirement_doc(req, buyer_country: str, buyer_cleared: bool) -> dict:
    """``req``: a Requirement or a row of its table (same attributes)."""
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
        "buyer_country": buyer_country,
        "buyer_cleared": buyer_cleared,
        "quantity": req.quantity,
        "lead_time_days": req.lead_time_days,
        "min_quality_rank": tx.QUALITY_TIERS.rank(req.min_quality_tier),
        "created_at": req.created_at.isoformat(),
    }


def _where_in(column, ids: list[int] | None, lo: int, hi: int):
    """Rows of one batch: by the ids asked for, or (a whole table in id order) by the batch's id range."""
    return column.in_(ids) if ids is not None else column.between(lo, hi)


def _grouped(rows) -> dict[int, list]:
    """Rows by their first column."""
    out: dict[int, list] = {}
    for row in rows:
        out.setdefault(row[0], []).append(row)
    return out


def _batches(session: Session, column, ids: list[int] | None, batch: int,
             id_range: tuple[int, int | None] | None = None) -> Iterator[tuple[list[int] | None, int, int]]:
    """(ids or None, lowest id, highest id) of consecutive batches of existing rows of ``column``'s table
    (of those with ``lo <= id <= hi`` for an ``id_range`` (lo, hi), hi None for no upper bound)."""
    if ids is not None:
        wanted = sorted(set(ids))
        for i in range(0, len(wanted), batch):
            chunk = wanted[i:i + batch]
            yield chunk, chunk[0], chunk[-1]
        return
    lo, hi = id_range or (None, None)
    last = None if lo is None else lo - 1
    while True:
        stmt = select(column).order_by(column).limit(batch)
        if last is not None:
            stmt = stmt.where(column > last)
        if hi is not None:
            stmt = stmt.where(column <= hi)
        chunk = list(session.scalars(stmt))
        if not chunk:
            return
        yield None, chunk[0], chunk[-1]
        last = chunk[-1]


def id_ranges(session: Session, index: str, size: int) -> list[tuple[int, int | None]]:
    """The whole table of ``index`` cut into id ranges of about ``size`` rows, in id order (for
    ``id_range``); the last one open-ended, so a row added meanwhile still falls in one."""
    column = MakerProfile.organization_id if index == MAKERS else Requirement.id
    ids = list(session.scalars(select(column).order_by(column)))
    starts = ids[::size]
    return [(lo, nxt - 1) for lo, nxt in zip(starts, starts[1:])] + [(starts[-1], None)] if starts else []


def maker_documents(session: Session, ids: list[int] | None = None, batch: int = 2000,
                    id_range: tuple[int, int | None] | None = None) -> Iterator[dict]:
    """Documents for the given makers (or all, in id order, or those in ``id_range``), read in batches: six set-based queries per
    batch (profiles, organizations, processes, product lines, niches and certificates with memberships),
    no ORM objects; the same document as :func:`maker_document` of the loaded profile."""
    mp, org_t = MakerProfile.__table__, Organization.__table__
    org_cols = [org_t.c[n] for n in ("id", "version", "name", "state", "city", "country", "lat", "lon")]
    child_tables = [t.__table__ for t in (MakerProcess, MakerProductLine, MakerNiche)]
    cert_t, member_t = Certificate.__table__, Membership.__table__
    for chunk, lo, hi in _batches(session, mp.c.organization_id, ids, batch, id_range):
        profiles = session.execute(select(mp).where(_where_in(mp.c.organization_id, chunk, lo, hi))
                                   .order_by(mp.c.organization_id)).all()
        if not profiles:
            continue
        orgs = {r.id: r for r in session.execute(select(*org_cols).where(_where_in(org_t.c.id, chunk, lo, hi)))}
        codes = [{k: [r[1] for r in v] for k, v in _grouped(session.execute(
            select(t.c.maker_id, t.c.code).where(_where_in(t.c.maker_id, chunk, lo, hi))
            .order_by(t.c.maker_id, t.c.code))).items()} for t in child_tables]
        certs = _grouped(session.execute(
            select(cert_t.c.maker_id, *(cert_t.c[n] for n in ("id", "kind", "issuer", "number", "valid_until")))
            .where(_where_in(cert_t.c.maker_id, chunk, lo, hi)).order_by(cert_t.c.maker_id, cert_t.c.id)))
        members = _grouped(session.execute(
            select(member_t.c.organization_id, member_t.c.association_id)
            .where(_where_in(member_t.c.organization_id, chunk, lo, hi)).order_by(member_t.c.id)))
        for p in profiles:
            i = p.organization_id
            yield _maker_doc(p, orgs[i], *(c.get(i, []) for c in codes), certs.get(i, []),
                             [r[1] for r in members.get(i, [])])


def requirement_documents(session: Session, ids: list[int] | None = None, batch: int = 2000,
                          id_range: tuple[int, int | None] | None = None) -> Iterator[dict]:
    """Documents for the given requirements (or all, in id order, or those in ``id_range``), two queries per batch (the
    requirements with their buyer's country, the buyers' clearances); no ORM objects."""
    from ..vetting.clearance import cleared_subjects as cleared_buyers

    req_t, org_t = Requirement.__table__, Organization.__table__
    for chunk, lo, hi in _batches(session, req_t.c.id, ids, batch, id_range):
        rows = session.execute(select(req_t, org_t.c.country.label("mm_buyer_country"))
                               .join(org_t, org_t.c.id == req_t.c.buyer_id)
                               .where(_where_in(req_t.c.id, chunk, lo, hi)).order_by(req_t.c.id)).all()
        cleared = cleared_buyers(session, {r.buyer_id for r in rows})
        for req in rows:
            yield _requirement_doc(req, req.mm_buyer_country, req.buyer_id in cleared)


DOCUMENTS = {MAKERS: maker_documents, REQUIREMENTS: requirement_documents}


def all_ids(session: Session, index: str) -> set[int]:
    """Every row id of ``index``'s table."""
    column = MakerProfile.organization_id if index == MAKERS else Requirement.id
    return set(session.scalars(select(column)))


def existing_ids(session: Session, index: str, ids: list[int]) -> set[int]:
    column = MakerProfile.organization_id if index == MAKERS else Requirement.id
    return set(session.scalars(select(column).where(column.in_(ids))))


__all__ = ["MAKERS", "REQUIREMENTS", "SPECS", "DOCUMENTS", "Organization"]
