"""Object rules of monitoring: whose figures a user may read.

Route rules (which roles reach an endpoint) are each view's ``@allow``. Here: a buyer's user
reads its own relationships with makers, a maker's user its own with buyers; an order's figures
are its two sides' only; a relationship without an order between the two, or another firm's
order, is a 404 (its existence is not confirmed). Association staff and board members read their
own association's anonymised view of buyers, never a per-maker figure.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..i18n import gettext
from ..orders.records import Order
from ..access import acts_for
from ..organizations.records import Organization
from ..errors import DomainError
from ..catalog import N_

SIDE_OF_ROLE = {"buyer_user": "buyer", "maker_user": "maker"}


def not_found(what: str) -> DomainError:
    return DomainError("not_found", gettext("No such {what}.", what=gettext(what)), status=404)


def side_of(user) -> str:
    side = SIDE_OF_ROLE.get(getattr(user, "role", None))
    if side is None or user.organization_id is None:
        raise DomainError("forbidden",
                          gettext("Only a buyer's or a maker's users see their relationships."), status=403)
    return side


def counterpart(session: Session, user, counterpart_id: int) -> tuple[str, Organization]:
    """``(side, the other firm)`` when the user's firm has an order with ``counterpart_id``; else 404."""
    side = side_of(user)
    own, other = (Order.buyer_id, Order.maker_id) if side == "buyer" else (Order.maker_id, Order.buyer_id)
    exists = session.scalar(select(Order.id).where(own == user.organization_id, other == counterpart_id,
                                                   Order.status != "cancelled").limit(1))
    org = session.get(Organization, counterpart_id) if exists else None
    if org is None:
        raise not_found(N_("relationship"))
    return side, org


def order_side(session: Session, user, order_id: int) -> tuple[str, Order]:
    """``(side, order)`` for one of the order's two sides; anyone else gets a 404."""
    order = session.get(Order, order_id)
    if order is None:
        raise not_found(N_("order"))
    if acts_for(user, order.buyer_id) and user.role == "buyer_user":
        return "buyer", order
    if acts_for(user, order.maker_id) and user.role == "maker_user":
        return "maker", order
    raise not_found(N_("order"))


def association_of(user) -> int | None:
    """The association whose view the user reads (None: the user belongs to none, and sees nothing)."""
    if getattr(user, "role", None) not in {"association_staff", "board_member"}:
        raise DomainError("forbidden",
                          gettext("Only an association's staff and board see its view of buyers."),
                          status=403)
    return user.association_id
