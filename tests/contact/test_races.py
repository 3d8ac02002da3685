"""Races over real concurrent requests: one winner, the others a 409 (never a 500, never two rows)."""
from __future__ import annotations

import threading

from sqlalchemy import func, select

from matchmaker import db
from matchmaker.contact.records import Inquiry, InquiryDayCount, ShortlistEntry


def _race(app, n, call):
    barrier = threading.Barrier(n)
    results = [None] * n

    def run(i):
        client = app.test_client()
        barrier.wait()
        results[i] = call(client, i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_the_same_inquiry_sent_at_once_is_written_once(app, world):
    headers = world.tokens["buyer"]
    statuses = _race(app, 4, lambda client, i: client.post(
        "/api/v1/inquiries", json={"requirement_id": world.req, "maker_ids": [world.makers[0]]},
        headers=headers).status_code)
    assert sorted(statuses) == [201, 409, 409, 409]
    with app.app_context():
        sess = db.session()
        assert sess.scalar(select(func.count(Inquiry.id))) == 1
        assert sess.scalar(select(InquiryDayCount.sent)) == 1, "the refused requests gave their quota back"


def test_the_daily_limit_holds_under_concurrent_requests(app, world):
    app.config["INQUIRY_DAILY_LIMIT"] = 2
    headers = world.tokens["buyer"]
    statuses = _race(app, 3, lambda client, i: client.post(
        "/api/v1/inquiries", json={"requirement_id": world.req, "maker_ids": [world.makers[i]]},
        headers=headers).status_code)
    assert sorted(statuses) in ([201, 201, 409], [201, 201, 429])
    with app.app_context():
        assert db.session().scalar(select(func.count(Inquiry.id))) == 2


def test_two_answers_at_once_end_with_one_winner(app, client, world):
    inq = client.post("/api/v1/inquiries", json={"requirement_id": world.req, "maker_ids": [world.makers[0]]},
                      headers=world.tokens["buyer"]).get_json()["items"][0]["id"]
    headers = world.tokens["maker0"]
    bodies = [{"decision": "accept"}, {"decision": "decline", "reason": "price"}]
    statuses = _race(app, 2, lambda c, i: c.post(f"/api/v1/inquiries/{inq}/answer", json=bodies[i],
                                                 headers=headers).status_code)
    assert sorted(statuses) == [200, 409]


def test_the_same_maker_shortlisted_at_once_is_listed_once(app, world):
    headers = world.tokens["buyer"]
    statuses = _race(app, 3, lambda c, i: c.post(f"/api/v1/requirements/{world.req}/shortlist",
                                                 json={"maker_id": world.makers[1]}, headers=headers).status_code)
    assert sorted(statuses) == [201, 409, 409]
    with app.app_context():
        assert db.session().scalar(select(func.count(ShortlistEntry.id))) == 1
