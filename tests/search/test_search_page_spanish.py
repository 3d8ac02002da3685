"""The search page's range refusal in Spanish, with the numbers grouped the Mexican way (issue 9)."""
from __future__ import annotations

import pytest

from tests.support.world import build_world, login_as, set_language


@pytest.fixture
def world(factory):
    return build_world(factory)


def test_search_range_error_is_spanish_with_grouped_numbers(client, factory, world):
    login_as(client, factory, world.users["buyer_user"])
    set_language(client, "es")
    page = client.get("/search?quantity=99999999999")
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "debe estar entre 1 y 10,000,000" in html
    assert "must be between" not in html
