"""An incident, a firm's status: whoever may not know the record is answered as for an id that does not exist.

A 403 for another association's incident (and a 404 for a missing one) would let any member firm
count incidents and learn when new ones are filed; the answer is the same 404, status and body, for
both. Those who know the incident (its reporter, the boards that see it) still get a 403 for what
they may not do with it.
"""
from __future__ import annotations

import io
import json
import re

from tests.vetting.conftest import _association, _member, csrf_from, incident, login

MISSING = 987_654


def _same(a, a_id: int, b, b_id: int) -> None:
    """The two answers are the same, once each names its own id."""
    assert a.status_code == b.status_code == 404
    if not a.is_json:  # a page: the same page, but for its per-request CSRF token and its own path
        assert re.sub(r'"[\w.-]{40,}"', "", a.get_data(as_text=True)).replace(f"/{a_id}/", "/ID/") == \
            re.sub(r'"[\w.-]{40,}"', "", b.get_data(as_text=True)).replace(f"/{b_id}/", "/ID/")
        return
    assert json.dumps(a.get_json(), sort_keys=True).replace(str(a_id), "ID") == \
        json.dumps(b.get_json(), sort_keys=True).replace(str(b_id), "ID")


def _pdf() -> tuple[io.BytesIO, str]:
    return io.BytesIO(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"), "proof.pdf"


def test_an_incident_of_another_association_is_answered_as_a_missing_one(app, client, factory, world):
    w = world
    inc = client.post("/api/v1/vetting/incidents", json=incident(w.buyer_org), headers=w.h[w.reporter]).json["id"]
    other = _association(app, "Uniformes C")
    outsider_org = factory.org("maker", "Taller de Otra Asociación")
    _member(app, other, outsider_org)
    callers = {"member of the same association": w.h[w.member],
               "member of another association": factory.token(factory.user("maker_user", outsider_org, other)),
               "staff of another association": factory.token(factory.user("association_staff", None, other)),
               "board of another association": factory.token(factory.user("board_member", None, other))}
    for who, headers in callers.items():
        for status in ("verified", "withdrawn"):
            foreign = client.post(f"/api/v1/vetting/incidents/{inc}/status", json={"status": status}, headers=headers)
            missing = client.post(f"/api/v1/vetting/incidents/{MISSING}/status", json={"status": status},
                                  headers=headers)
            _same(foreign, inc, missing, MISSING)
            assert foreign.get_json()["error"]["code"] == "not_found", who
        foreign = client.post(f"/api/v1/vetting/incidents/{inc}/evidence", data={"evidence": _pdf()},
                              headers=headers, content_type="multipart/form-data")
        missing = client.post(f"/api/v1/vetting/incidents/{MISSING}/evidence", data={"evidence": _pdf()},
                              headers=headers, content_type="multipart/form-data")
        _same(foreign, inc, missing, MISSING)
    # nothing changed, and those who know the incident are told what they may not do
    r = client.post(f"/api/v1/vetting/incidents/{inc}/status", json={"status": "verified"}, headers=w.h[w.reporter])
    assert r.status_code == 403 and r.get_json()["error"]["code"] == "forbidden"
    r = client.post(f"/api/v1/vetting/incidents/{inc}/status", json={"status": "verified"}, headers=w.h[w.staff])
    assert r.status_code == 200 and r.get_json()["status"] == "verified"


def test_the_board_of_a_sharing_association_still_sees_a_verified_incident(app, client, factory, world):
    """A verified incident shared between associations that both opt in: its board knows it (403, not 404)."""
    from matchmaker import db
    from matchmaker.organizations.records import Association

    w = world
    with app.app_context():
        db.session().get(Association, w.assoc).shares_incidents = True
        db.session().commit()
    partner = _association(app, "Niños B", shares=True)
    partner_board = factory.token(factory.user("board_member", None, partner))
    inc = client.post("/api/v1/vetting/incidents", json=incident(w.buyer_org), headers=w.h[w.reporter]).json["id"]
    hearsay = client.post(f"/api/v1/vetting/incidents/{inc}/status", json={"status": "withdrawn"},
                          headers=partner_board)
    assert hearsay.status_code == 404  # hearsay is not shared
    assert client.post(f"/api/v1/vetting/incidents/{inc}/status", json={"status": "verified"},
                       headers=w.h[w.staff]).status_code == 200
    r = client.post(f"/api/v1/vetting/incidents/{inc}/status", json={"status": "hearsay"}, headers=partner_board)
    assert r.status_code == 403


def test_the_incident_status_form_answers_404_for_a_foreign_incident_as_for_a_missing_one(app, client, factory,
                                                                                           world):
    w = world
    inc = client.post("/api/v1/vetting/incidents", json=incident(w.buyer_org), headers=w.h[w.reporter]).json["id"]
    member = login(app.test_client(), factory, w.member)
    token = csrf_from(member.get("/account").get_data(as_text=True))
    form = {"csrf_token": token, "status": "withdrawn", "back": "/home"}
    foreign = member.post(f"/vetting/incidents/{inc}/status", data=form)
    missing = member.post(f"/vetting/incidents/{MISSING}/status", data=form)
    _same(foreign, inc, missing, MISSING)
    reporter = login(app.test_client(), factory, w.reporter)
    form["csrf_token"] = csrf_from(reporter.get("/account").get_data(as_text=True))
    assert reporter.post(f"/vetting/incidents/{inc}/status", data=form).status_code == 302  # its own: withdrawn


def test_another_firms_vetting_status_is_answered_as_a_missing_firm(client, world):
    w = world
    foreign = client.get(f"/api/v1/vetting/subjects/{w.buyer_org}/status", headers=w.h[w.other_buyer])
    missing = client.get(f"/api/v1/vetting/subjects/{MISSING}/status", headers=w.h[w.other_buyer])
    _same(foreign, w.buyer_org, missing, MISSING)
    for_board = client.get(f"/api/v1/vetting/subjects/{MISSING}/status", headers=w.h[w.board_1])
    _same(foreign, w.buyer_org, for_board, MISSING)
    assert client.get(f"/api/v1/vetting/subjects/{w.buyer_org}/status", headers=w.h[w.buyer]).status_code == 200
