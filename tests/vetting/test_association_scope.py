"""Another association sees of a buyer only its own standing and the verified incidents shared with it.

Association A (the world's) shares incidents, B shares too (mutual opt-in), C does not. A's
members reported two incidents about the buyer (one verified, one hearsay) and A approved it.
"""
from __future__ import annotations

import csv
import io

import pytest

from matchmaker import db
from matchmaker.organizations.records import Association

from tests.vetting.conftest import _association, approve, csrf_from, incident, login


@pytest.fixture
def scoped(app, client, factory, world):
    w = world
    with app.app_context():
        sess = db.session()
        sess.get(Association, w.assoc).shares_incidents = True
        sess.commit()
    b, c = _association(app, "Niños B", shares=True), _association(app, "Uniformes C", shares=False)
    ids = {}
    for r in ("verified", "hearsay"):
        resp = client.post("/api/v1/vetting/incidents", json=incident(w.buyer_org, description=f"{r} story"),
                           headers=w.h[w.reporter])
        assert resp.status_code == 201, resp.json
        ids[r] = resp.json["id"]
    resp = client.post(f"/api/v1/vetting/incidents/{ids['verified']}/status", json={"status": "verified"},
                       headers=w.h[w.staff])
    assert resp.status_code == 200, resp.json
    # verifying opened A's case about the buyer; the board approves it
    cases = client.get("/api/v1/vetting/cases", headers=w.h[w.staff]).json["items"]
    approve(client, w, cases[0]["id"])
    # the buyer answers the hearsay incident: that reply is about A's record only
    resp = client.post(f"/api/v1/vetting/subjects/{w.buyer_org}/replies",
                       json={"incident_id": ids["hearsay"], "body": "We paid; see our bank statement."},
                       headers=w.h[w.buyer])
    assert resp.status_code == 201, resp.json
    people = {"b_staff": factory.user("association_staff", None, b), "b_board": factory.user("board_member", None, b),
              "c_staff": factory.user("association_staff", None, c), "c_board": factory.user("board_member", None, c)}
    heads = {k: factory.token(uid) for k, uid in people.items()}
    return {"b": b, "c": c, "incidents": ids, "h": heads, "users": people}


def _status(client, w, headers):
    r = client.get(f"/api/v1/vetting/subjects/{w.buyer_org}/status", headers=headers)
    assert r.status_code == 200, r.json
    return r.json


def test_the_buyer_and_its_own_association_see_everything(client, world, scoped):
    w = world
    for who in (w.buyer, w.staff, w.board_1):
        body = _status(client, w, w.h[who])
        assert [s["association_id"] for s in body["standings"]] == [w.assoc]
        assert sorted(i["id"] for i in body["incidents"]) == sorted(scoped["incidents"].values())
        assert [r["incident_id"] for r in body["replies"]] == [scoped["incidents"]["hearsay"]]


@pytest.mark.parametrize("who", ["b_staff", "b_board"])
def test_a_sharing_association_sees_only_the_verified_shared_incident(client, world, scoped, who):
    body = _status(client, world, scoped["h"][who])
    assert body["standings"] == []           # A's approval is A's; B has not vetted the buyer
    assert body["open_cases"] == []
    assert [i["id"] for i in body["incidents"]] == [scoped["incidents"]["verified"]]
    assert body["replies"] == []             # the reply is about A's hearsay incident


@pytest.mark.parametrize("who", ["c_staff", "c_board"])
def test_an_association_that_does_not_share_sees_no_other_incident(client, world, scoped, who):
    body = _status(client, world, scoped["h"][who])
    assert body == {**body, "standings": [], "open_cases": [], "incidents": [], "replies": []}


def test_the_status_page_of_a_non_sharing_association_shows_none_of_it(app, factory, world, scoped):
    page = login(app.test_client(), factory, scoped["users"]["c_staff"])
    r = page.get(f"/vetting/status/{world.buyer_org}")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    with app.app_context():
        a_name = db.session().get(Association, world.assoc).name
    assert a_name not in html
    assert 'data-vetting-status="approved"' not in html
    assert "bank statement" not in html
    assert f"#{scoped['incidents']['hearsay']}" not in html and f"#{scoped['incidents']['verified']}" not in html


def test_another_associations_view_is_logged_to_that_association_only(client, world, scoped):
    w = world
    _status(client, w, scoped["h"]["c_staff"])
    rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/vetting/audit.csv", headers=scoped["h"]["c_staff"])
                                           .get_data(as_text=True))))
    shown = [r for r in rows if r["action"] == "disclosure" and r["subject_id"] == str(w.buyer_org)]
    assert len(shown) == 1 and '"incidents": 0' in shown[0]["detail"]
    a_rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/vetting/audit.csv", headers=w.h[w.staff])
                                             .get_data(as_text=True))))
    assert not any(r["actor_id"] == str(scoped["users"]["c_staff"]) for r in a_rows)


def test_another_associations_pending_page_shows_no_reply_about_an_incident_it_does_not_see(app, client, factory,
                                                                                             world, scoped):
    """C opens its own case about the buyer: its staff's pending work lists the buyer's replies C may read,
    never the one answering A's hearsay incident (C does not share, and B sees only A's verified one)."""
    for assoc in ("c", "b"):
        r = client.post("/api/v1/vetting/cases", json={"subject_id": world.buyer_org},
                        headers=scoped["h"][f"{assoc}_staff"])
        assert r.status_code == 201, r.json
        html = login(app.test_client(), factory, scoped["users"][f"{assoc}_staff"]).get("/admin/pending")
        assert html.status_code == 200
        assert "bank statement" not in html.get_data(as_text=True), assoc
    r = client.post(f"/api/v1/vetting/subjects/{world.buyer_org}/replies",
                    json={"body": "Our record in general: we always paid."}, headers=world.h[world.buyer])
    assert r.status_code == 201, r.json
    html = login(app.test_client(), factory, scoped["users"]["c_staff"]).get("/admin/pending").get_data(as_text=True)
    assert "we always paid" in html and "bank statement" not in html  # a general reply: every case's association
    html = login(app.test_client(), factory, world.staff).get("/admin/pending").get_data(as_text=True)
    assert "bank statement" in html  # A's own incident: A's staff reads the answer


def test_a_maker_of_no_association_reads_no_associations_records(app, client, factory, world, scoped):
    """Standing is a members' service: a firm that belongs to no association sees the buyers, but none of
    any association's counts (the admin's unscoped view once counted A's hearsay for it)."""
    w = world
    loner = factory.user("maker_user", factory.org("maker", name="Taller sin asociación"))
    items = client.get("/api/v1/vetting/subjects", headers=factory.token(loner)).json["items"]
    mine = next(it for it in items if it["id"] == w.buyer_org)
    assert mine["signals"]["unverified_incidents"] == mine["signals"]["verified_incidents"] == 0
    assert mine["standing"]["status"] == "not_vetted"
    member = next(it for it in client.get("/api/v1/vetting/subjects", headers=w.h[w.reporter]).json["items"]
                  if it["id"] == w.buyer_org)
    assert member["signals"]["unverified_incidents"] == 1 and member["standing"]["status"] == "approved"
    for lang, words in (("en", "Your firm belongs to no association"), ("es", "Su empresa no pertenece")):
        page = login(app.test_client(), factory, loner)
        page.post("/language", data={"csrf_token": csrf_from(page.get("/vetting/buyers").get_data(as_text=True)),
                                     "lang": lang})
        html = page.get("/vetting/buyers").get_data(as_text=True)
        assert words in html and "Ask the board to vet" not in html and "Pedir a la junta" not in html
    html = login(app.test_client(), factory, w.reporter).get("/vetting/buyers").get_data(as_text=True)
    assert 'data-testid="no-association"' not in html
