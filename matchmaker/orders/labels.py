"""The words of the order pages: stages, statuses, origins, sides, figures (English msgids, Spanish in
the gettext catalog), and the list of figures a side may dispute, for the dispute form's one select."""
from __future__ import annotations

from ..i18n import format_date, format_number, format_percent, locale
from ..i18n import gettext as _, ngettext
from .schemas import DISPUTE_FIELDS
from ..catalog import N_

STAGES = {"sample_approved": N_("Sample approved"), "fabric_in": N_("Fabric in"), "cut": N_("Cut"), "sewn": N_("Sewn"),
          "washed": N_("Washed"), "finished": N_("Finished"), "shipped": N_("Shipped"), "delivered": N_("Delivered")}
STATUS = {"open": N_("Open"), "closed": N_("Closed"), "cancelled": N_("Cancelled")}
ORIGIN = {"quote": N_("Accepted quote"), "followup": N_("Fair meeting"), "maker": N_("Entered by the maker")}
SIDE = {"buyer": N_("Buyer"), "maker": N_("Maker")}
SUBJECT = {"order": N_("Order terms"), "milestone": N_("Milestone"), "delivery": N_("Delivery"),
           "invoice": N_("Invoice"), "payment": N_("Payment")}


def status_word(code: str):
    """An order's status as a lower-case word in the reader's language, worded when the message is shown."""
    from flask_babel import LazyString
    return LazyString(lambda: _(STATUS.get(code, code)).lower())


DISPUTE_STATUS = {"open": N_("Open"), "answered": N_("Answered"), "withdrawn": N_("Withdrawn")}
FIELDS = {"reference": N_("Purchase order number"), "product": N_("Product"), "quantity": N_("Quantity"),
          "unit_price": N_("Unit price"), "currency": N_("Currency"), "delivery_date": N_("Delivery date"),
          "deposit_share": N_("Deposit share (%)"), "payment_terms_days": N_("Payment terms (days)"),
          "reject_limit_pct": N_("Reject limit (%)"), "fabric_by": N_("Fabric supplied by"),
          "trims_by": N_("Trims supplied by"),
          "planned_on": N_("Planned"), "actual_on": N_("Actual"), "delivered_on": N_("Delivered on"),
          "rejected_quantity": N_("Pieces rejected"), "number": N_("Invoice number"), "issued_on": N_("Issued on"),
          "due_on": N_("Due on"), "amount": N_("Amount"), "is_deposit": N_("Deposit invoice"), "paid_on": N_("Paid on"),
          "note": N_("Note"), "buyer_id": N_("Buyer"), "requirement_id": N_("Requirement"),
          "started_on": N_("Placed on"), "fair_meeting_id": N_("Fair meeting"), "status": N_("Status"),
          "version": N_("Version")}


def dispute_choices(o: dict, side: str) -> list[tuple[str, str]]:
    """(value ``subject:id:field``, label) of every figure ``side`` may dispute: the terms, and the
    figures the other side entered."""
    terms = SUBJECT["order"]  # (names, not literals, inside the calls: extraction reads literals as msgids)
    out = [(f"order:{o['id']}:{f}", f"{_(terms)} · {_(FIELDS[f])}") for f in DISPUTE_FIELDS["order"]]
    rows = [("milestone", m, _(STAGES.get(m.get("stage"), ""))) for m in o["milestones"]]
    rows += [("delivery", d, format_date(d["delivered_on"])) for d in o["deliveries"]]
    for inv in o["invoices"]:
        rows.append(("invoice", inv, inv["number"]))
        rows += [("payment", p, f"{inv['number']} · {format_date(p['paid_on'])}") for p in inv["payments"]]
    for subject, row, name in rows:
        if row["entered_by"] != side:
            out += [(f"{subject}:{row['id']}:{f}", f"{_(SUBJECT[subject])} {name} · {_(FIELDS[f])}")
                    for f in DISPUTE_FIELDS[subject]]
    return out


# how a term's stored text (``OrderTermChange.old_value``/``new_value``) is said: decimals per number field
NUMBER_TERMS = {"quantity": None, "payment_terms_days": None, "unit_price": 2, "reject_limit_pct": 1}
PERCENT_TERMS = {"deposit_share"}  # a 0–1 share, said as the percent the form takes and the terms show
DATE_TERMS = {"delivery_date", "started_on"}
SIDE_TERMS = {"fabric_by", "trims_by"}


def term_value(field: str, text: str | None) -> str:
    """A changed term's old or new value in the reader's language: ``2026-03-01`` → ``1 mar 2026``,
    ``12500`` → ``12,500``, ``maker`` → ``Fabricante``; text terms (reference, product) as written."""
    if text in (None, ""):
        return "—"
    if field in DATE_TERMS:
        return format_date(text)
    if field in PERCENT_TERMS:
        try:
            return format_percent(float(text))
        except ValueError:
            return text
    if field in NUMBER_TERMS:
        try:
            return format_number(float(text), NUMBER_TERMS[field])
        except ValueError:
            return text
    if field in SIDE_TERMS:
        return _(SIDE.get(text, text))
    return text


def context() -> dict:
    lang = locale()
    return {"stage_label": lambda code: _(STAGES.get(code, code)),
            "order_status_label": lambda code: _(STATUS.get(code, code)),
            "origin_label": lambda code: _(ORIGIN.get(code, code)),
            "side_label": lambda code: _(SIDE.get(code, code)),
            "subject_label": lambda code: _(SUBJECT.get(code, code)),
            "dispute_status_label": lambda code: _(DISPUTE_STATUS.get(code, code)),
            "field_label": lambda code: _(FIELDS.get(code, code)),
            "dispute_choices": dispute_choices, "term_value": term_value, "late_days": late_days, "lang": lang}


def late_days(planned: str, actual: str) -> str:
    """The "days late" cell of a stage: the days its actual date came after the planned one (``8``, ``0``),
    or, for a stage done before its plan, how many days early in words (``9 days early``), never a negative
    number of days late."""
    from datetime import date
    late = (date.fromisoformat(actual) - date.fromisoformat(planned)).days
    if late >= 0:
        return format_number(late)
    return ngettext("{n} day early", "{n} days early", -late)
