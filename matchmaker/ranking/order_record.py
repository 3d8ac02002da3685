"""The order part of a maker's track record: deliveries, rejects and buyers' ratings, as of a moment.

Issue 15's one source of truth: the deliveries recorded on orders (``order_deliveries``) and the
buyers' ``maker_performance`` ratings are the maker's track record, beside the outcome log's
order events (:mod:`.data`). Per maker it keeps :data:`FIELDS`:

* ``deliveries`` counted deliveries, ``on_time_deliveries`` those delivered on or before the
  delivery date *in force* when the delivery became known (``OrderAgreedDate``: the date the order
  was created with, then each one both sides confirmed; never the order's current date, which one
  side may have changed alone), ``delivered_units`` and ``rejected_units`` (their sums);
* ``ratings`` buyers' ratings, ``rating_scores`` their category scores and ``rating_sum`` the sum of
  those scores (integers, so every path sums them exactly).

A delivery counts when the buyer entered it or confirmed it (``confirmed_at``): a maker's own
unconfirmed figures do not build its record; and only on an order that is evidence
(:mod:`matchmaker.orders.evidence`: from a quote or a fair meeting, or with a buyer an association
cleared), so a buyer firm the maker named itself cannot build it either. It is *known* from the latest of its ``created_at``,
the end of its ``delivered_on`` day and, for one the maker entered, the buyer's ``confirmed_at``;
a rating from its ``created_at``; a requirement's track record holds only what was known strictly
before the requirement's time (no future leak). Serving's sums are the same events summed to now,
so training and serving judge each delivery alike.

:class:`Timeline` answers "as of t" in O(log n) for training (:class:`.data.History`);
:func:`totals_now` gives serving's (:class:`.data.Snapshot`) all-so-far sums in two grouped queries,
and :func:`cache_key` the cheap summary that changes when a delivery, an order's agreed date or
a rating changes. Orders without any ``OrderAgreedDate`` row (written straight to the tables, not
through the orders concern) are judged against their current date.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from datetime import datetime, time, timedelta, timezone

import numpy as np
from sqlalchemy import Select, and_, func, or_, select, true
from sqlalchemy.orm import Session

from ..orders.evidence import counted_ratings, evidence_condition
from ..orders.records import Order, OrderAgreedDate, OrderDelivery
from ..ratings.records import Rating, RatingScore
from ..vetting.records import Standing

FIELDS = ("deliveries", "on_time_deliveries", "delivered_units", "rejected_units", "ratings", "rating_scores",
          "rating_sum")
_ZERO = np.zeros(len(FIELDS))


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def counted_deliveries():
    """SQL condition (deliveries joined to their order): a delivery the buyer entered or confirmed, on an
    order that is evidence (``orders.evidence``: met on the platform, or a cleared buyer)."""
    return and_(or_(OrderDelivery.entered_by == "buyer", OrderDelivery.confirmed_at.is_not(None)),
                evidence_condition())


def _rating_means():
    """One row per counted maker_performance rating (``orders.evidence.counted_ratings``: its order is
    evidence now): (maker, created_at, number and sum of its category scores)."""
    return (select(Rating.ratee_org_id.label("maker_id"), Rating.id.label("rating_id"),
                   Rating.created_at.label("at"), func.count(RatingScore.id).label("n"),
                   func.sum(RatingScore.score).label("total"))
            .join(RatingScore, RatingScore.rating_id == Rating.id)
            .where(Rating.direction == "maker_performance", counted_ratings())
            .group_by(Rating.ratee_org_id, Rating.id, Rating.created_at))


def _end_of(day) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=timezone.utc)


def _agreed_dates(session: Session, maker_ids=None) -> dict[int, tuple[list[datetime], list]]:
    """Per order, the moments its delivery dates came into force (sorted) and those dates."""
    stmt = select(OrderAgreedDate.order_id, OrderAgreedDate.at, OrderAgreedDate.delivery_date)
    if maker_ids is not None:
        stmt = stmt.join(Order, Order.id == OrderAgreedDate.order_id).where(Order.maker_id.in_(list(maker_ids)))
    per: dict[int, list] = defaultdict(list)
    for order_id, at, day in session.execute(stmt.order_by(OrderAgreedDate.at, OrderAgreedDate.id)):
        per[order_id].append((_utc(at), day))
    return {oid: ([t for t, _ in rows], [d for _, d in rows]) for oid, rows in per.items()}


def _in_force(dates, known: datetime, current):
    """``(delivery date in force at known, known)``; before the first row, the first row's date from its moment."""
    if dates is None:
        return current, known
    times, days = dates
    k = bisect_right(times, known)
    return (days[k - 1], known) if k else (days[0], max(known, times[0]))


def delivery_events(session: Session, maker_ids=None) -> list[tuple[int, datetime, np.ndarray]]:
    """``(maker_id, known_at, increments of FIELDS)`` for every counted delivery (see the module notes)."""
    stmt = (select(Order.maker_id, Order.id, Order.delivery_date, OrderDelivery.delivered_on,
                   OrderDelivery.created_at, OrderDelivery.entered_by, OrderDelivery.confirmed_at,
                   OrderDelivery.quantity, OrderDelivery.rejected_quantity)
            .join(Order, Order.id == OrderDelivery.order_id).where(counted_deliveries()))
    if maker_ids is not None:
        stmt = stmt.where(Order.maker_id.in_(list(maker_ids)))
    agreed = _agreed_dates(session, maker_ids)
    out = []
    for maker_id, order_id, current, day, created, entered_by, confirmed, qty, rejected in session.execute(stmt):
        known = max(_utc(created), _end_of(day))
        if entered_by == "maker" and confirmed is not None:
            known = max(known, _utc(confirmed))
        due, known = _in_force(agreed.get(order_id), known, current)
        out.append((maker_id, known, np.array([1.0, float(day <= due), qty, rejected, 0.0, 0.0, 0.0])))
    return out


def events(session: Session, maker_ids=None) -> list[tuple[int, datetime, np.ndarray]]:
    """``(maker_id, known_at, increments of FIELDS)`` for every counted delivery and rating."""
    means = _rating_means()
    if maker_ids is not None:
        means = means.where(Rating.ratee_org_id.in_(list(maker_ids)))
    out = delivery_events(session, maker_ids)
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
    """Every maker's sums of :data:`FIELDS` over everything stored: the deliveries' events summed (each
    judged against the date in force when it became known, as in training), the ratings grouped in SQL."""
    out: dict[int, dict[str, float]] = defaultdict(lambda: dict.fromkeys(FIELDS, 0.0))
    for maker_id, _known, inc in delivery_events(session):
        sums = out[maker_id]
        for name, value in zip(FIELDS[:4], inc[:4]):
            sums[name] += float(value)
    sub = _rating_means().subquery()
    for maker_id, n, scores, total in session.execute(
            select(sub.c.maker_id, func.count(), func.sum(sub.c.n), func.sum(sub.c.total)).group_by(sub.c.maker_id)):
        out[maker_id].update(ratings=float(n), rating_scores=float(scores or 0), rating_sum=float(total or 0))
    return out


def cache_key_select(*first) -> Select:
    """``first`` and then values that change when a counted delivery is added, edited or confirmed, an
    order's terms or agreed date change, a buyer's standing changes (clearance makes its orders evidence),
    or a rating is added: one single-row aggregate per table, joined, so the whole key is one statement
    (one round trip, each table read once)."""
    d = (select(func.count(OrderDelivery.id), func.max(OrderDelivery.id), func.sum(OrderDelivery.quantity),
                func.sum(OrderDelivery.rejected_quantity), func.max(OrderDelivery.delivered_on),
                func.max(OrderDelivery.confirmed_at))
         .join(Order, Order.id == OrderDelivery.order_id).where(counted_deliveries()).subquery("d"))
    o = select(func.count(Order.id), func.sum(Order.version)).subquery("o")
    a = select(func.count(OrderAgreedDate.id), func.max(OrderAgreedDate.id)).subquery("a")
    c = select(func.count().label("standings"), func.max(Standing.updated_at)).select_from(Standing).subquery("c")
    r = select(func.count(Rating.id), func.max(Rating.id)).where(Rating.direction == "maker_performance").subquery("r")
    return select(*first, *d.c, *o.c, *a.c, *c.c, *r.c).select_from(
        d.join(o, true()).join(a, true()).join(c, true()).join(r, true()))


def cache_key(session: Session) -> tuple:
    """Changes when a counted delivery is added, edited or confirmed, an order's terms or agreed date change, a
    buyer's standing changes, or a rating is added (:func:`cache_key_select`)."""
    return tuple(str(v) for v in session.execute(cache_key_select()).one())
