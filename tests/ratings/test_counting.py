"""A rating counts only while its order is evidence (``orders.evidence.counted_ratings``).

Three member makers rate a buyer on orders they entered by hand: evidence because association A cleared
the buyer. When A withdraws the clearance (a later decision: watchlist), the orders stop being evidence:
the ratings leave the published figures, the cluster median, the board's lists and the models' rows, but
stay stored, and the order page tells their author they do not count. Clearing the buyer again brings
them back.
"""
from __future__ import annotations

from matchmaker import db
from matchmaker.ratings import services as svc
from matchmaker.ratings.records import Rating

from tests.ratings.conftest import all_scores
from tests.support.vetting import clear_buyer
from tests.support.world import login_as, set_language


def _shown(client, w, buyer: str = "acme") -> dict:
    response = client.get(f"/api/v1/organizations/{w.orgs[buyer]}/ratings", headers=w.h("m4"))
    assert response.status_code == 200
    [direction] = response.get_json()["directions"]
    return {c["category"]: c["score"] for c in direction["categories"] if c["shown"]}


def _decide(app, w, outcome: str) -> None:
    with app.app_context():
        clear_buyer(db.session(), w.orgs["acme"], w.assoc_a, outcome=outcome)


def _figures(app, w) -> dict:
    with app.app_context():
        sess = db.session()
        return {"medians": svc.cluster_medians(sess, "buyer_practices", w.assoc_a),
                "board": [(o.id, d, n) for o, d, n in svc.rated_in_association(sess, w.assoc_a)],
                "comments": svc.board_comments(sess, w.orgs["acme"], "buyer_practices", w.assoc_a),
                "rows": len(svc.rating_rows(sess)), "stored": sess.query(Rating).count()}


def test_ratings_on_orders_that_stop_being_evidence_stop_counting(app, client, w, factory):
    _decide(app, w, "approved")
    orders = {}
    for maker, score in {"m1": 2, "m2": 3, "m3": 4}.items():
        orders[maker] = w.order("acme", maker, origin="maker")  # hand-entered: evidence through the clearance
        response = w.rate(client, maker, "order", orders[maker], all_scores(score), f"comment {maker}")
        assert response.status_code == 201, response.get_json()
    assert _shown(client, w)["payment_terms"] == 3.0
    counted = _figures(app, w)  # the medians are kept per process from here on
    assert counted["medians"]["payment_terms"] == 3.0
    assert counted["board"] == [(w.orgs["acme"], "buyer_practices", "3-9")] and len(counted["comments"]) == 3
    assert counted["rows"] == 3 * 7 and counted["stored"] == 3

    _decide(app, w, "watchlist")  # A withdraws the clearance
    assert _shown(client, w) == {}
    gone = _figures(app, w)
    assert gone == {"medians": {}, "board": [], "comments": [], "rows": 0, "stored": 3}  # kept, not counted
    login_as(client, factory, w.users["m1"])
    html = client.get(f"/orders/{orders['m1']}").get_data(as_text=True)
    assert 'data-rating-state="rated"' in html and 'data-testid="rating-not-counting"' in html
    set_language(client, "es")
    assert "no cuenta por ahora" in client.get(f"/orders/{orders['m1']}").get_data(as_text=True)

    _decide(app, w, "approved_with_conditions")  # cleared again: the same ratings count again
    assert _shown(client, w)["payment_terms"] == 3.0 and _figures(app, w) == counted
    html = client.get(f"/orders/{orders['m1']}").get_data(as_text=True)
    assert 'data-rating-state="rated"' in html and "rating-not-counting" not in html


def test_a_rating_on_an_order_from_a_quote_keeps_counting_whatever_the_clearance(app, client, w):
    for maker, score in {"m1": 4, "m2": 4, "m3": 4}.items():
        response = w.rate(client, maker, "order", w.order("acme", maker, origin="quote"), all_scores(score))
        assert response.status_code == 201, response.get_json()
    _decide(app, w, "rejected")
    assert _shown(client, w)["overall_partnership"] == 4.0
