"""CRUD and listing for organizations, associations, maker and buyer profiles, requirements."""
from __future__ import annotations

from flask import jsonify, request
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from .. import auth, db, ratelimit, services
from .. import permissions as perm
from .. import taxonomy as tx
from .. import validation as v
from ..auth import bearer_digest, current_actor, find_user, issue_token, verify_password
from ..search import lists
from ..schema import (
    ApiToken, Association, BuyerProfile, MakerProcess, MakerProductLine, MakerProfile, Membership, Organization,
    OutcomeEvent, Requirement,
)
from .common import (
    ApiRoutes, code_arg, conflict, forbidden, int_arg, not_found, page_args, page_envelope, parse_body,
    reject_unknown_args,
)
from . import schemas as s
from .openapi import operation
from ..errors import Conflict, DomainError

bp = ApiRoutes("resources", __name__)


def _paged(stmt, to_dict=None, hydrate=None):
    """One page of ``stmt``: rows turned into dicts one by one, or ``hydrate(ids)`` for many at once."""
    page, per_page = page_args()
    sess = db.session()
    total = services.count(sess, stmt)
    rows = sess.scalars(stmt.limit(per_page).offset((page - 1) * per_page)).all()
    if hydrate is not None:
        found = hydrate(sess, rows)
        items = [found[i] for i in rows if i in found]
    else:
        items = [to_dict(r) for r in rows]
    return jsonify(page_envelope(items, total, page, per_page))


def _get(model, ident, what):
    row = db.session().get(model, ident)
    if row is None:
        raise not_found(what, ident)
    return row


def _saved(fn, *args):
    try:
        return fn(db.session(), *args)
    except Conflict as exc:
        raise conflict(exc) from None


# -- tokens --------------------------------------------------------------------------------

@bp.post("/tokens")
@operation("Exchange email and password for a bearer token", json=v.TokenRequest, responses={201: s.TokenOut},
           errors=(401, 429), description="Throttled: 429 with Retry-After after repeated failures for one account "
           "or address.")
def create_token():
    data = parse_body(v.TokenRequest)
    if refusal := ratelimit.check(data.email):
        raise DomainError("too_many_attempts",
                          f"too many failed sign-ins for this {refusal.scope}; try again in {refusal.retry_after} s",
                          status=429, headers={"Retry-After": str(refusal.retry_after)})
    user = find_user(data.email)
    if not verify_password(user, data.password):
        ratelimit.failed(data.email)
        raise DomainError("unauthenticated", "wrong email or password", status=401)
    ratelimit.succeeded(data.email)
    token = issue_token(user, data.name)
    db.session().commit()
    return jsonify({"token": token, "role": user.role, "organization_id": user.organization_id}), 201


def _token_dict(row: ApiToken, current_hash: str | None) -> dict:
    return {"id": row.id, "name": row.name, "created_at": row.created_at.isoformat(),
            "expires_at": row.expires_at.isoformat() if row.expires_at else None, "revoked": row.revoked,
            "current": row.token_hash == current_hash}


@bp.get("/tokens")
@operation("Your own API tokens (name, dates, revoked, current)", query=s.PageQuery,
           responses={200: s.Page[s.TokenInfo]}, errors=(400,))
def list_tokens():
    """The caller's own tokens (never the token text, which is not stored)."""
    reject_unknown_args(set())
    current = bearer_digest()
    stmt = select(ApiToken).where(ApiToken.user_id == current_actor().id).order_by(ApiToken.id)
    return _paged(stmt, lambda row: _token_dict(row, current))


@bp.delete("/tokens/<int:token_id>")
@operation("Revoke one of your API tokens", responses={204: None}, errors=(404,))
def revoke_token(token_id: int):
    row = db.session().get(ApiToken, token_id)
    if row is None or row.user_id != current_actor().id:
        raise not_found("token", token_id)  # another user's token is not confirmed to exist
    row.revoked = True
    db.session().commit()
    return "", 204


@bp.post("/account/password")
@operation("Set a new password (send the current one)", json=v.PasswordChange, responses={204: None},
           errors=(429,), description="Ends every page session of the account; 403 when the current password "
           "is wrong.")
def change_password():
    """Set a new password; every page session of the account ends (its API tokens stay valid)."""
    data = parse_body(v.PasswordChange)
    user = current_actor()
    if refusal := ratelimit.check(user.email):
        raise DomainError("too_many_attempts",
                          f"too many failed sign-ins; try again in {refusal.retry_after} s", status=429,
                          headers={"Retry-After": str(refusal.retry_after)})
    if not verify_password(user, data.current_password):
        ratelimit.failed(user.email)
        raise DomainError("wrong_password", "the current password is wrong", status=403,
                          fields=[{"field": "current_password", "problem": "wrong password"}])
    auth.change_password(user, data.new_password)
    db.session().commit()
    return "", 204


# -- organizations -------------------------------------------------------------------------

@bp.get("/organizations")
@operation("List organizations", query=s.OrganizationQuery, responses={200: s.Page[s.OrganizationOut]},
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
        stmt = stmt.where(Organization.name.ilike(f"%{_like_escape(q[:100])}%", escape="\\"))
    return _paged(stmt, services.organization_dict)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@bp.get("/organizations/<int:org_id>")
@operation("Read an organization", responses={200: s.OrganizationOut}, errors=(404,))
def get_organization(org_id: int):
    return jsonify(services.organization_dict(_get(Organization, org_id, "organization")))


@bp.post("/organizations")
@operation("Create an organization", json=v.OrganizationIn, responses={201: s.OrganizationOut},
           errors=(409,))
def create_organization():
    data = parse_body(v.OrganizationIn)
    return jsonify(services.organization_dict(_saved(services.create_organization, data, current_actor()))), 201


@bp.patch("/organizations/<int:org_id>")
@operation("Update an organization (send the version you read)", json=v.OrganizationPatch,
           responses={200: s.OrganizationOut}, errors=(404, 409))
def update_organization(org_id: int):
    org = _get(Organization, org_id, "organization")
    if not perm.can_edit_organization(current_actor(), org):
        raise forbidden("you may edit only your own organization")
    data = parse_body(v.OrganizationPatch)
    return jsonify(services.organization_dict(_saved(services.update_organization, org, data, current_actor())))


@bp.get("/organizations/<int:org_id>/outcomes")
@operation("The firm's own outcome log", query=s.PageQuery, responses={200: s.Page[s.OutcomeOut]},
           errors=(400, 404))
def list_outcomes(org_id: int):
    _get(Organization, org_id, "organization")
    if not perm.can_view_outcomes(current_actor(), org_id):
        raise forbidden("a firm's outcome log is visible only to that firm")
    stmt = (select(OutcomeEvent)
            .where((OutcomeEvent.maker_id == org_id) | (OutcomeEvent.buyer_id == org_id))
            .order_by(OutcomeEvent.occurred_at.desc(), OutcomeEvent.id.desc()))
    return _paged(stmt, lambda e: {
        "id": e.id, "requirement_id": e.requirement_id, "buyer_id": e.buyer_id, "maker_id": e.maker_id,
        "event": e.event, "rank": e.rank, "on_time": e.on_time, "occurred_at": e.occurred_at.isoformat()})


# -- associations --------------------------------------------------------------------------

@bp.get("/associations")
@operation("List associations", query=s.PageQuery, responses={200: s.Page[s.AssociationOut]},
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
    items = [services.association_dict(a, n) for a, n in rows]
    return jsonify(page_envelope(items, total, page, per_page))


@bp.post("/associations")
@operation("Create an association (platform admin)", json=v.AssociationIn,
           responses={201: s.AssociationOut}, errors=(409,))
def create_association():
    data = parse_body(v.AssociationIn)
    return jsonify(services.association_dict(_saved(services.create_association, data), 0)), 201


# -- maker profiles ------------------------------------------------------------------------

@bp.get("/makers")
@operation("List maker profiles", query=s.MakerQuery, responses={200: s.Page[s.MakerOut]}, errors=(400,))
def list_makers():
    """Served by the search index (ids, exact total) with the page hydrated from the database;
    read from the database alone when the index cannot answer (down, or past its result window)."""
    reject_unknown_args({"process", "product_line", "state", "service_tier", "quality_tier",
                         "min_capacity", "max_moq", "max_lead_days"})
    processes = request.args.getlist("process")
    for code in processes:
        if code not in tx.PROCESS_STAGES:
            raise DomainError("invalid_parameter", f"unknown process code {code!r}", status=400,
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
    return _paged(stmt, hydrate=services.maker_dicts)


PROFILE_IN_ONE_QUERY = [joinedload(MakerProfile.organization), joinedload(MakerProfile.processes),
                        joinedload(MakerProfile.product_lines), joinedload(MakerProfile.niches),
                        joinedload(MakerProfile.certificates)]


@bp.get("/makers/<int:org_id>")
@operation("Read a maker profile", responses={200: s.MakerOut}, errors=(404,))
def get_maker(org_id: int):
    profile = db.session().get(MakerProfile, org_id, options=PROFILE_IN_ONE_QUERY)
    if profile is None:
        raise not_found("maker profile", org_id)
    return jsonify(services.maker_dict(profile))


@bp.post("/organizations/<int:org_id>/maker-profile")
@operation("Create the firm's maker profile", json=v.MakerProfileIn, responses={201: s.MakerOut},
           errors=(404, 409))
def create_maker(org_id: int):
    org = _get(Organization, org_id, "organization")
    if not perm.can_edit_maker_profile(current_actor(), org):
        raise forbidden("you may create only your own firm's maker profile")
    data = parse_body(v.MakerProfileIn)
    return jsonify(services.maker_dict(_saved(services.create_maker_profile, org, data, current_actor()))), 201


@bp.put("/makers/<int:org_id>")
@operation("Replace a maker profile (send the version you read)", json=v.MakerProfilePut,
           responses={200: s.MakerOut}, errors=(404, 409))
def update_maker(org_id: int):
    profile = _get(MakerProfile, org_id, "maker profile")
    if not perm.can_edit_maker_profile(current_actor(), profile.organization):
        raise forbidden("you may edit only your own maker profile")
    data = parse_body(v.MakerProfilePut)
    return jsonify(services.maker_dict(_saved(services.replace_maker_profile, profile, data, current_actor())))


# -- buyer profiles ------------------------------------------------------------------------

@bp.get("/buyers")
@operation("List buyer profiles", query=s.BuyerQuery, responses={200: s.Page[s.BuyerOut]}, errors=(400,))
def list_buyers():
    reject_unknown_args({"buyer_type", "country"})
    stmt = select(BuyerProfile).join(Organization).order_by(BuyerProfile.organization_id)
    if kind := code_arg("buyer_type", tx.BUYER_TYPES):
        stmt = stmt.where(BuyerProfile.buyer_type == kind)
    if country := request.args.get("country"):
        stmt = stmt.where(Organization.country == country.upper()[:2])
    return _paged(stmt, services.buyer_dict)


@bp.get("/buyers/<int:org_id>")
@operation("Read a buyer profile", responses={200: s.BuyerOut}, errors=(404,))
def get_buyer(org_id: int):
    return jsonify(services.buyer_dict(_get(BuyerProfile, org_id, "buyer profile")))


@bp.post("/organizations/<int:org_id>/buyer-profile")
@operation("Create the firm's buyer profile", json=v.BuyerProfileIn, responses={201: s.BuyerOut},
           errors=(404, 409))
def create_buyer(org_id: int):
    org = _get(Organization, org_id, "organization")
    if not perm.can_edit_buyer_profile(current_actor(), org):
        raise forbidden("you may create only your own firm's buyer profile")
    data = parse_body(v.BuyerProfileIn)
    return jsonify(services.buyer_dict(_saved(services.create_buyer_profile, org, data, current_actor()))), 201


@bp.put("/buyers/<int:org_id>")
@operation("Replace a buyer profile (send the version you read)", json=v.BuyerProfilePut,
           responses={200: s.BuyerOut}, errors=(404, 409))
def update_buyer(org_id: int):
    profile = _get(BuyerProfile, org_id, "buyer profile")
    if not perm.can_edit_buyer_profile(current_actor(), profile.organization):
        raise forbidden("you may edit only your own buyer profile")
    data = parse_body(v.BuyerProfilePut)
    return jsonify(services.buyer_dict(_saved(services.replace_buyer_profile, profile, data, current_actor())))


# -- requirements --------------------------------------------------------------------------

@bp.get("/requirements")
@operation("List the requirements you may see", query=s.RequirementQuery,
           responses={200: s.Page[s.RequirementOut]}, errors=(400,))
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
    return _paged(stmt, services.requirement_dict)


def _visible_requirement(req_id: int) -> Requirement:
    req = _get(Requirement, req_id, "requirement")
    if not perm.can_view_requirement(current_actor(), req):
        raise not_found("requirement", req_id)  # do not confirm that a private one exists
    return req


@bp.get("/requirements/<int:req_id>")
@operation("Read a requirement", responses={200: s.RequirementOut}, errors=(404,))
def get_requirement(req_id: int):
    return jsonify(services.requirement_dict(_visible_requirement(req_id)))


@bp.post("/requirements")
@operation("Create a requirement for your firm", json=v.RequirementIn, responses={201: s.RequirementOut},
           errors=(409,))
def create_requirement():
    actor = current_actor()
    if actor.organization_id is None:
        raise forbidden("your account is not attached to a buyer organization")
    data = parse_body(v.RequirementIn)
    req = _saved(services.create_requirement, actor.organization_id, actor.id, data)
    return jsonify(services.requirement_dict(req)), 201


@bp.put("/requirements/<int:req_id>")
@operation("Replace a requirement (send the version you read)", json=v.RequirementPut,
           responses={200: s.RequirementOut}, errors=(404, 409))
def update_requirement(req_id: int):
    req = _visible_requirement(req_id)
    if not perm.can_edit_requirement(current_actor(), req):
        raise forbidden("you may edit only your own requirements")
    data = parse_body(v.RequirementPut)
    return jsonify(services.requirement_dict(_saved(services.replace_requirement, req, data)))
