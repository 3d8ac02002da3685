"""A coordinator builds teams for a requirement no single maker can serve, locks a stage,
re-optimises, sends one team as an offer; members confirm their part; the buyer reads the offer."""
from __future__ import annotations

from matchmaker import jobs


def _propose(app, client, w):
    r = client.post(f"/api/v1/consortia/requirements/{w.req}/proposal", headers=w.h("coordinator"))
    assert r.status_code == 202, r.json
    with app.app_context():
        job = jobs.wait(r.json["job"]["id"], timeout=60)
        assert job.status == "done", job.message
    status = client.get(r.json["job"]["url"], headers=w.h("coordinator"))
    assert status.status_code == 200 and status.json["status"] == "done"
    p = client.get(f"/api/v1/consortia/proposals/{r.json['proposal']['id']}", headers=w.h("coordinator"))
    assert p.status_code == 200
    return p.json


def test_three_diverse_teams_cover_every_stage_in_order_with_bound_and_gap(app, client, world):
    w = world
    listed = client.get("/api/v1/consortia/requirements", headers=w.h("coordinator"))
    assert listed.status_code == 200
    row = next(i for i in listed.json["items"] if i["id"] == w.req)
    assert row["stages"] == ["cutting", "sewing", "laundry", "finishing"]  # the garment's order, not the form's
    assert w.other_req not in {i["id"] for i in listed.json["items"]}  # an uncleared buyer's requirement
    p = _propose(app, client, w)
    assert p["single_firm_possible"] is False and p["shortfalls"] == {}
    alts = p["alternatives"]
    assert len(alts) == 3
    names = {mid: name for name, mid in w.makers.items()}
    for alt in alts:
        units = {}
        for a in alt["assignments"]:
            units[a["stage"]] = units.get(a["stage"], 0) + a["units"]
            assert names[a["maker_id"]] == a["maker"]
        assert units == {"cutting": 5000, "sewing": 5000, "laundry": 5000, "finishing": 5000}
        assert [s["stage"] for s in alt["plan"]] == ["cutting", "sewing", "laundry", "finishing"]
        assert alt["plan"][-1]["end"] == alt["lead_days"]
        assert alt["bound"] >= alt["objective"] - 1e-6 and alt["gap"] >= 0
    sewing = [a for a in alts[0]["assignments"] if a["stage"] == "sewing"]
    assert {a["maker"] for a in sewing} == {"Costura Uno", "Costura Dos"}  # 5,000 pieces need both shops
    keys = [tuple(sorted((a["stage"], a["maker_id"]) for a in alt["assignments"])) for alt in alts]
    assert len(set(keys)) == 3
    assert p["greedy"]["objective"] <= alts[0]["objective"] + 1e-6
    reasons = {r["code"] for e in alts[0]["explanations"] for r in e["reasons"] + e["runner_up_reasons"]}
    assert "split_volume" in reasons


def test_a_locked_stage_survives_reoptimising_and_a_stale_version_is_a_409(app, client, world):
    w = world
    p = _propose(app, client, w)
    # lock cutting on the second team's choice
    cut = [a["maker_id"] for a in p["alternatives"][1]["assignments"] if a["stage"] == "cutting"]
    r = client.put(f"/api/v1/consortia/proposals/{p['id']}/locks", json={"locks": {"cutting": cut},
                                                                      "version": p["version"]},
                   headers=w.h("coordinator"))
    assert r.status_code == 202, r.json
    with app.app_context():
        assert jobs.wait(r.json["job"]["id"], timeout=60).status == "done"
    again = client.get(f"/api/v1/consortia/proposals/{p['id']}", headers=w.h("coordinator")).json
    assert again["locks"] == {"cutting": cut}
    for alt in again["alternatives"]:
        assert sorted(a["maker_id"] for a in alt["assignments"] if a["stage"] == "cutting") == sorted(cut)
    stale = client.put(f"/api/v1/consortia/proposals/{p['id']}/locks", json={"locks": {}, "version": p["version"]},
                       headers=w.h("coordinator"))
    assert stale.status_code == 409
    bad = client.put(f"/api/v1/consortia/proposals/{p['id']}/locks",
                     json={"locks": {"embroidery": cut}, "version": again["version"]}, headers=w.h("coordinator"))
    assert bad.status_code == 422 and bad.json["error"]["fields"][0]["field"] == "locks"


def test_sending_asks_each_member_and_the_buyer_reads_one_offer_with_its_plan(app, client, world):
    w = world
    p = _propose(app, client, w)
    sent = client.post(f"/api/v1/consortia/proposals/{p['id']}/send", json={"chosen": 0, "version": p["version"]},
                       headers=w.h("coordinator"))
    assert sent.status_code == 200, sent.json
    assert sent.json["status"] == "sent"
    twice = client.post(f"/api/v1/consortia/proposals/{p['id']}/send", json={"chosen": 1, "version": p["version"]},
                        headers=w.h("coordinator"))
    assert twice.status_code == 409
    team = p["alternatives"][0]["assignments"]
    member = next(name for name, mid in w.makers.items() if mid == team[0]["maker_id"])
    parts = client.get("/api/v1/consortia/parts", headers=w.h(member)).json["items"]
    assert len(parts) >= 1 and all(x["maker_id"] == w.makers[member] for x in parts)
    part = parts[0]
    too_many = client.post(f"/api/v1/consortia/parts/{part['id']}/answer",
                           json={"confirm": True, "units": part["units"] + 1}, headers=w.h(member))
    assert too_many.status_code == 422 and too_many.json["error"]["fields"][0]["field"] == "units"
    ok = client.post(f"/api/v1/consortia/parts/{part['id']}/answer", json={"confirm": True}, headers=w.h(member))
    assert ok.status_code == 200 and ok.json["status"] == "confirmed"
    assert client.post(f"/api/v1/consortia/parts/{part['id']}/answer", json={"confirm": False},
                       headers=w.h(member)).status_code == 409
    offers = client.get("/api/v1/consortia/offers", headers=w.h("buyer")).json["items"]
    assert [o["id"] for o in offers] == [p["id"]]
    offer = offers[0]
    assert offer["coordinator"] == "Maestro Coordina" and offer["lead_days"] == p["alternatives"][0]["lead_days"]
    assert {s["stage"] for s in offer["stages"]} == {"cutting", "sewing", "laundry", "finishing"}
    assert "confirmed" in {s["confirmation"] for s in offer["stages"]}
    assert "objective" not in offer and "alternatives" not in offer  # the coordinator's workings stay its own


def test_only_the_coordinator_firm_sees_its_proposal_and_members_only_their_part(app, client, world):
    w = world
    p = _propose(app, client, w)
    # a plain maker is not a coordinator; another firm's proposal is a 404
    assert client.get("/api/v1/consortia/requirements", headers=w.h("Corte Fino")).status_code == 403
    assert client.get(f"/api/v1/consortia/proposals/{p['id']}", headers=w.h("Corte Fino")).status_code == 403
    for who in ("buyer", "staff", "admin"):
        assert client.get(f"/api/v1/consortia/proposals/{p['id']}", headers=w.h(who)).status_code == 403
    # a draft is not an offer yet, and never another buyer's
    assert client.get(f"/api/v1/consortia/offers/{p['id']}", headers=w.h("buyer")).status_code == 404
    client.post(f"/api/v1/consortia/proposals/{p['id']}/send", json={"chosen": 0, "version": p["version"]},
                headers=w.h("coordinator"))
    assert client.get(f"/api/v1/consortia/offers/{p['id']}", headers=w.h("other_buyer")).status_code == 404
    assert client.get(f"/api/v1/consortia/offers/{p['id']}", headers=w.h("buyer")).status_code == 200
    # a one-stage requirement is no consortium's: 422 naming the processes, nothing written
    one = client.post("/api/v1/requirements", json={"title": "Only sewing", "product_line": "jeans_western",
                                                    "quantity": 500, "lead_time_days": 30, "processes": ["sewing"],
                                                    "status": "open"}, headers=w.h("buyer"))
    assert one.status_code == 201, one.json
    r = client.post(f"/api/v1/consortia/requirements/{one.json['id']}/proposal", headers=w.h("coordinator"))
    assert r.status_code == 422 and r.json["error"]["fields"][0]["field"] == "processes"
    # the uncleared buyer's requirement cannot be proposed for
    assert client.post(f"/api/v1/consortia/requirements/{w.other_req}/proposal",
                       headers=w.h("coordinator")).status_code == 404
