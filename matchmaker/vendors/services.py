"""Input vendors' profiles, members' purchases from them, and what each party may read of those.

Shared by the JSON API and the pages. The rules users rely on:

* a vendor edits only its own profile (the platform admin any); a stale ``version`` is a 409;
* a member firm (a maker of an association, or a board member for their firm) records a purchase
  from a vendor for its own association; the record names the buying firm and the reporter, which
  only its own firm and the association's board and staff ever read;
* members of the association and the vendor itself see aggregates only, and only once at least
  ``MIN_REPORTING_FIRMS`` (2) distinct firms reported: one firm's figures would tell the vendor
  who reported them.
"""
from __future__ import annotations

from collections import Counter
from datetime import date

from datetime import timedelta

from sqlalchemy import Text, cast, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from models.reputation_features import MIN_REPORTING_FIRMS

from ..access import acts_for, is_admin
from ..accounts.records import User
from ..organizations.records import Organization
from ..errors import Conflict
from ..vetting import services as vs
from ..vetting import views as vv
from ..vetting.clearance import may_see_standing
from . import schemas as s
from .records import VendorProfile, VendorPurchase
from ..errors import DomainError

KIND = "input_vendor"
LIST_FIELDS = ("supplies", "denim_finishes", "trims", "brands_serviced")
PROFILE_FIELDS = ("supplies", "denim_oz_min", "denim_oz_max", "denim_finishes", "trims", "brands_serviced",
                  "min_lot", "min_lot_unit", "delivery_days", "repair_response_days", "credit_terms_days", "about")


def vendor_org(session: Session, org_id: int, field: str | None = None) -> Organization:
    """The input vendor ``org_id``; another kind of firm or none at all is a 404 (no vendor of that id)."""
    org = session.get(Organization, org_id)
    if org is None or org.kind != KIND:
        raise DomainError("not_found", "no input vendor {id}", field=field, params={"id": org_id}, status=404)
    return org


def can_edit_profile(user: User | None, org: Organization) -> bool:
    return is_admin(user) or (user is not None and user.role == "vendor_user" and acts_for(user, org.id)
                                   and org.kind == KIND)


# -- profile ---------------------------------------------------------------------------------------

def profile_dict(org: Organization, profile: VendorProfile | None) -> dict:
    data = {"organization_id": org.id, "name": org.name, "city": org.city, "state": org.state,
            "country": org.country, "version": profile.version if profile else 0}
    for name in PROFILE_FIELDS:
        value = getattr(profile, name) if profile is not None else None
        if name in LIST_FIELDS:
            value = list(value or [])
        elif name == "credit_terms_days":
            value = value or 0
        elif name in ("about", "min_lot_unit"):
            value = value or ""
        data[name] = value
    return data


def put_profile(session: Session, user: User, org: Organization, data: s.VendorProfilePut) -> VendorProfile:
    """Create the profile, or replace it when ``data.version`` is the version stored (else 409)."""
    if not can_edit_profile(user, org):
        raise DomainError("forbidden", "only the vendor itself edits its profile", status=403)
    profile = session.get(VendorProfile, org.id)
    values = data.model_dump(include=set(PROFILE_FIELDS))
    if profile is None:
        if data.version not in (None, 0):
            raise Conflict("vendor {id} has no profile yet; send no version to create it", params={"id": org.id})
        profile = VendorProfile(organization_id=org.id, **values)
        session.add(profile)
    else:
        if data.version is None:
            raise DomainError("invalid", "send the version you last read to replace the profile",
                              field="version")
        if data.version != profile.version:
            raise Conflict("the profile changed since version {seen} (now {now}); "
                           "reload it and apply your change again",
                           params={"seen": data.version, "now": profile.version})
        for name, value in values.items():
            setattr(profile, name, value)
    try:
        session.commit()
    except IntegrityError:       # two first saves at once: the other one won
        session.rollback()
        raise Conflict("vendor {id}'s profile was created meanwhile; reload it", params={"id": org.id}) from None
    except StaleDataError:       # a concurrent replace won
        session.rollback()
        raise Conflict("the profile changed meanwhile; reload it and apply your change again") from None
    return profile


def vendor_query(supplies: str | None = None, q: str | None = None, cleared_in: int | None = None):
    """Vendors (ids) with their profile, filtered by what they supply, name and clearance."""
    stmt = (select(Organization, VendorProfile)
            .outerjoin(VendorProfile, VendorProfile.organization_id == Organization.id)
            .where(Organization.kind == KIND).order_by(Organization.name, Organization.id))
    if supplies:
        stmt = stmt.where(Organization.id.in_(supplying(supplies)))
    if q:
        esc = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(Organization.name.ilike(f"%{esc}%", escape="\\"))
    if cleared_in is not None:
        from ..vetting.records import Standing
        stmt = stmt.where(Organization.id.in_(select(Standing.subject_id).where(
            Standing.association_id == cleared_in, Standing.outcome.in_(vs.CLEARED))))
    return stmt


def supplying(code: str):
    """SQL: ids of vendors whose profile lists ``code`` among its supplies (JSON list, any database).

    The list is stored as JSON text; a code is matched with its quotes, so ``trims`` never matches
    ``trims_x``. Codes are taxonomy words (no quotes or wildcards in them), checked by the callers.
    """
    return select(VendorProfile.organization_id).where(
        cast(VendorProfile.supplies, Text).like(f'%"{code}"%'))


def listing(session: Session, rows, association_id: int | None, viewer: User | None) -> list[dict]:
    """Vendors as listed; ``standing`` is None where the viewer may not read it (a rival vendor)."""
    ids = [org.id for org, _ in rows]
    sts = vs.standings(session, ids, association_id)
    reviewing = vs.under_review(session, ids, association_id)
    return [{"organization_id": org.id, "name": org.name, "city": org.city, "state": org.state,
             "country": org.country, "supplies": list(p.supplies or []) if p else [],
             "credit_terms_days": p.credit_terms_days if p else None, "delivery_days": p.delivery_days if p else None,
             "standing": vv.standing_dict(sts.get(org.id), org.id in reviewing)
             if may_see_standing(viewer, org.id) else None} for org, p in rows]


def vendor_view(session: Session, org: Organization, association_id: int | None, viewer: User | None) -> dict:
    """The vendor's profile, standing (None where the viewer may not read it) and purchase figures."""
    standing = None
    if may_see_standing(viewer, org.id):
        st = vs.standings(session, [org.id], association_id).get(org.id)
        standing = vv.standing_dict(st, bool(vs.under_review(session, [org.id], association_id)))
    return {**profile_dict(org, session.get(VendorProfile, org.id)),
            "standing": standing,
            "purchase_summary": purchase_summary(session, org.id, association_id)}


def viewer_association(session: Session, user: User | None) -> int | None:
    """Whose records a viewer reads: its own association (staff, board), its firm's first one (members),
    none (everything) for the vendor itself and the platform admin."""
    if user is None or user.role == "vendor_user":
        return None
    return vs.viewer_association(session, user)


# -- purchases -------------------------------------------------------------------------------------

def record_purchase(session: Session, user: User, data: s.PurchaseIn) -> VendorPurchase:
    org = vendor_org(session, data.vendor_id, "vendor_id")
    if user.organization_id == org.id:
        raise DomainError("invalid", "a firm cannot report a purchase from itself", field="vendor_id")
    try:
        assoc = vs.reporting_association(session, user, data.association_id)
    except DomainError as exc:
        raise DomainError(exc.code, exc.message, field=exc.field, status=exc.status) from None
    row = VendorPurchase(
        vendor_id=org.id, member_org_id=user.organization_id, association_id=assoc, reported_by_id=user.id,
        purchased_on=data.purchased_on, lot=data.lot, amount=data.amount,
        currency=data.currency if data.amount is not None else None, promised_on=data.promised_on,
        delivered_on=data.delivered_on, quality_vs_sample=data.quality_vs_sample,
        warranty_claimed=data.warranty_claimed, warranty_honoured=data.warranty_honoured, note=data.note)
    session.add(row)
    session.flush()
    vs.audit(session, user, "purchase_reported", assoc, org.id, record_id=row.id)
    session.commit()
    return row


def purchase_dict(row: VendorPurchase, vendor_name: str, board: dict | None = None) -> dict:
    out = {"id": row.id, "vendor_id": row.vendor_id, "vendor": vendor_name, "association_id": row.association_id,
           "purchased_on": row.purchased_on.isoformat(), "lot": row.lot, "amount": row.amount,
           "currency": row.currency, "promised_on": row.promised_on.isoformat(),
           "delivered_on": row.delivered_on.isoformat() if row.delivered_on else None,
           "quality_vs_sample": row.quality_vs_sample, "warranty_claimed": row.warranty_claimed,
           "warranty_honoured": row.warranty_honoured, "note": row.note}
    if board is not None:
        out.update(board)
    return out


def own_purchases(session: Session, user: User, vendor_id: int | None = None) -> list[dict]:
    """The purchases the user's own firm recorded (the firm's own records, full detail)."""
    if user.organization_id is None:
        return []
    stmt = (select(VendorPurchase, Organization.name).join(Organization, Organization.id == VendorPurchase.vendor_id)
            .where(VendorPurchase.member_org_id == user.organization_id))
    if vendor_id is not None:
        stmt = stmt.where(VendorPurchase.vendor_id == vendor_id)
    rows = session.execute(stmt.order_by(VendorPurchase.purchased_on.desc(), VendorPurchase.id.desc()).limit(500))
    return [purchase_dict(row, name) for row, name in rows]


def board_purchases(session: Session, user: User, vendor_id: int) -> list[dict]:
    """Every purchase from the vendor recorded in the reviewer's association, with buyer and reporter."""
    vendor = vendor_org(session, vendor_id)
    stmt = (select(VendorPurchase, Organization.name)
            .join(Organization, Organization.id == VendorPurchase.member_org_id)
            .where(VendorPurchase.vendor_id == vendor.id))
    if not is_admin(user):
        if user.association_id is None:
            raise DomainError("forbidden", "your account is not attached to an association", status=403)
        stmt = stmt.where(VendorPurchase.association_id == user.association_id)
    # read to the end before the audit row: on SQLite an unread result keeps its snapshot, and the INSERT
    # after another user's commit would fail with "database is locked"
    rows = session.execute(stmt.order_by(VendorPurchase.purchased_on.desc(), VendorPurchase.id.desc())
                           .limit(1000)).all()
    vs.audit(session, user, "disclosure", user.association_id, vendor.id, what="vendor purchases with reporters")
    session.commit()
    return [purchase_dict(row, vendor.name, {"member_org_id": row.member_org_id, "member": member,
                                             "reported_by_id": row.reported_by_id}) for row, member in rows]


def purchase_summary(session: Session, vendor_id: int, association_id: int | None,
                     today: date | None = None) -> dict:
    """Counts over the purchases ``association_id``'s members recorded (all when None); no figures
    while fewer than ``MIN_REPORTING_FIRMS`` firms reported."""
    today = today or date.today()
    V = VendorPurchase
    stmt = select(V.member_org_id, V.promised_on, V.delivered_on, V.quality_vs_sample, V.warranty_claimed,
                  V.warranty_honoured).where(V.vendor_id == vendor_id)
    if association_id is not None:
        stmt = stmt.where(V.association_id == association_id)
    rows = session.execute(stmt).all()
    firms = len({r.member_org_id for r in rows})
    out = {"shown": firms >= MIN_REPORTING_FIRMS, "purchases": len(rows), "reporting_firms": firms,
           "delivered": None, "on_time": None, "late": None, "mean_days_late": None, "quality": None,
           "warranty_claims": None, "warranty_honoured": None}
    if not out["shown"]:
        return out
    delivered = [r for r in rows if r.delivered_on is not None]
    late_days = [max((r.delivered_on or today) - r.promised_on, timedelta(0)).days for r in rows
                 if r.delivered_on is not None or r.promised_on <= today]
    claims = [r for r in delivered if r.warranty_claimed]
    out.update(delivered=len(delivered), on_time=sum(1 for d in late_days if d == 0),
               late=sum(1 for d in late_days if d > 0),
               mean_days_late=round(sum(late_days) / len(late_days), 1) if late_days else 0.0,
               quality=dict(Counter(r.quality_vs_sample for r in delivered if r.quality_vs_sample)),
               warranty_claims=len(claims), warranty_honoured=sum(1 for r in claims if r.warranty_honoured))
    return out


def vendor_choices(session: Session, exclude: int | None = None) -> list[tuple[int, str]]:
    stmt = select(Organization.id, Organization.name).where(Organization.kind == KIND)
    if exclude is not None:
        stmt = stmt.where(Organization.id != exclude)
    return [(i, n) for i, n in session.execute(stmt.order_by(Organization.name, Organization.id).limit(2000))]
