"""English names of the rating directions and categories (Spanish in the gettext catalog)."""
from __future__ import annotations

from ..i18n import N_, gettext

DIRECTION_LABELS = {
    "buyer_practices": N_("Purchasing practices"),
    "maker_performance": N_("Maker performance"),
    "vendor_performance": N_("Vendor performance"),
}
CATEGORY_LABELS = {
    "planning_forecasting": N_("Planning and forecasting"),
    "design_development": N_("Design and development"),
    "cost_negotiation": N_("Cost and negotiation"),
    "order_placement": N_("Order placement"),
    "payment_terms": N_("Payment and terms"),
    "relationship_management": N_("Management of the relationship"),
    "overall_partnership": N_("Overall partnership"),
    "quality": N_("Quality"),
    "on_time_delivery": N_("On-time delivery"),
    "communication": N_("Communication"),
}


def direction_label(code: str) -> str:
    return gettext(DIRECTION_LABELS.get(code, code))


def category_label(code: str | None) -> str:
    return gettext(CATEGORY_LABELS.get(code, code)) if code else gettext("All categories")
