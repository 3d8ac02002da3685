"""Orders behind the outcome log: terms, milestones, deliveries, invoices, payments and ratings.

Every ``order_placed`` and ``repeat_order`` event of :mod:`matchmaker.demo.outcomes` becomes one
``orders`` row between the same buyer and maker, started on the event's day, so the order records
and the outcome log tell one story. The figures follow the generator's LATENT traits:

* **Maker reliability** (``MakerData.reliability``): the event's ``on_time`` flag decides whether
  the (last) delivery lands on or before the agreed ``delivery_date``; a late order slips by
  ``2 + Exp(8 (1 + max(0, -reliability)))`` days, and its milestones slip progressively. Rejected
  units per delivery are ``Binomial(quantity, p)`` with ``p = 0.035 exp(-0.8 reliability)``
  (clipped to 0.2–20 %). About a third of the larger orders ship in two parts.
* **Buyer conduct** (``BuyerRisk``): the final invoice (issued on the first delivery, due after
  the buyer's payment terms) is paid late with ``late_payment_prob`` (``1 + Exp(mean_days_late)``
  days beyond terms), left unpaid or part-paid with ``unpaid_prob``; otherwise paid up to 10 days
  early. A deposit invoice (the buyer profile's deposit share) is paid around the start.
* **Ratings** open 60 days after the start (or after the last delivery): the maker rates the
  buyer's practices (60 %) around a conduct mean (good 4.3, average 3.4, bad 2.3), its
  ``payment_terms`` score from the delay it actually saw on this order; the buyer rates the
  maker (50 %): quality from the reject share, on-time delivery from the delivery, communication
  from reliability.
* Six in ten first orders come from an accepted quote: an accepted ``contact_inquiries`` row at
  the maker's ``contacted`` time and its ``contact_quotes`` row (the order's ``quote_id``).

Nothing after ``today`` is written (open orders are mid-way). Its own random stream, so the draws of
the outcome log are unchanged. About 0.5 s for the default cluster (about 2,900 orders).
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import numpy as np

from matchmaker.demo.buyers import BuyerData
from matchmaker.demo.makers import MakerData
from matchmaker.demo.requirements import RequirementData

STAGES = ("sample_approved", "fabric_in", "cut", "sewn", "washed", "finished", "shipped", "delivered")
BUYER_CATEGORIES = ("planning_forecasting", "design_development", "cost_negotiation", "order_placement",
                    "payment_terms", "relationship_management", "overall_partnership")
MAKER_CATEGORIES = ("quality", "on_time_delivery", "communication")
CONDUCT_SCORE = {"good": 4.3, "average": 3.4, "bad": 2.3}
RATE_BUYER_SHARE, RATE_MAKER_SHARE, QUOTE_SHARE = 0.6, 0.5, 0.6
TABLES = ("contact_inquiries", "contact_quotes", "orders", "order_agreed_dates", "order_milestones", "order_deliveries",
          "order_invoices", "order_payments", "ratings", "rating_scores")


def _at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.utc)


def _score(x: float) -> int:
    return int(min(5, max(1, round(x))))


class _Rows:
    def __init__(self):
        self.t = {name: [] for name in TABLES}

    def add(self, table: str, **row) -> int:
        rows = self.t[table]
        row["id"] = len(rows) + 1
        rows.append(row)
        return row["id"]


def generate_orders(seed: int, events: list[dict], md: MakerData, rd: RequirementData, bd: BuyerData,
                    memberships: list[dict], now: datetime) -> dict[str, list[dict]]:
    """Rows of :data:`TABLES` for the order events of ``events`` (outcome-event dicts in time order)."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 61]))
    today = now.date()
    out = _Rows()
    req_index = {int(i): k for k, i in enumerate(rd.ids)}
    maker_index = {int(i): k for k, i in enumerate(md.ids)}
    buyer_index = {int(i): k for k, i in enumerate(bd.ids)}
    profiles = {p["organization_id"]: p for p in bd.rows.get("buyer_profiles", [])}
    assoc = {}
    for m in sorted(memberships, key=lambda m: m["id"]):
        assoc.setdefault(m["organization_id"], m["association_id"])
    contacted = {(e["requirement_id"], e["maker_id"]): e for e in events if e["event"] == "contacted"}
    titles = {row["id"]: row.get("title", "") for row in rd.rows}
    for e in events:
        if e["event"] not in ("order_placed", "repeat_order") or e["requirement_id"] not in req_index:
            continue
        if e["maker_id"] not in maker_index or e["buyer_id"] not in buyer_index:
            continue
        _order(rng, out, e, today, rd, req_index[e["requirement_id"]], md, maker_index[e["maker_id"]],
               bd.risk[buyer_index[e["buyer_id"]]], profiles.get(e["buyer_id"], {}), assoc.get(e["maker_id"]),
               contacted.get((e["requirement_id"], e["maker_id"])), titles.get(e["requirement_id"], ""))
    return out.t


def _order(rng, out: _Rows, e: dict, today: date, rd, r: int, md, m: int, risk, profile: dict,
           association_id, contact: dict | None, title: str) -> None:
    placed: datetime = e["occurred_at"]
    start = placed.date()
    rel = float(md.reliability[m])
    qty = int(rd.qty[r]) if e["event"] == "order_placed" else max(50, int(rd.qty[r] * rng.uniform(0.6, 1.3)))
    lo, hi = sorted((max(float(rd.price_min[r]), float(md.price_min[m])),
                     min(float(rd.price_max[r]), float(md.price_max[m]))))
    price = round(max(0.5, float(rng.uniform(lo, hi)) if hi > lo else lo), 2)
    lead = int(rd.lead[r])
    due_delivery = start + timedelta(days=lead)
    on_time = e["on_time"] is not False
    slip = -int(rng.integers(0, max(1, min(7, lead // 10)) + 1)) if on_time else \
        2 + int(rng.exponential(8.0 * (1.0 + max(0.0, -rel))))
    terms = int(profile.get("payment_terms_days") or 30)
    deposit = float(profile.get("deposit_share") or 0.0)
    inquiry_id = quote_id = None
    origin = "followup"
    if e["event"] == "order_placed" and contact is not None and rng.random() < QUOTE_SHARE:
        asked: datetime = contact["occurred_at"]
        answered = min(placed, asked + timedelta(hours=float(rng.uniform(2, 48))))
        inquiry_id = out.add("contact_inquiries", requirement_id=e["requirement_id"], buyer_id=e["buyer_id"],
                             maker_id=e["maker_id"], sent_by_id=None, message="", status="accepted",
                             decline_reason=None, decline_note="", answered_by_id=None, answered_at=answered,
                             rank=e.get("rank"), model_version=None, sample_requested_at=None,
                             sample_approved_at=None, order_placed_at=placed, last_activity_at=placed,
                             created_at=asked, version=1, updated_at=placed)
        quote_id = out.add("contact_quotes", inquiry_id=inquiry_id, maker_id=e["maker_id"], unit_price=price,
                           currency="USD", lead_time_days=lead, moq=int(md.moq[m]),
                           valid_until=answered.date() + timedelta(days=30), notes="", created_by_id=None,
                           created_at=answered)
        origin = "quote"
    oid = len(out.t["orders"]) + 1
    # deliveries: the last part lands ``slip`` days from the agreed date; some ship in two parts
    last = due_delivery + timedelta(days=slip)
    parts = [(last, qty)]
    if qty >= 400 and rng.random() < 0.33:
        first = int(qty * rng.uniform(0.4, 0.7))
        parts = [(last - timedelta(days=int(rng.integers(3, 10))), first), (last, qty - first)]
    p_reject = float(np.clip(0.035 * np.exp(-0.8 * rel) * rng.lognormal(0, 0.4), 0.002, 0.2))
    shipped, rejected = 0, 0
    for day, n in parts:
        if day > today:
            continue
        bad = int(rng.binomial(n, p_reject))
        by_buyer = rng.random() < 0.5
        confirm = day + timedelta(days=int(rng.integers(0, 4)))
        out.add("order_deliveries", order_id=oid, delivered_on=day, quantity=n, rejected_quantity=bad, note="",
                entered_by="buyer" if by_buyer else "maker",
                confirmed_at=_at(confirm, 16) if confirm <= today else None, created_at=_at(day, 15))
        shipped += n
        rejected += bad
    # milestones: planned evenly to the delivery date, actual dates slipping progressively
    prev = start
    for k, stage in enumerate(STAGES):
        planned = start + timedelta(days=round(lead * (k + 1) / len(STAGES)))
        actual = parts[-1][0] if stage == "delivered" else max(
            prev, planned + timedelta(days=round(slip * (k + 1) / len(STAGES) + rng.normal(0, 1))))
        if stage == "shipped":
            actual = min(actual, parts[0][0])
        prev = actual
        out.add("order_milestones", order_id=oid, stage=stage, planned_on=planned,
                actual_on=actual if actual <= today else None, entered_by="maker",
                confirmed_at=_at(actual, 17) if actual <= today else None, updated_at=_at(min(actual, today)))
    # invoices and payments
    total = round(qty * price, 2)
    dep_amount = round(total * deposit, 2)
    paid_all = True
    last_paid = None
    if dep_amount > 0:
        inv = out.add("order_invoices", order_id=oid, number=f"A-{oid}", issued_on=start,
                      due_on=start + timedelta(days=7), amount=dep_amount, currency="USD", is_deposit=True,
                      entered_by="maker", confirmed_at=_at(start, 18), created_at=_at(start, 13))
        day = start + timedelta(days=int(rng.integers(0, 7)) + (int(rng.exponential(risk.mean_days_late / 3))
                                                              if rng.random() < risk.late_payment_prob else 0))
        if day <= today:
            out.add("order_payments", invoice_id=inv, order_id=oid, paid_on=day, amount=dep_amount,
                    entered_by="buyer", confirmed_at=_at(day, 18), created_at=_at(day, 14))
            last_paid = day
        else:
            paid_all = False
    seen_delay = None  # days beyond terms of the final invoice, as the maker knows at rating time
    issued = parts[0][0]
    if issued <= today and total - dep_amount > 0:
        rest = round(total - dep_amount, 2)
        due = issued + timedelta(days=terms)
        inv = out.add("order_invoices", order_id=oid, number=f"F-{oid}", issued_on=issued, due_on=due,
                      amount=rest, currency="USD", is_deposit=False, entered_by="maker",
                      confirmed_at=_at(issued, 18) if rng.random() < 0.8 else None, created_at=_at(issued, 16))
        u = rng.random()
        if u < risk.unpaid_prob:
            share = float(rng.uniform(0.3, 0.8)) if rng.random() < 0.5 else 0.0
            pay_day = due + timedelta(days=int(rng.integers(5, 60)))
            schedule = [(pay_day, round(rest * share, 2))] if share > 0 else []
            paid_all = False
            seen_delay = 999
        else:
            late = rng.random() < risk.late_payment_prob
            pay_day = due + timedelta(days=1 + int(rng.exponential(risk.mean_days_late))) if late else \
                due - timedelta(days=int(rng.integers(0, min(terms, 10) + 1)))
            seen_delay = max(0, (pay_day - due).days)
            if rng.random() < 0.3 and rest > 100:
                half = round(rest * float(rng.uniform(0.3, 0.7)), 2)
                early = min(pay_day, max(issued, pay_day - timedelta(days=int(rng.integers(5, 25)))))
                schedule = [(early, half), (pay_day, round(rest - half, 2))]
            else:
                schedule = [(pay_day, rest)]
        for day, amount in schedule:
            if day > today:
                paid_all = False
                continue
            out.add("order_payments", invoice_id=inv, order_id=oid, paid_on=day, amount=amount,
                    entered_by="buyer" if rng.random() < 0.5 else "maker", confirmed_at=_at(day, 19),
                    created_at=_at(day, 15))
            last_paid = day
        if due < today and (not schedule or schedule[-1][0] > today):
            seen_delay = max(seen_delay or 0, (today - due).days)
    else:
        paid_all = False
    closed = paid_all and shipped == qty and last_paid is not None
    closed_at = _at(max(last_paid, parts[-1][0]), 20) if closed else None
    out.add("orders", buyer_id=e["buyer_id"], maker_id=e["maker_id"], origin=origin,
            requirement_id=e["requirement_id"], inquiry_id=inquiry_id, quote_id=quote_id, fair_meeting_id=None,
            reference=f"PO-{e['buyer_id']}-{oid}", product=title[:200], status="closed" if closed else "open",
            quantity=qty, unit_price=price, currency="USD", delivery_date=due_delivery, deposit_share=deposit,
            payment_terms_days=terms, reject_limit_pct=3.0 if rng.random() < 0.6 else None,
            fabric_by="maker" if rng.random() < 0.8 else "buyer", trims_by="maker",
            buyer_confirmed_at=placed, maker_confirmed_at=placed + timedelta(hours=float(rng.uniform(1, 30))),
            started_on=start, closed_at=closed_at, created_by_id=None, created_at=placed, version=1,
            updated_at=closed_at or placed)
    row = out.t["orders"][-1]  # the date it was placed with, in force again once the maker confirmed it
    out.add("order_agreed_dates", order_id=oid, delivery_date=due_delivery, source="created", at=placed)
    out.add("order_agreed_dates", order_id=oid, delivery_date=due_delivery, source="confirmed",
            at=row["maker_confirmed_at"])
    _ratings(rng, out, e, oid, today, start, parts, risk, rel, on_time, shipped, rejected, seen_delay,
             association_id)


def _ratings(rng, out: _Rows, e, oid, today, start, parts, risk, rel, on_time, shipped, rejected, seen_delay,
             association_id) -> None:
    opens = max(start + timedelta(days=60), parts[-1][0] + timedelta(days=10))
    when = opens + timedelta(days=int(rng.integers(0, 45)))
    if when > today:
        return
    at = _at(when, int(rng.integers(9, 19)))
    if rng.random() < RATE_BUYER_SHARE:
        mean = CONDUCT_SCORE[risk.conduct]
        rid = out.add("ratings", basis="order", basis_id=oid, direction="buyer_practices",
                      rater_org_id=e["maker_id"], ratee_org_id=e["buyer_id"], association_id=association_id,
                      rated_by_id=None, comment="", created_at=at)
        scores = {}
        for cat in BUYER_CATEGORIES[:-1]:
            if cat == "payment_terms" and seen_delay is not None:
                scores[cat] = _score(4.7 - min(seen_delay, 120) / 12.0 + rng.normal(0, 0.5))
            else:
                scores[cat] = _score(mean + rng.normal(0, 0.8))
        scores["overall_partnership"] = _score(np.mean(list(scores.values())) + rng.normal(0, 0.4))
        for cat, s in scores.items():
            out.add("rating_scores", rating_id=rid, category=cat, score=s)
    if shipped and rng.random() < RATE_MAKER_SHARE:
        rid = out.add("ratings", basis="order", basis_id=oid, direction="maker_performance",
                      rater_org_id=e["buyer_id"], ratee_org_id=e["maker_id"], association_id=association_id,
                      rated_by_id=None, comment="", created_at=at + timedelta(hours=2))
        share = rejected / shipped
        for cat, s in (("quality", 4.8 - 40.0 * share + 0.3 * rel + rng.normal(0, 0.6)),
                       ("on_time_delivery", (4.5 if on_time else 2.4) + rng.normal(0, 0.6)),
                       ("communication", 3.7 + 0.7 * rel + rng.normal(0, 0.7))):
            out.add("rating_scores", rating_id=rid, category=cat, score=_score(s))
