"""Reporter anonymity (members and the buyer never see who reported), permissions, and gating."""
from __future__ import annotations

from tests.support.api_bodies import REQUIREMENT

from .conftest import REPORTER_EMAIL, REPORTER_FIRM, approve, incident, login, open_case, payment


def _reported(client, w):
    for i in range(3):
        assert client.post("/api/v1/vetting/payments", json=payment(w.buyer_org, amount=500.0 + i),
                           headers=w.h[w.reporter]).status_code == 201
    inc = client.post("/api/v1/vetting/incidents", json=incident(w.buyer_org), headers=w.h[w.reporter]).json
    client.post(f"/api/v1/vetting/incidents/{inc['id']}/status", json={"status": "verified"}, headers=w.h[w.staff])
    return inc


def _forbidden_tokens(w) -> list[str]:
    return [REPORTER_FIRM, REPORTER_EMAIL, "reporter", "reported_by", '"reporter_org_id"']


def _assert_anonymous(text: str, w) -> None:
    for token in _forbidden_tokens(w):
        assert token not in text, f"{token!r} leaked"


def test_member_and_buyer_views_never_name_the_reporter(client, factory, world):
    w = world
    _reported(client, w)
    # verifying the incident opened a case for the (not yet vetted) buyer
    case_id = client.get("/api/v1/vetting/cases", headers=w.h[w.staff]).json["items"][0]["id"]
    # the board sees the reporter
    board_view = client.get(f"/api/v1/vetting/cases/{case_id}", headers=w.h[w.board_2]).get_data(as_text=True)
    assert REPORTER_FIRM in board_view
    # members: status, band, aggregated counts only
    r = client.get("/api/v1/vetting/subjects?per_page=100", headers=w.h[w.member])
    assert r.status_code == 200
    item = next(i for i in r.json["items"] if i["id"] == w.buyer_org)
    assert item["signals"]["verified_incidents"] == 1 and item["signals"]["payment_experiences"] == 3
    assert item["signals"]["reporting_firms"] == 1 and item["risk_band"] == "insufficient_history"
    assert item["signals"]["incidents_by_type"] == {"late_payment": 1}
    assert "description" not in r.get_data(as_text=True)
    _assert_anonymous(r.get_data(as_text=True), w)
    # the buyer: its own status and incidents, never the reporter nor the description
    r = client.get(f"/api/v1/vetting/subjects/{w.buyer_org}/status", headers=w.h[w.buyer])
    assert r.status_code == 200 and r.json["incidents"][0]["type"] == "late_payment"
    _assert_anonymous(r.get_data(as_text=True), w)
    assert "Paid 70 days late" not in r.get_data(as_text=True)
    # pages, as the member and as the buyer
    member_html = login(client, factory, w.member).get("/vetting/buyers").get_data(as_text=True)
    assert "Denim Co" in member_html
    _assert_anonymous(member_html, w)
    client.post("/logout", data={})
    buyer_client = client.application.test_client()
    login(buyer_client, factory, w.buyer)
    html = buyer_client.get(f"/vetting/status/{w.buyer_org}").get_data(as_text=True)
    assert "late" in html.lower() or "tard" in html.lower()
    _assert_anonymous(html, w)


def test_a_maker_cannot_see_case_details_and_a_buyer_not_another_buyers_status(client, factory, world):
    w = world
    case_id = open_case(client, w)
    assert client.get(f"/api/v1/vetting/cases/{case_id}", headers=w.h[w.member]).status_code == 403
    assert client.get("/api/v1/vetting/cases", headers=w.h[w.reporter]).status_code == 403
    assert client.get(f"/api/v1/vetting/subjects/{w.buyer_org}/status", headers=w.h[w.other_buyer]).status_code == 404
    assert client.get("/api/v1/vetting/subjects", headers=w.h[w.buyer]).status_code == 403
    assert client.post(f"/api/v1/vetting/cases/{case_id}/votes", json={"vote": "approved"},
                       headers=w.h[w.staff]).status_code == 403
    assert client.get(f"/api/v1/vetting/cases/{case_id}").status_code == 401
    maker = login(client.application.test_client(), factory, w.member)
    assert maker.get(f"/vetting/cases/{case_id}").status_code == 403
    assert maker.get("/vetting/queue").status_code == 403
    other = login(client.application.test_client(), factory, w.other_buyer)
    assert other.get(f"/vetting/status/{w.buyer_org}").status_code == 404
    assert other.get(f"/vetting/status/{w.other_buyer_org}").status_code == 200


def _search_ids(client, headers) -> set[int]:
    r = client.get("/api/v1/search/requirements", headers=headers)
    assert r.status_code == 200, r.json
    return {item["id"] for item in r.json["items"]}


def test_only_cleared_buyers_requirements_reach_makers(client, world):
    w = world
    req = client.post("/api/v1/requirements", json={**REQUIREMENT, "status": "open"}, headers=w.h[w.buyer])
    assert req.status_code == 201, req.json
    rid = req.json["id"]
    assert rid not in _search_ids(client, w.h[w.member])          # not vetted: hidden
    case_id = open_case(client, w)
    approve(client, w, case_id)
    assert rid in _search_ids(client, w.h[w.member])              # approved: shown
    from matchmaker import db
    from matchmaker.vetting import is_cleared
    with client.application.app_context():
        assert is_cleared(db.session(), w.buyer_org) and is_cleared(db.session(), w.buyer_org, w.assoc)
        assert not is_cleared(db.session(), w.other_buyer_org)
    # a new verified incident reopens the case; the board puts the buyer on the watchlist: hidden again
    inc = client.post("/api/v1/vetting/incidents", json=incident(w.buyer_org), headers=w.h[w.reporter]).json
    client.post(f"/api/v1/vetting/incidents/{inc['id']}/status", json={"status": "verified"}, headers=w.h[w.staff])
    new_case = client.get("/api/v1/vetting/cases", headers=w.h[w.staff]).json["items"][0]["id"]
    approve(client, w, new_case, outcome="watchlist")
    assert rid not in _search_ids(client, w.h[w.member])


def test_shared_verified_incidents_between_opted_in_associations(client, factory, world):
    from .conftest import _association, _member

    w = world
    other = _association(client.application, "Infantil", shares=True)
    elsewhere = factory.org("maker", "Ropa Infantil Lejana")
    _member(client.application, other, elsewhere)
    reporter2 = factory.user("maker_user", elsewhere, other)
    h2 = factory.token(reporter2)
    inc = client.post("/api/v1/vetting/incidents", json=incident(w.buyer_org), headers=h2).json
    staff2 = factory.token(factory.user("association_staff", None, other))
    client.post(f"/api/v1/vetting/incidents/{inc['id']}/status", json={"status": "verified"}, headers=staff2)
    case_id = open_case(client, w)
    # the jeans association does not share: it does not see the other association's incident
    assert client.get(f"/api/v1/vetting/cases/{case_id}", headers=w.h[w.staff]).json["incidents"] == []
    from matchmaker import db
    from matchmaker.organizations.records import Association
    with client.application.app_context():
        db.session().get(Association, w.assoc).shares_incidents = True
        db.session().commit()
    shared = client.get(f"/api/v1/vetting/cases/{case_id}", headers=w.h[w.staff]).json["incidents"]
    assert len(shared) == 1 and shared[0]["shared_from"] == other and shared[0]["reporter"] is None


def test_a_shared_incidents_evidence_stays_with_the_association_that_received_it(client, factory, world):
    """A file's name is the reporter's own (``invoice-Ropa-Infantil-Lejana.pdf``): the association the verified
    incident is shared with sees its type, date and description, never its files, which it may not download."""
    import io

    from matchmaker import db
    from matchmaker.organizations.records import Association
    from .conftest import _association, _member

    w = world
    with client.application.app_context():
        db.session().get(Association, w.assoc).shares_incidents = True
        db.session().commit()
    other = _association(client.application, "Infantil", shares=True)
    elsewhere = factory.org("maker", "Ropa Infantil Lejana")
    _member(client.application, other, elsewhere)
    h2 = factory.token(factory.user("maker_user", elsewhere, other))
    inc = client.post("/api/v1/vetting/incidents", json=incident(w.buyer_org), headers=h2).json
    r = client.post(f"/api/v1/vetting/incidents/{inc['id']}/evidence", headers=h2, content_type="multipart/form-data",
                    data={"evidence": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "invoice-Ropa-Infantil-Lejana.pdf")})
    assert r.status_code == 201, r.json
    staff2 = factory.token(factory.user("association_staff", None, other))
    client.post(f"/api/v1/vetting/incidents/{inc['id']}/status", json={"status": "verified"}, headers=staff2)
    own_case = client.get("/api/v1/vetting/cases", headers=staff2).json["items"][0]["id"]
    own = client.get(f"/api/v1/vetting/cases/{own_case}", headers=staff2).json["incidents"]
    assert [f["name"] for f in own[0]["evidence"]] == ["invoice-Ropa-Infantil-Lejana.pdf"]  # its own association
    case_id = open_case(client, w)
    shared = client.get(f"/api/v1/vetting/cases/{case_id}", headers=w.h[w.staff]).json["incidents"]
    assert len(shared) == 1 and shared[0]["shared_from"] == other
    assert shared[0]["evidence"] == []
    page = login(client.application.test_client(), factory, w.staff).get(f"/vetting/cases/{case_id}")
    assert page.status_code == 200
    assert "Ropa-Infantil" not in page.get_data(as_text=True)
