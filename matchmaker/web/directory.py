"""Organization directory pages: a filtered, paginated list and one organization's public page.

Members (makers, the association, the admin) also see the vetting standing of buyers, agents and
input vendors in the list, and find vendors by what they supply (``supplies``, issue 15).
"""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from sqlalchemy import select

from .. import db, services
from .. import permissions as perm
from .. import taxonomy as tx
from ..auth import current_actor
from ..schema import Membership, Organization
from ..security import small_int
from ..vetting.records import SUBJECT_KINDS

bp = Blueprint("directory", __name__)

PER_PAGE = 20


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _page_number() -> int:
    raw = request.args.get("page", "1")
    return min(max(small_int(raw, 1), 1), 100_000)


@bp.get("/organizations")
def organizations():
    sess = db.session()
    kind = request.args.get("kind", "")
    state = request.args.get("state", "")[:100]
    q = request.args.get("q", "").strip()[:100]
    stmt = select(Organization).order_by(Organization.name, Organization.id)
    if kind in tx.ORG_KINDS:
        stmt = stmt.where(Organization.kind == kind)
    else:
        kind = ""
    supplies = request.args.get("supplies", "")
    if supplies in tx.VENDOR_SUPPLIES:      # what an input vendor supplies (issue 15): implies the kind
        from ..vendors.services import supplying
        kind = "input_vendor"
        stmt = stmt.where(Organization.kind == kind, Organization.id.in_(supplying(supplies)))
    else:
        supplies = ""
    if state:
        stmt = stmt.where(Organization.state == state)
    if q:
        stmt = stmt.where(Organization.name.ilike(f"%{_like_escape(q)}%", escape="\\"))
    total = services.count(sess, stmt)
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    page = min(_page_number(), pages)
    rows = sess.scalars(stmt.limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    states = [s for s in sess.scalars(select(Organization.state).distinct().order_by(Organization.state)) if s]
    filters = {"kind": kind, "state": state, "q": q, "supplies": supplies}
    actor = current_actor()
    show_standing = actor is not None and actor.role in perm.MAKERS | perm.ASSOCIATION | perm.ADMIN
    return render_template("directory/organizations.html", rows=rows, total=total, page=page, pages=pages,
                           states=states, filters=filters, show_standing=show_standing,
                           vetted_kinds=SUBJECT_KINDS)


@bp.get("/organizations/<int:org_id>")
def organization(org_id: int):
    """The public page: identity, memberships and, for makers, the capability profile only.

    A maker's clients and outcome log are never read here.
    """
    sess = db.session()
    org = sess.get(Organization, org_id)
    if org is None:
        abort(404)
    maker = services.maker_dict(org.maker_profile, org) if org.kind == "maker" and org.maker_profile else None
    buyer = org.buyer_profile if org.kind in {"buyer", "buying_agent"} else None
    memberships = sess.scalars(select(Membership).where(Membership.organization_id == org.id)).all()
    return render_template("directory/organization.html", org=org, maker=maker, buyer=buyer,
                           memberships=memberships)
