"""English names of the rating directions and categories (Spanish in :mod:`.i18n_es`)."""
from __future__ import annotations

from ..i18n import gettext

DIRECTION_LABELS = {
    "buyer_practices": "Purchasing practices",
    "maker_performance": "Maker performance",
    "vendor_performance": "Vendor performance",
}
CATEGORY_LABELS = {
    "planning_forecasting": "Planning and forecasting",
    "design_development": "Design and development",
    "cost_negotiation": "Cost and negotiation",
    "order_placement": "Order placement",
    "payment_terms": "Payment and terms",
    "relationship_management": "Management of the relationship",
    "overall_partnership": "Overall partnership",
    "quality": "Quality",
    "on_time_delivery": "On-time delivery",
    "communication": "Communication",
}


def direction_label(code: str) -> str:
    return gettext(DIRECTION_LABELS.get(code, code))


def category_label(code: str | None) -> str:
    return gettext(CATEGORY_LABELS.get(code, code)) if code else gettext("All categories")
