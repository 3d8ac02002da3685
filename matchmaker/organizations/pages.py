"""Organization directory pages: a filtered, paginated list and one organization's public page.

The list comes from the search index with exact totals (:mod:`matchmaker.search.directory`), from the
database when the index cannot answer it (and for the vendors' ``supplies`` filter, which the index does
not hold). Members (makers, the association, the admin) also see the vetting standing of buyers, agents
and input vendors in the list, and find vendors by what they supply (``supplies``, issue 15).
"""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from sqlalchemy import func, select

from .. import db, paging
from .. import taxonomy as tx
from ..auth import current_actor
from ..db import count
from ..makers.services import maker_dict
from ..search.directory import organizations_page
from ..search.lists import NotServable
from ..vetting.records import SUBJECT_KINDS
from .records import Membership, Organization
from ..access import allow, ADMIN, ASSOCIATION, MAKERS, SIGNED_IN


bp = Blueprint("directory", __name__)

PER_PAGE = 20


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@bp.get("/organizations")
@allow(SIGNED_IN)
def organizations():
    sess = db.session()
    kind = request.args.get("kind", "")
    state = request.args.get("state", "")[:100]
    q = request.args.get("q", "").strip()[:100]
    stmt = select(Organization).order_by(func.lower(Organization.name), Organization.id)  # as the index
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
    actor = current_actor()
    standing = dict(show_standing=actor is not None and actor.role in MAKERS | ASSOCIATION | ADMIN,
                    vetted_kinds=SUBJECT_KINDS)
    if not supplies:
        try:  # the index, with exact totals; the database when it cannot answer (see search.directory)
            found = organizations_page(sess, kind, state, q, paging.page_arg(), PER_PAGE)
            if (past := paging.to_last_page(paging.page_arg(), found["pages"])) is not None:
                return past
            return render_template("organizations/organizations.html",
                                   filters={"kind": kind, "state": state, "q": q, "supplies": ""}, **found, **standing)
        except NotServable:
            pass
    if q:
        stmt = stmt.where(Organization.name.ilike(f"%{_like_escape(q)}%", escape="\\"))
    total = count(sess, stmt)
    pages, page = paging.page_count(total, PER_PAGE), paging.page_arg()
    if (past := paging.to_last_page(page, pages)) is not None:
        return past
    rows = sess.scalars(stmt.limit(PER_PAGE).offset(paging.offset(page, PER_PAGE))).all()
    states = [s for s in sess.scalars(select(Organization.state).distinct().order_by(Organization.state)) if s]
    filters = {"kind": kind, "state": state, "q": q, "supplies": supplies}
    return render_template("organizations/organizations.html", rows=rows, total=total, page=page, pages=pages,
                           states=states, filters=filters, **standing)


@bp.get("/organizations/<int:org_id>")
@allow(SIGNED_IN)
def organization(org_id: int):
    """The public page: identity, memberships and, for makers, the capability profile only.

    A maker's clients and outcome log are never read here.
    """
    sess = db.session()
    org = sess.get(Organization, org_id)
    if org is None:
        abort(404)
    maker = maker_dict(org.maker_profile, org) if org.kind == "maker" and org.maker_profile else None
    buyer = org.buyer_profile if org.kind in {"buyer", "buying_agent"} else None
    memberships = sess.scalars(select(Membership).where(Membership.organization_id == org.id)).all()
    return render_template("organizations/organization.html", org=org, maker=maker, buyer=buyer,
                           memberships=memberships)
