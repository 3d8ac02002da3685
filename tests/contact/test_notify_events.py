"""Notices about other concerns' events reach the right people, in the app and by email in their language:
a vetting decision (the buyer's users and whoever opened the case), a buyer's reply to an incident (the
association's staff), a published agenda and a repaired schedule (the fair's participants)."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from matchmaker import db
from matchmaker.contact.records import EmailOutbox, Notification
from matchmaker.accounts.records import User
from matchmaker.organizations.records import Association, Membership

from tests.contact.conftest import send_mail
from tests.fairs.conftest import cluster, make_fair, register_all, wait_schedule  # noqa: F401  (fixture)


def _notices(client, headers) -> list[dict]:
    r = client.get("/api/v1/notifications", headers=headers)
    assert r.status_code == 200
    return r.get_json()["items"]


def _set_locale(app, user_id: int, lang: str) -> None:
    with app.app_context():
        db.session().get(User, user_id).locale = lang
        db.session().commit()


def _vetting_world(app, factory):
    with app.app_context():
        sess = db.session()
        assoc = Association(name="Jeans makers of Guadalajara", slug="jeans-gdl", sector="denim")
        sess.add(assoc)
        sess.commit()
        assoc_id = assoc.id
    board_org = factory.org("maker", "Mezclilla Consejo")
    member_org = factory.org("maker", "Taller Socio")
    with app.app_context():
        sess = db.session()
        sess.add_all([Membership(association_id=assoc_id, organization_id=board_org, role="board"),
                      Membership(association_id=assoc_id, organization_id=member_org, role="member")])
        sess.commit()
    buyer_org = factory.org("buyer", "Denim Co", country="US")
    users = {"board": factory.user("board_member", board_org, assoc_id),
             "member": factory.user("maker_user", member_org, assoc_id),
             "staff": factory.user("association_staff", None, assoc_id),
             "other_staff": factory.user("association_staff", None, None),
             "buyer": factory.user("buyer_user", buyer_org), "buyer2": factory.user("buyer_user", buyer_org)}
    tokens = {k: factory.token(v) for k, v in users.items()}
    return assoc_id, buyer_org, member_org, users, tokens


def _decide(client, tokens, case_id: int, outcome: str = "approved") -> None:
    r = client.post(f"/api/v1/vetting/cases/{case_id}/votes", json={"vote": outcome}, headers=tokens["board"])
    assert r.status_code == 201, r.get_json()
    r = client.post(f"/api/v1/vetting/cases/{case_id}/decision", headers=tokens["board"], json={
        "outcome": outcome, "rationale": "Pays on time according to three member firms.",
        "review_date": (date.today() + timedelta(days=365)).isoformat()})
    assert r.status_code == 201, r.get_json()


def test_a_vetting_decision_reaches_the_buyers_users_and_the_proposer(app, client, factory, smtp):
    assoc, buyer_org, _member_org, users, tokens = _vetting_world(app, factory)
    _set_locale(app, users["buyer2"], "es")
    r = client.post("/api/v1/vetting/cases", json={"subject_id": buyer_org, "association_id": assoc},
                    headers=tokens["member"])
    assert r.status_code == 201, r.get_json()
    _decide(client, tokens, r.get_json()["id"], "rejected")
    for who in ("buyer", "buyer2"):
        got = _notices(client, tokens[who])
        assert [n["kind"] for n in got] == ["vetting_decision"] and got[0]["link"] == "/vetting/status"
    assert _notices(client, tokens["buyer"])[0]["text"] == (
        "The board of Jeans makers of Guadalajara decided \u201cRejected\u201d about Denim Co")
    member = _notices(client, tokens["member"])
    assert [n["kind"] for n in member] == ["vetting_decision"] and member[0]["link"] == "/vetting/buyers"
    assert _notices(client, tokens["staff"]) == [] and _notices(client, tokens["board"]) == []
    assert send_mail(app, smtp.url) == "sent 3, failed 0"
    (subject, _body), = smtp.to(factory.email(users["buyer2"]))
    assert subject.startswith("El consejo de Jeans makers of Guadalajara decidi\u00f3 \u201c")
    assert "Rejected" not in subject


def test_a_buyers_reply_to_an_incident_reaches_that_associations_staff_only(app, client, factory, smtp):
    assoc, buyer_org, _member_org, users, tokens = _vetting_world(app, factory)
    r = client.post("/api/v1/vetting/incidents", headers=tokens["member"], json={
        "subject_id": buyer_org, "association_id": assoc, "type": "late_payment", "severity": "2",
        "occurred_on": (date.today() - timedelta(days=20)).isoformat(), "description": "Paid 70 days late."})
    assert r.status_code == 201, r.get_json()
    incident = r.get_json()["id"]
    r = client.post(f"/api/v1/vetting/subjects/{buyer_org}/replies", headers=tokens["buyer"],
                    json={"body": "We paid on day 31; the bank statement is attached.", "incident_id": incident})
    assert r.status_code == 201, r.get_json()
    got = _notices(client, tokens["staff"])
    assert [(n["kind"], n["text"], n["link"]) for n in got] == [
        ("incident_reply", "Denim Co replied to an incident report", f"/vetting/status/{buyer_org}")]
    assert _notices(client, tokens["other_staff"]) == []
    assert send_mail(app, smtp.url) == "sent 1, failed 0"
    assert smtp.to(factory.email(users["staff"]))[0][0] == "Denim Co replied to an incident report"


def test_published_agendas_and_repairs_reach_the_participants(app, client, cluster):  # noqa: F811
    fair = make_fair(client, cluster)
    ids = register_all(client, cluster, fair["id"], max_meetings=3)
    r = client.post(f"/api/v1/fairs/{fair['id']}/schedule", json={"time_limit": 2}, headers=cluster.tokens["organizer"])
    meetings = wait_schedule(client, cluster, r.get_json()["url"])["schedule"]["meetings"]
    assert _notices(client, cluster.tokens["buyer0"]) == []  # a draft tells nobody
    publish = f"/api/v1/fairs/{fair['id']}/publish"
    for level in ("preliminary", "final", "final"):  # the same level again tells nobody twice
        assert client.post(publish, json={"level": level}, headers=cluster.tokens["organizer"]).status_code == 200
    buyer_p = ids[cluster.buyers[0]]
    got = _notices(client, cluster.tokens["buyer0"])
    assert [n["kind"] for n in got] == ["agenda_final", "agenda_preliminary"]
    assert got[0]["text"] == "Your final agenda for Spring denim show is published"
    assert got[0]["link"] == f"/fairs/{fair['id']}/agenda/{buyer_p}"
    assert _notices(client, cluster.tokens["outsider"]) == []  # not registered
    # a cancellation is repaired: the two firms of the meeting (and whoever else moved) are told
    victim = next(m for m in meetings if m["status"] == "scheduled")
    r = client.post(f"/api/v1/fairs/{fair['id']}/meetings/{victim['id']}/disruption", json={"kind": "cancellation"},
                    headers=cluster.tokens["organizer"])
    assert r.status_code == 201, r.get_json()
    with app.app_context():
        told = set(db.session().scalars(select(Notification.user_id).where(Notification.kind == "schedule_changed")))
        mailed = set(db.session().scalars(select(EmailOutbox.user_id).where(EmailOutbox.kind == "schedule_changed")))
    assert told and told == mailed
    by_org = {v: k for k, v in ids.items()}
    buyer_org, maker_org = by_org[victim["buyer_participant_id"]], by_org[victim["maker_participant_id"]]
    names = {cluster.users[n]: n for n in cluster.users}
    assert {names[u] for u in told} >= {f"buyer{cluster.buyers.index(buyer_org)}",
                                        f"maker{cluster.makers.index(maker_org)}"}
