"""A firm's outcome log through the API is the firm's own."""
from __future__ import annotations

import pytest


@pytest.fixture
def maker(factory):
    org = factory.org("maker", "Confecciones Altos")
    user = factory.user("maker_user", org)
    return org, factory.token(user)


def test_outcome_log_is_visible_only_to_the_firm_itself(client, factory, maker):
    org, headers = maker
    assert client.get(f"/api/v1/organizations/{org}/outcomes", headers=headers).status_code == 200
    stranger = factory.token(factory.user("maker_user", factory.org("maker")))
    assert client.get(f"/api/v1/organizations/{org}/outcomes", headers=stranger).status_code == 404
    board = factory.token(factory.user("board_member"))
    assert client.get(f"/api/v1/organizations/{org}/outcomes", headers=board).status_code == 403  # role rule


def test_another_firms_outcome_log_is_answered_as_a_missing_firm(client, factory, maker):
    """A 403 for a firm that exists and a 404 for one that does not would tell a stranger which ids are firms."""
    org, _ = maker
    stranger = factory.token(factory.user("maker_user", factory.org("maker")))
    foreign = client.get(f"/api/v1/organizations/{org}/outcomes", headers=stranger)
    missing = client.get("/api/v1/organizations/987654/outcomes", headers=stranger)
    assert foreign.status_code == missing.status_code == 404
    assert foreign.get_json()["error"]["message"].replace(str(org), "ID") == \
        missing.get_json()["error"]["message"].replace("987654", "ID")
    assert foreign.get_json()["error"]["code"] == missing.get_json()["error"]["code"] == "not_found"
    admin = factory.token(factory.user("platform_admin"))
    assert client.get("/api/v1/organizations/987654/outcomes", headers=admin).get_json() == missing.get_json()
