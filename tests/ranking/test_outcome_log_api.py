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
    assert client.get(f"/api/v1/organizations/{org}/outcomes", headers=stranger).status_code == 403
    board = factory.token(factory.user("board_member"))
    assert client.get(f"/api/v1/organizations/{org}/outcomes", headers=board).status_code == 403
