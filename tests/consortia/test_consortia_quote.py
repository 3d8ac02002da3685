"""A sent consortium is one ordinary contact quote: the buyer finds it in its inquiries and its
quote comparison, with the stage plan on the inquiry page; members' own prices stay with the
coordinator unless it chooses to show each stage's price; bad quote terms are a 422 naming the
field with nothing written."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from matchmaker import db, jobs
from matchmaker.consortia.records import Proposal
from matchmaker.contact.records import Inquiry, Quote
from tests.consortia.conftest import BANDS
from tests.support.world import login_as, post_form, set_language


def _propose(app, client, w, req=None):
    r = client.post(f"/api/v1/consortia/requirements/{req or w.req}/proposal", headers=w.h("coordinator"))
    assert r.status_code == 202, r.json
    with app.app_context():
        assert jobs.wait(r.json["job"]["id"], timeout=60).status == "done"
    return client.get(f"/api/v1/consortia/proposals/{r.json['proposal']['id']}", headers=w.h("coordinator")).json


def _band_cost(name: str) -> float:
    low, high = BANDS[name]
    return (low + high) / 2  # every specialist offers one process


def test_the_sent_team_is_one_quote_in_the_buyers_inquiries_with_its_plan(app, client, factory, world):
    w = world
    p = _propose(app, client, w)
    team = p["alternatives"][0]
    names = {mid: name for name, mid in w.makers.items()}
    # the team's cost per piece is each member's public band midpoint weighted by its units; the
    # finisher without a band counts at the median of the finishing stage's known costs (1.00)
    cost = {name: _band_cost(name) for name in BANDS} | {"Acabados Dos": 1.0}
    expected = sum(cost[names[a["maker_id"]]] * a["units"] / 5000 for a in team["assignments"])
    assert team["unit_cost"] == round(expected, 2)
    sent = client.post(f"/api/v1/consortia/proposals/{p['id']}/send",
                       json={"chosen": 0, "version": p["version"], "notes": "Full package, one invoice."},
                       headers=w.h("coordinator"))
    assert sent.status_code == 200, sent.json
    quote = sent.json["quote"]
    assert quote["unit_price"] == team["unit_cost"] and quote["currency"] == "USD"
    assert quote["lead_time_days"] == team["lead_days"] and quote["moq"] == 5000
    assert quote["valid_until"] == (date.today() + timedelta(days=30)).isoformat()
    assert quote["consortium_proposal_id"] == p["id"] and quote["maker_id"] == w.coordinator
    # the buyer's inquiries list it like any maker's; the inquiry holds the quote
    mine = client.get("/api/v1/inquiries", headers=w.h("buyer")).json["items"]
    inq = next(i for i in mine if i["id"] == sent.json["inquiry_id"])
    assert inq["maker_id"] == w.coordinator and inq["status"] == "accepted" and inq["requirement_id"] == w.req
    detail = client.get(f"/api/v1/inquiries/{inq['id']}", headers=w.h("buyer")).json
    assert [q["consortium_proposal_id"] for q in detail["quotes"]] == [p["id"]]
    table = client.get(f"/api/v1/requirements/{w.req}/quotes", headers=w.h("buyer")).json["items"]
    assert [(q["maker_name"], q["unit_price"]) for q in table] == [("Maestro Coordina", team["unit_cost"])]
    offer = client.get(f"/api/v1/consortia/offers/{p['id']}", headers=w.h("buyer")).json
    assert offer["inquiry_id"] == inq["id"] and offer["quote"]["id"] == quote["id"]
    assert all("unit_price" not in s for s in offer["stages"])  # only the consortium's total
    # a member confirms with its own price: the coordinator sees it, the buyer never
    member = names[team["assignments"][0]["maker_id"]]
    part = client.get("/api/v1/consortia/parts", headers=w.h(member)).json["items"][0]
    ok = client.post(f"/api/v1/consortia/parts/{part['id']}/answer", json={"confirm": True, "unit_price": 7.77},
                     headers=w.h(member))
    assert ok.status_code == 200 and ok.json["unit_price"] == 7.77
    seen = client.get(f"/api/v1/consortia/proposals/{p['id']}", headers=w.h("coordinator")).json
    assert 7.77 in [x["unit_price"] for x in seen["parts"]]
    buyer_json = str(client.get(f"/api/v1/consortia/offers/{p['id']}", headers=w.h("buyer")).json) + \
        str(client.get(f"/api/v1/inquiries/{inq['id']}", headers=w.h("buyer")).json)
    assert "7.77" not in buyer_json
    # the buyer's inquiry page: the quote, and beside it the plan (Gantt) and the stages
    login_as(client, factory, w.users["buyer"])
    set_language(client, "es")
    html = client.get(f"/inquiries/{inq['id']}").get_data(as_text=True)
    assert 'data-testid="consortium-plan"' in html and "<svg" in html and "Plan por etapas" in html
    assert "Oferta en consorcio de Maestro Coordina" in html and "Lavados Altos" in html
    assert f"{team['unit_cost']:,.2f}" in html and "7.77" not in html
    compare = client.get(f"/requirements/{w.req}/quotes").get_data(as_text=True)
    assert 'data-testid="consortium-badge"' in compare and "Consorcio: con plan por etapas" in compare
    assert client.get(f"/consortia/offers/{p['id']}").status_code == 200
    login_as(client, factory, w.users["other_buyer"])
    assert client.get(f"/inquiries/{inq['id']}").status_code == 404


def test_the_coordinator_may_show_each_stage_price_and_set_its_own_total(app, client, world):
    w = world
    p = _propose(app, client, w)
    sent = client.post(f"/api/v1/consortia/proposals/{p['id']}/send",
                       json={"chosen": 1, "version": p["version"], "unit_price": 12.5, "currency": "EUR",
                             "moq": 2500, "show_stage_prices": True}, headers=w.h("coordinator"))
    assert sent.status_code == 200, sent.json
    assert (sent.json["quote"]["unit_price"], sent.json["quote"]["currency"], sent.json["quote"]["moq"]) == \
        (12.5, "EUR", 2500)
    offer = client.get(f"/api/v1/consortia/offers/{p['id']}", headers=w.h("buyer")).json
    costs = {(a["stage"], a["maker_id"]): a["unit_cost"] for a in p["alternatives"][1]["assignments"]}
    assert {(s["stage"], s["maker_id"]): s["unit_price"] for s in offer["stages"]} == costs


def test_bad_quote_terms_are_a_422_naming_the_field_and_nothing_is_written(app, client, world):
    w = world
    p = _propose(app, client, w)
    url, h = f"/api/v1/consortia/proposals/{p['id']}/send", w.h("coordinator")
    for body, field in (({"valid_until": (date.today() - timedelta(days=1)).isoformat()}, "valid_until"),
                        ({"valid_until": "2101-01-01"}, "valid_until"),  # after validation.LAST_DAY
                        ({"currency": "XYZ"}, "currency"), ({"unit_price": -3}, "unit_price"),
                        ({"unit_price": "cheap"}, "unit_price"), ({"chosen": 7}, "chosen")):
        r = client.post(url, json={"chosen": 0, "version": p["version"], **body}, headers=h)
        assert r.status_code == 422, (body, r.json)
        assert r.json["error"]["fields"][0]["field"] == field
    with app.app_context():
        sess = db.session()
        assert sess.get(Proposal, p["id"]).status == "draft"
        assert sess.scalar(select(func.count(Inquiry.id)).where(Inquiry.maker_id == w.coordinator)) == 0
        assert sess.scalar(select(func.count(Quote.id))) == 0


def test_an_earlier_inquiry_from_the_buyer_to_the_coordinator_carries_the_quote(app, client, world):
    w = world
    with app.app_context():
        sess = db.session()
        sess.add(Inquiry(requirement_id=w.req, buyer_id=w.buyer, maker_id=w.coordinator, message="Can you team up?"))
        sess.commit()
        first = sess.scalar(select(Inquiry.id).where(Inquiry.maker_id == w.coordinator))
    p = _propose(app, client, w)
    sent = client.post(f"/api/v1/consortia/proposals/{p['id']}/send", json={"chosen": 0, "version": p["version"]},
                       headers=w.h("coordinator"))
    assert sent.status_code == 200 and sent.json["inquiry_id"] == first
    notes = client.get("/api/v1/notifications", headers=w.h("buyer")).json["items"]
    assert any(n["kind"] == "quote" and n.get("link") == f"/inquiries/{first}" for n in notes)


def test_the_send_form_shows_a_bad_price_beside_the_field(app, client, factory, world):
    w = world
    p = _propose(app, client, w)
    login_as(client, factory, w.users["coordinator"])
    set_language(client, "es")
    page = f"/consortia/proposals/{p['id']}"
    bad = post_form(client, f"{page}/send", {"version": p["version"], "chosen": 0, "unit_price": "barato"},
                    token_page=page)
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422 and 'id="unit_price-0-error"' in html and "Escriba un número." in html
    past = post_form(client, f"{page}/send", {"version": p["version"], "chosen": 0, "valid_until": "2001-01-01"},
                     token_page=page)
    assert past.status_code == 422 and 'id="valid_until-0-error"' in past.get_data(as_text=True)
    ok = post_form(client, f"{page}/send", {"version": p["version"], "chosen": 0, "unit_price": "9.40",
                                            "notes": "Una factura."}, token_page=page)
    assert ok.status_code == 302
    html = client.get(page).get_data(as_text=True)
    assert "Enviada al comprador como una sola cotización" in html and 'data-testid="sent-inquiry"' in html
    with app.app_context():
        quote = db.session().scalar(select(Quote).where(Quote.consortium_proposal_id == p["id"]))
        assert (quote.unit_price, quote.notes) == (9.4, "Una factura.")
