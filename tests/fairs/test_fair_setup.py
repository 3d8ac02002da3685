"""Creating a fair, registering participants and marking requests: every bad input is a named error."""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests.fairs.conftest import fair_body, make_fair, mark, register, register_all
from tests.support.dates import FAIR_DAY




def _error(response, status=422):
    assert response.status_code == status, response.get_json()
    return response.get_json()["error"]


def _fields(error) -> dict:
    return {f["field"]: f["problem"] for f in error["fields"]}


@pytest.mark.parametrize("changes, field, words", [
    ({"sessions": [{"start": f"{FAIR_DAY}T09:00", "end": f"{FAIR_DAY}T11:00"},
                   {"start": f"{FAIR_DAY}T10:30", "end": f"{FAIR_DAY}T12:00"}]}, "sessions", "overlap"),
    ({"slot_minutes": 45, "sessions": [{"label": "Short", "start": f"{FAIR_DAY}T09:00", "end": f"{FAIR_DAY}T09:30"}]},
     "slot_minutes", "longer than the session"),
    ({"tables": []}, "tables", "zero tables"),
    ({"slot_minutes": 10}, "slot_minutes", "Slot length (minutes): enter a number of at least 15."),
    ({"sessions": [{"start": f"{FAIR_DAY}T11:00", "end": f"{FAIR_DAY}T09:00"}]}, "sessions.0",
     "the end must be after the start"),
    ({"sessions": [{"start": "2020-03-12T09:00", "end": "2020-03-12T11:00"}]}, "sessions", "in the past"),
    ({"name": ""}, "name", "Name: enter at least 1 character(s)."),
    ({"request_deadline": f"{FAIR_DAY + timedelta(days=1)}T09:00"}, "request_deadline", "before the first session"),
    ({"sessions": []}, "sessions", "at least one session"),
    ({"tables": [{"label": "A"}, {"label": "A"}]}, "tables", "must not repeat"),
    ({"breaks": [{"start": f"{FAIR_DAY}T09:00", "end": f"{FAIR_DAY}T11:00"}]}, "breaks", "no meeting slot"),
    ({"breaks": [{"start": f"{FAIR_DAY + timedelta(days=31)}T09:30", "end": f"{FAIR_DAY + timedelta(days=31)}T10:00"}]},
     "breaks", f"Breaks: this break is outside every session: {FAIR_DAY + timedelta(days=31)} 09:30–10:00."),
    ({"breaks": [{"start": f"{FAIR_DAY}T11:00", "end": f"{FAIR_DAY}T11:30"}]},  # touches the session's end only
     "breaks", "outside every session"),
])
def test_fair_creation_errors_name_the_field(client, cluster, changes, field, words):
    r = client.post("/api/v1/fairs", json=fair_body(**changes), headers=cluster.tokens["organizer"])
    error = _error(r)
    assert field in _fields(error), error
    assert words in _fields(error)[field], error


def test_fair_has_slots_cut_around_breaks(client, cluster):
    fair = make_fair(client, cluster, sessions=[{"start": f"{FAIR_DAY}T09:00", "end": f"{FAIR_DAY}T12:00"}],
                     breaks=[{"label": "Coffee", "start": f"{FAIR_DAY}T10:00", "end": f"{FAIR_DAY}T10:20"}])
    starts = [s["start"][11:16] for s in fair["slots"]]
    assert starts == ["09:00", "09:30", "10:20", "10:50", "11:20"]
    assert fair["days"] == [FAIR_DAY.isoformat()] and fair["slot_minutes"] == 30
    assert [t["label"] for t in fair["tables"]] == ["Mesa 1", "Mesa 2"]


def test_only_the_hosting_organizer_creates_fairs(client, cluster):
    body = fair_body(association_id=cluster.association)
    assert client.post("/api/v1/fairs", json=body, headers=cluster.tokens["other_organizer"]).status_code == 403
    assert client.post("/api/v1/fairs", json=body, headers=cluster.tokens["buyer0"]).status_code == 403
    assert client.post("/api/v1/fairs", json=body, headers=cluster.tokens["admin"]).status_code == 201


def test_unvetted_buyer_cannot_register(client, cluster, reject):
    fair = make_fair(client, cluster)
    reject(cluster.buyers[0], cluster.association)
    error = _error(register(client, cluster, fair["id"], cluster.buyers[0]))
    assert error["code"] == "not_cleared" and "organization_id" in _fields(error)
    assert "not cleared" in error["message"]
    # nor by itself
    error = _error(register(client, cluster, fair["id"], cluster.buyers[0], who="buyer0"))
    assert error["code"] == "not_cleared"
    # a cleared buyer registers itself
    assert register(client, cluster, fair["id"], cluster.buyers[1], who="buyer1").status_code == 201


def test_maker_registration_members_and_organizer_additions(client, cluster):
    fair = make_fair(client, cluster)
    assert register(client, cluster, fair["id"], cluster.makers[0], who="maker0").status_code == 201
    error = _error(register(client, cluster, fair["id"], cluster.outsider_maker, who="outsider"), 403)
    assert error["code"] == "not_member"
    assert register(client, cluster, fair["id"], cluster.outsider_maker).status_code == 201  # organizer adds it
    assert _error(register(client, cluster, fair["id"], cluster.makers[0]), 409)["code"] == "conflict"
    # a maker may not register another firm
    assert register(client, cluster, fair["id"], cluster.makers[1], who="maker0").status_code == 403


def test_participant_with_no_available_slot_is_refused(client, cluster):
    fair = make_fair(client, cluster)
    every = [s["id"] for s in fair["slots"]]
    error = _error(register(client, cluster, fair["id"], cluster.makers[0], unavailable=every))
    assert "no available slot" in _fields(error)["unavailable"]
    error = _error(register(client, cluster, fair["id"], cluster.makers[0], unavailable=["19990101T0900"]))
    assert "unknown slot" in _fields(error)["unavailable"]
    error = _error(register(client, cluster, fair["id"], cluster.makers[0], min_meetings=5, max_meetings=2))
    assert "must not exceed the maximum" in _fields(error)["min_meetings"]


def test_fixed_table_only_for_makers_and_once(client, cluster):
    fair = make_fair(client, cluster)
    table = fair["tables"][0]["id"]
    assert register(client, cluster, fair["id"], cluster.makers[0], fixed_table_id=table).status_code == 201
    error = _error(register(client, cluster, fair["id"], cluster.makers[1], fixed_table_id=table), 409)
    assert "fixed table" in error["message"]
    error = _error(register(client, cluster, fair["id"], cluster.buyers[0], fixed_table_id=fair["tables"][1]["id"]))
    assert "only a maker" in error["message"]


def test_requests_name_registered_counterparts_only(client, cluster):
    fair = make_fair(client, cluster)
    ids = register_all(client, cluster, fair["id"])
    buyer_p, maker_p = ids[cluster.buyers[0]], ids[cluster.makers[0]]
    assert mark(client, cluster, fair["id"], "buyer0", maker_p, "must").status_code == 200
    error = _error(mark(client, cluster, fair["id"], "buyer0", 999_999, "must"))
    assert "not registered" in _fields(error)["to_participant_id"]
    error = _error(mark(client, cluster, fair["id"], "buyer0", ids[cluster.buyers[1]], "must"))
    assert "between buyers and makers" in error["message"]
    # an unregistered firm cannot mark anyone
    assert mark(client, cluster, fair["id"], "outsider", buyer_p, "must").status_code == 409
    # the maker sees the buyer's interest, the buyer sees its own marks
    received = client.get(f"/api/v1/fairs/{fair['id']}/requests", headers=cluster.tokens["maker0"]).get_json()
    assert received["received"] == [{"from_participant_id": buyer_p, "mark": "must"}]
    given = client.get(f"/api/v1/fairs/{fair['id']}/requests", headers=cluster.tokens["buyer0"]).get_json()
    assert given["given"] == [{"to_participant_id": maker_p, "mark": "must"}]
    # a "no" received is never revealed
    mark(client, cluster, fair["id"], "maker1", buyer_p, "no")
    assert client.get(f"/api/v1/fairs/{fair['id']}/requests",
                      headers=cluster.tokens["buyer0"]).get_json()["received"] == []
    # withdrawing a mark
    assert mark(client, cluster, fair["id"], "buyer0", maker_p, None).get_json()["mark"] is None


def test_requests_expire_at_the_deadline(client, cluster):
    fair = make_fair(client, cluster, request_deadline="2000-01-01T00:00")
    ids = register_all(client, cluster, fair["id"])
    error = _error(mark(client, cluster, fair["id"], "buyer0", ids[cluster.makers[0]], "must"), 409)
    assert error["code"] == "deadline_passed"
    recs = client.get(f"/api/v1/fairs/{fair['id']}/recommendations", headers=cluster.tokens["buyer0"]).get_json()
    assert recs["requests_open"] is False and recs["items"] == []
    # the organizer may still enter a mark on someone's behalf
    r = client.put(f"/api/v1/fairs/{fair['id']}/requests", headers=cluster.tokens["organizer"],
                   json={"from_participant_id": ids[cluster.buyers[0]], "to_participant_id": ids[cluster.makers[0]],
                         "mark": "must"})
    assert r.status_code == 200


def test_recommendations_explain_themselves(client, cluster):
    fair = make_fair(client, cluster)
    ids = register_all(client, cluster, fair["id"])
    recs = client.get(f"/api/v1/fairs/{fair['id']}/recommendations", headers=cluster.tokens["buyer0"]).get_json()
    names = [r["name"] for r in recs["items"]]
    assert names[0] != "Taller B"  # the knitwear maker ranks below the western-jeans makers
    top = recs["items"][0]
    assert top["score"] > 0.9 and any("Product line fit" in r for r in top["reasons"])
    assert any("required processes" in r for r in top["reasons"])
    # marked counterparts leave the list
    mark(client, cluster, fair["id"], "buyer0", top["participant_id"], "would_like")
    again = client.get(f"/api/v1/fairs/{fair['id']}/recommendations", headers=cluster.tokens["buyer0"]).get_json()
    assert top["participant_id"] not in [r["participant_id"] for r in again["items"]]
    # the maker side sees buyers
    recs = client.get(f"/api/v1/fairs/{fair['id']}/recommendations", headers=cluster.tokens["maker0"]).get_json()
    assert {r["participant_id"] for r in recs["items"]} <= {ids[b] for b in cluster.buyers}
