"""Scheduling from the database: constraints respected, figures with bound, gap and baseline,
locks, infeasible settings reported, repair, agendas (PDF, ICS, CSV), outcomes, permissions."""
from __future__ import annotations

import csv
import io
from collections import Counter

import icalendar
import pytest
from sqlalchemy import select

from matchmaker import db
from matchmaker.ranking.records import OutcomeEvent
from tests.fairs.conftest import (fair_ended_days_ago, make_fair, mark, meeting_started_minutes_ago, register_all,
                                  wait_schedule)


@pytest.fixture
def fair(client, cluster):
    """A fair with 3 buyers, 4 makers, 4 slots, 2 tables and some requests (buyer0 says "no" to maker0)."""
    data = make_fair(client, cluster)
    ids = register_all(client, cluster, data["id"], max_meetings=3)
    b = [ids[x] for x in cluster.buyers]
    m = [ids[x] for x in cluster.makers]
    fid = data["id"]
    assert mark(client, cluster, fid, "buyer0", m[0], "no").status_code == 200
    assert mark(client, cluster, fid, "maker0", b[0], "must").status_code == 200   # vetoed anyway
    mark(client, cluster, fid, "buyer0", m[1], "must")
    mark(client, cluster, fid, "maker1", b[0], "must")
    mark(client, cluster, fid, "buyer1", m[2], "would_like")
    mark(client, cluster, fid, "buyer2", m[3], "must")
    mark(client, cluster, fid, "maker2", b[2], "would_like")
    # buyer1 cannot attend the first slot
    slots = [s["id"] for s in data["slots"]]
    r = client.patch(f"/api/v1/fairs/{fid}/participants/{b[1]}", json={"unavailable": [slots[0]]},
                     headers=cluster.tokens["buyer1"])
    assert r.status_code == 200
    return {"id": fid, "buyers": b, "makers": m, "slots": slots, "tables": [t["id"] for t in data["tables"]],
            "ids": ids}


def _schedule(client, cluster, fid, time_limit=3):
    """Queue the optimizer (202, a job) and poll the job until it reports the schedule."""
    r = client.post(f"/api/v1/fairs/{fid}/schedule", json={"time_limit": time_limit},
                    headers=cluster.tokens["organizer"])
    assert r.status_code == 202, r.get_json()
    return wait_schedule(client, cluster, r.get_json()["url"])["schedule"]


def _active(meetings):
    return [m for m in meetings if m["status"] in ("scheduled", "held")]


def test_schedule_respects_every_constraint_and_reports_figures(client, cluster, fair):
    body = _schedule(client, cluster, fair["id"])
    run, meetings = body["run"], _active(body["meetings"])
    assert meetings
    pairs = [(m["buyer_participant_id"], m["maker_participant_id"]) for m in meetings]
    assert (fair["buyers"][0], fair["makers"][0]) not in pairs, "a 'no' is absolute"
    assert len(set(pairs)) == len(pairs), "a pair meets at most once"
    per_person_slot = Counter()
    per_table_slot = Counter()
    count = Counter()
    for m in meetings:
        for p in (m["buyer_participant_id"], m["maker_participant_id"]):
            per_person_slot[p, m["slot"]] += 1
            count[p] += 1
        per_table_slot[m["table_id"], m["slot"]] += 1
    assert max(per_person_slot.values()) == 1
    assert max(per_table_slot.values()) == 1
    assert max(count.values()) <= 3
    assert all(m["slot"] != fair["slots"][0] for m in meetings if m["buyer_participant_id"] == fair["buyers"][1])
    # requested pairs (not vetoed) are all met: there is room for them
    for pair in [(fair["buyers"][0], fair["makers"][1]), (fair["buyers"][1], fair["makers"][2]),
                 (fair["buyers"][2], fair["makers"][3]), (fair["buyers"][2], fair["makers"][2])]:
        assert pair in pairs
    # figures: objective within the proven bound; the baseline beside it
    assert run["status"] in ("optimal", "feasible")
    assert run["bound"] >= run["objective"] - 1e-6
    assert 0 <= run["gap"] <= 1
    for key in ("meetings", "requests_fulfilled", "must_fulfilled", "below_min"):
        assert key in run["metrics"] and key in run["baseline"]
    assert run["metrics"]["requests_fulfilled"] >= run["baseline"]["requests_fulfilled"]
    assert run["metrics"]["must"] == 2  # buyer0-maker1 and buyer2-maker3 (the vetoed must does not count)


def test_a_buyer_cannot_run_scheduling(client, cluster, fair):
    for who in ("buyer0", "maker0", "staff"):
        r = client.post(f"/api/v1/fairs/{fair['id']}/schedule", json={}, headers=cluster.tokens[who])
        assert r.status_code == 403, who
    r = client.post(f"/api/v1/fairs/{fair['id']}/schedule", json={}, headers=cluster.tokens["other_organizer"])
    assert r.status_code == 403


def test_infeasible_settings_are_reported_not_crashed(client, cluster, fair):
    r = client.patch(f"/api/v1/fairs/{fair['id']}/participants/{fair['makers'][0]}",
                     json={"min_meetings": 4, "max_meetings": 4}, headers=cluster.tokens["organizer"])
    assert r.status_code == 200
    run = _schedule(client, cluster, fair["id"])["run"]
    constraints = {f["constraint"] for f in run["findings"]}
    assert constraints & {"min_meetings>possible_partners", "min_meetings>available_slots", "competition"}
    assert any("Taller A" in f["message"] for f in run["findings"]), run["findings"]  # names, not ids
    assert run["metrics"]["below_min"] >= 1


def test_no_participants_is_a_clear_error(client, cluster):
    data = make_fair(client, cluster)
    r = client.post(f"/api/v1/fairs/{data['id']}/schedule", json={}, headers=cluster.tokens["organizer"])
    assert r.status_code == 422 and r.get_json()["error"]["fields"][0]["field"] == "participants"


def test_locked_meeting_survives_a_new_run(client, cluster, fair):
    meetings = _active(_schedule(client, cluster, fair["id"])["meetings"])
    target = meetings[-1]
    r = client.patch(f"/api/v1/fairs/{fair['id']}/meetings/{target['id']}", json={"locked": True},
                     headers=cluster.tokens["organizer"])
    assert r.status_code == 200 and r.get_json()["locked"] is True
    again = _active(_schedule(client, cluster, fair["id"])["meetings"])
    kept = [m for m in again if (m["buyer_participant_id"], m["maker_participant_id"], m["slot"], m["table_id"])
            == (target["buyer_participant_id"], target["maker_participant_id"], target["slot"], target["table_id"])]
    assert len(kept) == 1 and kept[0]["locked"] is True


def test_agendas_are_private_and_follow_publication(client, cluster, fair):
    _schedule(client, cluster, fair["id"])
    fid, me, other = fair["id"], fair["makers"][1], fair["makers"][2]
    # before publication the participant sees no meetings and cannot download
    body = client.get(f"/api/v1/fairs/{fid}/participants/{me}/agenda", headers=cluster.tokens["maker1"]).get_json()
    assert body["visible"] is False and body["meetings"] == []
    assert client.get(f"/api/v1/fairs/{fid}/participants/{me}/agenda.pdf",
                      headers=cluster.tokens["maker1"]).status_code == 409
    assert client.post(f"/api/v1/fairs/{fid}/publish", json={"level": "preliminary"},
                       headers=cluster.tokens["organizer"]).status_code == 200
    body = client.get(f"/api/v1/fairs/{fid}/participants/{me}/agenda", headers=cluster.tokens["maker1"]).get_json()
    assert body["visible"] and body["publication"] == "preliminary" and body["meetings"]
    # another maker's agenda, requests and downloads stay hidden
    for suffix in ("agenda", "agenda.pdf", "agenda.ics"):
        assert client.get(f"/api/v1/fairs/{fid}/participants/{other}/{suffix}",
                          headers=cluster.tokens["maker1"]).status_code == 404
    assert client.get(f"/api/v1/fairs/{fid}/participants/{me}/agenda",
                      headers=cluster.tokens["buyer0"]).status_code == 404
    assert client.get(f"/api/v1/fairs/{fid}/participants/{me}/agenda",
                      headers=cluster.tokens["outsider"]).status_code == 404
    assert client.get(f"/api/v1/fairs/{fid}/schedule", headers=cluster.tokens["maker1"]).status_code == 403
    assert client.get(f"/api/v1/fairs/{fid}/participants", headers=cluster.tokens["outsider"]).status_code == 403
    listed = client.get(f"/api/v1/fairs/{fid}/participants", headers=cluster.tokens["maker1"]).get_json()["items"]
    assert {p["side"] for p in listed if p["id"] != me} == {"buyer"}
    assert all("unavailable" not in p for p in listed if p["id"] != me)
    # a participant may not change its own meeting targets, only its availability
    assert client.patch(f"/api/v1/fairs/{fid}/participants/{me}", json={"max_meetings": 9},
                        headers=cluster.tokens["maker1"]).status_code == 403


def test_pdf_ics_and_csv(client, cluster, fair):
    body = _schedule(client, cluster, fair["id"])
    client.post(f"/api/v1/fairs/{fair['id']}/publish", json={"level": "final"}, headers=cluster.tokens["organizer"])
    me = fair["buyers"][2]
    mine = [m for m in _active(body["meetings"]) if m["buyer_participant_id"] == me]
    pdf = client.get(f"/api/v1/fairs/{fair['id']}/participants/{me}/agenda.pdf", headers=cluster.tokens["buyer2"])
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    ics = client.get(f"/api/v1/fairs/{fair['id']}/participants/{me}/agenda.ics", headers=cluster.tokens["buyer2"])
    assert ics.status_code == 200 and ics.mimetype == "text/calendar"
    cal = icalendar.Calendar.from_ical(ics.data)
    events = [c for c in cal.walk("VEVENT")]
    assert len(events) == len(mine)
    starts = sorted(e.decoded("dtstart") for e in events)
    assert str(starts[0].tzinfo) == "America/Mexico_City"
    assert "Expo Guadalajara" in str(events[0]["location"])
    rows = list(csv.DictReader(io.StringIO(client.get(f"/api/v1/fairs/{fair['id']}/schedule.csv",
                                                      headers=cluster.tokens["organizer"]).get_data(as_text=True))))
    assert len(rows) == len(_active(body["meetings"]))
    assert {"buyer_name", "maker_name", "table_label", "start"} <= set(rows[0])
    assert client.get(f"/api/v1/fairs/{fair['id']}/schedule.csv", headers=cluster.tokens["buyer2"]).status_code == 403


def test_cancellation_repair_keeps_other_meetings_and_tells_who_changed(client, cluster, fair):
    body = _schedule(client, cluster, fair["id"])
    client.post(f"/api/v1/fairs/{fair['id']}/publish", json={"level": "final"}, headers=cluster.tokens["organizer"])
    before = {(m["buyer_participant_id"], m["maker_participant_id"]): m for m in _active(body["meetings"])}
    victim = before[fair["buyers"][0], fair["makers"][1]]
    r = client.post(f"/api/v1/fairs/{fair['id']}/meetings/{victim['id']}/disruption", json={"kind": "cancellation"},
                    headers=cluster.tokens["organizer"])
    assert r.status_code == 201, r.get_json()
    repaired = r.get_json()
    assert repaired["run"]["kind"] == "repair" and repaired["run"]["publication"] == "final"
    after = {(m["buyer_participant_id"], m["maker_participant_id"]): m for m in _active(repaired["meetings"])}
    assert (fair["buyers"][0], fair["makers"][1]) not in after
    cancelled = [m for m in repaired["meetings"] if m["status"] == "cancelled"]
    assert len(cancelled) == 1
    for pair, m in before.items():
        if pair != (fair["buyers"][0], fair["makers"][1]):
            assert pair in after, f"surviving meeting {pair} was dropped"
    unchanged = sum(1 for pair, m in before.items() if pair in after
                    and (after[pair]["slot"], after[pair]["table_id"]) == (m["slot"], m["table_id"]))
    assert unchanged >= len(before) - 2
    # both parties of the cancelled meeting see it on their agenda's change list
    agenda = client.get(f"/api/v1/fairs/{fair['id']}/participants/{fair['makers'][1]}/agenda",
                        headers=cluster.tokens["maker1"]).get_json()
    assert any(c["kind"] == "removed" and c["counterpart"] == "Buyer X" for c in agenda["changes"])
    assert all(m["with"] != "Buyer X" or m["status"] == "cancelled" for m in agenda["meetings"])
    # an unaffected participant has no changes
    affected = ({m["buyer_participant_id"] for m in before.values()}
                | {m["maker_participant_id"] for m in before.values()})
    untouched = [p for p in affected if p not in (fair["buyers"][0], fair["makers"][1])]
    quiet = 0
    for p in untouched:
        who = next(k for k, v in fair["ids"].items() if v == p)
        token_name = ({b: f"buyer{i}" for i, b in enumerate(cluster.buyers)}
                      | {m: f"maker{i}" for i, m in enumerate(cluster.makers)})[who]
        ag = client.get(f"/api/v1/fairs/{fair['id']}/participants/{p}/agenda",
                        headers=cluster.tokens[token_name]).get_json()
        quiet += not ag["changes"]
    assert quiet >= 1
    # a second disruption of the same meeting is refused
    assert client.post(f"/api/v1/fairs/{fair['id']}/meetings/{victim['id']}/disruption",
                       json={"kind": "cancellation"}, headers=cluster.tokens["organizer"]).status_code == 404


def test_no_show_repair_from_that_slot(app, client, cluster, fair):
    body = _schedule(client, cluster, fair["id"])
    first = sorted(_active(body["meetings"]), key=lambda m: m["slot"])[0]
    meeting_started_minutes_ago(app, fair["id"], first["id"])  # the maker did not come to its first meeting
    body = client.get(f"/api/v1/fairs/{fair['id']}/schedule", headers=cluster.tokens["organizer"]).get_json()
    first = next(m for m in body["meetings"] if m["id"] == first["id"])
    r = client.post(f"/api/v1/fairs/{fair['id']}/meetings/{first['id']}/disruption",
                    json={"kind": "no_show", "absent_participant_id": first["maker_participant_id"]},
                    headers=cluster.tokens["organizer"])
    assert r.status_code == 201, r.get_json()
    after = r.get_json()["meetings"]
    assert [m["status"] for m in after if m["id"] and (m["buyer_participant_id"], m["maker_participant_id"])
            == (first["buyer_participant_id"], first["maker_participant_id"])] == ["no_show"]
    # the absent maker has nothing more in that session
    later = [m for m in _active(after) if m["maker_participant_id"] == first["maker_participant_id"]
             and m["slot"] >= first["slot"]]
    assert later == []


def test_while_the_fair_runs_only_a_meeting_whose_slot_began_takes_an_outcome(app, client, cluster, fair):
    meetings = sorted(_active(_schedule(client, cluster, fair["id"])["meetings"]), key=lambda m: m["slot"])
    first = meetings[0]
    later = next(m for m in meetings if m["slot"] > first["slot"])  # buyer1 cannot meet in the first slot
    meeting_started_minutes_ago(app, fair["id"], first["id"], minutes=1)
    organizer = cluster.tokens["organizer"]
    r = client.patch(f"/api/v1/fairs/{fair['id']}/meetings/{first['id']}", json={"status": "held"},
                     headers=organizer)
    assert r.status_code == 200 and r.get_json()["status"] == "held"
    r = client.patch(f"/api/v1/fairs/{fair['id']}/meetings/{later['id']}", json={"status": "no_show"},
                     headers=organizer)
    assert r.status_code == 409 and r.get_json()["error"]["fields"][0]["field"] == "status"
    r = client.post(f"/api/v1/fairs/{fair['id']}/meetings/{later['id']}/disruption", json={"kind": "no_show"},
                    headers=organizer)
    assert r.status_code == 409 and r.get_json()["error"]["fields"][0]["field"] == "kind"
    r = client.post(f"/api/v1/fairs/{fair['id']}/meetings/{later['id']}/disruption",
                    json={"kind": "cancellation"}, headers=organizer)
    assert r.status_code == 201, "a meeting can still be called off before it starts"


def test_outcomes_are_recorded_for_the_ranker(app, client, cluster, fair):
    body = _schedule(client, cluster, fair["id"])
    client.post(f"/api/v1/fairs/{fair['id']}/publish", json={"level": "final"}, headers=cluster.tokens["organizer"])
    m1, m2 = _active(body["meetings"])[:2]
    fair_ended_days_ago(app, fair["id"], 1)  # outcomes are recorded once the meetings took place
    assert client.patch(f"/api/v1/fairs/{fair['id']}/meetings/{m1['id']}", json={"status": "held"},
                        headers=cluster.tokens["organizer"]).status_code == 200
    client.patch(f"/api/v1/fairs/{fair['id']}/meetings/{m1['id']}", json={"status": "held"},
                 headers=cluster.tokens["organizer"])  # twice: logged once
    assert client.patch(f"/api/v1/fairs/{fair['id']}/meetings/{m2['id']}", json={"status": "no_show"},
                        headers=cluster.tokens["organizer"]).status_code == 200
    # the buyer of m1 records a sample request and an order itself
    buyer_token = {p: f"buyer{i}" for i, p in enumerate(fair["buyers"])}[m1["buyer_participant_id"]]
    for event in ("sample_requested", "order_placed", "order_placed"):
        r = client.post(f"/api/v1/fairs/{fair['id']}/meetings/{m1['id']}/follow-ups", json={"event": event},
                        headers=cluster.tokens[buyer_token])
        assert r.status_code == 201, r.get_json()
    # a stranger cannot
    assert client.post(f"/api/v1/fairs/{fair['id']}/meetings/{m1['id']}/follow-ups",
                       json={"event": "order_placed"}, headers=cluster.tokens["outsider"]).status_code == 404
    assert client.post(f"/api/v1/fairs/{fair['id']}/meetings/{m1['id']}/follow-ups",
                       json={"event": "dispute"}, headers=cluster.tokens[buyer_token]).status_code == 422
    with app.app_context():
        rows = db.session().scalars(select(OutcomeEvent).where(OutcomeEvent.source == "fair")).all()
        events = Counter(r.event for r in rows)
    assert events == Counter({"meeting_held": 1, "sample_requested": 1, "order_placed": 1})
    buyer_org = next(k for k, v in fair["ids"].items() if v == m1["buyer_participant_id"])
    assert {r.buyer_id for r in rows} == {buyer_org}


def test_refusals_speak_the_readers_language(client, cluster):
    """With ``Accept-Language: es`` a refusal keeps its code and status and reads in Spanish."""
    r = client.get("/api/v1/fairs/999999", headers={**cluster.tokens["organizer"], "Accept-Language": "es"})
    assert r.status_code == 404 and r.get_json()["error"]["code"] == "not_found"
    assert r.get_json()["error"]["message"] == "no existe la feria 999999"
