"""Hostile input is a client error: huge ids, deep or huge JSON, broken multipart never give a 500."""
from __future__ import annotations

import pytest

HUGE = 2**63  # one past the largest signed 64-bit integer
HUGER = 10**30
PG_HUGE = 2**31  # one past PostgreSQL's INTEGER, the type of every id column


@pytest.fixture
def admin(factory):
    return factory.token(factory.user("platform_admin"))


@pytest.mark.parametrize("path", [
    "/api/v1/organizations/{n}", "/api/v1/makers/{n}", "/api/v1/buyers/{n}", "/api/v1/requirements/{n}",
    "/api/v1/organizations/{n}/outcomes", "/api/v1/requirements/{n}/ranking", "/api/v1/fairs/{n}",
    "/api/v1/fairs/{n}/participants", "/api/v1/vetting/cases/{n}", "/api/v1/vetting/evidence/{n}",
    "/api/v1/vetting/subjects/{n}/status", "/api/v1/fairs/1/participants/{n}/agenda",
])
@pytest.mark.parametrize("n", [PG_HUGE, HUGE, HUGER])
def test_ids_beyond_the_id_columns_are_not_found(client, admin, path, n):
    r = client.get(path.format(n=n), headers=admin)
    assert r.status_code == 404, (path, r.status_code, r.data[:300])
    assert r.json["error"]["status"] == 404


def test_largest_id_is_just_missing(client, admin):
    r = client.get(f"/api/v1/organizations/{2**31 - 1}", headers=admin)
    assert r.status_code == 404 and r.json["error"]["code"] == "not_found"


@pytest.mark.parametrize("path", ["/organizations/{n}", "/requirements/{n}", "/fairs/{n}"])
def test_pages_with_huge_ids_are_not_found(client, factory, path):
    user = factory.user("platform_admin")
    with client.session_transaction() as sess:
        sess["_user_id"] = str(user)
    assert client.get(path.format(n=HUGER)).status_code in (404, 302)


def test_huge_query_integers_are_refused(client, admin):
    r = client.get(f"/api/v1/makers?min_capacity={HUGER}", headers=admin)
    assert r.status_code == 400 and r.json["error"]["fields"][0]["field"] == "min_capacity"
    r = client.get(f"/api/v1/organizations?page={HUGER}", headers=admin)
    assert r.status_code == 400


def test_deeply_nested_json_is_a_400(client, admin):
    body = "[" * 100_000 + "]" * 100_000
    r = client.post("/api/v1/organizations", data=body, headers={**admin, "Content-Type": "application/json"})
    assert r.status_code == 400 and r.json["error"]["code"] == "malformed_json"
    body = '{"a":' * 50_000 + "1" + "}" * 50_000
    r = client.post("/api/v1/organizations", data=body, headers={**admin, "Content-Type": "application/json"})
    assert r.status_code == 400


def test_brackets_inside_strings_are_not_nesting(client, admin):
    name = "[[[[" * 20 + "{{{{" * 20 + '\\"' + "]]]]" * 5
    r = client.post("/api/v1/organizations", json={"kind": "maker", "name": name[:200], "country": "MX"},
                    headers=admin)
    assert r.status_code in (201, 422), r.json  # never "malformed"
    assert r.json.get("error", {}).get("code") != "malformed_json"


def test_integers_beyond_64_bits_in_a_body_are_named(client, admin):
    r = client.post("/api/v1/associations", json={"name": "x", "organization_id": HUGER,
                                                  "extra": [1, {"deep": -HUGER}]}, headers=admin)
    assert r.status_code == 422, r.json
    assert {"organization_id", "extra.1.deep"} <= {f["field"] for f in r.json["error"]["fields"]}


def test_a_body_beyond_the_size_limit_is_413(client, admin):
    r = client.post("/api/v1/organizations", data=b"[" + b"1," * 600_000 + b"1]",
                    headers={**admin, "Content-Type": "application/json"})
    assert r.status_code == 413 and r.json["error"]["status"] == 413


@pytest.mark.parametrize("body, ctype", [
    (b"--x\r\nContent-Disposition: form-data; name=\"evidence\"; filename=\"a.pdf\"\r\n\r\nabc",
     "multipart/form-data; boundary=x"),  # never closed
    (b"garbage", "multipart/form-data"),  # no boundary
    (b"--y\r\n\r\n--y--", "multipart/form-data; boundary=" + "y" * 300),  # boundary too long
    (b"\xff\xfe" * 1000, "multipart/form-data; boundary=zz"),
])
def test_malformed_multipart_is_a_client_error(client, admin, body, ctype):
    r = client.post("/api/v1/vetting/incidents/1/evidence", data=body, headers={**admin, "Content-Type": ctype})
    assert 400 <= r.status_code < 500, (r.status_code, r.data[:300])
    assert r.json["error"]["status"] == r.status_code


def test_fairs_filter_beyond_64_bits_is_a_400(client, admin):
    r = client.get(f"/api/v1/fairs?association_id={HUGE}", headers=admin)
    assert r.status_code == 400 and r.json["error"]["fields"][0]["field"] == "association_id"


@pytest.mark.parametrize("change, words", [
    ({"sessions": [{"start": "2030-03-12T09:00", "end": "2030-03-12T11:00:00Z"}]}, "UTC offset"),
    ({"timezone": "US"}, "unknown time zone"),
])
def test_fair_times_found_by_the_fuzzer_are_422(client, admin, change, words):
    body = {"name": "Feria", "sessions": [{"start": "2030-03-12T09:00", "end": "2030-03-12T11:00"}],
            "tables": [{"label": "Mesa 1"}], **change}
    r = client.post("/api/v1/fairs", json=body, headers=admin)
    assert r.status_code == 422, r.json
    assert words in str(r.json["error"]["fields"])


def test_nul_characters_are_refused_before_the_database(client, admin, factory):
    r = client.get("/api/v1/organizations?q=a%00b", headers=admin)
    assert r.status_code == 400 and r.json["error"]["status"] == 400
    r = client.post("/api/v1/organizations", json={"kind": "maker", "name": "Taller\u0000", "country": "MX"},
                    headers=admin)
    assert r.status_code == 422 and r.json["error"]["fields"][0] == {"field": "name",
                                                                    "problem": "contains a NUL character"}
    with client.session_transaction() as sess:
        sess["_user_id"] = str(factory.user("platform_admin"))
    assert client.get("/organizations?q=%00").status_code == 400
    assert client.post("/login", data={"email": "a\u0000@x.mx", "password": "x"}).status_code == 400
