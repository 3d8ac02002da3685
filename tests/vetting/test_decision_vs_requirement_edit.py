"""A decision and the buyer's own edit of a requirement at the same moment: one wins, the other gets a 409.

A decision re-queues the buyer's requirements for the index and so bumps their optimistic-lock
version. If the buyer saves one of them between the decision reading it and writing it, the
decision used to end in a 500 (SQLAlchemy's StaleDataError). On PostgreSQL the two requests only
meet at that row; SQLite lets one writer in at a time, so there the buyer's save cannot slip in
while the decision writes: the test checks that instead, and that the save goes through after it.
"""
from __future__ import annotations

from sqlalchemy import create_engine, event, select, text
from sqlalchemy.exc import OperationalError

from matchmaker import db
from matchmaker.requirements.records import Requirement
from tests.support.api_bodies import REQUIREMENT

from .conftest import decision, open_case


def test_a_decision_that_loses_to_the_buyers_edit_is_a_409_and_writes_nothing(app, client, world, database_url):
    if not database_url.startswith("postgresql"):
        return _sqlite_serialises_the_two(app, client, world, database_url)
    w = world
    r = client.post("/api/v1/requirements", json=REQUIREMENT, headers=w.h[w.buyer])
    assert r.status_code == 201, r.json
    req_id = r.json["id"]
    case_id = open_case(client, w)
    assert client.post(f"/api/v1/vetting/cases/{case_id}/votes", json={"vote": "approved"},
                       headers=w.h[w.board_2]).status_code == 201

    other = create_engine(database_url)
    sessionmaker = app.extensions["matchmaker.sessionmaker"]

    done = []

    def buyer_saves_first(session, _ctx, _instances):
        # the buyer's own save commits on its own connection just before the decision writes the row
        if not done and any(isinstance(obj, Requirement) for obj in session.dirty):
            done.append(True)
            with other.begin() as conn:
                conn.execute(text("UPDATE requirements SET title = 'Edited by the buyer', version = version + 1 "
                                  "WHERE id = :id"), {"id": req_id})

    event.listen(sessionmaker, "before_flush", buyer_saves_first)
    try:
        lost = client.post(f"/api/v1/vetting/cases/{case_id}/decision", json=decision(), headers=w.h[w.board_2])
    finally:
        event.remove(sessionmaker, "before_flush", buyer_saves_first)
        other.dispose()
    assert done, "the decision never wrote the buyer's requirement"
    assert lost.status_code == 409, lost.json
    assert lost.json["error"]["code"] == "conflict"

    case = client.get(f"/api/v1/vetting/cases/{case_id}", headers=w.h[w.board_2]).json
    assert case["status"] == "open" and not case.get("decision")  # nothing half-written
    with app.app_context():
        assert db.session().scalar(select(Requirement.title).where(Requirement.id == req_id)) == "Edited by the buyer"
    # the board simply decides again
    again = client.post(f"/api/v1/vetting/cases/{case_id}/decision", json=decision(), headers=w.h[w.board_2])
    assert again.status_code == 201, again.json


def _sqlite_serialises_the_two(app, client, w, database_url):
    r = client.post("/api/v1/requirements", json=REQUIREMENT, headers=w.h[w.buyer])
    assert r.status_code == 201, r.json
    req_id = r.json["id"]
    case_id = open_case(client, w)
    assert client.post(f"/api/v1/vetting/cases/{case_id}/votes", json={"vote": "approved"},
                       headers=w.h[w.board_2]).status_code == 201
    other = create_engine(database_url, connect_args={"timeout": 0.2})
    sessionmaker = app.extensions["matchmaker.sessionmaker"]
    refused = []

    def buyer_tries_to_save(session, _ctx, _instances):
        if not refused and any(isinstance(obj, Requirement) for obj in session.dirty):
            try:
                with other.begin() as conn:
                    conn.execute(text("UPDATE requirements SET title = 'Edited by the buyer', version = version + 1 "
                                      "WHERE id = :id"), {"id": req_id})
                refused.append(False)
            except OperationalError as exc:
                refused.append("locked" in str(exc))

    event.listen(sessionmaker, "before_flush", buyer_tries_to_save)
    try:
        won = client.post(f"/api/v1/vetting/cases/{case_id}/decision", json=decision(), headers=w.h[w.board_2])
    finally:
        event.remove(sessionmaker, "before_flush", buyer_tries_to_save)
        other.dispose()
    assert refused == [True], "the buyer's save got in while the decision was writing"
    assert won.status_code == 201, won.json
    # once the decision is in, the buyer's edit of the re-queued requirement goes through
    current = client.get(f"/api/v1/requirements/{req_id}", headers=w.h[w.buyer])
    assert current.status_code == 200
    edited = client.put(f"/api/v1/requirements/{req_id}",
                        json={**REQUIREMENT, "title": "Edited by the buyer", "version": current.json["version"]},
                        headers=w.h[w.buyer])
    assert edited.status_code == 200, edited.json
    assert edited.json["title"] == "Edited by the buyer"
