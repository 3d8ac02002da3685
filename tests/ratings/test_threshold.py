"""A category is shown only from 3 ratings by 3 distinct firms (one owner's legal units are one firm),
with the cluster median beside it; hidden categories say nothing, not even how many ratings exist."""
from __future__ import annotations

from dataclasses import fields
from datetime import datetime, timedelta, timezone

from matchmaker import db
from matchmaker.ratings import services as svc
from matchmaker.ratings.records import Rating

from tests.ratings.conftest import BUYER_PRACTICES, all_scores


def _payment(client, w, buyer: str, reader: str = "m4") -> dict:
    response = client.get(f"/api/v1/organizations/{w.orgs[buyer]}/ratings", headers=w.h(reader))
    assert response.status_code == 200
    directions = response.get_json()["directions"]
    if not directions:
        return {}
    [direction] = directions
    assert direction["direction"] == "buyer_practices"
    return {c["category"]: c for c in direction["categories"]}


def _rate_all(client, w, buyer: str, by: dict[str, int]) -> None:
    for maker, score in by.items():
        response = w.rate(client, maker, "order", w.order(buyer, maker), all_scores(score))
        assert response.status_code == 201, response.get_json()


HIDDEN = {"shown": False, "score": None, "ratings": None, "cluster_median": None}


def test_two_firms_show_nothing(client, w):
    _rate_all(client, w, "acme", {"m1": 2, "m2": 4})
    for category, figures in _payment(client, w, "acme").items():
        assert {k: figures[k] for k in HIDDEN} == HIDDEN, category


def test_three_ratings_from_two_firms_show_nothing(client, w):
    # g1 and g2 are two legal units of one owner: with m1 that is two firms
    _rate_all(client, w, "acme", {"m1": 5, "g1": 5, "g2": 5})
    assert not any(c["shown"] for c in _payment(client, w, "acme").values())


def test_one_firm_rating_three_orders_is_one_firm(client, w):
    for _ in range(3):
        w.rate(client, "m1", "order", w.order("acme", "m1"), all_scores(1))
    w.rate(client, "m2", "order", w.order("acme", "m2"), all_scores(1))
    assert not any(c["shown"] for c in _payment(client, w, "acme").values())


def test_three_distinct_firms_show_the_score_with_the_cluster_median(app, client, w):
    _rate_all(client, w, "acme", {"m1": 2, "m2": 3, "m3": 4})
    _rate_all(client, w, "zeta", {"m1": 5, "m2": 5, "g1": 5, "g2": 5})  # three firms: shown, mean 5
    _rate_all(client, w, "lone", {"m3": 1, "m4": 1})  # two firms: hidden, and left out of the median
    _rate_all(client, w, "acme", {"b1": 1})  # another association's member: counts for acme, not for A's median
    acme = _payment(client, w, "acme")
    for category in BUYER_PRACTICES:
        # acme: A's snapshot (2+3+4)/3; b1's lone rating waits for B's own batch of three firms (else A's
        # board would read it off by comparing its view with this one); A's median over acme's 3.0, zeta's 5.0
        assert acme[category] == {"category": category, "shown": True, "score": 3.0, "ratings": "3-9",
                                  "cluster_median": 4.0}
    zeta = _payment(client, w, "zeta", reader="acme")  # not acme: another buyer sees no buyer's figures
    assert zeta == {}
    zeta = _payment(client, w, "zeta", reader="board_b")
    assert zeta["overall_partnership"]["score"] == 5.0 and zeta["overall_partnership"]["cluster_median"] == 4.0
    with app.app_context():
        sess = db.session()
        board_a = svc.aggregate(sess, w.orgs["acme"], "buyer_practices", association_id=w.assoc_a)
        board_b = svc.aggregate(sess, w.orgs["acme"], "buyer_practices", association_id=w.assoc_b)
    assert board_a["categories"][0] | {"category": None} == {"category": None, "shown": True, "score": 3.0,
                                                              "ratings": "3-9", "cluster_median": 4.0}
    assert not any(c["shown"] for c in board_b["categories"])


def test_a_category_some_raters_skipped_counts_its_own_ratings(client, w):
    _rate_all(client, w, "acme", {"m1": 4, "m2": 4})
    w.rate(client, "m3", "order", w.order("acme", "m3"), {"payment_terms": 1})
    acme = _payment(client, w, "acme")
    assert acme["payment_terms"]["shown"] and acme["payment_terms"]["score"] == 3.0
    assert not acme["planning_forecasting"]["shown"]


def test_as_of_counts_only_the_ratings_given_by_then(app, client, w):
    _rate_all(client, w, "acme", {"m1": 4, "m2": 4})
    between = datetime.now(timezone.utc)
    _rate_all(client, w, "acme", {"m3": 4})
    with app.app_context():
        sess = db.session()
        then = svc.aggregate(sess, w.orgs["acme"], "buyer_practices", as_of=between)
        now = svc.aggregate(sess, w.orgs["acme"], "buyer_practices")
        rows_then = svc.rating_rows(sess, as_of=between)
        rows_now = svc.rating_rows(sess)
    assert not any(c["shown"] for c in then["categories"]) and all(c["shown"] for c in now["categories"])
    assert len(rows_then) == 2 * len(BUYER_PRACTICES) and len(rows_now) == 3 * len(BUYER_PRACTICES)


def test_rating_rows_carry_no_rater(app, client, w):
    _rate_all(client, w, "acme", {"m1": 4})
    with app.app_context():
        rows = svc.rating_rows(db.session(), as_of=datetime.now(timezone.utc) + timedelta(seconds=1))
        rating = db.session().query(Rating).one()
    assert {f.name for f in fields(rows[0])} == {"ratee_org_id", "direction", "category", "score", "created_at"}
    assert {(r.ratee_org_id, r.direction, r.score) for r in rows} == {(w.orgs["acme"], "buyer_practices", 4)}
    assert rows[0].created_at is not None and rating.rater_org_id not in {getattr(r, "rater_org_id", None)
                                                                          for r in rows}


def test_the_cluster_median_follows_ratings_another_process_wrote(app, client, w):
    """The medians are reused while the association's ratings are unchanged; a rating written elsewhere
    (here: straight into the tables, as another worker's would be) is seen on the next read."""
    from matchmaker.ratings.records import RatingScore

    _rate_all(client, w, "acme", {"m1": 2, "m2": 2, "m3": 2})
    _rate_all(client, w, "zeta", {"m1": 4, "m2": 4})
    assert _payment(client, w, "acme")["payment_terms"]["cluster_median"] == 2.0
    with app.app_context():
        sess = db.session()
        order = w.order("zeta", "m3")
        sess.add(Rating(basis="order", basis_id=order, direction="buyer_practices", rater_org_id=w.orgs["m3"],
                        ratee_org_id=w.orgs["zeta"], association_id=w.assoc_a,
                        scores=[RatingScore(category="payment_terms", score=4)]))
        sess.commit()
    assert _payment(client, w, "acme")["payment_terms"]["cluster_median"] == 3.0  # median of 2.0 and 4.0
