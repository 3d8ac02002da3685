"""Inquiries and quotes: only cleared buyers send, within a daily limit; a maker sees its own inbox,
answers once (a race ends with one winner and a 409), quotes; the buyer compares quotes; every
step writes its outcome event with the ranking context of the shortlist."""
from __future__ import annotations

from datetime import date, timedelta

from matchmaker import db
from matchmaker.contact import schemas as s
from matchmaker.contact import inquiries as iq
from matchmaker.contact.records import Inquiry
from matchmaker.accounts.records import User
from matchmaker.errors import Conflict
from matchmaker.vetting.records import VettingCase
from tests.support.vetting import clear_buyer

from tests.contact.conftest import outcome_events


def _send(client, world, makers, who="buyer", req=None, **extra):
    return client.post("/api/v1/inquiries", json={"requirement_id": req or world.req, "maker_ids": makers,
                                                  "message": "¿Pueden hacer 3,000 piezas?", **extra},
                       headers=world.tokens[who])


def _quote(**over) -> dict:
    body = {"unit_price": 9.5, "currency": "USD", "lead_time_days": 28, "moq": 1000,
            "valid_until": (date.today() + timedelta(days=30)).isoformat(), "notes": "Lavado a la piedra incluido."}
    body.update(over)
    return body


def _sent(client, world, makers=None) -> list[int]:
    r = _send(client, world, makers or world.makers[:2])
    assert r.status_code == 201, r.get_json()
    return [i["id"] for i in r.get_json()["items"]]


def test_a_cleared_buyer_sends_to_several_makers_with_the_ranking_context(app, client, world):
    client.post(f"/api/v1/requirements/{world.req}/shortlist", headers=world.tokens["buyer"],
                json={"maker_id": world.makers[0], "source": "ranking", "rank": 3, "model_version": "ranker-7"})
    ids = _sent(client, world, world.makers[:2])
    assert len(ids) == 2
    assert outcome_events(app, event="contacted") == [("contacted", world.makers[0], 3, "ranker-7"),
                                                      ("contacted", world.makers[1], None, None)]
    # each maker sees its own inbox only
    inbox = client.get("/api/v1/inquiries", headers=world.tokens["maker0"]).get_json()
    assert [i["id"] for i in inbox["items"]] == [ids[0]] and inbox["total"] == 1
    assert "rank" not in inbox["items"][0], "the buyer's ranking context is not shown to the maker"
    assert client.get("/api/v1/inquiries", headers=world.tokens["maker2"]).get_json()["items"] == []
    assert client.get(f"/api/v1/inquiries/{ids[0]}", headers=world.tokens["maker1"]).status_code == 404
    assert client.get(f"/api/v1/inquiries/{ids[0]}", headers=world.tokens["other_buyer"]).status_code == 404
    sent = client.get("/api/v1/inquiries", headers=world.tokens["buyer"]).get_json()
    assert sorted(i["id"] for i in sent["items"]) == sorted(ids)


def test_an_uncleared_buyer_is_refused_with_the_reason(app, client, world):
    r = _send(client, world, world.makers[:1], who="other_buyer", req=world.other_req)
    err = r.get_json()["error"]
    assert r.status_code == 403 and err["code"] == "not_cleared" and err["fields"][0]["field"] == "buyer"
    assert "not been vetted" in err["message"]
    # under review
    with app.app_context():
        sess = db.session()
        sess.add(VettingCase(association_id=world.association, subject_id=world.other_buyer, origin="application",
                             status="open"))
        sess.commit()
    r = _send(client, world, world.makers[:1], who="other_buyer", req=world.other_req)
    assert r.status_code == 403 and "under review" in r.get_json()["error"]["message"]
    # the board rejected it: the decision is named, in the reader's language
    with app.app_context():
        sess = db.session()
        for case in sess.query(VettingCase).filter_by(subject_id=world.other_buyer, status="open"):
            case.status = "decided"
        sess.commit()
        clear_buyer(sess, world.other_buyer, world.association, outcome="rejected")
    r = client.post("/api/v1/inquiries", headers={**world.tokens["other_buyer"], "Accept-Language": "es"},
                    json={"requirement_id": world.other_req, "maker_ids": world.makers[:1]})
    assert r.status_code == 403 and "Rechazado" in r.get_json()["error"]["message"]
    assert outcome_events(app, event="contacted") == []


def test_the_daily_limit_refuses_the_whole_request_and_writes_nothing(app, client, world):
    app.config["INQUIRY_DAILY_LIMIT"] = 3
    assert _send(client, world, world.makers[:2]).status_code == 201
    with app.app_context():
        from matchmaker.requirements.services import create_requirement
        from matchmaker.requirements.schemas import RequirementIn
        from tests.contact.conftest import REQUIREMENT
        second = create_requirement(db.session(), world.buyer, world.users["buyer"],
                                    RequirementIn(**REQUIREMENT)).id
    r = _send(client, world, world.makers[:2], req=second)
    err = r.get_json()["error"]
    assert r.status_code == 429 and err["fields"][0]["field"] == "maker_ids"
    assert "3 inquiries a day; 1 are left" in err["message"]
    assert len(outcome_events(app, event="contacted")) == 2
    assert _send(client, world, world.makers[:1], req=second).status_code == 201  # the one that is left
    assert _send(client, world, world.makers[1:2], req=second).status_code == 429


def test_refusals_name_the_field(client, world):
    r = _send(client, world, world.makers[:1], req=world.draft_req)
    assert r.status_code == 409 and r.get_json()["error"]["fields"][0]["field"] == "requirement_id"
    r = _send(client, world, world.makers[:1], req=world.other_req)
    assert r.status_code == 404 and r.get_json()["error"]["fields"][0]["field"] == "requirement_id"
    r = _send(client, world, [])
    assert r.status_code == 422 and r.get_json()["error"]["fields"][0]["field"] == "maker_ids"
    r = _send(client, world, [world.makers[0], world.makers[0]])
    assert r.status_code == 422 and r.get_json()["error"]["fields"][0]["field"] == "maker_ids"
    r = _send(client, world, [999_999])
    assert r.status_code == 422 and r.get_json()["error"]["fields"][0]["field"] == "maker_ids"
    r = _send(client, world, world.makers[:1], surprise=True)
    assert r.status_code == 422 and r.get_json()["error"]["fields"][0]["field"] == "surprise"
    _sent(client, world, world.makers[:1])
    r = _send(client, world, world.makers[:2])
    assert r.status_code == 409 and "Taller Azul" in r.get_json()["error"]["message"]
    for who in ("maker0", "staff", "admin"):
        assert _send(client, world, world.makers[:1], who=who).status_code == 403, who


def test_maker_declines_with_a_reason_once(app, client, world):
    inq = _sent(client, world)[0]
    h = world.tokens["maker0"]
    r = client.post(f"/api/v1/inquiries/{inq}/answer", json={"decision": "decline"}, headers=h)
    assert r.status_code == 422 and r.get_json()["error"]["fields"][0]["field"] == "reason"
    r = client.post(f"/api/v1/inquiries/{inq}/answer", json={"decision": "decline", "reason": "whim"}, headers=h)
    assert r.status_code == 422 and r.get_json()["error"]["fields"][0]["field"] == "reason"
    r = client.post(f"/api/v1/inquiries/{inq}/answer", headers=h,
                    json={"decision": "decline", "reason": "no_capacity", "note": "Llenos hasta marzo"})
    assert r.status_code == 200 and r.get_json()["status"] == "declined"
    r = client.post(f"/api/v1/inquiries/{inq}/answer", json={"decision": "accept"}, headers=h)
    assert r.status_code == 409
    assert outcome_events(app, event="declined") == [("declined", world.makers[0], None, None)]
    buyer_view = client.get(f"/api/v1/inquiries/{inq}", headers=world.tokens["buyer"]).get_json()
    assert buyer_view["decline_reason"] == "no_capacity" and buyer_view["decline_note"] == "Llenos hasta marzo"
    # a declined inquiry takes no quote and no progress
    assert client.post(f"/api/v1/inquiries/{inq}/quotes", json=_quote(), headers=h).status_code == 409
    assert client.post(f"/api/v1/inquiries/{inq}/events", json={"event": "sample_requested"},
                       headers=world.tokens["buyer"]).status_code == 409
    # the buyer cannot answer for the maker
    inq2 = _sent(client, world, world.makers[2:])[0]
    assert client.post(f"/api/v1/inquiries/{inq2}/answer", json={"decision": "accept"},
                       headers=world.tokens["buyer"]).status_code == 403


def test_two_answers_at_the_same_moment_end_with_one_winner(app, client, world):
    inq_id = _sent(client, world, world.makers[:1])[0]
    maker = world.users["maker0"]
    with app.app_context():
        sess_a = app.extensions["matchmaker.sessionmaker"]()
        sess_b = app.extensions["matchmaker.sessionmaker"]()
        inq_a, inq_b = sess_a.get(Inquiry, inq_id), sess_b.get(Inquiry, inq_id)   # both read version 1
        user_a, user_b = sess_a.get(User, maker), sess_b.get(User, maker)
        iq.answer(sess_a, user_a, inq_a, s.AnswerIn(decision="accept"))
        try:
            iq.answer(sess_b, user_b, inq_b, s.AnswerIn(decision="decline", reason="price"))
        except Conflict:
            lost = True
        else:
            lost = False
        sess_a.close(), sess_b.close()
    assert lost, "the second answer must lose"
    got = client.get(f"/api/v1/inquiries/{inq_id}", headers=world.tokens["buyer"]).get_json()
    assert got["status"] == "accepted"
    assert outcome_events(app, event="declined") == []
    # a stale version on the API is a 409 too
    r = client.post(f"/api/v1/inquiries/{inq_id}/answer", json={"decision": "accept", "version": 1},
                    headers=world.tokens["maker0"])
    assert r.status_code == 409


def test_quotes_are_seen_only_by_their_maker_and_the_buyer_who_compares_them(app, client, world):
    ids = _sent(client, world, world.makers)
    r = client.post(f"/api/v1/inquiries/{ids[0]}/quotes", json=_quote(unit_price=11.0), headers=world.tokens["maker0"])
    assert r.status_code == 201
    r = client.post(f"/api/v1/inquiries/{ids[1]}/quotes", json=_quote(unit_price=8.25, moq=4000, lead_time_days=45),
                    headers=world.tokens["maker1"])
    assert r.status_code == 201
    # quoting answers the inquiry; a revised quote replaces the first in the comparison
    assert client.get(f"/api/v1/inquiries/{ids[0]}", headers=world.tokens["maker0"]).get_json()["status"] == "accepted"
    client.post(f"/api/v1/inquiries/{ids[0]}/quotes", json=_quote(unit_price=10.0), headers=world.tokens["maker0"])
    table = client.get(f"/api/v1/requirements/{world.req}/quotes", headers=world.tokens["buyer"]).get_json()["items"]
    assert [(q["maker_id"], q["unit_price"]) for q in table] == [(world.makers[1], 8.25), (world.makers[0], 10.0)]
    cheap = table[0]
    assert cheap["meets_quantity"] is False and cheap["meets_lead_time"] is False  # 4,000 > 3,000; 45 > 30 days
    assert table[1]["meets_quantity"] is True and table[1]["meets_lead_time"] is True
    # one quoted event per maker, with the context
    assert [e[:2] for e in outcome_events(app, event="quoted")] == [("quoted", world.makers[0]), ("quoted", world.makers[1])]
    # another maker never sees a competitor's quote
    assert client.get(f"/api/v1/inquiries/{ids[0]}", headers=world.tokens["maker1"]).status_code == 404
    mine = client.get(f"/api/v1/inquiries/{ids[1]}", headers=world.tokens["maker1"]).get_json()
    assert [q["unit_price"] for q in mine["quotes"]] == [8.25]
    assert client.get(f"/api/v1/requirements/{world.req}/quotes", headers=world.tokens["maker1"]).status_code == 403
    assert client.get(f"/api/v1/requirements/{world.req}/quotes",
                      headers=world.tokens["other_buyer"]).status_code == 404
    # a maker cannot quote on another maker's inquiry
    assert client.post(f"/api/v1/inquiries/{ids[0]}/quotes", json=_quote(),
                       headers=world.tokens["maker2"]).status_code == 404


def test_bad_quotes_name_the_field(client, world):
    inq = _sent(client, world, world.makers[:1])[0]
    h = world.tokens["maker0"]
    for body, field in ((_quote(unit_price=0), "unit_price"), (_quote(unit_price="cheap"), "unit_price"),
                        (_quote(currency="XXX"), "currency"), (_quote(lead_time_days=0), "lead_time_days"),
                        (_quote(moq=-5), "moq"), (_quote(valid_until="2020-01-01"), "valid_until"),
                        (_quote(valid_until="next week"), "valid_until")):
        r = client.post(f"/api/v1/inquiries/{inq}/quotes", json=body, headers=h)
        assert r.status_code == 422, body
        assert [f["field"] for f in r.get_json()["error"]["fields"]] == [field], body
    body = _quote()
    del body["moq"]
    r = client.post(f"/api/v1/inquiries/{inq}/quotes", json=body, headers=h)
    assert r.status_code == 422 and r.get_json()["error"]["fields"][0]["field"] == "moq"


def test_progress_events_follow_the_funnel_with_the_ranking_context(app, client, world):
    client.post(f"/api/v1/requirements/{world.req}/shortlist", headers=world.tokens["buyer"],
                json={"maker_id": world.makers[0], "source": "ranking", "rank": 1, "model_version": "ranker-7"})
    inq = _sent(client, world, world.makers[:1])[0]
    hb = world.tokens["buyer"]

    def ev(name):
        return client.post(f"/api/v1/inquiries/{inq}/events", json={"event": name}, headers=hb)

    assert ev("order_placed").status_code == 409          # not accepted yet
    assert ev("sample_approved").status_code == 409       # no sample requested
    assert ev("sample_requested").status_code == 200
    assert ev("sample_requested").status_code == 409      # once
    assert ev("sample_approved").status_code == 200
    client.post(f"/api/v1/inquiries/{inq}/answer", json={"decision": "accept"}, headers=world.tokens["maker0"])
    assert ev("order_placed").status_code == 200
    assert ev("teleported").status_code == 422
    assert client.post(f"/api/v1/inquiries/{inq}/events", json={"event": "order_placed"},
                       headers=world.tokens["maker0"]).status_code == 403
    events = outcome_events(app, maker_id=world.makers[0], buyer_id=world.buyer)
    assert [e for e in events if e[0] != "shortlisted"] == [
        ("contacted", world.makers[0], 1, "ranker-7"), ("sample_requested", world.makers[0], 1, "ranker-7"),
        ("sample_approved", world.makers[0], 1, "ranker-7"), ("order_placed", world.makers[0], 1, "ranker-7")]
