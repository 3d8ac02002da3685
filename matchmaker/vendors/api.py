"""Input-vendor endpoints on the JSON API (``/api/v1/vendors/...``), a child blueprint of ``api``.

Profiles are read by members and edited by the vendor; purchases are recorded by member firms.
The buying firm and the reporter appear only in ``GET /vendors/{id}/purchases`` (board and staff
of the association) and in the reporting firm's own list; everyone else reads aggregates.
"""
from __future__ import annotations

from functools import wraps

from flask import jsonify, request
from pydantic import ValidationError

from .. import db
from .. import taxonomy as tx
from ..api.common import ApiRoutes, code_arg, page_args, page_envelope, parse_body, reject_unknown_args
from ..api.openapi import operation
from ..api.schemas import Items, Page
from ..auth import current_actor
from ..db import count
from . import schemas as s
from . import services as svc
from ..access import allow, ADMIN, PURCHASERS, REVIEWERS, VENDORS, VENDOR_READERS
from ..errors import DomainError
from ..forms import message_for

bp = ApiRoutes("vendors", __name__)


def _errors(fn):
    @wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except DomainError:  # a refusal or a lost race: nothing half-written; errors.init_app words it
            db.session().rollback()
            raise
    return wrapper


def _bool_arg(name: str) -> bool | None:
    raw = request.args.get(name)
    if raw in (None, ""):
        return None
    if raw.lower() in ("true", "1", "yes"):
        return True
    if raw.lower() in ("false", "0", "no"):
        return False
    raise DomainError("invalid_parameter", "{name} must be true or false", status=400, params={"name": name},
                      fields=[{"field": name, "problem": "not true or false"}])


def _purchase_body() -> s.PurchaseIn:
    """The purchase sent; a refused field's problem is the sentence its page shows, in the reader's language."""
    try:
        return parse_body(s.PurchaseIn)
    except ValidationError as exc:
        fields = []
        for err in exc.errors(include_url=False):
            msgid, params = message_for(err)
            loc = ".".join(str(p) for p in err["loc"]) or str((err.get("ctx") or {}).get("field") or "body")
            fields.append({"field": loc, "problem": msgid, "params": params})
        raise DomainError("invalid", "the request has invalid fields", status=422, fields=fields) from None


@bp.get("/vendors")
@allow(VENDOR_READERS)
@operation("Input vendors with what they supply and their standing, filtered", query=s.VendorQuery,
           responses={200: Page[s.VendorListing]}, errors=(400,),
           description="`supplies` is a vendor_supply code; `vetted=true` keeps the vendors your association "
           "cleared (approved, or approved with conditions).")
@_errors
def vendors_list():
    reject_unknown_args({"supplies", "vetted", "q"})
    user = current_actor()
    sess = db.session()
    supplies = code_arg("supplies", tx.VENDOR_SUPPLIES)
    q = (request.args.get("q") or "").strip()[:100]
    assoc = svc.viewer_association(sess, user)
    vetted = _bool_arg("vetted")
    stmt = svc.vendor_query(supplies, q, assoc if vetted and assoc is not None else None)
    page, per_page = page_args()
    total = count(sess, stmt)
    rows = sess.execute(stmt.limit(per_page).offset((page - 1) * per_page)).all()
    return jsonify(page_envelope(svc.listing(sess, rows, assoc, user), total, page, per_page))


@bp.get("/vendors/<int:org_id>/profile")
@allow(VENDOR_READERS)
@operation("An input vendor's profile, its standing and the members' purchase figures (aggregates only)",
           responses={200: s.VendorOut}, errors=(404,))
@_errors
def vendors_get_profile(org_id: int):
    sess = db.session()
    org = svc.vendor_org(sess, org_id)
    user = current_actor()
    return jsonify(svc.vendor_view(sess, org, svc.viewer_association(sess, user), user))


@bp.put("/vendors/<int:org_id>/profile")
@allow(VENDORS | ADMIN)
@operation("Create or replace the vendor's own profile (send the version last read to replace)",
           json=s.VendorProfilePut, responses={200: s.VendorProfileOut}, errors=(404, 409))
@_errors
def vendors_put_profile(org_id: int):
    sess = db.session()
    org = svc.vendor_org(sess, org_id)
    user = current_actor()
    if not svc.can_edit_profile(user, org):
        raise DomainError("forbidden", "only the vendor itself edits its profile", status=403)
    data = parse_body(s.VendorProfilePut)
    profile = svc.put_profile(sess, user, org, data)
    return jsonify(svc.profile_dict(org, profile))


@bp.post("/vendors/purchases")
@allow(PURCHASERS)
@operation("Record a purchase your firm made from an input vendor", json=s.PurchaseIn,
           responses={201: s.PurchaseOut}, errors=(404,),
           description="Member firms; your firm and you stay visible only to your association's board and staff "
                       "and the platform administrator.")
@_errors
def vendors_record_purchase():
    data = _purchase_body()
    sess = db.session()
    row = svc.record_purchase(sess, current_actor(), data)
    return jsonify(svc.purchase_dict(row, svc.vendor_org(sess, row.vendor_id).name)), 201


@bp.get("/vendors/purchases/mine")
@allow(PURCHASERS)
@operation("The purchases your own firm recorded", responses={200: Items[s.PurchaseOut]}, errors=(400,))
@_errors
def vendors_my_purchases():
    reject_unknown_args(set())
    items = svc.own_purchases(db.session(), current_actor())
    return jsonify({"items": items, "total": len(items)})


@bp.get("/vendors/<int:org_id>/purchases")
@allow(REVIEWERS)
@operation("Every purchase from the vendor in your association, with the buying firm and reporter (board)",
           responses={200: Items[s.BoardPurchaseOut]}, errors=(404,))
@_errors
def vendors_board_purchases(org_id: int):
    items = svc.board_purchases(db.session(), current_actor(), org_id)
    return jsonify({"items": items, "total": len(items)})
