"""JSON endpoints of the ratings concern, on the ``api`` blueprint (``/api/v1/ratings``,
``/api/v1/organizations/<id>/ratings``).

``POST /ratings`` stores one firm's rating of the other side of an order or a vendor purchase;
``GET /organizations/<id>/ratings`` answers the aggregates of the directions the reader may see
(never a rating, a rater or a comment); the rated firm publishes and withdraws its answer.
"""
from __future__ import annotations

from flask import jsonify, request

from .. import db
from ..api.common import ApiRoutes, int_arg, parse_body, reject_unknown_args
from ..api.openapi import operation
from ..auth import current_actor
from ..organizations.records import Organization
from ..security import ID_MAX
from . import access
from . import eligibility as el
from . import schemas as s
from . import services as svc
from .records import BASES, DIRECTIONS
from ..access import allow, BUYERS, MAKERS, SIGNED_IN, VENDORS
from ..errors import DomainError

bp = ApiRoutes("ratings", __name__)


def rating_dict(rating) -> dict:
    return {"id": rating.id, "basis": rating.basis, "basis_id": rating.basis_id, "direction": rating.direction,
            "ratee_org_id": rating.ratee_org_id, "scores": {x.category: x.score for x in rating.scores},
            "created_at": rating.created_at.isoformat()}


def _organization(org_id: int) -> Organization:
    org = db.session().get(Organization, org_id)
    if org is None:
        raise DomainError("not_found", "no organization {id}", status=404, params={"id": org_id})
    return org


@bp.post("/ratings")
@allow(MAKERS | BUYERS)
@operation("Rate the other side of an order or a vendor purchase, once per firm and basis", json=s.RatingIn,
           responses={201: s.RatingOut}, errors=(404, 409),
           description="An order's maker rates the buyer's purchasing practices, its buyer rates the maker, a "
                       "vendor purchase's member firm rates the vendor; open once the order is closed, or 60 days "
                       "after the order or purchase was entered (422 naming basis_id before; also for an order "
                       "from no quote or fair meeting whose buyer no association cleared). A second "
                       "rating of the same basis by the same firm is a 409.")
def create_rating():
    body = parse_body(s.RatingIn)
    rating = svc.rate(db.session(), current_actor(), body.basis, body.basis_id, body.scores, body.comment)
    return jsonify(rating_dict(rating)), 201


@bp.get("/ratings/eligibility")
@allow(MAKERS | BUYERS)
@operation("May the caller's firm rate this order or purchase now, has it rated, or when does rating open",
           query=s.EligibilityQuery, responses={200: s.EligibilityOut}, errors=(400, 404))
def rating_eligibility():
    reject_unknown_args({"basis", "basis_id"})
    basis = request.args.get("basis", "")
    if basis not in BASES:
        raise DomainError("invalid_parameter", "basis must be one of {choices}",
                          params={"choices": ", ".join(BASES)}, status=400,
                          fields=[{"field": "basis", "problem": "unknown basis"}])
    basis_id = int_arg("basis_id", None, 1, ID_MAX)
    if basis_id is None:
        raise DomainError("invalid_parameter", "basis_id is required", status=400,
                          fields=[{"field": "basis_id", "problem": "missing"}])
    elig = el.for_basis(db.session(), current_actor(), basis, basis_id)
    if elig is None:
        raise svc.not_found(basis)
    state = ("rated" if elig.rated else "never" if elig.opens_on is None
             else "open" if elig.open_on(el.today()) else "opens")
    return jsonify({"basis": basis, "basis_id": basis_id, "direction": elig.direction,
                    "ratee_org_id": elig.ratee_org_id, "state": state,
                    "opens_on": elig.opens_on.isoformat() if elig.opens_on else None})


@bp.get("/organizations/<int:org_id>/ratings")
@allow(SIGNED_IN)
@operation("A firm's ratings as aggregates: per category the score and the cluster median, shown only from 3 "
           "ratings by 3 distinct firms", responses={200: s.OrganizationRatingsOut}, errors=(400, 404),
           description="Only the directions the reader may see (the firm itself, its counterparts, the "
                       "association); never an individual rating, a rater or a comment.")
def get_organization_ratings(org_id: int):
    reject_unknown_args(set())
    org = _organization(org_id)
    actor = current_actor()
    sess = db.session()
    directions = [svc.aggregate(sess, org.id, d) for d in svc.directions_received(org.kind)
                  if access.can_read_aggregates(actor, org.id, d)]
    return jsonify({"organization_id": org.id, "directions": directions})


@bp.put("/organizations/<int:org_id>/ratings/answer")
@allow(MAKERS | BUYERS | VENDORS)
@operation("Publish (or replace) the firm's answer to its ratings, for a direction or one category",
           json=s.RatingAnswerIn, responses={200: s.AnswerOut}, errors=(404, 409))
def set_rating_answer(org_id: int):
    body = parse_body(s.RatingAnswerIn)
    org = db.session().get(Organization, org_id)
    answer = svc.set_answer(db.session(), current_actor(), org, body.direction, body.category, body.body)
    return jsonify({"category": answer.category or None, "body": answer.body,
                    "published_at": answer.published_at.isoformat()})


@bp.delete("/organizations/<int:org_id>/ratings/answer")
@allow(MAKERS | BUYERS | VENDORS)
@operation("Withdraw the firm's published answer (query: direction, and category if any)",
           responses={204: None}, errors=(400, 404, 422))
def delete_rating_answer(org_id: int):
    reject_unknown_args({"direction", "category"})
    direction = request.args.get("direction", "")
    if direction not in DIRECTIONS:
        raise DomainError("invalid_parameter", "direction must be one of {choices}",
                          params={"choices": ", ".join(DIRECTIONS)}, status=400,
                          fields=[{"field": "direction", "problem": "unknown direction"}])
    org = db.session().get(Organization, org_id)
    if not svc.delete_answer(db.session(), current_actor(), org, direction, request.args.get("category") or None):
        raise DomainError("not_found", "no such answer", status=404)
    return "", 204
