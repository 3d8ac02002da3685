"""The account routes of the JSON API: sign-up, verification and reset, with 4xx JSON naming fields,
described in the OpenAPI document."""
from __future__ import annotations

from sqlalchemy import select

from matchmaker import db
from matchmaker.accounts.records import User

from tests.accounts.conftest import SIGNUP, deliver

API_SIGNUP = {**SIGNUP, "language": "es"}


def _token_of(link: str) -> str:
    return link.rsplit("/", 1)[1]


def test_sign_up_verify_and_sign_in_through_the_api(app, client, smtp):
    r = client.post("/api/v1/signup", json=API_SIGNUP)
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert body["status"] == "verification_sent" and body["email"] == "jim@lonestar.example"
    assert client.post("/api/v1/tokens", json={"email": SIGNUP["email"], "password": SIGNUP["password"]}
                       ).status_code == 401
    deliver(app, smtp)
    (mail,) = smtp.messages
    assert mail["subject"] == "Confirme su correo electrónico para Matchmaker"
    token = _token_of(smtp.link(SIGNUP["email"]))

    bad = client.post("/api/v1/signup/verify", json={"token": token[:-4] + "AAAA"})
    assert bad.status_code == 400 and bad.get_json()["error"]["fields"][0]["field"] == "token"
    ok = client.post("/api/v1/signup/verify", json={"token": token})
    assert ok.status_code == 200 and ok.get_json()["verified"] is True and ok.get_json()["next"] == "/vetting/status"
    again = client.post("/api/v1/signup/verify", json={"token": token})
    assert again.status_code == 410 and again.get_json()["error"]["code"] == "used_link"

    r = client.post("/api/v1/tokens", json={"email": SIGNUP["email"], "password": SIGNUP["password"]})
    assert r.status_code == 201 and r.get_json()["role"] == "buyer_user"
    headers = {"Authorization": f"Bearer {r.get_json()['token']}"}
    status = client.get(f"/api/v1/vetting/subjects/{body['organization_id']}/status", headers=headers)
    assert status.status_code == 200


def test_bad_sign_up_bodies_are_422_naming_each_field(app, client):
    r = client.post("/api/v1/signup", json={"firm_name": "", "country": "usa", "buyer_type": "x", "name": "J",
                                            "email": "nope", "password": "short", "language": "de", "extra": 1})
    assert r.status_code == 422
    fields = {f["field"] for f in r.get_json()["error"]["fields"]}
    assert fields == {"firm_name", "country", "buyer_type", "email", "password", "language", "extra"}
    assert client.post("/api/v1/signup", data="x", content_type="text/plain").status_code == 415
    with app.app_context():
        assert db.session().scalars(select(User)).all() == []


def test_forgot_and_reset_through_the_api(app, client, factory, smtp):
    factory.user("buyer_user", factory.org("buyer"), email="jim@lonestar.example")
    known = client.post("/api/v1/password/forgot", json={"email": "jim@lonestar.example"})
    unknown = client.post("/api/v1/password/forgot", json={"email": "ghost@lonestar.example"})
    assert known.status_code == unknown.status_code == 202 and known.get_json() == unknown.get_json()
    deliver(app, smtp)
    assert len(smtp.messages) == 1
    token = _token_of(smtp.link("jim@lonestar.example"))
    short = client.post("/api/v1/password/reset", json={"token": token, "new_password": "short"})
    assert short.status_code == 422 and short.get_json()["error"]["fields"][0]["field"] == "new_password"
    assert client.post("/api/v1/password/reset", json={"token": token, "new_password": "a new passphrase!"}
                       ).status_code == 204
    used = client.post("/api/v1/password/reset", json={"token": token, "new_password": "another passphrase"})
    assert used.status_code == 410 and used.get_json()["error"]["fields"][0]["field"] == "token"
    r = client.post("/api/v1/tokens", json={"email": "jim@lonestar.example", "password": "a new passphrase!"})
    assert r.status_code == 201


def test_the_api_document_describes_the_account_routes(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    signup = doc["paths"]["/api/v1/signup"]["post"]
    assert "security" not in signup  # public
    assert signup["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/SignupIn")
    props = doc["components"]["schemas"]["SignupIn"]["properties"]
    assert {"firm_name", "country", "buyer_type", "name", "email", "password", "language"} <= set(props)
    for path in ("/api/v1/signup/verify", "/api/v1/signup/resend", "/api/v1/password/forgot",
                 "/api/v1/password/reset"):
        assert "post" in doc["paths"][path], path


def test_a_bad_link_is_refused_in_the_readers_language(client):
    """With ``Accept-Language: es`` the same code, status and field, in Spanish."""
    r = client.post("/api/v1/signup/verify", json={"token": "not-a-token"}, headers={"Accept-Language": "es"})
    err = r.get_json()["error"]
    assert r.status_code == 400 and err["code"] == "invalid_link"
    assert err["message"].startswith("el enlace no es válido")
    assert err["fields"] == [{"field": "token", "problem": err["message"]}]
