"""The figures the monitoring pages and the API share, as JSON-able dicts.

* :func:`relationships`: a firm's relationships (its makers for a buyer, its buyers for a maker),
  summed in SQL, slips first, one page of them, and the firm's figures across all of them;
* :func:`relationship`: one relationship's figures, monthly series, slips and orders;
* :func:`order`: one order's figures, series and slips (the panel of the order page);
* :func:`association_buyers` / :func:`association_buyer`: each buyer's record across the
  association's member makers, anonymised: no maker's name, id or row, only how many member
  firms traded with the buyer, and no figures at all below :data:`MIN_FIRMS` firms.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..i18n import gettext
from ..orders.records import Order
from ..organizations.records import Membership, Organization
from . import aggregate, metrics, rows
from .labels import SLIP_LABELS
from ..catalog import N_

MIN_FIRMS = 3  # fewer member firms than this and a buyer's aggregate could point at one of them
SUPPRESSED = (N_("Fewer than {n} member firms traded with this buyer, so its figures would identify them; "
                 "they are not shown."))


def _names(session: Session, ids) -> dict[int, str]:
    ids = list(ids)
    if not ids:
        return {}
    return dict(session.execute(select(Organization.id, Organization.name).where(Organization.id.in_(ids))).all())


def slip_dict(slip: metrics.Slip) -> dict:
    return {"key": slip.key, "kind": slip.kind, "order_id": slip.order_id, "on": slip.on.isoformat(),
            "amount": slip.amount, "text": gettext(SLIP_LABELS[slip.kind])}


def _pages(total: int, per_page: int) -> int:
    return (total + per_page - 1) // per_page


def relationships(session: Session, side: str, org_id: int, today: date, page: int = 1, per_page: int = 20) -> dict:
    per_group, overall = aggregate.relationships(session, side, org_id, today)
    names = _names(session, per_group)
    ordered = sorted(per_group, key=lambda k: (-per_group[k]["slips"], names.get(k, ""), k))
    chosen = ordered[(page - 1) * per_page: page * per_page]
    items = [{"counterpart": {"id": k, "name": names.get(k, "")}, **per_group[k]} for k in chosen]
    return {"side": side, "items": items, "total": len(ordered), "page": page, "per_page": per_page,
            "pages": _pages(len(ordered), per_page), "overall": overall}


def _order_item(f: metrics.OrderFacts, today: date) -> dict:
    o = f.order
    return {"id": o.id, "reference": o.reference, "product": o.product, "status": o.status,
            "delivery_date": o.delivery_date.isoformat(), "quantity": o.quantity, "unit_price": o.unit_price,
            "payment_terms_days": o.payment_terms_days, "reject_limit_pct": o.reject_limit_pct,
            "figures": metrics.summarise([f], today), "slips": [slip_dict(s) for s in metrics.slips([f], today)]}


def relationship(session: Session, side: str, org_id: int, other: Organization, today: date,
                 page: int = 1, per_page: int = 20) -> dict:
    buyer_id, maker_id = (org_id, other.id) if side == "buyer" else (other.id, org_id)
    facts = rows.for_pair(session, buyer_id, maker_id)
    chosen = facts[(page - 1) * per_page: page * per_page]
    return {"side": side, "counterpart": {"id": other.id, "name": other.name},
            "figures": metrics.summarise(facts, today), "series": metrics.monthly(facts, today),
            "slips": [slip_dict(s) for s in metrics.slips(facts, today)],
            "orders": [_order_item(f, today) for f in chosen], "total": len(facts), "page": page,
            "per_page": per_page, "pages": _pages(len(facts), per_page)}


def order(session: Session, order_id: int, today: date) -> dict:
    f = rows.for_order(session, order_id)
    if f is None:  # a cancelled order: its terms no longer bind, nothing to monitor
        return {"id": order_id, "figures": None, "series": [], "slips": []}
    item = _order_item(f, today)
    return {**item, "series": metrics.monthly([f], today)}


# -- the association's view ---------------------------------------------------------------------------

def _members(association_id: int):
    return select(Membership.organization_id).where(Membership.association_id == association_id)


def association_buyers(session: Session, association_id: int | None, today: date, page: int = 1,
                       per_page: int = 20) -> dict:
    if association_id is None:
        return {"items": [], "total": 0, "page": page, "per_page": per_page, "pages": 0, "min_firms": MIN_FIRMS}
    per_buyer = aggregate.figures(session, "buyer", "association", association_id, today)
    names = _names(session, per_buyer)
    shown = lambda k: per_buyer[k]["firms"] >= MIN_FIRMS  # noqa: E731
    ordered = sorted(per_buyer, key=lambda k: (not shown(k), -per_buyer[k]["slips"] if shown(k) else 0,
                                               names.get(k, ""), k))
    items = [_anonymous(k, names.get(k, ""), per_buyer[k]) for k in ordered[(page - 1) * per_page: page * per_page]]
    return {"items": items, "total": len(ordered), "page": page, "per_page": per_page,
            "pages": _pages(len(ordered), per_page), "min_firms": MIN_FIRMS}


def _anonymous(buyer_id: int, name: str, fig: dict) -> dict:
    firms = fig["firms"]
    if firms < MIN_FIRMS:
        return {"buyer": {"id": buyer_id, "name": name}, "member_firms": firms, "suppressed": True,
                "reason": gettext(SUPPRESSED, n=MIN_FIRMS), "figures": None}
    return {"buyer": {"id": buyer_id, "name": name}, "member_firms": firms, "suppressed": False, "reason": None,
            "figures": {k: v for k, v in fig.items() if k != "firms"}}


def association_buyer(session: Session, association_id: int | None, buyer: Organization, today: date) -> dict | None:
    """One buyer's anonymised record with its monthly series; None when no member traded with it."""
    if association_id is None:
        return None
    facts = rows.load(session, Order.buyer_id == buyer.id, Order.maker_id.in_(_members(association_id)))
    if not facts:
        return None
    firms = len({f.order.maker_id for f in facts})
    item = _anonymous(buyer.id, buyer.name, {**metrics.summarise(facts, today), "firms": firms})
    item["series"] = [] if item["suppressed"] else metrics.monthly(facts, today, MIN_FIRMS)
    if not item["suppressed"]:
        counts: dict[str, int] = {}
        for slip in metrics.slips(facts, today):
            counts[slip.kind] = counts.get(slip.kind, 0) + 1
        item["slips_by_kind"] = [{"kind": k, "count": n, "text": gettext(SLIP_LABELS[k])} for k, n in
                                 sorted(counts.items())]
    else:
        item["slips_by_kind"] = []
    return item
