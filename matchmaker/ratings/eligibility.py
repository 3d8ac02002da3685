"""Who may rate on which basis, and from when: one function per basis.

A rating needs a real deal between the two firms, seen from the rater's side:

* an **order** (``orders``): its maker firm rates the buyer's purchasing practices
  (``buyer_practices``, ratee = the buyer) and its buyer firm rates the maker
  (``maker_performance``, ratee = the maker). It opens when the order is closed, or
  ``OPENS_AFTER_DAYS`` after it was entered (``created_at``: ``started_on`` is what the client
  says, so a backdated one opens nothing) whatever its status (a cancelled order is part of a
  buyer's practices, but only counts once the same 60 days have passed, so that an order
  entered and cancelled at once is no instant basis). The rated side must have confirmed the
  terms: an order only one side entered is no evidence of a deal. And the order must be evidence
  (:mod:`matchmaker.orders.evidence`: from an accepted quote or a fair meeting, or with a buyer an
  association cleared): a maker naming a buyer firm of its own making gets no ratings from it.
* a **vendor purchase** (``vendor_purchases``): its member firm rates the vendor
  (``vendor_performance``) ``OPENS_AFTER_DAYS`` after it reported the purchase (``created_at``):
  the purchase and delivery dates are the member's own word, so neither opens it earlier.

A user acts for its own firm only (``access.acts_for``), with the role of that side
(a maker user for the maker side and for vendor purchases, a buyer user for the buyer side).
Whoever is neither side of the basis gets ``None``, which the callers answer with a 404, so
ids of other firms' orders reveal nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..orders.evidence import is_evidence
from ..orders.records import Order
from ..access import acts_for
from ..organizations.records import Membership
from ..vendors.records import VendorPurchase
from .records import OPENS_AFTER_DAYS, Rating


@dataclass(frozen=True)
class Eligibility:
    """One side's standing on one basis: whether it may rate now, has rated, or when it opens."""

    basis: str
    basis_id: int
    direction: str
    rater_org_id: int
    ratee_org_id: int
    association_id: int | None
    opens_on: date | None  # None: not open (the rated side did not confirm the terms, or no evidence)
    rated: bool
    evidence: bool = True  # False: the order is no evidence of a real deal (``orders.evidence``)

    def open_on(self, today: date) -> bool:
        return self.opens_on is not None and self.opens_on <= today

    def may_rate(self, today: date) -> bool:
        return not self.rated and self.open_on(today)


def today() -> date:
    return datetime.now(timezone.utc).date()


def _day(moment: datetime) -> date:
    return moment.date()


def _first_association(session: Session, org_id: int) -> int | None:
    """The association a maker belongs to (its oldest membership): the cluster its ratings count in."""
    return session.scalar(select(Membership.association_id).where(Membership.organization_id == org_id)
                          .order_by(Membership.id).limit(1))


def _rated(session: Session, basis: str, basis_id: int, rater_org_id: int) -> bool:
    return session.scalar(select(Rating.id).where(Rating.basis == basis, Rating.basis_id == basis_id,
                                                  Rating.rater_org_id == rater_org_id)) is not None


def order_side(user, order: Order) -> str | None:
    """``"maker"`` or ``"buyer"``: the side of ``order`` the user acts for, if any."""
    if user is None:
        return None
    if user.role == "maker_user" and acts_for(user, order.maker_id):
        return "maker"
    if user.role == "buyer_user" and acts_for(user, order.buyer_id):
        return "buyer"
    return None


def for_order(session: Session, user, order: Order | None, side: str | None = None) -> Eligibility | None:
    """The user's standing on ``order`` (``None`` when the user is neither of its sides).

    ``side`` names the side the caller shows (the order page's panel); it must be the user's own.
    """
    if order is None:
        return None
    own = order_side(user, order)
    if own is None or (side is not None and side != own):
        return None
    if own == "maker":
        direction, rater, ratee, confirmed = "buyer_practices", order.maker_id, order.buyer_id, order.buyer_confirmed_at
    else:
        direction, rater, ratee, confirmed = "maker_performance", order.buyer_id, order.maker_id, \
            order.maker_confirmed_at
    entered = _day(order.created_at)
    opens = entered + timedelta(days=OPENS_AFTER_DAYS)
    if order.status == "closed":
        opens = min(opens, _day(order.closed_at) if order.closed_at else entered)
    evidence = is_evidence(session, order)
    if confirmed is None or not evidence:
        opens = None
    return Eligibility("order", order.id, direction, rater, ratee, _first_association(session, order.maker_id),
                       opens, _rated(session, "order", order.id, rater), evidence)


def for_purchase(session: Session, user, purchase: VendorPurchase | None) -> Eligibility | None:
    """The member firm's standing on a vendor purchase (``None`` for anyone else)."""
    if purchase is None or user is None or user.role != "maker_user" or not acts_for(user, purchase.member_org_id):
        return None
    opens = _day(purchase.created_at) + timedelta(days=OPENS_AFTER_DAYS)
    return Eligibility("vendor_purchase", purchase.id, "vendor_performance", purchase.member_org_id,
                       purchase.vendor_id, purchase.association_id, opens,
                       _rated(session, "vendor_purchase", purchase.id, purchase.member_org_id))


def for_basis(session: Session, user, basis: str, basis_id: int) -> Eligibility | None:
    if basis == "order":
        return for_order(session, user, session.get(Order, basis_id))
    if basis == "vendor_purchase":
        return for_purchase(session, user, session.get(VendorPurchase, basis_id))
    return None
