"""API routes of the search concern: makers for buyers, open requirements for makers, the search box's
completions. A child blueprint of ``api`` (``ApiRoutes``): its endpoints keep the names ``api.<view>``.
"""
from __future__ import annotations

from flask import jsonify, request

from .. import db
from ..api.common import ApiRoutes, forbidden
from ..api.openapi import operation
from ..auth import current_actor
from ..makers.records import MakerProfile
from .complete import complete
from .schemas import (
    CompleteOut, CompleteQuery, MakerSearchOut, MakerSearchQuery, RequirementSearchOut, RequirementSearchQuery,
)
from .service import SearchUnavailable, maker_fit, search_makers, search_requirements
from ..access import allow, ASSOCIATION, MAKERS, SIGNED_IN, STAFF
from ..errors import DomainError
from ..security import judges_query_values

bp = ApiRoutes("search", __name__)


def _lang() -> str:
    return "es" if request.args.get("lang") == "es" else "en"


def _answer(run):
    """``run``'s answer as JSON; a refusal goes to the shared DomainError handler as it is (worded
    there in the reader's language, its field in ``fields``), as on every other API route."""
    try:
        return jsonify(run())
    except SearchUnavailable:
        raise DomainError("search_unavailable", "search is temporarily unavailable; try again shortly",
                          status=503) from None


@bp.get("/search/makers")
@judges_query_values
@allow(SIGNED_IN)
@operation("Search makers, with facet counts", query=MakerSearchQuery, responses={200: MakerSearchOut},
           errors=(400, 503), description="Filters: q, process (all required), product_line, certificate (held and "
           "valid), min_quality, state, country, near=lat,lon & radius_km, association, quantity (MOQ fits), "
           "monthly_volume (capacity fits), lead_time_days, service_tier, size_band; sort; page, per_page.")
def search_makers_api():
    return _answer(lambda: search_makers(db.session(), request.args, _lang()))


@bp.get("/search/requirements")
@judges_query_values
@allow(MAKERS | ASSOCIATION | STAFF)
@operation("Open requirements of cleared buyers", query=RequirementSearchQuery,
           responses={200: RequirementSearchOut}, errors=(400, 503),
           description="fits_me=1 keeps those your firm could serve.")
def search_requirements_api():
    actor = current_actor()
    profile = db.session().get(MakerProfile, actor.organization_id) if actor.organization_id else None
    return _answer(lambda: search_requirements(db.session(), request.args, maker_fit(profile), _lang()))


@bp.get("/search/complete")
@allow(SIGNED_IN)
@operation("Autocomplete for the search box: taxonomy terms in both languages and maker names (or open "
           "requirement titles)", query=CompleteQuery, responses={200: CompleteOut}, errors=(400, 503))
def search_complete_api():
    unknown = sorted(set(request.args) - {"q", "lang", "scope"})
    if unknown:
        raise DomainError("unknown_parameter", "unknown query parameter(s): {names}",
                          status=400, params={"names": ", ".join(unknown)},
                          fields=[{"field": name, "problem": "unknown parameter"} for name in unknown])

    def run():
        try:
            return complete(db.session(), current_actor(), request.args.get("q", ""), _lang(),
                            request.args.get("scope", "makers"))
        except PermissionError as exc:
            raise forbidden(exc.args[0]) from None  # complete's msgid, worded by the handler
    return _answer(run)
