"""The maker profile edit page: saving, creating, refusals beside their field, stale versions."""
from __future__ import annotations

import pytest

from matchmaker import db
from matchmaker.makers.records import MakerProfile

from tests.support.world import MAKER_BODY, build_world, login_as, maker_form, post_form, set_language
from tests.support.dates import years_ahead

NEXT_JAN_31 = years_ahead(1, 1, 31).isoformat()  # a certificate still valid


@pytest.fixture
def world(factory):
    return build_world(factory)


def _text(response) -> str:
    return response.get_data(as_text=True)


def _profile(app, org_id) -> MakerProfile:
    with app.app_context():
        return db.session().get(MakerProfile, org_id)


def test_maker_edits_own_profile(app, client, factory, world):
    login_as(client, factory, world.users["maker_user"])
    before = _profile(app, world.maker_a)
    body = {**MAKER_BODY, "monthly_capacity": 25000, "processes": ["cutting", "sewing", "laser"],
            "certificates": MAKER_BODY["certificates"] + [
                {"kind": "wrap", "issuer": "WRAP", "number": "W-1", "valid_until": NEXT_JAN_31}]}
    response = post_form(client, f"/makers/{world.maker_a}/edit", maker_form(body, before.version))
    assert response.status_code == 302, _text(response)[:2000]
    after = _profile(app, world.maker_a)
    assert after.version == before.version + 1
    assert after.monthly_capacity == 25000
    assert sorted(p.code for p in after.processes) == ["cutting", "laser", "sewing"]
    assert sorted(c.kind for c in after.certificates) == ["iso9001", "wrap"]
    assert "Saved." in _text(client.get(response.headers["Location"]))


def test_maker_creates_a_missing_profile(app, client, factory, world):
    login_as(client, factory, world.users["maker_new_user"])
    response = post_form(client, f"/makers/{world.maker_new}/edit", maker_form(MAKER_BODY))
    assert response.status_code == 302, _text(response)[:2000]
    assert _profile(app, world.maker_new).monthly_capacity == 20000


def test_maker_cannot_edit_another_makers_profile(app, client, factory, world):
    login_as(client, factory, world.users["maker_user"])
    assert client.get(f"/makers/{world.maker_b}/edit").status_code == 403
    before = _profile(app, world.maker_b).version
    response = post_form(client, f"/makers/{world.maker_b}/edit",
                         maker_form({**MAKER_BODY, "monthly_capacity": 1}, before), token_page="/home")
    assert response.status_code == 403
    assert _profile(app, world.maker_b).version == before


def test_buyer_cannot_open_maker_edit(client, factory, world):
    login_as(client, factory, world.users["buyer_user"])
    response = client.get(f"/makers/{world.maker_a}/edit")
    assert response.status_code == 403 and "Not allowed" in _text(response)


INVALID_PROFILES = [  # (raw form change, field it concerns, message shown beside it)
    ({"monthly_capacity": "-5"}, "monthly_capacity", "Must be at least 0."),
    ({"processes": ["sewing", "teleportation"]}, "processes", "Unknown value: choose from the list."),
    ({"min_order_qty": "99999999"}, "min_order_qty", "Must be at most 10,000,000."),
    ({"min_order_qty": "0"}, "min_order_qty", "Must be at least 1."),  # an order of 0 pieces is no minimum
    ({"min_order_qty": "300000"}, "min_order_qty",
     "The minimum order quantity is more than a year of monthly capacity."),
    ({"headcount": ""}, "headcount", "This field is required."),
    ({"order_lead_days": "soon"}, "order_lead_days", "Enter a whole number."),
    ({"processes": []}, "processes", "Choose at least 1."),
    ({"certificates-1-kind": "wrap", "certificates-1-issuer": "WRAP", "certificates-1-valid_until": NEXT_JAN_31},
     "certificates-1-number", "This field is required."),
    ({"certificates-0-valid_until": "next year"}, "certificates-0-valid_until", "Enter a date as YYYY-MM-DD."),
    ({"certificates-0-valid_until": "2027-02-31"}, "certificates-0-valid_until",
     "That date does not exist in the calendar."),
    ({"founded_year": "-5"}, "founded_year", "Must be at least 1850."),
]


def test_invalid_profile_shows_message_beside_the_field(app, client, factory, world):
    login_as(client, factory, world.users["maker_user"])
    before = _profile(app, world.maker_a)
    for change, field, message in INVALID_PROFILES:
        data = {**maker_form(MAKER_BODY, before.version), **change}
        response = post_form(client, f"/makers/{world.maker_a}/edit", data)
        assert response.status_code == 422, change
        html = _text(response)
        assert f'id="{field}-error" data-field="{field}">{message}' in html, change
        assert f'aria-describedby="{field}-error"' in html, change
        assert "Please correct the marked fields." in html and f'href="#{field}"' in html, change
        after = _profile(app, world.maker_a)
        assert after.version == before.version and after.monthly_capacity == before.monthly_capacity, change


def test_invalid_profile_message_in_spanish(app, client, factory, world):
    login_as(client, factory, world.users["maker_user"])
    set_language(client, "es")
    version = _profile(app, world.maker_a).version
    data = {**maker_form(MAKER_BODY, version), "monthly_capacity": "-5"}
    html = _text(post_form(client, f"/makers/{world.maker_a}/edit", data))
    assert 'id="monthly_capacity-error" data-field="monthly_capacity">Debe ser al menos 0.' in html
    assert "Corrija los campos marcados." in html
    data = {**maker_form(MAKER_BODY, version), "founded_year": "-5", "certificates-0-valid_until": "2027-02-31"}
    html = _text(post_form(client, f"/makers/{world.maker_a}/edit", data))
    assert 'data-field="founded_year">Debe ser al menos 1850.' in html
    assert 'data-field="certificates-0-valid_until">Esa fecha no existe en el calendario.' in html


def test_stale_version_is_a_conflict(app, client, factory, world):
    login_as(client, factory, world.users["maker_user"])
    before = _profile(app, world.maker_a)
    data = maker_form({**MAKER_BODY, "monthly_capacity": 1234}, before.version - 1 if before.version > 1 else 0)
    response = post_form(client, f"/makers/{world.maker_a}/edit", data)
    assert response.status_code == 409
    assert "Someone else saved this record" in _text(response)
    after = _profile(app, world.maker_a)
    assert after.version == before.version and after.monthly_capacity == before.monthly_capacity


def test_two_tabs_second_save_conflicts(app, client, factory, world):
    login_as(client, factory, world.users["maker_user"])
    version = _profile(app, world.maker_a).version
    first = post_form(client, f"/makers/{world.maker_a}/edit", maker_form({**MAKER_BODY, "headcount": 41}, version))
    assert first.status_code == 302
    second = post_form(client, f"/makers/{world.maker_a}/edit", maker_form({**MAKER_BODY, "headcount": 99}, version))
    assert second.status_code == 409
    assert _profile(app, world.maker_a).headcount == 41


def test_problems_in_certificate_rows_are_named_by_row_and_column(app, client, factory, world):
    """The summary at the top names each marked certificate cell by its row and column (it listed
    "Certificates" once per cell, a dozen identical links), and each cell's own label carries its row."""
    login_as(client, factory, world.users["maker_user"])
    set_language(client, "es")
    version = _profile(app, world.maker_a).version
    long = "x" * 300
    data = {**maker_form(MAKER_BODY, version), "certificates-0-issuer": long, "certificates-1-kind": "wrap",
            "certificates-1-issuer": long, "certificates-1-valid_until": NEXT_JAN_31}
    response = post_form(client, f"/makers/{world.maker_a}/edit", data)
    assert response.status_code == 422
    html = _text(response)
    summary = html.split('id="form-problems"')[1].split("</div>")[0]
    assert '<a href="#certificates-0-issuer">Certificados 1: Emisor</a>' in summary
    assert '<a href="#certificates-1-issuer">Certificados 2: Emisor</a>' in summary
    assert '<a href="#certificates-1-number">Certificados 2: Número</a>' in summary
    assert ">Certificados</a>" not in summary
    assert '<label class="sr-only" for="certificates-1-number">Número 2</label>' in html
    assert '<label class="sr-only" for="certificates-2-valid_until">Vigente hasta 3</label>' in html
