"""JSON bodies the API tests of many concerns post: a maker's profile and a buyer's requirement."""
from __future__ import annotations

from tests.support.dates import years_ahead

MAKER = {
    "headcount": 12, "service_tier": "half_package", "monthly_capacity": 4000, "min_order_qty": 300,
    "order_lead_days": 21, "quality_tier": "standard", "processes": ["cutting", "sewing", "laundry"],
    "product_lines": ["jeans_stretch_women"], "niches": ["fashion_small_batch"],
    "certificates": [{"kind": "iso9001", "issuer": "BSI", "number": "MX-123",
                      "valid_until": years_ahead(1).isoformat()}],  # valid: next year's May 1
    "about": "Taller en Zapotlanejo: pantalón stretch para dama, lavado láser.",
}
REQUIREMENT = {
    "title": "Women's stretch jeans, laser wash", "product_line": "jeans_stretch_women", "quantity": 1200,
    "lead_time_days": 30, "processes": ["sewing", "laundry"], "status": "open",
}
