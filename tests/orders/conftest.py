"""A small cluster for order tests, on the contact tests' world (a cleared buyer with an open
requirement, an uncleared buyer, three makers), plus a coordinator firm, and helpers that walk the
real API to an inquiry with quotes and to an order."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.contact.conftest import World, world as contact_world  # noqa: F401  (the fixture, reused)

QUOTE = {"unit_price": 8.5, "currency": "USD", "lead_time_days": 40, "moq": 1000,
         "valid_until": (date.today() + timedelta(days=30)).isoformat(), "notes": "FOB Guadalajara"}
TERMS = {"reference": "PO-77", "product": "Slim jeans", "quantity": 2000, "unit_price": 9.25, "currency": "USD",
         "delivery_date": (date.today() + timedelta(days=60)).isoformat(), "deposit_share": 0.3,
         "payment_terms_days": 45, "reject_limit_pct": 2.5, "fabric_by": "buyer", "trims_by": "maker"}


@pytest.fixture
def world(contact_world, factory) -> World:  # noqa: F811
    w = contact_world
    w.coordinator = factory.org("coordinator", name="Red de Talleres")
    w.users["coordinator"] = factory.user("maker_user", w.coordinator)
    w.users["maker0_b"] = factory.user("maker_user", w.makers[0])  # a second user of maker 0
    return w


def quoted_inquiry(client, world, maker: int = 0, quotes: int = 1) -> tuple[int, list[int]]:
    """The cleared buyer's requirement sent to ``maker``, and that maker's quotes on it."""
    r = client.post("/api/v1/inquiries", json={"requirement_id": world.req, "maker_ids": [world.makers[maker]]},
                    headers=world.tokens["buyer"])
    assert r.status_code == 201, r.get_json()
    inq = r.get_json()["items"][0]["id"]
    ids = []
    for i in range(quotes):
        q = client.post(f"/api/v1/inquiries/{inq}/quotes", json=dict(QUOTE, unit_price=8.5 + i),
                        headers=world.tokens[f"maker{maker}"])
        assert q.status_code == 201, q.get_json()
        ids.append(q.get_json()["id"])
    return inq, ids


def accepted_order(client, world, maker: int = 0) -> dict:
    inq, (quote,) = quoted_inquiry(client, world, maker)
    r = client.post(f"/api/v1/inquiries/{inq}/quotes/{quote}/accept", headers=world.tokens["buyer"])
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def maker_order(client, world, maker: str = "maker1", buyer: int | None = None, **terms) -> dict:
    body = dict(TERMS, buyer_id=buyer or world.other_buyer, **terms)
    r = client.post("/api/v1/orders", json=body, headers=world.tokens[maker])
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def fields_of(response) -> set[str]:
    return {f["field"] for f in (response.get_json() or {}).get("error", {}).get("fields", [])}
