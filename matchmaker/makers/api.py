"""API routes of the makers concern: the capability profiles (list, read, create, replace).

The list is served by the search index (``search.lists``) with the page hydrated from the database, and
read from the database alone when the index cannot answer.
"""
from __future__ import annotations

from flask import jsonify, request
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .. import db
from .. import permissions as perm
from .. import taxonomy as tx
from ..api.common import (
    ApiRoutes, code_arg, forbidden, get_or_404, int_arg, not_found, page_args, page_envelope, paged, parse_body,
    reject_unknown_args, saved,
)
from ..api.openapi import operation
from ..api.schemas import Page
from ..auth import current_actor
from ..organizations.records import Organization
from ..search import lists
from . import services as svc
from .records import MakerProcess, MakerProductLine, MakerProfile
from .schemas import MakerOut, MakerProfileIn, MakerProfilePut, MakerQuery
from ..access import allow, ADMIN, MAKERS, SIGNED_IN
from ..errors import DomainError

bp = ApiRoutes("makers", __name__)


# -- maker profiles ------------------------------------------------------------------------

@bp.get("/makers")
@allow(SIGNED_IN)
@operation("List maker profiles", query=MakerQuery, responses={200: Page[MakerOut]}, errors=(400,))
def list_makers():
    """Served by the search index (ids, exact total) with the page hydrated from the database;
    read from the database alone when the index cannot answer (down, or past its result window)."""
    reject_unknown_args({"process", "product_line", "state", "service_tier", "quality_tier",
                         "min_capacity", "max_moq", "max_lead_days"})
    processes = request.args.getlist("process")
    for code in processes:
        if code not in tx.PROCESS_STAGES:
            raise DomainError("invalid_parameter", "unknown process code {code}", status=400,
                              params={"code": repr(code)},
                              fields=[{"field": "process", "problem": "unknown code"}])
    line = code_arg("product_line", tx.PRODUCT_LINES)
    tier = code_arg("service_tier", tx.SERVICE_TIERS)
    quality = code_arg("quality_tier", tx.QUALITY_TIERS)
    state = (request.args.get("state") or "")[:100] or None
    cap, moq, lead = int_arg("min_capacity"), int_arg("max_moq"), int_arg("max_lead_days")
    page, per_page = page_args()
    try:
        items, total = lists.list_makers(db.session(), lists.maker_filters(
            processes, line, tier, quality, state, cap, moq, lead), page, per_page)
        return jsonify(page_envelope(items, total, page, per_page))
    except lists.NotServable:
        pass
    stmt = select(MakerProfile.organization_id).join(Organization).order_by(MakerProfile.organization_id)
    for code in processes:
        stmt = stmt.where(MakerProfile.organization_id.in_(
            select(MakerProcess.maker_id).where(MakerProcess.code == code)))
    if line:
        stmt = stmt.where(MakerProfile.organization_id.in_(
            select(MakerProductLine.maker_id).where(MakerProductLine.code == line)))
    if tier:
        stmt = stmt.where(MakerProfile.service_tier == tier)
    if quality:
        stmt = stmt.where(MakerProfile.quality_tier == quality)
    if state:
        stmt = stmt.where(Organization.state == state)
    if cap is not None:
        stmt = stmt.where(MakerProfile.monthly_capacity >= cap)
    if moq is not None:
        stmt = stmt.where(MakerProfile.min_order_qty <= moq)
    if lead is not None:
        stmt = stmt.where(MakerProfile.order_lead_days <= lead)
    return paged(stmt, hydrate=svc.maker_dicts)


PROFILE_IN_ONE_QUERY = [joinedload(MakerProfile.organization), joinedload(MakerProfile.processes),
                        joinedload(MakerProfile.product_lines), joinedload(MakerProfile.niches),
                        joinedload(MakerProfile.certificates)]


@bp.get("/makers/<int:org_id>")
@allow(SIGNED_IN)
@operation("Read a maker profile", responses={200: MakerOut}, errors=(404,))
def get_maker(org_id: int):
    profile = db.session().get(MakerProfile, org_id, options=PROFILE_IN_ONE_QUERY)
    if profile is None:
        raise not_found("maker profile", org_id)
    return jsonify(svc.maker_dict(profile))


@bp.post("/organizations/<int:org_id>/maker-profile")
@allow(MAKERS | ADMIN)
@operation("Create the firm's maker profile", json=MakerProfileIn, responses={201: MakerOut},
           errors=(404, 409))
def create_maker(org_id: int):
    org = get_or_404(Organization, org_id, "organization")
    if not perm.can_edit_maker_profile(current_actor(), org):
        raise forbidden("you may create only your own firm's maker profile")
    data = parse_body(MakerProfileIn)
    return jsonify(svc.maker_dict(saved(svc.create_maker_profile, org, data, current_actor()))), 201


@bp.put("/makers/<int:org_id>")
@allow(MAKERS | ADMIN)
@operation("Replace a maker profile (send the version you read)", json=MakerProfilePut,
           responses={200: MakerOut}, errors=(404, 409))
def update_maker(org_id: int):
    profile = get_or_404(MakerProfile, org_id, "maker profile")
    if not perm.can_edit_maker_profile(current_actor(), profile.organization):
        raise forbidden("you may edit only your own maker profile")
    data = parse_body(MakerProfilePut)
    return jsonify(svc.maker_dict(saved(svc.replace_maker_profile, profile, data, current_actor())))
