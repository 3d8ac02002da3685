"""Targets against actuals, computed from plain rows (no database, no Flask): the arithmetic of monitoring.

An order's agreed terms are the targets: its delivery date (every delivery on or before it, so 100 %
on time and 0 days late), its milestones' planned dates, its reject limit, its payment terms (an
invoice settled by its due date, 0 days beyond) and its unit price (no change after agreement).
The actuals come from the figures the two sides record. The same functions serve one order, one
relationship (a buyer and a maker) and one buyer across makers: they take a list of
:class:`OrderFacts` and sum over it.

Definitions (the SQL of ``monitoring.aggregate`` follows them to the day):

* an order's ``delivery_date`` is the one in force: the last one both sides confirmed, or the one the
  order was created with (``rows.load`` reads it from ``OrderAgreedDate``), never a date one side
  set alone since;
* a delivery is *late* by ``delivered_on - delivery_date`` days when that is positive; *days late*
  is the mean over deliveries of ``max(0, late)``; *on time* is the share of deliveries not late;
* a milestone is late by ``actual_on - planned_on`` (mean of ``max(0, ·)`` over milestones with
  both dates) and *overdue* when its planned date has passed without an actual date;
* the *reject rate* is rejected over delivered quantity (%), its target the order's limit
  (quantity-weighted over orders with a limit);
* an invoice is *settled* on its last payment's date once payments cover its amount; its *days
  beyond terms* are ``max(0, settled - due_on)``, or ``today - due_on`` while it is unpaid past due;
* a *price change* is a ``unit_price`` change after agreement; its % is ``(new - old) / old``.

A *slip* is an actual past its target: a milestone overdue, a delivery later than agreed (or none
complete by the agreed date), a reject rate above the limit, an invoice paid late or unpaid past
due, a price changed after agreement. Each slip has a stable ``key`` so it is announced once.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

CENT = 0.005  # payments within half a cent of the amount settle the invoice
SLIP_KINDS = ("milestone_overdue", "late_delivery", "undelivered", "rejects_over_limit", "payment_late",
              "price_change")


@dataclass(frozen=True)
class OrderRow:
    id: int
    buyer_id: int
    maker_id: int
    quantity: int
    unit_price: float
    delivery_date: date
    payment_terms_days: int
    reject_limit_pct: float | None
    status: str = "open"
    reference: str = ""
    product: str = ""


@dataclass(frozen=True)
class DeliveryRow:
    id: int
    delivered_on: date
    quantity: int
    rejected_quantity: int = 0


@dataclass(frozen=True)
class MilestoneRow:
    id: int
    stage: str
    planned_on: date | None
    actual_on: date | None


@dataclass(frozen=True)
class InvoiceRow:
    id: int
    due_on: date
    amount: float
    payments: tuple = ()  # ((paid_on, amount), ...)
    number: str = ""


@dataclass(frozen=True)
class PriceChangeRow:
    id: int
    old: float
    new: float
    changed_on: date


@dataclass
class OrderFacts:
    order: OrderRow
    deliveries: list = field(default_factory=list)
    milestones: list = field(default_factory=list)
    invoices: list = field(default_factory=list)
    price_changes: list = field(default_factory=list)


@dataclass(frozen=True)
class Slip:
    key: str
    kind: str  # SLIP_KINDS
    order_id: int
    subject_id: int
    on: date  # the day the target was missed
    amount: float | None = None  # days late, reject %, days beyond terms, % price change


# -- one row ----------------------------------------------------------------------------------------

def days_late(delivered_on: date, agreed: date) -> int:
    """Days after the agreed date (negative when early)."""
    return (delivered_on - agreed).days


def settled_on(invoice: InvoiceRow) -> date | None:
    """The day the payments covered the invoice (its last payment's date), or None while short."""
    if not invoice.payments or sum(a for _d, a in invoice.payments) < invoice.amount - CENT:
        return None
    return max(d for d, _a in invoice.payments)


def days_beyond_terms(invoice: InvoiceRow, today: date) -> tuple[int | None, bool]:
    """``(days, unpaid)``: days beyond the due date (paid late, or still unpaid past due as of
    ``today``), 0 when paid on time, None while not yet due and unpaid."""
    paid = settled_on(invoice)
    if paid is not None:
        return max(0, (paid - invoice.due_on).days), False
    if today > invoice.due_on:
        return (today - invoice.due_on).days, True
    return None, False


def price_change_pct(old: float, new: float) -> float:
    return round((new - old) / old * 100.0, 2) if old else 0.0


def order_price_change_pct(changes: list[PriceChangeRow]) -> float | None:
    """From the agreed price (the first change's old value) to the latest one, in %."""
    if not changes:
        return None
    ordered = sorted(changes, key=lambda c: (c.changed_on, c.id))
    return price_change_pct(ordered[0].old, ordered[-1].new)


# -- sums over orders -------------------------------------------------------------------------------

def _figure(target, actual, slipped: bool) -> dict:
    return {"target": target, "actual": None if actual is None else round(actual, 2), "slipped": bool(slipped)}


class _Totals:
    """Running sums over orders, the same sums ``monitoring.aggregate`` takes in SQL."""

    def __init__(self):
        self.orders = self.deliveries = self.late_deliveries = self.late_days = 0
        self.quantity = self.rejected = 0
        self.limit_quantity = 0
        self.limit_weighted = 0.0
        self.limited_rejected = 0
        self.orders_over_limit = self.undelivered = 0
        self.milestones_timed = self.milestone_late_days = self.milestones_overdue = 0
        self.invoices_due = self.beyond_days = self.invoices_late = self.unpaid_past_due = 0
        self.price_changes = 0
        self.price_pcts: list[float] = []

    def add(self, f: OrderFacts, today: date) -> None:
        o = f.order
        self.orders += 1
        delivered = rejected = 0
        for d in f.deliveries:
            late = days_late(d.delivered_on, o.delivery_date)
            self.deliveries += 1
            self.late_deliveries += late > 0
            self.late_days += max(0, late)
            delivered += d.quantity
            rejected += d.rejected_quantity
        self.quantity += delivered
        self.rejected += rejected
        if o.reject_limit_pct is not None and delivered:
            self.limit_quantity += delivered
            self.limited_rejected += rejected
            self.limit_weighted += o.reject_limit_pct * delivered
            self.orders_over_limit += rejected * 100.0 > o.reject_limit_pct * delivered
        if o.status == "open" and today > o.delivery_date and delivered < o.quantity:
            self.undelivered += 1
        for m in f.milestones:
            if m.planned_on is not None and m.actual_on is not None:
                self.milestones_timed += 1
                self.milestone_late_days += max(0, (m.actual_on - m.planned_on).days)
            elif m.planned_on is not None and m.actual_on is None and today > m.planned_on:
                self.milestones_overdue += 1
        for inv in f.invoices:
            days, unpaid = days_beyond_terms(inv, today)
            if days is None:
                continue
            self.invoices_due += 1
            self.beyond_days += days
            self.invoices_late += days > 0
            self.unpaid_past_due += unpaid
        self.price_changes += len(f.price_changes)
        pct = order_price_change_pct(f.price_changes)
        if pct is not None:
            self.price_pcts.append(pct)


def slip_count(t) -> int:
    """How many slips the sums hold (one per late delivery, undelivered order, overdue milestone, order over
    its reject limit, invoice paid late or unpaid past due, price change): ``len(slips(...))``."""
    return (t.late_deliveries + t.undelivered + t.milestones_overdue + t.orders_over_limit + t.invoices_late
            + t.price_changes)


def figures_from_totals(t) -> dict:
    """The figures (each a target against an actual) from summed counts; ``t`` has :class:`_Totals`'s fields
    (also a SQL result row of ``monitoring.aggregate``)."""
    on_time = None if not t.deliveries else (t.deliveries - t.late_deliveries) * 100.0 / t.deliveries
    mean_late = None if not t.deliveries else t.late_days / t.deliveries
    milestone_late = None if not t.milestones_timed else t.milestone_late_days / t.milestones_timed
    rate = None if not t.quantity else t.rejected * 100.0 / t.quantity
    limit = None if not t.limit_quantity else round(t.limit_weighted / t.limit_quantity, 2)
    limited_rate = None if not t.limit_quantity else t.limited_rejected * 100.0 / t.limit_quantity
    beyond = None if not t.invoices_due else t.beyond_days / t.invoices_due
    pcts = list(t.price_pcts)
    return {
        "orders": t.orders,
        "deliveries": t.deliveries,
        "on_time_pct": _figure(100.0, on_time, on_time is not None and on_time < 100.0),
        "days_late": _figure(0, mean_late, bool(mean_late)),
        "milestone_days_late": _figure(0, milestone_late, bool(milestone_late)),
        "milestones_overdue": t.milestones_overdue,
        "undelivered_past_date": t.undelivered,
        "reject_rate_pct": _figure(limit, rate, t.orders_over_limit > 0 or (
            limit is not None and limited_rate is not None and limited_rate > limit)),
        "orders_over_reject_limit": t.orders_over_limit,
        "days_beyond_terms": _figure(0, beyond, bool(beyond)),
        "unpaid_past_due": t.unpaid_past_due,
        "price_changes": _figure(0, t.price_changes, t.price_changes > 0),
        "price_change_pct": None if not pcts else round(sum(pcts) / len(pcts), 2),
        "slips": slip_count(t),
    }


def summarise(facts: list[OrderFacts], today: date) -> dict:
    """The figures of these orders together (one order, a relationship, a buyer across makers)."""
    totals = _Totals()
    for f in facts:
        totals.add(f, today)
    return figures_from_totals(totals)


# -- over time --------------------------------------------------------------------------------------

def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


# which facts each monthly figure is computed from: the firms counted for a figure's threshold are those
# with such a fact that month (a maker with only an invoice due adds nothing to a delivery figure)
_SOURCE = {"on_time_pct": "deliveries", "days_late": "deliveries", "reject_rate_pct": "deliveries",
           "days_beyond_terms": "invoices", "price_changes": "price_changes"}
_HIDDEN = {"target": None, "actual": None, "slipped": False}


def monthly(facts: list[OrderFacts], today: date, min_firms: int = 0) -> list[dict]:
    """One point per month (``YYYY-MM``) with targets and actuals of what fell in that month: deliveries
    by delivery day, invoices by due day (those due so far), price changes by the day they were made.

    ``min_firms``: applied per figure. A figure is shown for a month only when at least that many makers
    contributed facts to it (deliveries for on-time, days late and rejects; invoices for days beyond terms;
    price changes for those); otherwise it is blank, and a month with every figure blank is left out. The
    association's anonymised view passes its threshold: one maker's deliveries in a month would be that
    maker's own record, however many others only had an invoice due."""
    months: dict[str, _Totals] = defaultdict(_Totals)
    firms: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))

    def add(month: str, source: str, part: OrderFacts) -> None:
        months[month].add(part, today)
        firms[month][source].add(part.order.maker_id)

    for f in facts:
        for d in f.deliveries:
            add(month_of(d.delivered_on), "deliveries", OrderFacts(f.order, deliveries=[d]))
        for inv in f.invoices:
            if inv.due_on <= today:
                add(month_of(inv.due_on), "invoices", OrderFacts(f.order, invoices=[inv]))
        for c in f.price_changes:
            add(month_of(c.changed_on), "price_changes", OrderFacts(f.order, price_changes=[c]))
    series = []
    for month in sorted(months):
        fig = figures_from_totals(months[month])
        shown = {k: min_firms <= 0 or len(firms[month][src]) >= min_firms for k, src in _SOURCE.items()}
        if not any(shown.values()):
            continue
        series.append({"month": month, **{k: fig[k] if shown[k] else dict(_HIDDEN) for k in _SOURCE}})
    return series


# -- slips ------------------------------------------------------------------------------------------

def slips(facts: list[OrderFacts], today: date) -> list[Slip]:
    """Every actual past its target as of ``today``, oldest first, each with its stable key."""
    found: list[Slip] = []
    for f in facts:
        o = f.order
        for m in f.milestones:
            if m.planned_on is not None and m.actual_on is None and today > m.planned_on:
                found.append(Slip(f"milestone:{m.id}", "milestone_overdue", o.id, m.id, m.planned_on,
                                  float((today - m.planned_on).days)))
        delivered = rejected = 0
        for d in f.deliveries:
            late = days_late(d.delivered_on, o.delivery_date)
            delivered += d.quantity
            rejected += d.rejected_quantity
            if late > 0:
                found.append(Slip(f"delivery:{d.id}", "late_delivery", o.id, d.id, d.delivered_on, float(late)))
        if o.status == "open" and today > o.delivery_date and delivered < o.quantity:
            found.append(Slip(f"undelivered:{o.id}", "undelivered", o.id, o.id, o.delivery_date,
                              float((today - o.delivery_date).days)))
        if o.reject_limit_pct is not None and delivered and rejected * 100.0 > o.reject_limit_pct * delivered:
            last = max(d.delivered_on for d in f.deliveries)
            found.append(Slip(f"rejects:{o.id}", "rejects_over_limit", o.id, o.id, last,
                              round(rejected * 100.0 / delivered, 2)))
        for inv in f.invoices:
            days, _unpaid = days_beyond_terms(inv, today)
            if days:
                found.append(Slip(f"payment:{inv.id}", "payment_late", o.id, inv.id, inv.due_on, float(days)))
        for c in f.price_changes:
            found.append(Slip(f"price:{c.id}", "price_change", o.id, c.id, c.changed_on,
                              price_change_pct(c.old, c.new)))
    return sorted(found, key=lambda s: (s.on, s.key))
