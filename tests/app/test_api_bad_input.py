"""Bad input never reaches a 500 and never half-writes: each problem is named by field."""
from __future__ import annotations

import pytest

from tests.support.api_bodies import MAKER, REQUIREMENT


@pytest.fixture
def maker(factory):
    org = factory.org("maker")
    return org, factory.token(factory.user("maker_user", org))


def fields(response) -> dict:
    return {f["field"]: f["problem"] for f in response.json["error"]["fields"]}


@pytest.mark.parametrize("change, field", [
    ({"monthly_capacity": -1}, "monthly_capacity"),
    ({"monthly_capacity": "lots"}, "monthly_capacity"),
    ({"min_order_qty": 10**12}, "min_order_qty"),
    ({"order_lead_days": 0}, "order_lead_days"),
    ({"order_lead_days": 9999}, "order_lead_days"),
    ({"headcount": -3}, "headcount"),
    ({"processes": ["sewing", "teleportation"]}, "processes"),
    ({"processes": []}, "processes"),
    ({"service_tier": "everything"}, "service_tier"),
    ({"about": "x" * 6000}, "about"),
    ({"surprise": True}, "surprise"),
    ({"certificates": [{"kind": "iso9001", "issuer": "BSI", "number": "1", "valid_until": "soon"}]},
     "certificates.0.valid_until"),
])
def test_each_bad_field_is_named(client, maker, change, field):
    org, headers = maker
    r = client.post(f"/api/v1/organizations/{org}/maker-profile", json={**MAKER, **change}, headers=headers)
    assert r.status_code == 422, r.json
    assert field in fields(r), r.json
    assert client.get(f"/api/v1/makers/{org}", headers=headers).status_code == 404  # nothing written


def test_missing_fields_are_listed_together(client, maker):
    org, headers = maker
    r = client.post(f"/api/v1/organizations/{org}/maker-profile", json={"headcount": 3}, headers=headers)
    assert r.status_code == 422
    assert {"service_tier", "monthly_capacity", "min_order_qty", "order_lead_days", "quality_tier",
            "processes"} <= set(fields(r))


def test_malformed_json_and_wrong_media_type(client, maker):
    org, headers = maker
    r = client.post("/api/v1/requirements", data="{not json", headers={**headers, "Content-Type": "application/json"})
    assert r.status_code in (400, 403)
    r = client.post(f"/api/v1/organizations/{org}/maker-profile", data="{not json",
                    headers={**headers, "Content-Type": "application/json"})
    assert r.status_code == 400 and r.json["error"]["code"] == "malformed_json"
    r = client.post(f"/api/v1/organizations/{org}/maker-profile", data="a=b", headers=headers)
    assert r.status_code == 415
    r = client.post(f"/api/v1/organizations/{org}/maker-profile", json=[1, 2], headers=headers)
    assert r.status_code == 422


def test_oversized_body_is_refused_with_json(client, maker):
    org, headers = maker
    r = client.post(f"/api/v1/organizations/{org}/maker-profile",
                    headers={**headers, "Content-Type": "application/json"},
                    data=b'{"about": "' + b"x" * (2 * 1024 * 1024) + b'"}')
    assert r.status_code == 413 and r.json["error"]["status"] == 413


def test_requirement_with_impossible_values(client, factory):
    headers = factory.token(factory.user("buyer_user", factory.org("buyer", country="US")))
    r = client.post("/api/v1/requirements", headers=headers,
                    json={**REQUIREMENT, "quantity": 0, "lead_time_days": 1, "processes": ["nope"],
                          "unit_price_min": 9, "unit_price_max": 5, "currency": "XYZ"})
    assert r.status_code == 422
    assert {"quantity", "lead_time_days", "processes", "currency"} <= set(fields(r))
    assert client.get("/api/v1/requirements", headers=headers).json["total"] == 0


def test_query_parameters_are_checked(client, maker):
    _, headers = maker
    assert client.get("/api/v1/makers?min_capacity=abc", headers=headers).status_code == 400
    assert client.get("/api/v1/makers?min_capacity=-4", headers=headers).status_code == 400
    r = client.get("/api/v1/makers?process=teleportation", headers=headers)
    assert r.status_code == 400 and r.json["error"]["fields"][0]["field"] == "process"
    r = client.get("/api/v1/makers?colour=blue", headers=headers)
    assert r.status_code == 400 and fields(r) == {"colour": "unknown parameter"}
    assert client.get("/api/v1/makers?page=0", headers=headers).status_code == 400


def test_401_and_403_stay_distinct(client, factory):
    assert client.get("/api/v1/makers").status_code == 401
    assert client.get("/api/v1/makers", headers={"Authorization": "Bearer nonsense"}).status_code == 401
    maker_headers = factory.token(factory.user("maker_user", factory.org("maker")))
    r = client.post("/api/v1/requirements", json=REQUIREMENT, headers=maker_headers)
    assert r.status_code == 403 and r.json["error"]["code"] == "forbidden"


def test_tokens_need_the_right_password(client, factory):
    user = factory.user("buyer_user", factory.org("buyer"))
    email = factory.email(user)
    assert client.post("/api/v1/tokens", json={"email": email, "password": "wrong"}).status_code == 401
    ok = client.post("/api/v1/tokens", json={"email": email.upper(), "password": factory.PASSWORD})
    assert ok.status_code == 201
    assert client.get("/api/v1/makers", headers={"Authorization": f"Bearer {ok.json['token']}"}).status_code == 200


def test_openapi_is_built_from_the_validating_schemas(client):
    doc = client.get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.")
    maker_schema = doc["components"]["schemas"]["MakerProfilePut"]
    assert maker_schema["properties"]["monthly_capacity"]["minimum"] == 0
    assert maker_schema["additionalProperties"] is False
    for path_item in doc["paths"].values():
        for op in path_item.values():
            ref = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            if ref:
                assert ref["$ref"].rsplit("/", 1)[1] in doc["components"]["schemas"]


@pytest.mark.parametrize("field", ["name", "country", "description"])
def test_a_null_for_a_field_every_firm_has_is_refused_by_name(client, maker, field):
    """Found by the OpenAPI fuzzer: ``{"country": null}`` reached the database and was a 500."""
    org, headers = maker
    before = client.get(f"/api/v1/organizations/{org}", headers=headers).json
    r = client.patch(f"/api/v1/organizations/{org}", json={"version": before["version"], field: None}, headers=headers)
    assert r.status_code == 422, r.json
    assert field in fields(r)
    after = client.get(f"/api/v1/organizations/{org}", headers=headers).json
    assert after[field] == before[field] and after["version"] == before["version"]
