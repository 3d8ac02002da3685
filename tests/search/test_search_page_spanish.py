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


def test_a_page_beyond_the_result_window_shows_the_last_page_in_spanish(client, factory, world):
    """page=999 reached the engine, whose English sentence was shown on the Spanish page after the raw
    parameter name ("page: results beyond the first 10000 are not reachable; ..."); then a Spanish refusal;
    now, like the other lists, the last page it can show."""
    login_as(client, factory, world.users["buyer_user"])
    set_language(client, "es")
    page = client.get("/search?page=999")
    assert page.status_code == 302 and page.location == "/search?page=1"
    html = client.get(page.location).get_data(as_text=True)
    assert "Buscar fabricantes" in html and "Taller Azul" in html
    assert "not reachable" not in html and "primeros 10,000" not in html
    login_as(client, factory, world.users["maker_user"])
    set_language(client, "es")
    first = client.get("/requirements/open").get_data(as_text=True)
    assert first.count('class="card result"') >= 1
    for garbage in ("0", "-3", "dos"):  # page 1, as on the other paged lists
        r = client.get(f"/requirements/open?page={garbage}")
        html = r.get_data(as_text=True)
        assert r.status_code == 200 and "debe estar entre" not in html, garbage
        assert html.count('class="card result"') == first.count('class="card result"'), garbage
