"""API routes of the organizations concern: firms (list, read, create, edit) and associations.

A child blueprint of ``api`` (``ApiRoutes``): its endpoints keep the names ``api.<view>``.
"""
from __future__ import annotations

from flask import jsonify, request
from sqlalchemy import func, select

from .. import db
from .. import permissions as perm
from .. import taxonomy as tx
from ..api.common import (
    ApiRoutes, code_arg, forbidden, get_or_404, page_args, page_envelope, paged, parse_body, reject_unknown_args,
    saved,
)
from ..api.openapi import operation
from ..api.schemas import Page, PageQuery
from ..auth import current_actor
from ..db import like_escape
from . import services as svc
from .records import Association, Membership, Organization
from .schemas import (
    AssociationIn, AssociationOut, OrganizationIn, OrganizationOut, OrganizationPatch, OrganizationQuery,
)
from ..access import allow, ADMIN, BUYERS, MAKERS, SIGNED_IN, STAFF

bp = ApiRoutes("organizations", __name__)


# -- organizations -------------------------------------------------------------------------

@bp.get("/organizations")
@allow(SIGNED_IN)
@operation("List organizations", query=OrganizationQuery, responses={200: Page[OrganizationOut]},
           errors=(400,))
def list_organizations():
    reject_unknown_args({"kind", "state", "country", "q"})
    stmt = select(Organization).order_by(Organization.id)
    if kind := code_arg("kind", tx.ORG_KINDS):
        stmt = stmt.where(Organization.kind == kind)
    if state := request.args.get("state"):
        stmt = stmt.where(Organization.state == state[:100])
    if country := request.args.get("country"):
        stmt = stmt.where(Organization.country == country.upper()[:2])
    if q := request.args.get("q"):
        stmt = stmt.where(Organization.name.ilike(f"%{like_escape(q[:100])}%", escape="\\"))
    return paged(stmt, svc.organization_dict)


@bp.get("/organizations/<int:org_id>")
@allow(SIGNED_IN)
@operation("Read an organization", responses={200: OrganizationOut}, errors=(404,))
def get_organization(org_id: int):
    return jsonify(svc.organization_dict(get_or_404(Organization, org_id, "organization")))


@bp.post("/organizations")
@allow(STAFF)
@operation("Create an organization", json=OrganizationIn, responses={201: OrganizationOut},
           errors=(409,))
def create_organization():
    data = parse_body(OrganizationIn)
    return jsonify(svc.organization_dict(saved(svc.create_organization, data, current_actor()))), 201


@bp.patch("/organizations/<int:org_id>")
@allow(MAKERS | BUYERS | STAFF)
@operation("Update an organization (send the version you read)", json=OrganizationPatch,
           responses={200: OrganizationOut}, errors=(404, 409))
def update_organization(org_id: int):
    org = get_or_404(Organization, org_id, "organization")
    if not perm.can_edit_organization(current_actor(), org):
        raise forbidden("you may edit only your own organization")
    data = parse_body(OrganizationPatch)
    return jsonify(svc.organization_dict(saved(svc.update_organization, org, data, current_actor())))


# -- associations --------------------------------------------------------------------------

@bp.get("/associations")
@allow(SIGNED_IN)
@operation("List associations", query=PageQuery, responses={200: Page[AssociationOut]},
           errors=(400,))
def list_associations():
    reject_unknown_args(set())
    members = (select(func.count()).where(Membership.association_id == Association.id)
               .correlate(Association).scalar_subquery())
    page, per_page = page_args()
    sess = db.session()
    total = sess.scalar(select(func.count()).select_from(Association))
    rows = sess.execute(select(Association, members).order_by(Association.id)
                        .limit(per_page).offset((page - 1) * per_page)).all()
    items = [svc.association_dict(a, n) for a, n in rows]
    return jsonify(page_envelope(items, total, page, per_page))


@bp.post("/associations")
@allow(ADMIN)
@operation("Create an association (platform admin)", json=AssociationIn,
           responses={201: AssociationOut}, errors=(409,))
def create_association():
    data = parse_body(AssociationIn)
    return jsonify(svc.association_dict(saved(svc.create_association, data), 0)), 201
