"""The words of monitoring that other concerns show too (a notice names its slip in the reader's language)."""
from __future__ import annotations

from ..catalog import N_

SLIP_LABELS = {
    "milestone_overdue": N_("a production milestone is past its planned date"),
    "late_delivery": N_("a delivery came later than agreed"),
    "undelivered": N_("the order is not delivered by the agreed date"),
    "rejects_over_limit": N_("the reject rate is above the agreed limit"),
    "payment_late": N_("an invoice was paid late or is unpaid past its due date"),
    "price_change": N_("the unit price changed after agreement"),
}

# a missed milestone named: its stage (a translated order stage) and its planned date, in the reader's words
MILESTONE_SLIP = N_("the \u201c{stage}\u201d milestone planned for {planned_on} is past its planned date")

FIGURE_LABELS = {
    "on_time_pct": N_("On-time deliveries (%)"),
    "days_late": N_("Days late per delivery"),
    "milestone_days_late": N_("Days late per milestone"),
    "reject_rate_pct": N_("Reject rate (%)"),
    "days_beyond_terms": N_("Days beyond payment terms"),
    "price_changes": N_("Price changes after agreement"),
}
