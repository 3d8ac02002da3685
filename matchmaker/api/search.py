"""Search endpoints: makers for buyers, open requirements for makers."""
from __future__ import annotations

from flask import jsonify, request

from .. import db
from ..auth import current_actor
from ..errors import ApiError
from ..schema import MakerProfile
from ..search.complete import complete
from ..search.queries import ParamError
from ..search.service import SearchUnavailable, maker_fit, search_makers, search_requirements
from .common import ApiRoutes
from . import schemas as s
from .openapi import operation
from ..catalog import N_

bp = ApiRoutes("search", __name__)


def _lang() -> str:
    return "es" if request.args.get("lang") == "es" else "en"


def _answer(run):
    try:
        return jsonify(run())
    except ParamError as exc:
        raise ApiError(400, "invalid_parameter", f"{exc.field}: {exc.problem}",
                       [{"field": exc.field, "problem": exc.problem}]) from None
    except SearchUnavailable:
        raise ApiError(503, "search_unavailable", "search is temporarily unavailable; try again shortly") from None


@bp.get("/search/makers")
@operation("Search makers, with facet counts", query=s.MakerSearchQuery, responses={200: s.MakerSearchOut},
           errors=(400, 503), description="Filters: q, process (all required), product_line, certificate (held and "
           "valid), min_quality, state, country, near=lat,lon & radius_km, association, quantity (MOQ fits), "
           "monthly_volume (capacity fits), lead_time_days, service_tier, size_band; sort; page, per_page.")
def search_makers_api():
    return _answer(lambda: search_makers(db.session(), request.args, _lang()))


@bp.get("/search/requirements")
@operation("Open requirements of cleared buyers", query=s.RequirementSearchQuery,
           responses={200: s.RequirementSearchOut}, errors=(400, 503),
           description="fits_me=1 keeps those your firm could serve.")
def search_requirements_api():
    actor = current_actor()
    profile = db.session().get(MakerProfile, actor.organization_id) if actor.organization_id else None
    return _answer(lambda: search_requirements(db.session(), request.args, maker_fit(profile), _lang()))


@bp.get("/search/complete")
@operation("Autocomplete for the search box: taxonomy terms in both languages and maker names (or open "
           "requirement titles)", query=s.CompleteQuery, responses={200: s.CompleteOut}, errors=(400, 503))
def search_complete_api():
    unknown = sorted(set(request.args) - {"q", "lang", "scope"})
    if unknown:
        raise ApiError(400, "unknown_parameter", f"unknown query parameter(s): {', '.join(unknown)}",
                       [{"field": name, "problem": N_("unknown parameter")} for name in unknown])

    def run():
        try:
            return complete(db.session(), current_actor(), request.args.get("q", ""), _lang(),
                            request.args.get("scope", "makers"))
        except PermissionError as exc:
            raise ApiError(403, "forbidden", str(exc)) from None
    return _answer(run)
