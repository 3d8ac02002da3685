"""Bad input: a clear error naming the problem (JSON 4xx on the API, beside the field on pages); nothing written."""
from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from matchmaker import db
from matchmaker.vetting.records import EvidenceFile, Incident, PaymentExperience, Vote

from .conftest import csrf_from, decision, incident, login, open_case, payment

FUTURE = (date.today() + timedelta(days=3)).isoformat()
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _count(app, model) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("over, field, words", [
    ({"invoice_date": FUTURE}, "invoice_date", "future"),
    ({"paid_date": FUTURE}, "paid_date", "future"),
    ({"invoice_date": "2025-05-10", "paid_date": "2025-05-01"}, "body", "paid before invoiced"),
    ({"amount": -5}, "amount", "greater than 0"),
    ({"paid_amount": -1}, "paid_amount", "greater than or equal to 0"),
    ({"currency": "XYZ"}, "currency", "unknown currency"),
    ({"deposit_share": 1.5}, "deposit_share", "less than or equal to 1"),
    ({"subject_id": 999999}, "subject_id", "no organization"),
])
def test_bad_payment_experiences(client, world, over, field, words):
    w = world
    before = _count(client.application, PaymentExperience)
    r = client.post("/api/v1/vetting/payments", json=payment(w.buyer_org, **over), headers=w.h[w.reporter])
    assert 400 <= r.status_code < 500, r.json
    err = r.json["error"]
    assert words in (err["message"] + " ".join(f["problem"] for f in err["fields"]))
    assert field in {f["field"] for f in err["fields"]} or field == "body"
    assert _count(client.application, PaymentExperience) == before


def test_reporting_about_a_maker_or_oneself_is_refused(client, world):
    w = world
    r = client.post("/api/v1/vetting/payments", json=payment(w.member_org), headers=w.h[w.reporter])
    assert r.status_code == 422 and "only buyers" in r.json["error"]["message"]


def test_votes_and_decisions(client, world):
    w = world
    case_id = open_case(client, w)
    url = f"/api/v1/vetting/cases/{case_id}"
    r = client.post(f"{url}/decision", json=decision(), headers=w.h[w.board_2])
    assert r.status_code == 409 and r.json["error"]["code"] == "no_votes"
    assert client.post(f"{url}/votes", json={"vote": "approved"}, headers=w.h[w.board_2]).status_code == 201
    r = client.post(f"{url}/votes", json={"vote": "rejected"}, headers=w.h[w.board_2])
    assert r.status_code == 409 and "already voted" in r.json["error"]["message"]
    assert _count(client.application, Vote) == 1
    r = client.post(f"{url}/votes", json={"vote": "maybe"}, headers=w.h[w.board_1])
    assert r.status_code == 422 and r.json["error"]["fields"][0]["field"] == "vote"
    for body, words in [
        (decision(rationale=""), "rationale"),
        ({k: v for k, v in decision().items() if k != "rationale"}, "rationale"),
        (decision(rationale="ok"), "rationale"),
        (decision(review_date=date.today().isoformat()), "review_date must be after today"),
        (decision(outcome="approved_with_conditions"), "conditions are required"),
        (decision(conditions=["deposit"]), "conditions apply only"),
    ]:
        r = client.post(f"{url}/decision", json=body, headers=w.h[w.board_2])
        assert r.status_code == 422, body
        text = r.json["error"]["message"] + " ".join(f["field"] + " " + f["problem"] for f in r.json["error"]["fields"])
        assert words in text, text
    assert client.get(url, headers=w.h[w.staff]).json["status"] == "open"


def test_evidence_limits(client, world):
    w = world
    inc = client.post("/api/v1/vetting/incidents", json=incident(w.buyer_org), headers=w.h[w.reporter]).json
    url = f"/api/v1/vetting/incidents/{inc['id']}/evidence"

    def upload(name, data):
        return client.post(url, data={"evidence": (io.BytesIO(data), name)}, headers=w.h[w.reporter],
                           content_type="multipart/form-data")

    r = upload("contract.pdf", PDF + b"x" * (5 * 1024 * 1024))
    assert r.status_code == 422 and "larger than 5 MB" in r.json["error"]["message"]
    r = upload("contract.pdf", b"MZ\x90\x00 not a pdf")
    assert r.status_code == 422 and "only PDF, JPEG and PNG" in r.json["error"]["message"]
    r = upload("photo.png", PDF)  # content and name disagree
    assert r.status_code == 422 and "PDF" in r.json["error"]["message"]
    assert _count(client.application, EvidenceFile) == 0
    assert upload("contract.pdf", PDF).status_code == 201
    assert upload("photo.png", PNG).status_code == 201
    case_id = open_case(client, w)
    files = client.get(f"/api/v1/vetting/cases/{case_id}", headers=w.h[w.board_2]).json["incidents"][0]["evidence"]
    assert [f["content_type"] for f in files] == ["application/pdf", "image/png"]
    r = client.get(f"/api/v1/vetting/evidence/{files[0]['id']}", headers=w.h[w.board_2])
    assert r.status_code == 200 and r.data == PDF
    assert client.get(f"/api/v1/vetting/evidence/{files[0]['id']}", headers=w.h[w.member]).status_code == 403


def test_incident_page_shows_problems_beside_fields(client, factory, world):
    w = world
    login(client, factory, w.reporter)
    token = csrf_from(client.get("/vetting/report/incident").get_data(as_text=True))
    before = _count(client.application, Incident)
    r = client.post("/vetting/report/incident", content_type="multipart/form-data", data={
        "csrf_token": token, "subject_id": str(w.buyer_org), "type": "bullying", "severity": "2",
        "occurred_on": FUTURE, "description": "Threatened to cancel all orders.",
        "evidence": (io.BytesIO(b"GIF89a..."), "threat.gif")})
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert 'data-field="occurred_on"' in html and "The date must not be in the future." in html
    assert 'data-field="evidence"' in html and "only PDF, JPEG and PNG" in html
    assert _count(client.application, Incident) == before
    r = client.post("/vetting/report/incident", content_type="multipart/form-data", data={
        "csrf_token": token, "subject_id": str(w.buyer_org), "type": "bullying", "severity": "2",
        "occurred_on": date.today().isoformat(), "description": "Threatened to cancel all orders.",
        "evidence": (io.BytesIO(PDF), "threat.pdf")})
    assert r.status_code == 302
    assert _count(client.application, Incident) == before + 1 and _count(client.application, EvidenceFile) == 1


def test_payment_page_paid_before_invoiced(client, factory, world):
    w = world
    login(client, factory, w.reporter)
    token = csrf_from(client.get("/vetting/report/payment").get_data(as_text=True))
    r = client.post("/vetting/report/payment", data={
        "csrf_token": token, "subject_id": str(w.buyer_org), "invoice_date": "2025-05-10", "amount": "-3",
        "currency": "XYZ", "terms_days": "30", "paid_date": "2025-05-01"})
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert 'data-field="amount"' in html and 'data-field="currency"' in html
    assert _count(client.application, PaymentExperience) == 0
    r = client.post("/vetting/report/payment", data={
        "csrf_token": token, "subject_id": str(w.buyer_org), "invoice_date": "2025-05-10", "amount": "300",
        "currency": "MXN", "terms_days": "30", "paid_date": "2025-05-01"})
    assert r.status_code == 422 and 'data-field="paid_date"' in r.get_data(as_text=True)
    r = client.post("/vetting/report/payment", data={"subject_id": str(w.buyer_org)})  # no CSRF token
    assert r.status_code in (400, 422)


def test_refusals_speak_the_readers_language(client, world):
    """With ``Accept-Language: es`` a refusal keeps its code, status and field and reads in Spanish."""
    w = world
    r = client.post("/api/v1/vetting/payments", json=payment(999999),
                    headers={**w.h[w.reporter], "Accept-Language": "es"})
    err = r.json["error"]
    assert r.status_code == 404 and err["code"] == "not_found"
    assert err["message"] == "no existe la organización 999999"
    assert err["fields"] == [{"field": "subject_id", "problem": "no existe la organización 999999"}]
