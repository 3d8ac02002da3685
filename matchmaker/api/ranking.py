"""Ranked makers for one of the caller's requirements, each with its strongest reasons."""
from __future__ import annotations

from flask import current_app, jsonify, request

from models.registry import ModelRegistry

from .. import db
from .. import permissions as perm
from ..auth import current_actor
from ..ranking.serving import rank_requirement
from ..schema import Requirement
from ..search.service import SearchUnavailable
from .common import ApiRoutes, int_arg, not_found
from . import schemas as s
from .openapi import operation
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
@operation("Makers ranked for your requirement", query=s.RankingQuery, responses={200: s.RankingOut},
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
