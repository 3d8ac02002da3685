"""Orders as screening evidence: invoices with their payments are payment experiences, ratings are ratings.

One source of truth (issue 15): a maker that bills a buyer through an order on the platform does not
enter the same deal again by hand. :func:`order_payments` turns each ``OrderInvoice`` the buyer
confirmed (``confirmed_at``: the maker issues invoices, so a maker alone never puts a payment record
on a buyer: the buyer confirms, as it confirms the orders ratings rest on) on an order that is evidence
now (``orders.evidence``: met on the platform, or a cleared buyer; the condition ratings and disputes
follow, so a maker entering an order that names any buyer puts no payment record on it, and a buyer's
withdrawn clearance takes its off-platform orders' invoices out until it is cleared again) and its
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
  nothing from after the as-of date leaks in;
* ``known_date`` the day the platform learned of the invoice: the later of its recording
  (``created_at``) and its confirmation (``confirmed_at``), UTC days. The maker writes
  ``issued_on`` (and may backdate it), and the invoice is no evidence before the buyer confirmed it,
  so a screening as of an earlier day never sees it (the features take the later of the two dates);
* ``paid_known_date`` the day the payments behind ``paid_date`` were recorded (the latest
  ``created_at`` among them): a payment entered weeks after its ``paid_on`` leaves the invoice open,
  as the platform saw it, until then.

Scope: an association sees the orders of makers who are its members (the maker's association via
memberships), as it sees the payment experiences its members report. A hand-entered experience
that repeats an order invoice (same buyer, reporter, invoice date, amount and currency) is dropped
by :func:`drop_hand_duplicates`, so nothing is counted twice.

:func:`buyer_ratings` reads makers' ``buyer_practices`` ratings of the buyers (one row per category
score; the rater stays inside the frame, which never leaves the screener: only aggregates do).

:func:`order_disputes` reads the disputes on the buyers' orders that speak of its purchasing practices
(the buyer contesting a maker's invoice or delivery, a maker contesting the buyer's payment) with when
each was opened, answered and withdrawn, for :mod:`models.reputation_disputes` (which keeps only what
was known at the as-of time). Same scope as the invoices: the orders of the association's members.
Only disputes on orders that are evidence (``orders.evidence``: met on the platform, or a cleared
buyer) count, and a dispute of an invoice or payment only on an invoice the buyer confirmed: a maker
entering an order that names any buyer puts no dispute on it.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timezone

import pandas as pd
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from models.reputation_features import FULL_PAYMENT_TOLERANCE

from ..orders.evidence import counted_ratings, evidence_condition
from ..orders.records import Order, OrderDispute, OrderInvoice, OrderPayment
from ..ratings.records import Rating, RatingScore
from ..organizations.records import Membership
from .clearance import CLEARED
from .records import Standing

PAYMENT_FRAME = ["buyer_id", "reporter_id", "invoice_date", "amount", "currency", "terms_days", "due_date",
                 "paid_date", "paid_amount", "deposit_share", "known_date", "paid_known_date"]  # when each became known
RATING_FRAME = ["buyer_id", "reporter_id", "date", "category", "score"]
DISPUTE_FRAME = ["buyer_id", "reporter_id", "raised_by", "subject", "opened_at", "answered_at", "withdrawn_at"]
EVIDENCE_SUBJECTS = ("invoice", "delivery", "payment")  # models.reputation_disputes picks who raised which


def _members(association_id: int):
    return select(Membership.organization_id).where(Membership.association_id == association_id)


def confirmed():
    """SQL condition: an invoice its buyer confirmed, the only ones that are evidence."""
    return OrderInvoice.confirmed_at.is_not(None)


def order_payments(session: Session, subject_ids: list[int] | None = None,
                   association_id: int | None = None) -> pd.DataFrame:
    """Order invoices as rows of the screener's payments frame (see the module notes)."""
    stmt = (select(OrderInvoice.id, Order.buyer_id, Order.maker_id, OrderInvoice.issued_on, OrderInvoice.amount,
                   OrderInvoice.currency, Order.payment_terms_days, OrderInvoice.due_on, Order.deposit_share,
                   OrderInvoice.created_at, OrderInvoice.confirmed_at)
            .join(Order, Order.id == OrderInvoice.order_id).where(confirmed(), evidence_condition())
            .order_by(OrderInvoice.id))
    if subject_ids is not None:
        stmt = stmt.where(Order.buyer_id.in_(list(subject_ids)))
    if association_id is not None:
        stmt = stmt.where(Order.maker_id.in_(_members(association_id)))
    invoices = session.execute(stmt).all()
    paid: dict[int, list] = defaultdict(list)
    if invoices:
        pay = select(OrderPayment.invoice_id, OrderPayment.paid_on, OrderPayment.amount,
                     OrderPayment.created_at).join(
            OrderInvoice, OrderInvoice.id == OrderPayment.invoice_id).join(Order, Order.id == OrderInvoice.order_id
                                                                           ).where(confirmed(), evidence_condition())
        if subject_ids is not None:
            pay = pay.where(Order.buyer_id.in_(list(subject_ids)))
        if association_id is not None:
            pay = pay.where(Order.maker_id.in_(_members(association_id)))
        for invoice_id, paid_on, amount, recorded in session.execute(
                pay.order_by(OrderPayment.paid_on, OrderPayment.id)):
            paid[invoice_id].append((paid_on, float(amount), utc_day(recorded)))
    rows = []
    for inv_id, buyer, maker, issued, amount, currency, terms, due, deposit, created, confirmed_at in invoices:
        total, full_on, last_on, full_known, last_known = 0.0, None, None, None, None
        for day, value, recorded in paid.get(inv_id, ()):
            total += value
            last_on = day
            last_known = _later(last_known, recorded)
            if full_on is None and total >= FULL_PAYMENT_TOLERANCE * amount:
                full_on, full_known = day, last_known
        rows.append((buyer, maker, issued, float(amount), currency, int(terms), due,
                     full_on or last_on, total if last_on is not None else None, float(deposit or 0.0),
                     _later(utc_day(created), utc_day(confirmed_at)), full_known if full_on else last_known))
    frame = pd.DataFrame(rows, columns=PAYMENT_FRAME)
    for col in ("known_date", "paid_known_date"):
        frame[col] = pd.to_datetime(frame[col])
    return frame


def utc_day(moment: datetime | None):
    """The UTC day of a stored moment (naive UTC from SQLite, aware from PostgreSQL); None stays None."""
    if moment is None:
        return None
    return (moment.astimezone(timezone.utc) if moment.tzinfo is not None else moment).date()


def _later(a, b):
    return b if a is None else a if b is None else max(a, b)


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
    """Makers' ``buyer_practices`` rating scores of the subjects, one row per category score; only ratings
    that count now (``orders.evidence.counted_ratings``: the order is evidence)."""
    stmt = (select(Rating.ratee_org_id, Rating.rater_org_id, Rating.created_at, RatingScore.category,
                   RatingScore.score).join(RatingScore, RatingScore.rating_id == Rating.id)
            .where(Rating.direction == "buyer_practices", counted_ratings()))
    if subject_ids is not None:
        stmt = stmt.where(Rating.ratee_org_id.in_(list(subject_ids)))
    if association_id is not None:
        stmt = stmt.where(Rating.rater_org_id.in_(_members(association_id)))
    frame = pd.DataFrame(session.execute(stmt).all(), columns=RATING_FRAME)
    frame["date"] = pd.to_datetime(frame["date"], utc=True).dt.tz_localize(None)
    frame["score"] = frame["score"].astype(float)
    return frame


def _naive_utc(values) -> pd.Series:
    """Datetimes (naive UTC from SQLite, aware from PostgreSQL) or ISO strings as one naive-UTC column."""
    def one(value):
        if not isinstance(value, (str, datetime)) or value is pd.NaT:  # None, NaN, NaT: not happened
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return value.astimezone(timezone.utc).replace(tzinfo=None) if value.tzinfo is not None else value
    return pd.to_datetime(pd.Series([one(v) for v in values], dtype="object"))


def _disputed_row_is_evidence():
    """SQL condition on ``order_disputes``: a dispute of an invoice or a payment counts only when that
    invoice (the payment's invoice) is one the buyer confirmed, the rule payment records follow; a
    maker alone never puts a dispute about billing on a buyer. Deliveries are left to the order's rule."""
    confirmed_invoices = select(OrderInvoice.id).where(confirmed())
    paid_on_confirmed = (select(OrderPayment.id).join(OrderInvoice, OrderInvoice.id == OrderPayment.invoice_id)
                         .where(confirmed()))
    return or_(OrderDispute.subject.not_in(("invoice", "payment")),
               and_(OrderDispute.subject == "invoice", OrderDispute.subject_id.in_(confirmed_invoices)),
               and_(OrderDispute.subject == "payment", OrderDispute.subject_id.in_(paid_on_confirmed)))


def order_disputes(session: Session, subject_ids: list[int] | None = None,
                   association_id: int | None = None) -> pd.DataFrame:
    """Disputes on the subjects' orders about invoices, deliveries and payments (see the module notes).

    ``withdrawn_at`` is the time recorded at withdrawal; a dispute withdrawn before that was recorded
    counts as withdrawn at its opening (the gap :mod:`models.reputation_disputes` names)."""
    stmt = (select(Order.buyer_id, Order.maker_id, OrderDispute.raised_by, OrderDispute.subject,
                   OrderDispute.created_at, OrderDispute.answered_at, OrderDispute.status, OrderDispute.extra)
            .join(Order, Order.id == OrderDispute.order_id)
            .where(OrderDispute.subject.in_(EVIDENCE_SUBJECTS), evidence_condition(), _disputed_row_is_evidence())
            .order_by(OrderDispute.id))
    if subject_ids is not None:
        stmt = stmt.where(Order.buyer_id.in_(list(subject_ids)))
    if association_id is not None:
        stmt = stmt.where(Order.maker_id.in_(_members(association_id)))
    rows = []
    for buyer, maker, raised_by, subject, opened, answered, status, extra in session.execute(stmt):
        withdrawn = None
        if status == "withdrawn":
            withdrawn = (extra or {}).get("withdrawn_at") or opened
        rows.append((buyer, maker, raised_by, subject, opened, answered, withdrawn))
    frame = pd.DataFrame(rows, columns=DISPUTE_FRAME)
    for col in ("opened_at", "answered_at", "withdrawn_at"):
        frame[col] = _naive_utc(frame[col])
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
                     .where(Rating.ratee_org_id.in_(subject_ids), Rating.direction == "buyer_practices",
                            counted_ratings()),
                     Rating.rater_org_id)
    disputes = scoped(select(Order.buyer_id, func.count(OrderDispute.id), func.max(OrderDispute.id),
                             func.sum(case((OrderDispute.status == "open", 1), else_=0)))
                      .join(Order, Order.id == OrderDispute.order_id).where(Order.buyer_id.in_(subject_ids)),
                      Order.maker_id)
    # a buyer's clearance makes its orders evidence (``orders.evidence``): their disputes count from then on
    standing = select(Standing.subject_id, func.count(), func.max(Standing.decision_id)).where(
        Standing.subject_id.in_(subject_ids), Standing.outcome.in_(CLEARED))
    return [invoices, payments, ratings, disputes, standing]
