"""Run a search and turn index hits back into records from the database (the source of truth)."""
from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from indexing import BadQuery, IndexUnavailable, NoneOf, SearchResult, UnknownIndex

from .. import taxonomy as tx
from ..makers.records import MakerProfile
from ..requirements.records import Requirement
from ..makers.services import maker_dicts
from ..requirements.services import requirement_dict
from .documents import MAKERS, REQUIREMENTS, maker_card
from .gating import hidden_requirements, showable_requirements
from .queries import maker_query, requirement_query
from .sync import backend, spec_for
from ..errors import DomainError

FACET_VOCABS = {"processes": tx.PROCESS_STAGES, "certificates": tx.CERTIFICATES, "size_band": tx.SIZE_BAND_LABELS,
                "service_tier": tx.SERVICE_TIERS, "product_line": tx.PRODUCT_LINES}


class SearchUnavailable(Exception):
    """The index cannot answer now; the database is fine and writes keep being queued."""


def run_search(index: str, query) -> SearchResult:
    spec = spec_for(index)
    try:
        try:
            return backend().search(spec.name, query)
        except UnknownIndex:  # a fresh deployment: nothing indexed yet, so nothing found
            backend().ensure_index(spec)
            return backend().search(spec.name, query)
    except BadQuery as exc:
        raise DomainError("invalid_parameter", exc.problem, field=exc.field, status=400) from None
    except IndexUnavailable as exc:
        raise SearchUnavailable(str(exc)) from None


def labelled_facets(facets: dict[str, dict[str, int]], lang: str) -> dict[str, list[dict]]:
    out = {}
    for name, counts in facets.items():
        vocab = FACET_VOCABS.get(name)
        out[name] = [{"value": value, "label": vocab.label(value, lang) if vocab else value, "count": n}
                     for value, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    return out


def maker_page(session: Session, hits) -> dict[int, dict]:
    """Public profiles of a page of maker hits: from the stored sources when the index holds the whole
    profile (spec v2), else from the database (an index built by older code, until rebuilt)."""
    if hits and all(h.source is not None and "profile_version" in h.source for h in hits):
        return {int(h.id): maker_card(h.source) for h in hits}
    # an index a moment behind the database never shows a vanished maker
    return maker_dicts(session, [int(h.id) for h in hits])


def search_makers(session: Session, args, lang: str = "en") -> dict:
    query = replace(maker_query(args), include_source=True)
    result = run_search(MAKERS, query)
    profiles = maker_page(session, result.hits)
    items = [{**profiles[int(h.id)], "score": h.score} for h in result.hits if int(h.id) in profiles]
    return _envelope(result, items, query, lang)


def search_requirements(session: Session, args, maker_fit: dict | None, lang: str = "en") -> dict:
    """Open requirements of cleared buyers, by the database's current clearance (``gating``)."""
    query = requirement_query(args, maker_fit)
    if hidden := hidden_requirements(session):  # stale in the index and forbidden now: out of page, total, facets
        query = replace(query, filters=(*query.filters, NoneOf("id", tuple(hidden))))
    result = run_search(REQUIREMENTS, query)
    ids = [int(h.id) for h in result.hits]
    showable = showable_requirements(session, ids)  # last guard, e.g. while a rebuild swaps indexes
    rows = {r.id: r for r in session.scalars(select(Requirement).where(Requirement.id.in_(showable)))}
    items = [{**requirement_dict(rows[int(h.id)]), "score": h.score} for h in result.hits if int(h.id) in rows]
    return _envelope(result, items, query, lang)


def _envelope(result: SearchResult, items: list, query, lang: str) -> dict:
    return {"items": items, "total": result.total, "page": query.page, "per_page": query.per_page,
            "pages": (result.total + query.per_page - 1) // query.per_page,
            "facets": labelled_facets(result.facets, lang),
            "suggestion": result.suggestion,  # "did you mean": a corrected q when nothing matched
            "corrected": result.corrected}  # that q, when the items are its ("showing makers for ...")


def maker_fit(profile: MakerProfile | None) -> dict | None:
    if profile is None:
        return None
    return {"product_lines": [p.code for p in profile.product_lines], "min_order_qty": profile.min_order_qty,
            "order_lead_days": profile.order_lead_days,
            "quality_rank": tx.QUALITY_TIERS.rank(profile.quality_tier)}
