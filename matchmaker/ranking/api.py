"""API routes of the ranking concern: ranked makers for one of the caller's requirements, each with its
strongest reasons, and a firm's own outcome log (what the ranking learns from, ``records.OutcomeEvent``).

A child blueprint of ``api`` (``ApiRoutes``): its endpoints keep the names ``api.<view>``.
"""
from __future__ import annotations

from flask import current_app, jsonify, request
from sqlalchemy import select

from models.registry import ModelRegistry

from .. import db
from .. import permissions as perm
from ..api.common import ApiRoutes, get_or_404, int_arg, not_found, paged
from ..api.openapi import operation
from ..api.schemas import Page, PageQuery
from ..auth import current_actor
from ..organizations.records import Organization
from ..requirements.records import Requirement
from ..search.service import SearchUnavailable
from .records import OutcomeEvent
from .schemas import OutcomeOut, RankingOut, RankingQuery
from .serving import rank_requirement
from ..access import allow, ADMIN, BUYERS, MAKERS
from ..errors import DomainError

bp = ApiRoutes("ranking", __name__)

NOTICES = {
    "no_model": "not enough recorded outcomes to learn a ranking yet (or no model trained): ranked by the "
                "transparent rule score",
    "model_unusable": "the learned model could not be loaded (corrupt, or made for other features): ranked by the "
                      "transparent rule score",
    "no_candidates": "no maker meets every hard constraint of this requirement; relax one to see candidates",
    "lead_time_too_short": "the lead time is shorter than any candidate maker needs for a sample; no maker can "
                           "deliver in time",
}


def registry() -> ModelRegistry:
    return ModelRegistry(current_app.config["MODEL_DIR"])


@bp.get("/requirements/<int:req_id>/ranking")
@allow(BUYERS | ADMIN)
@operation("Makers ranked for your requirement", query=RankingQuery, responses={200: RankingOut},
           errors=(400, 404, 422, 503), description="Each maker with its three strongest reasons; hard "
           "constraints are never violated.")
def rank_makers(req_id: int):
    req = db.session().get(Requirement, req_id)
    if req is None or not perm.can_edit_requirement(current_actor(), req):
        raise not_found("requirement", req_id)  # only the owner ranks its own requirement
    k = int_arg("k", 20, 1, 100)
    lang = "es" if request.args.get("lang") == "es" else "en"
    try:
        ranking = rank_requirement(db.session(), registry(), req, k=k, lang=lang)
    except DomainError as exc:
        raise exc.reworded("the requirement cannot be searched: {problem}", code="invalid", status=422,
                           problem=exc.message) from None
    except SearchUnavailable:
        raise DomainError("search_unavailable", "search is temporarily unavailable; try again shortly",
                          status=503) from None
    return jsonify({"items": ranking.items, "model_version": ranking.model_version, "learned": ranking.learned,
                    "notice": NOTICES.get(ranking.notice), "notice_code": ranking.notice,
                    "candidates": ranking.total_candidates})


@bp.get("/organizations/<int:org_id>/outcomes")
@allow(MAKERS | BUYERS | ADMIN)
@operation("The firm's own outcome log", query=PageQuery, responses={200: Page[OutcomeOut]},
           errors=(400, 404))
def list_outcomes(org_id: int):
    if not perm.can_view_outcomes(current_actor(), org_id):  # nor is another firm confirmed to exist
        raise not_found("organization", org_id)
    get_or_404(Organization, org_id, "organization")
    stmt = (select(OutcomeEvent)
            .where((OutcomeEvent.maker_id == org_id) | (OutcomeEvent.buyer_id == org_id))
            .order_by(OutcomeEvent.occurred_at.desc(), OutcomeEvent.id.desc()))
    return paged(stmt, lambda e: {
        "id": e.id, "requirement_id": e.requirement_id, "buyer_id": e.buyer_id, "maker_id": e.maker_id,
        "event": e.event, "rank": e.rank, "on_time": e.on_time, "occurred_at": e.occurred_at.isoformat()})
