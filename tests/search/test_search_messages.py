"""Refused search filters, on the page and in the API, in the reader's language: the page names the
field by its label and never shows codes (the process code typed, the sort codes, the parameter name);
the API answers 400 naming the parameter in ``field``, its text translated too.

A state is free text where firms are stored (``organizations.state``, any country), not a vocabulary:
an unknown state is a filter that matches no maker, answered with the page's "no maker matches" advice."""
from __future__ import annotations

import re

import pytest

from tests.support.world import build_world, login_as, set_language

ES = {"Accept-Language": "es"}


@pytest.fixture
def world(factory):
    return build_world(factory)


def _spanish_page(client, factory, world, query: str):
    login_as(client, factory, world.users["buyer_user"])
    set_language(client, "es")
    r = client.get(f"/search?{query}")
    return r.status_code, r.get_data(as_text=True)


def _beside(html: str, field: str) -> str | None:
    match = re.search(rf'<label for="{field}">.*?<span class="field-error"[^>]*>([^<]*)<', html, re.S)
    return match.group(1).strip() if match else None


def test_an_unknown_process_is_named_by_its_label_without_the_code(client, factory, world):
    status, html = _spanish_page(client, factory, world, "process=zzz")
    assert status == 422
    message = re.search(r'data-field="process">([^<]*)<', html).group(1)
    assert message == "Proceso: elija un valor de la lista"
    assert "código" not in html and "process:" not in html


def test_an_unknown_sort_lists_no_codes(client, factory, world):
    status, html = _spanish_page(client, factory, world, "sort=zzz")
    assert status == 422
    assert _beside(html, "sort") == "elija un valor de la lista"
    assert "score, capacity" not in html and "size" not in html.split('id="sort"')[1].split("</select>")[1][:300]


def test_a_radius_without_a_place_is_spanish_beside_near(client, factory, world):
    status, html = _spanish_page(client, factory, world, "radius_km=10")
    assert status == 422
    assert _beside(html, "near") == "indique un lugar (latitud, longitud) para buscar dentro de un radio"
    assert "give near" not in html


def test_an_unknown_state_finds_no_maker_and_says_what_to_try(client, factory, world):
    status, html = _spanish_page(client, factory, world, "state=zzz")
    assert status == 200
    assert 'data-testid="no-results"' in html


@pytest.mark.parametrize("query, field, spanish", [
    ("process=zzz", "process", "elija un valor de la lista"),
    ("sort=zzz", "sort", "elija un valor de la lista"),
    ("radius_km=10", "near", "indique un lugar (latitud, longitud) para buscar dentro de un radio"),
])
def test_the_api_names_the_parameter_and_words_its_problem_in_spanish(client, factory, world, query, field, spanish):
    token = factory.token(world.users["buyer_user"])
    r = client.get(f"/api/v1/search/makers?{query}", headers={**token, **ES})
    assert r.status_code == 400, r.json
    error = r.json["error"]
    assert error["fields"] == [{"field": field, "problem": spanish}]
    assert error["message"] == spanish
