"""The API's routes and the shape of its answers stay as they were before the OpenAPI and blueprint rework.

``api_snapshot.json`` was written from main before that change (``MATCHMAKER_WRITE_API_SNAPSHOT=1``
rewrites it): every ``/api/v1`` rule with its methods and endpoint, and the shape (keys and value
types, not values) and status of a few sample answers. A route that moves, disappears or changes its
endpoint name, or an answer that gains, loses or retypes a key, fails here.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from tests.support.dates import years_ahead

SNAPSHOT = Path(__file__).with_name("api_snapshot.json")

MAKER = {
    "headcount": 12, "service_tier": "half_package", "monthly_capacity": 4000, "min_order_qty": 300,
    "order_lead_days": 21, "quality_tier": "standard", "processes": ["cutting", "sewing", "laundry"],
    "product_lines": ["jeans_stretch_women"], "niches": ["fashion_small_batch"],
    "certificates": [{"kind": "iso9001", "issuer": "BSI", "number": "MX-123",
                      "valid_until": years_ahead(1).isoformat()}],  # valid: next year's May 1
    "about": "Taller en Zapotlanejo.",
}
REQUIREMENT = {
    "title": "Women's stretch jeans", "product_line": "jeans_stretch_women", "quantity": 1200,
    "lead_time_days": 30, "processes": ["sewing", "laundry"], "status": "open",
}


def api_routes(app) -> list[list]:
    return sorted([str(rule), sorted(rule.methods - {"HEAD", "OPTIONS"}), rule.endpoint]
                  for rule in app.url_map.iter_rules() if str(rule).startswith("/api/v1"))


def shape(value):
    """Keys and value types of a JSON value; a list is described by its first item."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in sorted(value.items())}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return type(value).__name__


def samples(client, factory) -> dict[str, list]:
    """(status, shape) of sample calls covering listings, reads, creations, errors and empty answers."""
    maker_org = factory.org("maker", "Confecciones Altos")
    maker_user = factory.user("maker_user", maker_org)
    maker = factory.token(maker_user)
    buyer_org = factory.org("buyer", "Denim Co", country="US")
    buyer = factory.token(factory.user("buyer_user", buyer_org))
    admin = factory.token(factory.user("platform_admin"))
    out: dict[str, list] = {}

    def call(name, method, url, headers, body=None):
        r = client.open(url, method=method, json=body, headers=headers)
        out[name] = [r.status_code, shape(r.get_json(silent=True)) if r.data else None]
        return r

    call("create_token", "POST", "/api/v1/tokens",
         {}, {"email": factory.email(maker_user), "password": factory.PASSWORD})
    call("list_tokens", "GET", "/api/v1/tokens", maker)
    call("get_organization", "GET", f"/api/v1/organizations/{maker_org}", maker)
    call("list_organizations", "GET", "/api/v1/organizations", maker)
    call("create_maker", "POST", f"/api/v1/organizations/{maker_org}/maker-profile", maker, MAKER)
    call("get_maker", "GET", f"/api/v1/makers/{maker_org}", buyer)
    call("list_makers", "GET", "/api/v1/makers", buyer)
    call("create_buyer", "POST", f"/api/v1/organizations/{buyer_org}/buyer-profile", buyer,
         {"buyer_type": "brand"})
    call("create_requirement", "POST", "/api/v1/requirements", buyer, REQUIREMENT)
    req = client.get("/api/v1/requirements", headers=buyer).get_json()["items"][0]["id"]
    call("get_requirement", "GET", f"/api/v1/requirements/{req}", buyer)
    call("create_association", "POST", "/api/v1/associations", admin, {"name": "Cámara Textil"})
    call("list_associations", "GET", "/api/v1/associations", buyer)
    call("search_makers", "GET", "/api/v1/search/makers?q=jeans", buyer)
    call("rank_makers", "GET", f"/api/v1/requirements/{req}/ranking", buyer)
    call("list_fairs", "GET", "/api/v1/fairs", buyer)
    call("contact_list_shortlists", "GET", "/api/v1/shortlists", buyer)
    call("contact_add_to_shortlist", "POST", f"/api/v1/requirements/{req}/shortlist", buyer,
         {"maker_id": maker_org, "source": "search"})
    call("contact_get_shortlist", "GET", f"/api/v1/requirements/{req}/shortlist", buyer)
    call("contact_unread_count", "GET", "/api/v1/notifications/unread", maker)
    call("vetting_list_subjects", "GET", "/api/v1/vetting/subjects", maker)
    call("invalid_body", "POST", "/api/v1/requirements", buyer, {"title": ""})
    call("unknown_parameter", "GET", "/api/v1/makers?bogus=1", buyer)
    call("not_found", "GET", "/api/v1/makers/999999", buyer)
    call("forbidden", "POST", "/api/v1/associations", buyer, {"name": "x"})
    call("unauthenticated", "GET", "/api/v1/makers", {})
    call("contact_remove_from_shortlist", "DELETE", f"/api/v1/requirements/{req}/shortlist/{maker_org}", buyer)
    return out


def test_routes_and_sample_answers_match_the_snapshot(app, client, factory):
    current = {"routes": api_routes(app), "samples": samples(client, factory)}
    if os.environ.get("MATCHMAKER_WRITE_API_SNAPSHOT"):
        SNAPSHOT.write_text(json.dumps(current, indent=1, sort_keys=True) + "\n")
    before = json.loads(SNAPSHOT.read_text())
    added = [r for r in current["routes"] if r not in before["routes"]]
    missing = [r for r in before["routes"] if r not in current["routes"]]
    assert missing == [], f"routes gone or changed: {missing}"
    # new routes may appear (other concerns add them); the old ones keep their path, methods and endpoint
    assert all(r[2].startswith("api.") for r in added), added
    for name, (status, body) in before["samples"].items():
        assert current["samples"][name] == [status, body], name
