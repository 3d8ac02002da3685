"""Object rules of the orders concern: which side of which order a user acts for.

Route rules (which roles reach an endpoint at all) are in ``permissions.ROUTES``: buyers and
makers only, since association staff and the platform admin do not read a firm's individual
orders (the association's view is anonymised elsewhere). Here: an order is its buyer firm's
(users of role ``buyer_user``) and its maker firm's (``maker_user``; a coordinator firm that
offered a consortium is the maker side of its order). Anyone else gets a 404, so an order id
of other firms reveals nothing, not even that it exists.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from ..i18n import gettext
from .records import Order
from ..catalog import N_

MAKER_SIDE_KINDS = ("maker", "coordinator")
BUYER_KINDS = ("buyer", "buying_agent")


class OrderError(Exception):
    """A refused request: HTTP ``status``, a ``code``, the ``field`` concerned, an English message id."""

    def __init__(self, status: int, code: str, field: str, message: str, **params):
        super().__init__(message.format(**params) if params else message)
        self.status, self.code, self.field, self.msgid, self.params = status, code, field, message, params

    def text(self) -> str:
        params = dict(self.params)
        if "state" in params:  # an order's status code, worded in the reader's language
            from .labels import STATUS
            params["state"] = gettext(STATUS.get(params["state"], params["state"])).lower()
        return gettext(self.msgid, **params)


def side_of(user, order: Order) -> str | None:
    """``buyer`` or ``maker`` when ``user`` acts for that firm of the order; else None."""
    if user is None or user.organization_id is None:
        return None
    if user.role == "buyer_user" and user.organization_id == order.buyer_id:
        return "buyer"
    if user.role == "maker_user" and user.organization_id == order.maker_id:
        return "maker"
    return None


def other(side: str) -> str:
    return "maker" if side == "buyer" else "buyer"


def not_found(order_id) -> OrderError:
    return OrderError(404, "not_found", "order_id", N_("There is no order {id} for your firm."), id=order_id)


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
