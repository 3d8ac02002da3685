"""The buyer's subcontracting rule, the cost a member quoted for its part, cohesion between firms
that confirmed a consortium together, and the coordinator's stated small-firm share, as the
coordinator and the buyer meet them through the API and the pages."""
from __future__ import annotations

from sqlalchemy import update

from matchmaker import db, jobs
from matchmaker.makers.services import create_maker_profile
from matchmaker.consortia.records import Proposal
from matchmaker.makers.schemas import MakerProfileIn
from matchmaker.makers.records import MakerProfile
from matchmaker.organizations.records import Organization
from tests.consortia.conftest import BASE, REQUIREMENT
from tests.support.world import login_as, post_form, set_language


def _propose(app, client, w, req=None):
    r = client.post(f"/api/v1/consortia/requirements/{req or w.req}/proposal", headers=w.h("coordinator"))
    assert r.status_code == 202, r.json
    with app.app_context():
        assert jobs.wait(r.json["job"]["id"], timeout=60).status == "done"
    return client.get(f"/api/v1/consortia/proposals/{r.json['proposal']['id']}", headers=w.h("coordinator")).json


def _set_rule(client, w, rule: str, req=None):
    req = req or w.req
    body = client.get(f"/api/v1/requirements/{req}", headers=w.h("buyer")).json
    body = {k: val for k, val in body.items() if k not in ("id", "buyer_id", "created_at")}
    r = client.put(f"/api/v1/requirements/{req}", json={**body, "subcontracting": rule}, headers=w.h("buyer"))
    assert r.status_code == 200, r.json
    assert r.json["subcontracting"] == rule


def _makers(alt) -> set[int]:
    return {a["maker_id"] for a in alt["assignments"]}


def test_the_subcontracting_rule_is_a_requirement_field_checked_by_name(client, world):
    w = world
    assert client.get(f"/api/v1/requirements/{w.req}", headers=w.h("buyer")).json["subcontracting"] == "allowed"
    bad = client.post("/api/v1/requirements", json={**REQUIREMENT, "subcontracting": "sometimes"},
                      headers=w.h("buyer"))
    assert bad.status_code == 422 and bad.json["error"]["fields"][0]["field"] == "subcontracting"
    made = client.post("/api/v1/requirements", json={**REQUIREMENT, "subcontracting": "declared"},
                       headers=w.h("buyer"))
    assert made.status_code == 201 and made.json["subcontracting"] == "declared"


def test_a_buyer_forbidding_subcontracting_gets_single_firm_teams_only(app, client, factory, world):
    w = world
    integral = factory.org("maker", name="Integral Denim", city="Guadalajara", lat=20.7, lon=-103.4)
    with app.app_context():
        sess = db.session()
        body = dict(BASE, processes=["cutting", "sewing", "laundry", "finishing"], monthly_capacity=6000,
                    min_order_qty=500, order_lead_days=40, headcount=200)
        create_maker_profile(sess, sess.get(Organization, integral), MakerProfileIn(**body))
        sess.commit()
    mixed = _propose(app, client, w)
    assert any(len(_makers(alt)) > 1 for alt in mixed["alternatives"])
    _set_rule(client, w, "forbidden")
    # a team built before the rule changed is refused at sending: 422 naming the team
    r = client.post(f"/api/v1/consortia/proposals/{mixed['id']}/send",
                    json={"chosen": next(i for i, alt in enumerate(mixed["alternatives"]) if len(_makers(alt)) > 1),
                          "version": mixed["version"]}, headers=w.h("coordinator"))
    assert r.status_code == 422 and r.json["error"]["fields"][0]["field"] == "chosen"
    closed = _propose(app, client, w)
    assert closed["subcontracting"] == "forbidden" and closed["alternatives"]
    assert all(_makers(alt) == {integral} for alt in closed["alternatives"])
    sent = client.post(f"/api/v1/consortia/proposals/{closed['id']}/send",
                       json={"chosen": 0, "version": closed["version"]}, headers=w.h("coordinator"))
    assert sent.status_code == 200, sent.json
    # the buyer's requirement page states the rule in its language
    login_as(client, factory, w.users["buyer"])
    set_language(client, "es")
    html = client.get(f"/requirements/{w.req}").get_data(as_text=True)
    assert "Prohibida: una sola empresa hace todo el pedido" in html


def test_a_declared_consortium_leaves_out_makers_that_subcontract_out_of_sight(app, client, world):
    w = world
    p = _propose(app, client, w)
    assert any(w.makers["Corte Fino"] in _makers(alt) for alt in p["alternatives"])
    with app.app_context():
        sess = db.session()
        sess.execute(update(MakerProfile).where(MakerProfile.organization_id == w.makers["Corte Fino"])
                     .values(subcontracts=True))
        sess.commit()
    _set_rule(client, w, "declared")
    p = _propose(app, client, w)
    # Corte Rápido alone cannot cut 5,000 pieces: without Corte Fino no team exists, and it says why
    assert p["alternatives"] == [] and p["shortfalls"] == {"cutting": "capacity"}
    _set_rule(client, w, "allowed")
    p = _propose(app, client, w)
    assert p["alternatives"] and any(w.makers["Corte Fino"] in _makers(alt) for alt in p["alternatives"])


def test_a_members_quoted_price_and_past_teamwork_change_the_next_team(app, client, world):
    w = world
    first = _propose(app, client, w)
    team = first["alternatives"][0]
    finisher = [a["maker_id"] for a in team["assignments"] if a["stage"] == "finishing"]
    assert finisher == [w.makers["Acabados Finos"]]  # fastest and inside its price band
    sent = client.post(f"/api/v1/consortia/proposals/{first['id']}/send", json={"chosen": 0,
                                                                               "version": first["version"]},
                       headers=w.h("coordinator"))
    assert sent.status_code == 200
    names = {mid: name for name, mid in w.makers.items()}
    for part in sent.json["parts"]:
        who = names[part["maker_id"]]
        price = 20.0 if who == "Acabados Finos" else None  # the finisher quotes far above its band
        r = client.post(f"/api/v1/consortia/parts/{part['id']}/answer", json={"confirm": True, "unit_price": price},
                        headers=w.h(who))
        assert r.status_code == 200
    with app.app_context():  # the other finisher publishes its band meanwhile
        sess = db.session()
        sess.execute(update(MakerProfile).where(MakerProfile.organization_id == w.makers["Acabados Dos"])
                     .values(unit_price_min=0.9, unit_price_max=1.3))
        sess.commit()
    # a second order for two months, so the capacity promised to the first still leaves room
    second_req = client.post("/api/v1/requirements", json={**REQUIREMENT, "quantity": 2000, "lead_time_days": 60},
                             headers=w.h("buyer")).json["id"]
    second = _propose(app, client, w, second_req)
    best = second["alternatives"][0]
    assert [a["maker_id"] for a in best["assignments"] if a["stage"] == "finishing"] == [w.makers["Acabados Dos"]]
    finos = [a for alt in second["alternatives"] for a in alt["assignments"] if a["maker_id"] ==
             w.makers["Acabados Finos"]]
    assert all(a["unit_cost"] == 20.0 for a in finos)
    # the members who confirmed together score cohesion, and the reasons name the partner
    assert best["terms"]["cohesion"] > 0
    partners = {(r["params"]["maker"], r["params"]["partner"]) for e in best["explanations"] for r in e["reasons"]
                if r["code"] == "picked_cohesion"}
    assert partners and all(a in names.values() and b in names.values() for a, b in partners)


def test_the_coordinator_states_a_small_firm_share_and_the_reasons_say_who_takes_it(app, client, factory, world):
    w = world
    p = _propose(app, client, w)
    url = f"/api/v1/consortia/proposals/{p['id']}/locks"
    bad = client.put(url, json={"version": p["version"], "small_share": 1.5}, headers=w.h("coordinator"))
    assert bad.status_code == 422 and bad.json["error"]["fields"][0]["field"] == "small_share"
    r = client.put(url, json={"version": p["version"], "small_share": 0.4}, headers=w.h("coordinator"))
    assert r.status_code == 202
    with app.app_context():
        assert jobs.wait(r.json["job"]["id"], timeout=60).status == "done"
    p = client.get(f"/api/v1/consortia/proposals/{p['id']}", headers=w.h("coordinator")).json
    assert p["small_share"] == 0.4
    takers = {r["params"]["maker"] for e in p["alternatives"][0]["explanations"] for r in e["reasons"]
              if r["code"] == "picked_small_share"}
    assert takers and takers <= set(w.makers)
    login_as(client, factory, w.users["coordinator"])
    set_language(client, "es")
    page = f"/consortia/proposals/{p['id']}"
    html = client.get(page).get_data(as_text=True)
    assert 'name="small_share"' in html and 'value="40"' in html and "es una empresa pequeña" in html
    assert "Cómo se califican los equipos" in html and "Costo: el precio por pieza" in html
    wrong = post_form(client, f"{page}/share", {"version": p["version"], "small_share": "150"}, token_page=page)
    assert wrong.status_code == 422 and 'id="small_share-error"' in wrong.get_data(as_text=True)
    assert "Una cuota entre 0 y 100 %." in wrong.get_data(as_text=True)
    ok = post_form(client, f"{page}/share", {"version": p["version"], "small_share": "0"}, token_page=page)
    assert ok.status_code == 302
    with app.app_context():  # the re-optimisation ends before the next test empties the tables
        job = jobs.latest(f"consortium:{p['id']}")
        assert jobs.wait(job.id, timeout=60).status == "done"
        assert db.session().get(Proposal, p["id"]).small_share == 0


def test_the_buyer_sets_the_subcontracting_rule_on_the_requirement_form_in_spanish(app, client, factory, world):
    from tests.support.world import REQUIREMENT_BODY, requirement_form

    w = world
    login_as(client, factory, w.users["buyer"])
    set_language(client, "es")
    form = client.get("/requirements/new").get_data(as_text=True)
    assert "Subcontratación" in form and "Solo un consorcio declarado (cada miembro nombrado)" in form
    bad = post_form(client, "/requirements/new", {**requirement_form(REQUIREMENT_BODY), "subcontracting": "a veces"},
                    token_page="/requirements/new")
    assert bad.status_code == 422 and 'id="subcontracting-error"' in bad.get_data(as_text=True)
    ok = post_form(client, "/requirements/new", {**requirement_form(REQUIREMENT_BODY), "subcontracting": "declared"},
                   token_page="/requirements/new")
    assert ok.status_code == 302
    req_id = int(ok.headers["Location"].rstrip("/").split("/")[-1])
    assert client.get(f"/api/v1/requirements/{req_id}", headers=w.h("buyer")).json["subcontracting"] == "declared"
    # a form without the field (an older page) keeps the default
    plain = post_form(client, "/requirements/new", requirement_form(REQUIREMENT_BODY), token_page="/requirements/new")
    assert plain.status_code == 302
