"""The buyer's inquiry page offers only the steps still open: a sample before the order, its approval after
the request, no sample once the order is placed (the demo walk met 'Request a sample' beside a placed order)."""
from __future__ import annotations

import re

from tests.orders.conftest import quoted_inquiry
from tests.support.world import login_as


def _steps(client, inq) -> list[str]:
    return re.findall(r'data-testid="step-([a-z_]+)"', client.get(f"/inquiries/{inq}").get_data(as_text=True))


def test_the_buyer_is_offered_the_next_steps_only(app, client, factory, world):
    inq, (quote,) = quoted_inquiry(client, world)
    buyer = app.test_client()
    login_as(buyer, factory, world.users["buyer"])
    assert _steps(buyer, inq) == ["sample_requested", "order_placed"]  # the maker quoted: it accepted
    assert client.post(f"/api/v1/inquiries/{inq}/events", json={"event": "sample_requested"},
                       headers=world.tokens["buyer"]).status_code == 200
    assert _steps(buyer, inq) == ["sample_approved", "order_placed"]
    accepted = client.post(f"/api/v1/inquiries/{inq}/quotes/{quote}/accept", headers=world.tokens["buyer"])
    assert accepted.status_code == 201
    page = buyer.get(f"/inquiries/{inq}").get_data(as_text=True)
    assert _steps(buyer, inq) == [] and 'id="progress"' not in page  # the order is placed: no more steps
