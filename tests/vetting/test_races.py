"""Races against a real gunicorn with several workers: one winner, every other request a 409, never a 500.

Each backend (file SQLite, and PostgreSQL when configured) gets its own server, started once per
module on the test database; the ``world`` fixture writes the records straight into that database
and the threads fire their requests together at the server.
"""
from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from matchmaker import db
from matchmaker.accounts.records import User
from matchmaker.vetting.records import Decision, Standing, VettingCase, Vote

from tests.support.live_server import call, gunicorn, race
from tests.vetting.conftest import decision, open_case

THREADS = 12
TRIALS = 3
OUTCOMES = ["approved", "watchlist", "rejected"]


@pytest.fixture(scope="module")
def server(database_url, tmp_path_factory):
    with gunicorn(database_url, workers=3, threads=2, root=tmp_path_factory.mktemp("race-server")) as base:
        yield base


def _board(factory, w, n: int) -> list[dict]:
    """``n`` more board members of the world's association, each with a firm of its own (no recusal)."""
    heads = []
    for i in range(n):
        org = factory.org("maker", f"Consejo Extra {i}")
        heads.append(factory.token(factory.user("board_member", org, w.assoc)))
    return heads


def _count(app, stmt) -> int:
    with app.app_context():
        return db.session().scalar(stmt)


def test_board_members_deciding_one_case_together_make_one_decision(app, client, factory, world, server):
    w = world
    board = _board(factory, w, THREADS)
    for trial in range(TRIALS):
        buyer_org = factory.org("buyer", f"Race Buyer {trial}", country="US")
        buyer = factory.token(factory.user("buyer_user", buyer_org))
        status, body = call(server, "POST", "/api/v1/vetting/applications", {"association_id": w.assoc}, buyer)
        assert status == 201, body
        case_id = body["id"]
        status, body = call(server, "POST", f"/api/v1/vetting/cases/{case_id}/votes", {"vote": "approved"},
                            board[0])
        assert status == 201, body

        results = race([(server, "POST", f"/api/v1/vetting/cases/{case_id}/decision",
                         decision(outcome=OUTCOMES[i % 3]), board[i]) for i in range(THREADS)])

        codes = Counter(code for code, _ in results)
        assert codes == {201: 1, 409: THREADS - 1}, results
        winner = next(body for code, body in results if code == 201)
        for code, body in results:
            if code == 409:
                assert body["error"]["code"] == "case_closed"
                assert "already decided" in body["error"]["message"]
        with app.app_context():
            sess = db.session()
            rows = sess.scalars(select(Decision).where(Decision.case_id == case_id)).all()
            assert [d.id for d in rows] == [winner["id"]]
            standing = sess.get(Standing, (w.assoc, buyer_org))
            assert (standing.decision_id, standing.outcome) == (winner["id"], winner["outcome"])
            case = sess.get(VettingCase, case_id)
            assert (case.status, case.decision_id) == ("decided", winner["id"])


def test_one_member_voting_many_times_at_once_counts_once(app, factory, world, server):
    w = world
    for trial in range(TRIALS):
        buyer_org = factory.org("buyer", f"Vote Buyer {trial}", country="US")
        buyer = factory.token(factory.user("buyer_user", buyer_org))
        status, body = call(server, "POST", "/api/v1/vetting/applications", {"association_id": w.assoc}, buyer)
        assert status == 201, body
        case_id = body["id"]

        results = race([(server, "POST", f"/api/v1/vetting/cases/{case_id}/votes",
                         {"vote": OUTCOMES[i % 3]}, w.h[w.board_1]) for i in range(THREADS)])

        assert Counter(code for code, _ in results) == {201: 1, 409: THREADS - 1}, results
        assert {body["error"]["code"] for code, body in results if code == 409} == {"already_voted"}
        assert _count(app, select(func.count()).select_from(Vote).where(Vote.case_id == case_id)) == 1


def test_votes_racing_the_decision_never_land_on_a_decided_case(app, factory, world, server):
    """Votes and the decision are serialised: a vote is either counted before the decision or refused."""
    w = world
    board = _board(factory, w, THREADS)
    for trial in range(TRIALS):
        buyer_org = factory.org("buyer", f"Mixed Buyer {trial}", country="US")
        buyer = factory.token(factory.user("buyer_user", buyer_org))
        status, body = call(server, "POST", "/api/v1/vetting/applications", {"association_id": w.assoc}, buyer)
        case_id = body["id"]
        assert call(server, "POST", f"/api/v1/vetting/cases/{case_id}/votes", {"vote": "approved"},
                    board[0])[0] == 201

        requests = [(server, "POST", f"/api/v1/vetting/cases/{case_id}/decision", decision(), board[0])]
        requests += [(server, "POST", f"/api/v1/vetting/cases/{case_id}/votes", {"vote": "watchlist"}, board[i])
                     for i in range(1, THREADS)]
        results = race(requests)

        assert results[0][0] == 201, results[0]
        votes = results[1:]
        assert {code for code, _ in votes} <= {201, 409}, votes
        assert {body["error"]["code"] for code, body in votes if code == 409} <= {"case_closed"}
        with app.app_context():
            sess = db.session()
            decided_at = sess.get(VettingCase, case_id).closed_at
            rows = sess.scalars(select(Vote).where(Vote.case_id == case_id)).all()
            # every accepted vote is in the database; none was written after the case closed
            assert len(rows) == 1 + sum(code == 201 for code, _ in votes)
            assert all(v.created_at <= decided_at for v in rows)


def test_parallel_applications_open_one_case(app, factory, world, server):
    w = world
    for trial in range(TRIALS):
        buyer_org = factory.org("buyer", f"Apply Buyer {trial}", country="US")
        buyer = factory.token(factory.user("buyer_user", buyer_org))

        results = race([(server, "POST", "/api/v1/vetting/applications", {"association_id": w.assoc, "note": str(i)},
                         buyer) for i in range(20)])

        assert Counter(code for code, _ in results) == {201: 1, 409: 19}, results
        assert {body["error"]["code"] for code, body in results if code == 409} == {"conflict"}
        assert _count(app, select(func.count()).select_from(VettingCase).where(
            VettingCase.subject_id == buyer_org, VettingCase.status == "open")) == 1


def test_a_decision_on_a_decided_case_is_refused_on_the_page_in_spanish(app, client, factory, world):
    """The loser of a race on the page: 409 and the reason beside the form, in the reader's language."""
    from tests.vetting.conftest import approve, csrf_from, login

    w = world
    case_id = open_case(client, w)
    with app.app_context():
        db.session().get(User, w.board_1).locale = "es"  # a board member who reads Spanish
        db.session().commit()
    page = app.test_client()
    login(page, factory, w.board_1)
    html = page.get(f"/vetting/cases/{case_id}").get_data(as_text=True)
    token = csrf_from(html)
    approve(client, w, case_id)  # another member decides while this one fills in the form
    form = {"csrf_token": token, **decision(outcome="rejected")}
    r = page.post(f"/vetting/cases/{case_id}/decide", data=form)
    assert r.status_code == 409
    body = r.get_data(as_text=True)
    assert "este caso ya está resuelto" in body
    assert _count(app, select(func.count()).select_from(Decision).where(Decision.case_id == case_id)) == 1
