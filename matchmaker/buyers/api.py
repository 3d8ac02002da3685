"""API routes of the buyers concern: buyers' profiles (list, read, create, replace)."""
from __future__ import annotations

from flask import jsonify, request
from sqlalchemy import select

from .. import permissions as perm
from .. import taxonomy as tx
from ..api.common import ApiRoutes, code_arg, forbidden, get_or_404, paged, parse_body, reject_unknown_args, saved
from ..api.openapi import operation
from ..api.schemas import Page
from ..auth import current_actor
from ..organizations.records import Organization
from . import services as svc
from .records import BuyerProfile
from .schemas import BuyerOut, BuyerProfileIn, BuyerProfilePut, BuyerQuery
from ..access import allow, ADMIN, BUYERS, SIGNED_IN

bp = ApiRoutes("buyers", __name__)


# -- buyer profiles ------------------------------------------------------------------------

@bp.get("/buyers")
@allow(SIGNED_IN)
@operation("List buyer profiles", query=BuyerQuery, responses={200: Page[BuyerOut]}, errors=(400,))
def list_buyers():
    reject_unknown_args({"buyer_type", "country"})
    stmt = select(BuyerProfile).join(Organization).order_by(BuyerProfile.organization_id)
    if kind := code_arg("buyer_type", tx.BUYER_TYPES):
        stmt = stmt.where(BuyerProfile.buyer_type == kind)
    if country := request.args.get("country"):
        stmt = stmt.where(Organization.country == country.upper()[:2])
    return paged(stmt, svc.buyer_dict)


@bp.get("/buyers/<int:org_id>")
@allow(SIGNED_IN)
@operation("Read a buyer profile", responses={200: BuyerOut}, errors=(404,))
def get_buyer(org_id: int):
    return jsonify(svc.buyer_dict(get_or_404(BuyerProfile, org_id, "buyer profile")))


@bp.post("/organizations/<int:org_id>/buyer-profile")
@allow(BUYERS | ADMIN)
@operation("Create the firm's buyer profile", json=BuyerProfileIn, responses={201: BuyerOut},
           errors=(404, 409))
def create_buyer(org_id: int):
    org = get_or_404(Organization, org_id, "organization")
    if not perm.can_edit_buyer_profile(current_actor(), org):
        raise forbidden("you may create only your own firm's buyer profile")
    data = parse_body(BuyerProfileIn)
    return jsonify(svc.buyer_dict(saved(svc.create_buyer_profile, org, data, current_actor()))), 201


@bp.put("/buyers/<int:org_id>")
@allow(BUYERS | ADMIN)
@operation("Replace a buyer profile (send the version you read)", json=BuyerProfilePut,
           responses={200: BuyerOut}, errors=(404, 409))
def update_buyer(org_id: int):
    profile = get_or_404(BuyerProfile, org_id, "buyer profile")
    if not perm.can_edit_buyer_profile(current_actor(), profile.organization):
        raise forbidden("you may edit only your own buyer profile")
    data = parse_body(BuyerProfilePut)
    return jsonify(svc.buyer_dict(saved(svc.replace_buyer_profile, profile, data, current_actor())))
