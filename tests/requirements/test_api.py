"""The requirements API: who sees and edits which buyer's requirements."""
from __future__ import annotations

import pytest

from tests.support.api_bodies import REQUIREMENT


@pytest.fixture
def buyer(factory):
    org = factory.org("buyer", "Denim Co", country="US")
    user = factory.user("buyer_user", org)
    return org, factory.token(user)


def test_buyers_see_only_their_own_requirements_and_makers_only_open_ones(app, client, factory, buyer):
    org, headers = buyer
    mine = client.post("/api/v1/requirements", json=REQUIREMENT, headers=headers).json
    draft = client.post("/api/v1/requirements", json={**REQUIREMENT, "status": "draft"}, headers=headers).json
    rival = factory.token(factory.user("buyer_user", factory.org("buyer", country="CA")))
    maker_headers = factory.token(factory.user("maker_user", factory.org("maker")))
    assert client.get("/api/v1/requirements", headers=maker_headers).json["total"] == 0  # buyer not vetted yet
    assert client.get(f"/api/v1/requirements/{mine['id']}", headers=maker_headers).status_code == 404
    with app.app_context():  # the association clears the buyer: makers may now see its open requirements
        from matchmaker import db
        from tests.support.vetting import clear_buyer
        clear_buyer(db.session(), org)

    assert client.get("/api/v1/requirements", headers=rival).json["total"] == 0
    assert client.get(f"/api/v1/requirements/{mine['id']}", headers=rival).status_code == 404
    visible = {r["id"] for r in client.get("/api/v1/requirements", headers=maker_headers).json["items"]}
    assert visible == {mine["id"]}
    assert client.get(f"/api/v1/requirements/{draft['id']}", headers=maker_headers).status_code == 404
    r = client.put(f"/api/v1/requirements/{mine['id']}", json={**REQUIREMENT, "version": 1}, headers=rival)
    assert r.status_code == 404
    version = client.get(f"/api/v1/requirements/{mine['id']}", headers=headers).json["version"]
    r = client.put(f"/api/v1/requirements/{mine['id']}", json={**REQUIREMENT, "quantity": 900, "version": version},
                   headers=headers)
    assert r.status_code == 200 and r.json["quantity"] == 900
