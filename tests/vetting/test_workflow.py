"""Application → reports → votes → decision; recusal; right of reply; reopening; audit and CSV."""
from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from sqlalchemy import func, select

from matchmaker import db
from matchmaker.vetting.records import AuditEntry, Incident, VettingCase
from matchmaker.vetting.cases import reopen_due

from .conftest import approve, decision, incident, open_case, payment


def test_application_to_decision(client, world):
    w = world
    case_id = open_case(client, w)
    assert client.post("/api/v1/vetting/applications", json={"association_id": w.assoc},
                       headers=w.h[w.buyer]).status_code == 409  # one open case at a time
    for i in range(3):
        r = client.post("/api/v1/vetting/payments", json=payment(w.buyer_org, amount=1000.0 + i),
                        headers=w.h[w.reporter])
        assert r.status_code == 201, r.json
    r = client.post("/api/v1/vetting/incidents", json=incident(w.buyer_org), headers=w.h[w.reporter])
    assert r.status_code == 201 and r.json["status"] == "hearsay"

    case = client.get(f"/api/v1/vetting/cases/{case_id}", headers=w.h[w.board_2]).json
    assert case["status"] == "open" and case["subject"]["id"] == w.buyer_org
    # one reporting firm only: the minimum-evidence rule says "insufficient history", never a number
    assert case["score"]["status"] == "insufficient_history" and case["score"]["probability"] is None
    assert len(case["payments"]) == 3 and case["incidents"][0]["reporter"]["organization_id"] == w.reporter_org

    assert client.post(f"/api/v1/vetting/cases/{case_id}/votes", json={"vote": "approved_with_conditions"},
                       headers=w.h[w.board_1]).status_code == 201
    assert client.post(f"/api/v1/vetting/cases/{case_id}/votes", json={"vote": "approved"},
                       headers=w.h[w.board_2]).status_code == 201
    r = client.post(f"/api/v1/vetting/cases/{case_id}/decision", headers=w.h[w.board_1],
                    json=decision(outcome="approved_with_conditions", conditions=["deposit"], deposit_share=0.4))
    assert r.status_code == 201, r.json
    assert r.json["review_date"] and r.json["rationale"]

    status = client.get(f"/api/v1/vetting/subjects/{w.buyer_org}/status", headers=w.h[w.buyer]).json
    assert status["standings"][0]["status"] == "approved_with_conditions"
    assert status["standings"][0]["conditions"] == ["deposit"]
    queue = client.get("/api/v1/vetting/cases?status=decided", headers=w.h[w.staff]).json
    assert [c["id"] for c in queue["items"]] == [case_id]

    with client.application.app_context():
        actions = dict(db.session().execute(select(AuditEntry.action, func.count()).where(
            AuditEntry.case_id == case_id).group_by(AuditEntry.action)).all())
    assert actions["score_shown"] >= 1 and actions["vote"] == 2 and actions["decision"] == 1
    assert actions["disclosure"] >= 1 and actions["case_opened"] == 1


def test_recusal_of_a_board_member_whose_firm_reported(client, world):
    w = world
    case_id = open_case(client, w)
    # board member 1's own firm reports a payment experience: it becomes party to the case
    assert client.post("/api/v1/vetting/payments", json=payment(w.buyer_org), headers=w.h[w.board_1]).status_code == 201
    r = client.post(f"/api/v1/vetting/cases/{case_id}/votes", json={"vote": "rejected"}, headers=w.h[w.board_1])
    assert r.status_code == 403 and r.json["error"]["code"] == "recused"
    assert "payment experience" in r.json["error"]["message"]
    r = client.post(f"/api/v1/vetting/cases/{case_id}/decision", json=decision(), headers=w.h[w.board_1])
    assert r.status_code == 403 and r.json["error"]["code"] == "recused"
    board = client.get(f"/api/v1/vetting/cases/{case_id}", headers=w.h[w.staff]).json["board"]
    recused = {b["id"]: b["recused"] for b in board}
    assert recused[w.board_1] and not recused[w.board_2]
    # the other board member still votes and decides
    approve(client, w, case_id)


def test_right_of_reply_disputes_an_incident(client, world):
    w = world
    inc = client.post("/api/v1/vetting/incidents", json=incident(w.buyer_org), headers=w.h[w.reporter]).json
    r = client.post(f"/api/v1/vetting/subjects/{w.buyer_org}/replies", headers=w.h[w.buyer],
                    json={"incident_id": inc["id"], "dispute": True, "body": "We paid on the agreed date; see wire."})
    assert r.status_code == 201 and r.json["disputes"] is True
    status = client.get(f"/api/v1/vetting/subjects/{w.buyer_org}/status", headers=w.h[w.buyer]).json
    assert status["incidents"][0]["status"] == "disputed"
    assert status["replies"][0]["body"].startswith("We paid")
    case_id = open_case(client, w)
    case = client.get(f"/api/v1/vetting/cases/{case_id}", headers=w.h[w.board_2]).json
    assert case["replies"][0]["incident_id"] == inc["id"]
    # another buyer cannot reply for this one, nor dispute an incident that is not about itself
    assert client.post(f"/api/v1/vetting/subjects/{w.buyer_org}/replies", headers=w.h[w.other_buyer],
                       json={"body": "x"}).status_code == 403
    r = client.post(f"/api/v1/vetting/subjects/{w.other_buyer_org}/replies", headers=w.h[w.other_buyer],
                    json={"incident_id": inc["id"], "dispute": True, "body": "not mine"})
    assert r.status_code == 404


def test_new_verified_incident_and_review_date_reopen_the_case(client, world):
    w = world
    case_id = open_case(client, w)
    approve(client, w, case_id)
    inc = client.post("/api/v1/vetting/incidents", json=incident(w.buyer_org, severity="3"),
                      headers=w.h[w.reporter]).json
    assert client.get("/api/v1/vetting/cases", headers=w.h[w.staff]).json["total"] == 0  # hearsay: no reopening
    r = client.post(f"/api/v1/vetting/incidents/{inc['id']}/status", json={"status": "verified"},
                    headers=w.h[w.staff])
    assert r.status_code == 200 and r.json["status"] == "verified"
    open_cases = client.get("/api/v1/vetting/cases", headers=w.h[w.staff]).json["items"]
    assert len(open_cases) == 1 and open_cases[0]["origin"] == "new_verified_incident"
    assert open_cases[0]["id"] != case_id
    # the buyer stays approved until the board decides again
    assert client.get(f"/api/v1/vetting/subjects/{w.buyer_org}/status", headers=w.h[w.buyer]).json[
        "standings"][0]["under_review"] is True
    approve(client, w, open_cases[0]["id"], outcome="watchlist")
    with client.application.app_context():
        sess = db.session()
        assert reopen_due(sess, today=date.today() + timedelta(days=400)) == 1
        case = sess.scalar(select(VettingCase).where(VettingCase.status == "open"))
        assert case.origin == "review_due"


def test_members_may_not_verify_and_reporters_may_withdraw(client, world):
    w = world
    inc = client.post("/api/v1/vetting/incidents", json=incident(w.buyer_org), headers=w.h[w.reporter]).json
    r = client.post(f"/api/v1/vetting/incidents/{inc['id']}/status", json={"status": "verified"},
                    headers=w.h[w.reporter])
    assert r.status_code == 403
    r = client.post(f"/api/v1/vetting/incidents/{inc['id']}/status", json={"status": "withdrawn"},
                    headers=w.h[w.reporter])
    assert r.status_code == 200
    r = client.post(f"/api/v1/vetting/incidents/{inc['id']}/status", json={"status": "withdrawn"},
                    headers=w.h[w.member])
    assert r.status_code == 404  # another firm's report: not even confirmed to exist


def test_audit_log_is_append_only_and_exports_as_csv(client, world):
    w = world
    case_id = open_case(client, w)
    client.get(f"/api/v1/vetting/cases/{case_id}", headers=w.h[w.board_2])
    approve(client, w, case_id)
    r = client.get("/api/v1/vetting/audit.csv", headers=w.h[w.staff])
    assert r.status_code == 200 and r.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))
    actions = [row["action"] for row in rows]
    assert {"case_opened", "score_shown", "disclosure", "vote", "decision"} <= set(actions)
    assert all(row["association_id"] == str(w.assoc) for row in rows if row["case_id"])
    assert client.get("/api/v1/vetting/audit.csv", headers=w.h[w.board_1]).status_code == 403
    assert client.get("/api/v1/vetting/audit.csv", headers=w.h[w.reporter]).status_code == 403
    with client.application.app_context():
        sess = db.session()
        row = sess.scalar(select(AuditEntry).limit(1))
        row.action = "tampered"
        import pytest

        from matchmaker.vetting.records import AuditLogIsAppendOnly
        with pytest.raises(AuditLogIsAppendOnly):
            sess.flush()
        sess.rollback()
        sess.delete(sess.scalar(select(AuditEntry).limit(1)))
        with pytest.raises(AuditLogIsAppendOnly):
            sess.flush()
        sess.rollback()


def test_incident_status_vocabulary_matches_the_model():
    from matchmaker import taxonomy as tx
    from matchmaker.vetting.screening import FX
    from models import reputation_features as rf

    assert tuple(tx.INCIDENT_TYPES.codes) == rf.INCIDENT_TYPES
    assert set(tx.INCIDENT_STATUSES.codes) == set(rf.STATUS_WEIGHT)
    assert {int(c) for c in tx.INCIDENT_SEVERITIES.codes} == set(rf.SEVERITY_NAMES)
    assert set(tx.CURRENCIES.codes) <= set(FX)


def test_nothing_written_when_an_incident_is_refused(client, world):
    w = world
    with client.application.app_context():
        before = db.session().scalar(select(func.count()).select_from(Incident))
    r = client.post("/api/v1/vetting/incidents", json=incident(w.buyer_org, type="rumour"), headers=w.h[w.reporter])
    assert r.status_code == 422
    with client.application.app_context():
        assert db.session().scalar(select(func.count()).select_from(Incident)) == before
