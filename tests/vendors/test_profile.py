"""The vendor's profile: what it supplies, validated field by field on the API and on the page, in
both languages, edited only by the vendor itself, and a stale version refused with a 409."""
from __future__ import annotations

import re

import pytest

from tests.vendors.conftest import PROFILE, csrf_from, login


def _put(client, w, body, who=None, org=None):
    return client.put(f"/api/v1/vendors/{org or w.vendor_org}/profile", json=body, headers=w.h[who or w.vendor])


def _fields(r) -> set[str]:
    return {f["field"] for f in r.get_json()["error"]["fields"]}


def test_the_vendor_creates_and_replaces_its_profile_and_members_read_it(client, world):
    r = _put(client, world, PROFILE)
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["version"] == 1 and r.get_json()["denim_oz_max"] == 14.5
    r = _put(client, world, {**PROFILE, "credit_terms_days": 45, "version": 1})
    assert r.status_code == 200 and r.get_json()["version"] == 2
    got = client.get(f"/api/v1/vendors/{world.vendor_org}/profile", headers=world.h[world.member_2]).get_json()
    assert got["credit_terms_days"] == 45 and got["supplies"] == ["denim_fabric", "trims"]
    assert got["trims"] == ["rivets", "buttons"] and got["min_lot"] == 500
    assert got["standing"]["status"] == "not_vetted"


def test_a_stale_version_is_a_conflict_and_nothing_changes(client, world):
    assert _put(client, world, PROFILE).status_code == 200
    assert _put(client, world, {**PROFILE, "delivery_days": 5, "version": 1}).status_code == 200
    r = _put(client, world, {**PROFILE, "delivery_days": 99, "version": 1})
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "conflict"
    got = client.get(f"/api/v1/vendors/{world.vendor_org}/profile", headers=world.h[world.vendor]).get_json()
    assert got["delivery_days"] == 5 and got["version"] == 2
    # replacing without a version is refused naming it
    r = _put(client, world, {**PROFILE})
    assert r.status_code == 422 and _fields(r) == {"version"}


@pytest.mark.parametrize("change, field", [
    ({"supplies": []}, "supplies"),
    ({"supplies": ["denim_fabric", "unicorn_hair"]}, "supplies"),
    ({"denim_oz_min": 15, "denim_oz_max": 9}, "denim_oz_min"),
    ({"denim_oz_max": 80}, "denim_oz_max"),
    ({"supplies": ["thread"], "denim_finishes": ["stretch"], "trims": []}, "supplies"),
    ({"trims": ["rivets", "rivets"]}, "trims"),
    ({"brands_serviced": ["Juki"]}, "supplies"),          # brands need machines among the supplies
    ({"min_lot": 0}, "min_lot"),
    ({"delivery_days": "soon"}, "delivery_days"),
    ({"credit_terms_days": 400}, "credit_terms_days"),
    ({"colour": "blue"}, "colour"),
])
def test_bad_input_is_a_422_naming_the_field_and_writes_nothing(client, world, change, field):
    r = _put(client, world, {**PROFILE, **change})
    assert r.status_code == 422, r.get_json()
    assert field in _fields(r)
    assert client.get(f"/api/v1/vendors/{world.vendor_org}/profile",
                      headers=world.h[world.vendor]).get_json()["version"] == 0


def test_machinery_vendor_lists_brands_and_repair_times(client, world):
    body = {"supplies": ["sewing_machines", "machine_repair"], "brands_serviced": ["Juki", "Brother", "Siruba"],
            "repair_response_days": 2, "credit_terms_days": 60}
    r = _put(client, world, body, who=world.other_vendor, org=world.other_vendor_org)
    assert r.status_code == 200 and r.get_json()["brands_serviced"] == ["Juki", "Brother", "Siruba"]
    r = _put(client, world, {**body, "brands_serviced": ["Juki", "juki"], "version": 1},
             who=world.other_vendor, org=world.other_vendor_org)
    assert r.status_code == 422 and _fields(r) == {"brands_serviced"}


def test_only_the_vendor_itself_edits_its_profile(client, world):
    for who in (world.other_vendor, world.reporter, world.board, world.buyer):
        assert _put(client, world, PROFILE, who=who).status_code == 403
    # a firm that is not an input vendor has no vendor profile
    r = client.put(f"/api/v1/vendors/{world.member_orgs[0]}/profile", json=PROFILE, headers=world.h[world.vendor])
    assert r.status_code == 404


def _post_profile(client, w, data: dict, lang: str):
    client.post("/language", data={"lang": lang, "next": "/", "csrf_token": csrf_from(
        client.get("/login").get_data(as_text=True))})
    page = client.get(f"/vendors/{w.vendor_org}/profile")
    assert page.status_code == 200
    token = csrf_from(page.get_data(as_text=True))
    return client.post(f"/vendors/{w.vendor_org}/profile", data={"csrf_token": token, "version": "", **data})


def _error_beside(html: str, field: str) -> str:
    m = re.search(rf'<span class="field-error" id="{field}-error" data-field="{field}">([^<]*)</span>', html)
    assert m, f"no message beside {field}"
    return m.group(1)


@pytest.mark.parametrize("lang, weight, denim, lot", [
    ("en", "The lightest weight must not exceed the heaviest.",
     "Denim weights and finishes need denim fabric among the supplies.", "Must be at least 1."),
    ("es", "El peso más ligero no debe exceder al más pesado.",
     "Los pesos y acabados de mezclilla requieren tela de mezclilla entre lo que suministra.",
     "Debe ser al menos 1."),
])
def test_the_page_answers_each_bad_input_beside_its_field_in_both_languages(app, client, factory, world, lang,
                                                                             weight, denim, lot):
    login(client, factory, world.vendor)
    r = _post_profile(client, world, {"supplies": ["denim_fabric"], "denim_oz_min": "16", "denim_oz_max": "9"}, lang)
    assert r.status_code == 422 and _error_beside(r.get_data(as_text=True), "denim_oz_min") == weight
    r = _post_profile(client, world, {"supplies": ["denim_fabric"], "min_lot": "0"}, lang)
    assert r.status_code == 422 and _error_beside(r.get_data(as_text=True), "min_lot") == lot
    r = _post_profile(client, world, {"supplies": ["thread"], "denim_finishes": ["stretch"]}, lang)
    assert r.status_code == 422 and _error_beside(r.get_data(as_text=True), "supplies") == denim


def test_the_page_saves_a_good_profile_and_the_public_page_shows_it_in_spanish(client, factory, world):
    login(client, factory, world.vendor)
    r = _post_profile(client, world, {"supplies": ["denim_fabric", "trims"], "denim_oz_min": "9",
                                      "denim_oz_max": "13", "denim_finishes": ["stretch"], "trims": ["rivets"],
                                      "min_lot": "300", "min_lot_unit": "metros", "delivery_days": "8",
                                      "credit_terms_days": "30"}, "es")
    assert r.status_code == 302
    login(client, factory, world.member_2)
    client.post("/language", data={"lang": "es", "next": "/", "csrf_token": csrf_from(
        client.get("/home").get_data(as_text=True))})
    html = client.get(f"/vendors/{world.vendor_org}").get_data(as_text=True)
    assert "Tela de mezclilla" in html and "Remaches" in html and "Plazo de crédito ofrecido (días)" in html

