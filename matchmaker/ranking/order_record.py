"""The order part of a maker's track record: deliveries, rejects and buyers' ratings, as of a moment.

Issue 15's one source of truth: the deliveries recorded on orders (``order_deliveries``) and the
buyers' ``maker_performance`` ratings are the maker's track record, beside the outcome log's
order events (:mod:`.data`). Per maker it keeps :data:`FIELDS`:

* ``deliveries`` counted deliveries, ``on_time_deliveries`` those delivered on or before the
  order's ``delivery_date``, ``delivered_units`` and ``rejected_units`` (their sums);
* ``ratings`` buyers' ratings, ``rating_scores`` their category scores and ``rating_sum`` the sum of
  those scores (integers, so every path sums them exactly).

A delivery counts when the buyer entered it or confirmed it (``confirmed_at``): a maker's own
unconfirmed figures do not build its record. It is *known* from the later of its ``created_at``
and the end of its ``delivered_on`` day, a rating from its ``created_at``; a requirement's
track record holds only what was known strictly before the requirement's time (no future leak).

:class:`Timeline` answers "as of t" in O(log n) for training (:class:`.data.History`);
:func:`totals_now` gives serving's (:class:`.data.Snapshot`) all-so-far sums in two grouped queries,
and :func:`cache_key` the cheap summary that changes when a delivery, an order's agreed date or
a rating changes.
"""
from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from datetime import datetime, time, timedelta, timezone

import numpy as np
from sqlalchemy import Select, case, func, or_, select, true
from sqlalchemy.orm import Session

from ..orders.records import Order, OrderDelivery
from ..ratings.records import Rating, RatingScore

FIELDS = ("deliveries", "on_time_deliveries", "delivered_units", "rejected_units", "ratings", "rating_scores",
          "rating_sum")
_ZERO = np.zeros(len(FIELDS))


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def counted_deliveries():
    """SQL condition: a delivery the buyer entered or confirmed."""
    return or_(OrderDelivery.entered_by == "buyer", OrderDelivery.confirmed_at.is_not(None))


def _on_time():
    return case((OrderDelivery.delivered_on <= Order.delivery_date, 1), else_=0)


def _rating_means():
    """One row per maker_performance rating: (maker, created_at, number and sum of its category scores)."""
    return (select(Rating.ratee_org_id.label("maker_id"), Rating.id.label("rating_id"),
                   Rating.created_at.label("at"), func.count(RatingScore.id).label("n"),
                   func.sum(RatingScore.score).label("total"))
            .join(RatingScore, RatingScore.rating_id == Rating.id)
            .where(Rating.direction == "maker_performance")
            .group_by(Rating.ratee_org_id, Rating.id, Rating.created_at))


def events(session: Session, maker_ids=None) -> list[tuple[int, datetime, np.ndarray]]:
    """``(maker_id, known_at, increments of FIELDS)`` for every counted delivery and rating."""
    stmt = (select(Order.maker_id, OrderDelivery.delivered_on, OrderDelivery.created_at, OrderDelivery.quantity,
                   OrderDelivery.rejected_quantity, _on_time())
            .join(Order, Order.id == OrderDelivery.order_id).where(counted_deliveries()))
    means = _rating_means()
    if maker_ids is not None:
        stmt = stmt.where(Order.maker_id.in_(list(maker_ids)))
        means = means.where(Rating.ratee_org_id.in_(list(maker_ids)))
    out = []
    for maker_id, day, created, qty, rejected, on_time in session.execute(stmt):
        known = max(_utc(created), datetime.combine(day + timedelta(days=1), time(0), tzinfo=timezone.utc))
        out.append((maker_id, known, np.array([1.0, float(on_time), qty, rejected, 0.0, 0.0, 0.0])))
    sub = means.subquery()
    for maker_id, at, n, total in session.execute(select(sub.c.maker_id, sub.c.at, sub.c.n, sub.c.total)):
        out.append((maker_id, _utc(at), np.array([0.0, 0.0, 0.0, 0.0, 1.0, float(n), float(total)])))
    return out


class Timeline:
    """Cumulative sums of :data:`FIELDS` over time, per maker and cluster-wide."""

    def __init__(self, rows):
        per: dict[int, list] = defaultdict(list)
        every = []
        for maker_id, at, inc in rows:
            per[maker_id].append((at, inc))
            every.append((at, inc))
        self._makers = {m: self._cumulate(v) for m, v in per.items()}
        self._all = self._cumulate(every)

    @staticmethod
    def _cumulate(items):
        items.sort(key=lambda x: x[0])
        times = [t for t, _ in items]
        cum = np.cumsum(np.array([v for _, v in items]).reshape(-1, len(FIELDS)), axis=0)
        return times, cum

    @staticmethod
    def _at(series, at: datetime | None) -> np.ndarray:
        times, cum = series
        k = len(times) if at is None else bisect_left(times, _utc(at))
        return cum[k - 1] if k else _ZERO

    def maker(self, maker_id: int, at: datetime | None) -> np.ndarray:
        """The maker's sums from what was known strictly before ``at`` (everything when None)."""
        series = self._makers.get(maker_id)
        return _ZERO if series is None else self._at(series, at)

    def totals(self, at: datetime | None) -> dict[str, float]:
        """Cluster-wide sums before ``at``, the shrinkage targets' counts."""
        return dict(zip(FIELDS, self._at(self._all, at).tolist()))


def totals_now(session: Session) -> dict[int, dict[str, float]]:
    """Every maker's sums of :data:`FIELDS` over everything stored (two grouped queries)."""
    out: dict[int, dict[str, float]] = defaultdict(lambda: dict.fromkeys(FIELDS, 0.0))
    stmt = (select(Order.maker_id, func.count(OrderDelivery.id), func.sum(_on_time()),
                   func.sum(OrderDelivery.quantity), func.sum(OrderDelivery.rejected_quantity))
            .join(Order, Order.id == OrderDelivery.order_id).where(counted_deliveries()).group_by(Order.maker_id))
    for maker_id, n, on_time, units, rejected in session.execute(stmt):
        out[maker_id].update(deliveries=float(n), on_time_deliveries=float(on_time or 0),
                             delivered_units=float(units or 0), rejected_units=float(rejected or 0))
    sub = _rating_means().subquery()
    for maker_id, n, scores, total in session.execute(
            select(sub.c.maker_id, func.count(), func.sum(sub.c.n), func.sum(sub.c.total)).group_by(sub.c.maker_id)):
        out[maker_id].update(ratings=float(n), rating_scores=float(scores or 0), rating_sum=float(total or 0))
    return out


def cache_key_select(*first) -> Select:
    """``first`` and then values that change when a counted delivery is added, edited or confirmed, an
    order's terms change, or a rating is added: one single-row aggregate per table, joined, so the whole
    key is one statement (one round trip, each table read once)."""
    d = select(func.count(OrderDelivery.id), func.max(OrderDelivery.id), func.sum(OrderDelivery.quantity),
               func.sum(OrderDelivery.rejected_quantity),
               func.max(OrderDelivery.delivered_on)).where(counted_deliveries()).subquery("d")
    o = select(func.count(Order.id), func.sum(Order.version)).subquery("o")
    r = select(func.count(Rating.id), func.max(Rating.id)).where(Rating.direction == "maker_performance").subquery("r")
    return select(*first, *d.c, *o.c, *r.c).select_from(d.join(o, true()).join(r, true()))


def cache_key(session: Session) -> tuple:
    """Changes when a counted delivery is added, edited or confirmed, an order's terms change, or a rating is added."""
    return tuple(str(v) for v in session.execute(cache_key_select()).one())
