"""The words of monitoring that other concerns show too (a notice names its slip in the reader's language)."""
from __future__ import annotations

SLIP_LABELS = {
    "milestone_overdue": "a production milestone is past its planned date",
    "late_delivery": "a delivery came later than agreed",
    "undelivered": "the order is not delivered by the agreed date",
    "rejects_over_limit": "the reject rate is above the agreed limit",
    "payment_late": "an invoice was paid late or is unpaid past its due date",
    "price_change": "the unit price changed after agreement",
}

FIGURE_LABELS = {
    "on_time_pct": "On-time deliveries (%)",
    "days_late": "Days late per delivery",
    "milestone_days_late": "Days late per milestone",
    "reject_rate_pct": "Reject rate (%)",
    "days_beyond_terms": "Days beyond payment terms",
    "price_changes": "Price changes after agreement",
}
