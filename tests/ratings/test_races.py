"""Two people of one firm rate the same order at the same moment: one rating, and a 409 for the rest.

Real threads fire real requests from a barrier at the app on SQLite and PostgreSQL (each request with
its own session and connection); the unique constraint on (basis, basis_id, rater) decides.
"""
from __future__ import annotations

import threading

from matchmaker import db
from matchmaker.ratings.records import Rating, RatingAnswer

from tests.ratings.conftest import all_scores

THREADS = 4


def _race(app, make_request) -> list[int]:
    barrier = threading.Barrier(THREADS)
    statuses: list[int] = []

    def run(i):
        client = app.test_client()
        barrier.wait()
        statuses.append(make_request(client, i).status_code)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return sorted(statuses)


def test_concurrent_ratings_of_one_order_by_one_firm_leave_one_winner(app, factory, w):
    order = w.order("acme", "m1")
    second = factory.user("maker_user", w.orgs["m1"])
    heads = [w.h("m1"), factory.token(second)] * 2
    body = {"basis": "order", "basis_id": order, "scores": all_scores(3)}
    statuses = _race(app, lambda client, i: client.post("/api/v1/ratings", headers=heads[i], json=body))
    assert statuses == [201, 409, 409, 409]
    with app.app_context():
        assert db.session().query(Rating).count() == 1


def test_concurrent_first_answers_leave_one(app, client, w):
    for maker in ("m1", "m2", "m3"):
        w.rate(client, maker, "order", w.order("acme", maker), all_scores(4))
    url = f"/api/v1/organizations/{w.orgs['acme']}/ratings/answer"
    statuses = _race(app, lambda c, i: c.put(url, headers=w.h("acme"),
                                             json={"direction": "buyer_practices", "body": f"answer {i}"}))
    assert statuses.count(200) >= 1 and set(statuses) <= {200, 409}
    with app.app_context():
        assert db.session().query(RatingAnswer).count() == 1
