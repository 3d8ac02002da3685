"""A version or id beyond a 32-bit column is a 4xx naming the field, never a 500 on PostgreSQL."""
from __future__ import annotations


def test_answering_with_a_huge_version_is_a_422_naming_it(client, world):
    sent = client.post("/api/v1/inquiries", json={"requirement_id": world.req, "maker_ids": [world.makers[0]],
                                                  "message": "¿Pueden hacer 3,000 piezas?"},
                       headers=world.tokens["buyer"])
    assert sent.status_code == 201, sent.get_data(as_text=True)
    inquiry = sent.get_json()["items"][0]["id"]
    r = client.post(f"/api/v1/inquiries/{inquiry}/answer", json={"decision": "accept", "version": 2**40},
                    headers=world.tokens["maker0"])
    assert r.status_code == 422
    assert "version" in r.get_data(as_text=True)


def test_listing_inquiries_of_a_huge_requirement_id_is_a_400(client, world):
    r = client.get(f"/api/v1/inquiries?requirement_id={2**40}", headers=world.tokens["buyer"])
    assert r.status_code == 400
    assert "requirement_id" in r.get_data(as_text=True)
