"""API routes of the requirements concern: the requirements a caller may see, and a buyer's own (create,
replace). Visibility is ``permissions.visible_requirement_filter``; the list is served by the search index.
"""
from __future__ import annotations

from flask import jsonify
from sqlalchemy import select

from .. import db
from .. import permissions as perm
from .. import taxonomy as tx
from ..api.common import (
    ApiRoutes, code_arg, forbidden, get_or_404, not_found, page_args, page_envelope, paged, parse_body,
    reject_unknown_args, saved,
)
from ..api.openapi import operation
from ..api.schemas import Page
from ..auth import current_actor
from ..search import lists
from . import services as svc
from .records import Requirement
from .schemas import RequirementIn, RequirementOut, RequirementPut, RequirementQuery
from ..access import allow, ADMIN, BUYERS, SIGNED_IN

bp = ApiRoutes("requirements", __name__)


# -- requirements --------------------------------------------------------------------------

@bp.get("/requirements")
@allow(SIGNED_IN)
@operation("List the requirements you may see", query=RequirementQuery,
           responses={200: Page[RequirementOut]}, errors=(400,))
def list_requirements():
    """Served by the search index, read back through the caller's visibility rule (see ``search.lists``)."""
    reject_unknown_args({"status", "product_line"})
    actor = current_actor()
    status = code_arg("status", tx.REQUIREMENT_STATUSES)
    line = code_arg("product_line", tx.PRODUCT_LINES)
    page, per_page = page_args()
    try:
        items, total = lists.list_requirements(db.session(), actor, status, line, page, per_page)
        return jsonify(page_envelope(items, total, page, per_page))
    except lists.NotServable:
        pass
    stmt = select(Requirement).where(perm.visible_requirement_filter(actor)).order_by(Requirement.id.desc())
    if status:
        stmt = stmt.where(Requirement.status == status)
    if line:
        stmt = stmt.where(Requirement.product_line == line)
    return paged(stmt, svc.requirement_dict)


def _visible_requirement(req_id: int) -> Requirement:
    req = get_or_404(Requirement, req_id, "requirement")
    if not perm.can_view_requirement(current_actor(), req):
        raise not_found("requirement", req_id)  # do not confirm that a private one exists
    return req


@bp.get("/requirements/<int:req_id>")
@allow(SIGNED_IN)
@operation("Read a requirement", responses={200: RequirementOut}, errors=(404,))
def get_requirement(req_id: int):
    return jsonify(svc.requirement_dict(_visible_requirement(req_id)))


@bp.post("/requirements")
@allow(BUYERS)
@operation("Create a requirement for your firm", json=RequirementIn, responses={201: RequirementOut},
           errors=(409,))
def create_requirement():
    actor = current_actor()
    if actor.organization_id is None:
        raise forbidden("your account is not attached to a buyer organization")
    data = parse_body(RequirementIn)
    req = saved(svc.create_requirement, actor.organization_id, actor.id, data)
    return jsonify(svc.requirement_dict(req)), 201


@bp.put("/requirements/<int:req_id>")
@allow(BUYERS | ADMIN)
@operation("Replace a requirement (send the version you read)", json=RequirementPut,
           responses={200: RequirementOut}, errors=(404, 409))
def update_requirement(req_id: int):
    req = _visible_requirement(req_id)
    if not perm.can_edit_requirement(current_actor(), req):
        raise forbidden("you may edit only your own requirements")
    data = parse_body(RequirementPut)
    return jsonify(svc.requirement_dict(saved(svc.replace_requirement, req, data)))
