"""Object rules of the orders concern: which side of which order a user acts for.

Route rules (which roles reach an endpoint at all) are each view's ``@allow``: buyers and
makers only, since association staff and the platform admin do not read a firm's individual
orders (the association's view is anonymised elsewhere). Here: an order is its buyer firm's
(users of role ``buyer_user``) and its maker firm's (``maker_user``; a coordinator firm that
offered a consortium is the maker side of its order). Anyone else gets a 404, so an order id
of other firms reveals nothing, not even that it exists.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from .records import Order
from ..access import side_of
from ..errors import DomainError

MAKER_SIDE_KINDS = ("maker", "coordinator")
BUYER_KINDS = ("buyer", "buying_agent")


def other(side: str) -> str:
    return "maker" if side == "buyer" else "buyer"


def not_found(order_id) -> DomainError:
    return DomainError("not_found", "There is no order {id} for your firm.", field="order_id", status=404,
                       params={'id': order_id})


def visible_order(session: Session, user, order_id: int) -> tuple[Order, str]:
    order = session.get(Order, order_id)
    side = side_of(user, order) if order is not None else None
    if side is None:
        raise not_found(order_id)
    return order, side


def own_filter(user):
    """The SQL condition of the orders ``user`` may list (none for a user of no firm or another role)."""
    if user is None or user.organization_id is None or user.role not in ("buyer_user", "maker_user"):
        return Order.id.is_(None)
    if user.role == "buyer_user":
        return Order.buyer_id == user.organization_id
    return Order.maker_id == user.organization_id
