"""Orders as screening evidence: invoices with their payments are payment experiences, ratings are ratings.

One source of truth (issue 15): a maker that bills a buyer through an order on the platform does not
enter the same deal again by hand. :func:`order_payments` turns each ``OrderInvoice`` the buyer
confirmed (``confirmed_at``: the maker issues invoices, so a maker alone never puts a payment record
on a buyer: the buyer confirms, as it confirms the orders ratings rest on) and its
``OrderPayment`` rows into one row of the screener's ``payments`` frame
(:mod:`models.reputation_features`):

* ``buyer_id`` the order's buyer, ``reporter_id`` the order's maker, ``invoice_date`` the invoice's
  ``issued_on``, ``amount`` / ``currency`` the invoice's, ``terms_days`` the order's payment terms,
  ``due_date`` the invoice's ``due_on``, ``deposit_share`` the order's;
* ``paid_amount`` the sum of its payments; ``paid_date`` the day the payments reached the full amount
  (99 %, the features' tolerance), or, for an invoice only partly paid, the day of its last payment
  (the hand-entry convention: a paid date with a smaller paid amount); ``None`` while nothing is paid.
  The frame holds one paid date per invoice, so a part payment made before the invoice is settled
  is seen from the settling day on (until then the invoice counts as open): conservative, and
  nothing from after the as-of date leaks in.

Scope: an association sees the orders of makers who are its members (the maker's association via
memberships), as it sees the payment experiences its members report. A hand-entered experience
that repeats an order invoice (same buyer, reporter, invoice date, amount and currency) is dropped
by :func:`drop_hand_duplicates`, so nothing is counted twice.

:func:`buyer_ratings` reads makers' ``buyer_practices`` ratings of the buyers (one row per category
score; the rater stays inside the frame, which never leaves the screener: only aggregates do).
"""
from __future__ import annotations

from collections import defaultdict

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.reputation_features import FULL_PAYMENT_TOLERANCE

from ..orders.records import Order, OrderInvoice, OrderPayment
from ..ratings.records import Rating, RatingScore
from ..schema import Membership

PAYMENT_FRAME = ["buyer_id", "reporter_id", "invoice_date", "amount", "currency", "terms_days", "due_date",
                 "paid_date", "paid_amount", "deposit_share"]
RATING_FRAME = ["buyer_id", "reporter_id", "date", "category", "score"]


def _members(association_id: int):
    return select(Membership.organization_id).where(Membership.association_id == association_id)


def confirmed():
    """SQL condition: an invoice its buyer confirmed, the only ones that are evidence."""
    return OrderInvoice.confirmed_at.is_not(None)


def order_payments(session: Session, subject_ids: list[int] | None = None,
                   association_id: int | None = None) -> pd.DataFrame:
    """Order invoices as rows of the screener's payments frame (see the module notes)."""
    stmt = (select(OrderInvoice.id, Order.buyer_id, Order.maker_id, OrderInvoice.issued_on, OrderInvoice.amount,
                   OrderInvoice.currency, Order.payment_terms_days, OrderInvoice.due_on, Order.deposit_share)
            .join(Order, Order.id == OrderInvoice.order_id).where(confirmed())
            .order_by(OrderInvoice.id))
    if subject_ids is not None:
        stmt = stmt.where(Order.buyer_id.in_(list(subject_ids)))
    if association_id is not None:
        stmt = stmt.where(Order.maker_id.in_(_members(association_id)))
    invoices = session.execute(stmt).all()
    paid: dict[int, list] = defaultdict(list)
    if invoices:
        pay = select(OrderPayment.invoice_id, OrderPayment.paid_on, OrderPayment.amount).join(
            OrderInvoice, OrderInvoice.id == OrderPayment.invoice_id).join(Order, Order.id == OrderInvoice.order_id
                                                                           ).where(confirmed())
        if subject_ids is not None:
            pay = pay.where(Order.buyer_id.in_(list(subject_ids)))
        if association_id is not None:
            pay = pay.where(Order.maker_id.in_(_members(association_id)))
        for invoice_id, paid_on, amount in session.execute(pay.order_by(OrderPayment.paid_on, OrderPayment.id)):
            paid[invoice_id].append((paid_on, float(amount)))
    rows = []
    for inv_id, buyer, maker, issued, amount, currency, terms, due, deposit in invoices:
        total, full_on, last_on = 0.0, None, None
        for day, value in paid.get(inv_id, ()):
            total += value
            last_on = day
            if full_on is None and total >= FULL_PAYMENT_TOLERANCE * amount:
                full_on = day
        rows.append((buyer, maker, issued, float(amount), currency, int(terms), due,
                     full_on or last_on, total if last_on is not None else None, float(deposit or 0.0)))
    frame = pd.DataFrame(rows, columns=PAYMENT_FRAME)
    return frame


def drop_hand_duplicates(hand: pd.DataFrame, orders: pd.DataFrame) -> pd.DataFrame:
    """``hand`` without the experiences that repeat an order invoice (buyer, reporter, date, amount, currency)."""
    if hand.empty or orders.empty:
        return hand

    def keys(f: pd.DataFrame) -> pd.Series:
        return (f["buyer_id"].astype(str) + "|" + f["reporter_id"].astype(str) + "|"
                + pd.to_datetime(f["invoice_date"]).dt.strftime("%Y-%m-%d") + "|"
                + f["amount"].astype(float).round(2).astype(str) + "|" + f["currency"].astype(str))
    return hand[~keys(hand).isin(set(keys(orders)))].reset_index(drop=True)


def buyer_ratings(session: Session, subject_ids: list[int] | None = None,
                  association_id: int | None = None) -> pd.DataFrame:
    """Makers' ``buyer_practices`` rating scores of the subjects, one row per category score."""
    stmt = (select(Rating.ratee_org_id, Rating.rater_org_id, Rating.created_at, RatingScore.category,
                   RatingScore.score).join(RatingScore, RatingScore.rating_id == Rating.id)
            .where(Rating.direction == "buyer_practices"))
    if subject_ids is not None:
        stmt = stmt.where(Rating.ratee_org_id.in_(list(subject_ids)))
    if association_id is not None:
        stmt = stmt.where(Rating.rater_org_id.in_(_members(association_id)))
    frame = pd.DataFrame(session.execute(stmt).all(), columns=RATING_FRAME)
    frame["date"] = pd.to_datetime(frame["date"], utc=True).dt.tz_localize(None)
    frame["score"] = frame["score"].astype(float)
    return frame


def fingerprint_queries(subject_ids: list[int], association_id: int | None) -> list:
    """Grouped queries (first column the subject) whose results change when an order figure or rating does."""
    def scoped(stmt, maker_col):
        return stmt if association_id is None else stmt.where(maker_col.in_(_members(association_id)))

    invoices = scoped(select(Order.buyer_id, func.count(OrderInvoice.id), func.max(OrderInvoice.id),
                             func.sum(OrderInvoice.amount), func.max(OrderInvoice.due_on))
                      .join(Order, Order.id == OrderInvoice.order_id)
                      .where(Order.buyer_id.in_(subject_ids), confirmed()), Order.maker_id)
    payments = scoped(select(Order.buyer_id, func.count(OrderPayment.id), func.max(OrderPayment.id),
                             func.sum(OrderPayment.amount), func.max(OrderPayment.paid_on))
                      .join(Order, Order.id == OrderPayment.order_id).where(Order.buyer_id.in_(subject_ids)),
                      Order.maker_id)
    ratings = scoped(select(Rating.ratee_org_id, func.count(Rating.id), func.max(Rating.id))
                     .where(Rating.ratee_org_id.in_(subject_ids), Rating.direction == "buyer_practices"),
                     Rating.rater_org_id)
    return [invoices, payments, ratings]
