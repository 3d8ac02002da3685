"""The requirement pages: a buyer creates and edits, refusals beside their field, who sees which."""
from __future__ import annotations

import re

import pytest

from sqlalchemy import select

from matchmaker import db
from matchmaker.requirements.records import Requirement

from tests.support.world import (
    REQUIREMENT_BODY, build_world, login_as, page_token, post_form, requirement_form, set_language,
)


@pytest.fixture
def world(factory):
    return build_world(factory)


def _text(response) -> str:
    return response.get_data(as_text=True)


def _requirement(app, req_id) -> Requirement:
    with app.app_context():
        return db.session().get(Requirement, req_id)


def test_buyer_creates_and_edits_a_requirement(app, client, factory, world):
    login_as(client, factory, world.users["buyer_user"])
    body = {**REQUIREMENT_BODY, "title": "Western jeans, 5,000 pieces", "product_line": "jeans_western",
            "quantity": 5000, "status": "draft"}
    response = post_form(client, "/requirements/new", requirement_form(body))
    assert response.status_code == 302, _text(response)[:2000]
    req_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    req = _requirement(app, req_id)
    assert (req.buyer_id, req.quantity, req.status, req.processes) == (world.buyer_a, 5000, "draft",
                                                                       ["sewing", "laundry"])
    assert "Western jeans, 5,000 pieces" in _text(client.get("/requirements"))

    response = post_form(client, f"/requirements/{req_id}/edit",
                         requirement_form({**body, "status": "open", "quantity": 6000}, req.version))
    assert response.status_code == 302
    assert (_requirement(app, req_id).status, _requirement(app, req_id).quantity) == ("open", 6000)

    stale = post_form(client, f"/requirements/{req_id}/edit", requirement_form(body, req.version))
    assert stale.status_code == 409 and "Someone else saved this record" in _text(stale)
    assert _requirement(app, req_id).quantity == 6000


def test_invalid_requirement_shows_messages(app, client, factory, world):
    login_as(client, factory, world.users["buyer_user"])
    with app.app_context():
        count = len(db.session().scalars(select(Requirement)).all())
    data = requirement_form({**REQUIREMENT_BODY, "quantity": "0", "lead_time_days": "1", "title": ""})
    response = post_form(client, "/requirements/new", data)
    assert response.status_code == 422
    html = _text(response)
    assert 'id="quantity-error" data-field="quantity">Must be at least 1.' in html
    assert 'id="lead_time_days-error" data-field="lead_time_days">Must be at least 3.' in html
    assert 'id="title-error" data-field="title">This field is required.' in html
    # a rule over two fields runs once the fields are valid: shown at the top and beside the field it names
    response = post_form(client, "/requirements/new",
                         requirement_form({**REQUIREMENT_BODY, "unit_price_min": "20", "unit_price_max": "10"}))
    assert response.status_code == 422
    html = _text(response)
    assert '<li>The lowest price must not exceed the highest price.</li>' in html
    assert 'id="unit_price_min-error" data-field="unit_price_min">The lowest price' in html
    with app.app_context():
        assert len(db.session().scalars(select(Requirement)).all()) == count


def test_requirement_visibility(client, factory, world):
    login_as(client, factory, world.users["buyer_b_user"])
    assert client.get(f"/requirements/{world.draft_req}").status_code == 404
    assert client.get(f"/requirements/{world.draft_req}/edit").status_code == 404
    # a buyer never sees a competitor's requests, even open ones (permissions.can_view_requirement)
    assert client.get(f"/requirements/{world.open_req}").status_code == 404
    assert client.get(f"/requirements/{world.open_req}/edit").status_code == 404
    assert "Secret capsule collection" not in _text(client.get("/requirements"))
    client.post("/logout", data={"csrf_token": page_token(client, "/home")})

    login_as(client, factory, world.users["maker_user"])
    assert client.get(f"/requirements/{world.open_req}").status_code == 200
    assert client.get(f"/requirements/{world.draft_req}").status_code == 404
    assert client.get("/requirements/999999").status_code == 404
    assert client.get("/requirements/new").status_code == 403  # buyers only


def test_other_buyer_cannot_overwrite_a_requirement(app, client, factory, world):
    login_as(client, factory, world.users["buyer_b_user"])
    before = _requirement(app, world.open_req)
    response = post_form(client, f"/requirements/{world.open_req}/edit",
                         requirement_form({**REQUIREMENT_BODY, "quantity": 1}, before.version), token_page="/home")
    assert response.status_code == 404  # not even its existence is confirmed
    assert _requirement(app, world.open_req).version == before.version


def test_requirement_page_dates_and_numbers_in_spanish(client, factory, world):
    login_as(client, factory, world.users["buyer_user"])
    set_language(client, "es")
    html = client.get(f"/requirements/{world.open_req}").get_data(as_text=True)
    assert "3,000" in html  # quantity, grouped as Mexican Spanish does
    created = re.search(r"<dt>Creado</dt><dd>([^<]+)</dd>", html).group(1)
    assert re.fullmatch(r"\d{1,2} (ene|feb|mar|abr|may|jun|jul|ago|sept?|oct|nov|dic) \d{4}", created), created
