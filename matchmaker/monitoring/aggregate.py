"""The figures of many relationships at once, summed in SQL (the lists: a buyer's makers, a maker's
buyers, an association's buyers).

One statement per list: per-order sub-aggregates of deliveries, milestones and invoices (each
joined to ``orders`` under the list's WHERE, so only the list's rows are read), summed per group
(the counterpart, or the buyer). The sums are exactly those of ``metrics._Totals`` (its docstring
defines each figure), so ``metrics.figures_from_totals`` turns a result row into the same figures
the detail pages compute from rows; a test holds the two to each other. The delivery date is the
one in force (``rows.agreed_dates``), in SQL the order's latest ``OrderAgreedDate``. Price changes are few and
their values are text, so they are read as rows and parsed in Python.
"""
from __future__ import annotations

import functools
from datetime import date
from types import SimpleNamespace

from sqlalchemy import Date, Integer, String, and_, bindparam, case, cast, func, or_, select
from sqlalchemy.orm import Session

from ..organizations.records import Membership
from ..orders.records import (
    Order, OrderAgreedDate, OrderDelivery, OrderInvoice, OrderMilestone, OrderPayment, OrderTermChange,
)
from . import metrics as m
from .rows import PRICE_FIELD, _day, _number

SUMS = ("deliveries", "late_deliveries", "late_days", "quantity", "rejected", "limit_quantity", "limit_weighted",
        "limited_rejected", "orders_over_limit", "undelivered", "milestones_timed", "milestone_late_days",
        "milestones_overdue", "invoices_due", "beyond_days", "invoices_late", "unpaid_past_due")


def _days(dialect: str, later, earlier):
    """``later - earlier`` in whole days, in the database's own date arithmetic."""
    if dialect == "sqlite":
        return cast(func.julianday(later) - func.julianday(earlier), Integer)
    return later - earlier


def _positive(expr):
    return case((expr > 0, expr), else_=0)


GROUPS = {"buyer": Order.buyer_id, "maker": Order.maker_id}


def _scope(scope: str):
    """The orders of one buyer, one maker, or the member makers of one association (``:scope_id``)."""
    value = bindparam("scope_id", type_=Integer)
    if scope == "buyer":
        return Order.buyer_id == value
    if scope == "maker":
        return Order.maker_id == value
    if scope == "association":
        return Order.maker_id.in_(select(Membership.organization_id).where(Membership.association_id == value))
    raise ValueError(scope)


def totals(session: Session, group: str, scope: str, scope_id: int, today: date) -> dict[int, SimpleNamespace]:
    """``{group value: sums}`` over the non-cancelled orders in ``scope`` (``buyer``/``maker``/``association``
    ``scope_id``), grouped by ``group`` (``buyer`` or ``maker``); each value also carries ``orders``,
    ``firms`` (distinct makers) and the price changes (``price_changes``, ``price_pcts``)."""
    stmt, prices = _statements(session.get_bind().dialect.name, group, scope)
    params = {"scope_id": scope_id, "today": today, "price_field": PRICE_FIELD}
    found: dict[int, SimpleNamespace] = {}
    for row in session.execute(stmt, params):
        values = {name: int(getattr(row, name) or 0) for name in SUMS if name != "limit_weighted"}
        values["limit_weighted"] = float(row.limit_weighted or 0)  # PostgreSQL sums integers as numeric
        found[row.key] = SimpleNamespace(orders=row.orders, firms=row.firms, price_changes=0, price_pcts=[], **values)
    _add_price_changes(session.execute(prices, params), found)
    return found


@functools.lru_cache(maxsize=32)
def _statements(dialect: str, group_name: str, scope: str):
    """The two statements of a (group, scope), built once per process (building them costs more than running
    them on a small firm's orders); the firm and the day are bound parameters."""
    group = GROUPS[group_name]
    where = [Order.status != "cancelled", _scope(scope)]
    now = bindparam("today", type_=Date)
    ids = select(Order.id).where(*where)  # the figure tables are reached through their order_id index

    agreed = func.coalesce(select(OrderAgreedDate.delivery_date).where(OrderAgreedDate.order_id == Order.id)
                           .order_by(OrderAgreedDate.id.desc()).limit(1).scalar_subquery(), Order.delivery_date)
    late = _days(dialect, OrderDelivery.delivered_on, agreed)
    deliveries = (select(OrderDelivery.order_id.label("order_id"), func.count().label("n"),
                         func.sum(OrderDelivery.quantity).label("qty"),
                         func.sum(OrderDelivery.rejected_quantity).label("rej"),
                         func.sum(case((late > 0, 1), else_=0)).label("n_late"),
                         func.sum(_positive(late)).label("late_days"))
                  .join(Order, Order.id == OrderDelivery.order_id).where(OrderDelivery.order_id.in_(ids))
                  .group_by(OrderDelivery.order_id).subquery())

    both = and_(OrderMilestone.planned_on.is_not(None), OrderMilestone.actual_on.is_not(None))
    milestone_late = _days(dialect, OrderMilestone.actual_on, OrderMilestone.planned_on)
    overdue = and_(OrderMilestone.planned_on.is_not(None), OrderMilestone.actual_on.is_(None),
                   OrderMilestone.planned_on < now)
    milestones = (select(OrderMilestone.order_id.label("order_id"),
                         func.sum(case((both, 1), else_=0)).label("timed"),
                         func.sum(case((both, _positive(milestone_late)), else_=0)).label("late_days"),
                         func.sum(case((overdue, 1), else_=0)).label("overdue"))
                  .where(OrderMilestone.order_id.in_(ids)).group_by(OrderMilestone.order_id).subquery())

    paid = (select(OrderPayment.invoice_id.label("invoice_id"), func.sum(OrderPayment.amount).label("total"),
                   func.max(OrderPayment.paid_on).label("last"))
            .where(OrderPayment.order_id.in_(ids)).group_by(OrderPayment.invoice_id).subquery())
    settled = and_(paid.c.total.is_not(None), paid.c.total >= OrderInvoice.amount - m.CENT)
    open_past_due = and_(or_(paid.c.total.is_(None), paid.c.total < OrderInvoice.amount - m.CENT),
                         OrderInvoice.due_on < now)
    beyond = case((settled, _positive(_days(dialect, paid.c.last, OrderInvoice.due_on))),
                  (open_past_due, _days(dialect, now, OrderInvoice.due_on)), else_=None)
    invoices = (select(OrderInvoice.order_id.label("order_id"), func.count(beyond).label("due"),
                       func.sum(beyond).label("beyond_days"), func.sum(case((beyond > 0, 1), else_=0)).label("late"),
                       func.sum(case((open_past_due, 1), else_=0)).label("unpaid"))
                .outerjoin(paid, paid.c.invoice_id == OrderInvoice.id).where(OrderInvoice.order_id.in_(ids))
                .group_by(OrderInvoice.order_id).subquery())

    qty = func.coalesce(deliveries.c.qty, 0)
    rej = func.coalesce(deliveries.c.rej, 0)
    limited = and_(Order.reject_limit_pct.is_not(None), qty > 0)
    stmt = (select(group.label("key"), func.count(Order.id).label("orders"),
                   func.count(func.distinct(Order.maker_id)).label("firms"),
                   func.sum(func.coalesce(deliveries.c.n, 0)).label("deliveries"),
                   func.sum(func.coalesce(deliveries.c.n_late, 0)).label("late_deliveries"),
                   func.sum(func.coalesce(deliveries.c.late_days, 0)).label("late_days"),
                   func.sum(qty).label("quantity"), func.sum(rej).label("rejected"),
                   func.sum(case((limited, qty), else_=0)).label("limit_quantity"),
                   func.sum(case((limited, qty * Order.reject_limit_pct), else_=0.0)).label("limit_weighted"),
                   func.sum(case((limited, rej), else_=0)).label("limited_rejected"),
                   func.sum(case((and_(limited, rej * 100.0 > Order.reject_limit_pct * qty), 1), else_=0))
                   .label("orders_over_limit"),
                   func.sum(case((and_(Order.status == "open", agreed < now, qty < Order.quantity), 1),
                                 else_=0)).label("undelivered"),
                   func.sum(func.coalesce(milestones.c.timed, 0)).label("milestones_timed"),
                   func.sum(func.coalesce(milestones.c.late_days, 0)).label("milestone_late_days"),
                   func.sum(func.coalesce(milestones.c.overdue, 0)).label("milestones_overdue"),
                   func.sum(func.coalesce(invoices.c.due, 0)).label("invoices_due"),
                   func.sum(func.coalesce(invoices.c.beyond_days, 0)).label("beyond_days"),
                   func.sum(func.coalesce(invoices.c.late, 0)).label("invoices_late"),
                   func.sum(func.coalesce(invoices.c.unpaid, 0)).label("unpaid_past_due"))
            .select_from(Order)
            .outerjoin(deliveries, deliveries.c.order_id == Order.id)
            .outerjoin(milestones, milestones.c.order_id == Order.id)
            .outerjoin(invoices, invoices.c.order_id == Order.id)
            .where(*where).group_by(group))
    prices = (select(group, OrderTermChange.order_id, OrderTermChange.id, OrderTermChange.old_value,
                     OrderTermChange.new_value, OrderTermChange.changed_at)
              .join(Order, Order.id == OrderTermChange.order_id)
              .where(*where, OrderTermChange.field == bindparam("price_field", type_=String)))
    return stmt, prices


def _add_price_changes(rows, found: dict) -> None:
    per_order: dict[int, tuple] = {}
    for key, order_id, change_id, old, new, at in rows:
        old_v, new_v = _number(old), _number(new)
        if not old_v or new_v is None or key not in found:
            continue
        found[key].price_changes += 1
        per_order.setdefault(order_id, (key, []))[1].append(m.PriceChangeRow(change_id, old_v, new_v, _day(at)))
    for key, changes in per_order.values():
        found[key].price_pcts.append(m.order_price_change_pct(changes))


def combined(parts) -> SimpleNamespace:
    """The sums of several groups together (every sum is additive; ``firms`` counts distinct makers only when
    the groups are makers, as in a firm's relationships)."""
    parts = list(parts)
    total = SimpleNamespace(orders=sum(p.orders for p in parts), firms=len(parts),
                            price_changes=sum(p.price_changes for p in parts),
                            price_pcts=[x for p in parts for x in p.price_pcts],
                            **{name: sum(getattr(p, name) for p in parts) for name in SUMS})
    return total


def relationships(session: Session, side: str, org_id: int, today: date) -> tuple[dict[int, dict], dict | None]:
    """A firm's figures per counterpart and across all of them, from one statement."""
    per_group = totals(session, "maker" if side == "buyer" else "buyer", side, org_id, today)
    overall = m.figures_from_totals(combined(per_group.values())) if per_group else None
    return {key: m.figures_from_totals(t) for key, t in per_group.items()}, overall


def figures(session: Session, group: str, scope: str, scope_id: int, today: date) -> dict[int, dict]:
    """``{group value: figures}`` plus ``firms`` (how many distinct makers traded in the group)."""
    return {key: {**m.figures_from_totals(t), "firms": t.firms}
            for key, t in totals(session, group, scope, scope_id, today).items()}
