"""What the contact package tells the other side of an order (``matchmaker.events`` order signals).

The orders concern never imports contact: it sends a signal with the order and the acting side,
inside its transaction, and these handlers write a notice (and its email, per preference) for
every active user of the *other* firm of the order, with a link to the order page. A firm without
users (a buyer entered by a maker for a deal made elsewhere) is simply told nothing.
"""
from __future__ import annotations

from .. import events
from . import notify as nt

ROLE = {"buyer": "buyer_user", "maker": "maker_user"}


def _tell(session, order, side: str, kind: str, dedup_key: str | None = None) -> None:
    to_side = "maker" if side == "buyer" else "buyer"
    to_org = order.maker_id if to_side == "maker" else order.buyer_id
    by = order.buyer.name if side == "buyer" else order.maker.name
    label = order.reference or order.product or f"#{order.id}"
    params = {"by": by, "order": f"{label} (#{order.id})" if label != f"#{order.id}" else label}
    nt.notify_users(session, nt.firm_users(session, to_org, ROLE[to_side]), kind, params, f"/orders/{order.id}",
                    subject=("order", order.id), dedup_key=dedup_key)


def on_order_created(session, order, side, **_):
    _tell(session, order, side, "order_created", f"order_created:{order.id}")


def on_order_terms_changed(session, order, side, **_):
    _tell(session, order, side, "order_terms")


def on_order_figure_recorded(session, order=None, side=None, **_):
    if order is not None and side is not None:  # (monitoring also sends it with only ``order_id``)
        _tell(session, order, side, "order_figure")


def on_order_disputed(session, order, side, dispute=None, **_):
    _tell(session, order, side, "order_disputed")


def on_order_dispute_answered(session, order, side, dispute=None, **_):
    _tell(session, order, side, "order_answered")


def on_order_closed(session, order, side, **_):
    _tell(session, order, side, "order_closed", f"order_closed:{order.id}")


def connect() -> None:
    events.order_created.connect(on_order_created, weak=False)
    events.order_terms_changed.connect(on_order_terms_changed, weak=False)
    events.order_figure_recorded.connect(on_order_figure_recorded, weak=False)
    events.order_disputed.connect(on_order_disputed, weak=False)
    events.order_dispute_answered.connect(on_order_dispute_answered, weak=False)
    events.order_closed.connect(on_order_closed, weak=False)
