"""The fairs API words a refused body in the reader's language (Accept-Language): the headline and
each field's problem, also when several fields are wrong at once."""
from __future__ import annotations

import pytest

from tests.fairs.conftest import fair_body


@pytest.mark.parametrize("lang, headline, one", [
    ("en", "2 fields are not valid: ", "Slot length (minutes)"),
    ("es", "2 campos no son válidos: ", "Duración de la cita (minutos)"),
])
def test_several_wrong_fields_get_one_headline_in_the_readers_language(client, cluster, lang, headline, one):
    r = client.post("/api/v1/fairs", json=fair_body(slot_minutes=0, name=""),
                    headers={**cluster.tokens["organizer"], "Accept-Language": lang})
    assert r.status_code == 422
    error = r.get_json()["error"]
    assert {f["field"] for f in error["fields"]} == {"slot_minutes", "name"}
    assert error["message"].startswith(headline), error["message"]
    problems = {f["field"]: f["problem"] for f in error["fields"]}
    assert problems["slot_minutes"].startswith(one) and f"slot_minutes: {problems['slot_minutes']}" in error["message"]
    assert f"name: {problems['name']}" in error["message"]


def test_one_wrong_field_is_its_own_headline_in_spanish(client, cluster):
    r = client.post("/api/v1/fairs", json=fair_body(slot_minutes=0),
                    headers={**cluster.tokens["organizer"], "Accept-Language": "es"})
    error = r.get_json()["error"]
    assert r.status_code == 422 and error["message"] == f"slot_minutes: {error['fields'][0]['problem']}"
    assert error["fields"][0]["problem"].startswith("Duración de la cita (minutos)")
