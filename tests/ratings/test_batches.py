"""One firm's rating cannot be recovered by comparing two published figures.

Figures move only when at least three more firms have rated since the last snapshot, scores show
one decimal and counts a band; the platform-wide figure adds each association's own snapshot, so a
board comparing its view with it learns nothing about fewer than three firms elsewhere.
"""
from __future__ import annotations

from matchmaker import db
from matchmaker.ratings import services as svc
from matchmaker.organizations.records import Membership

from tests.ratings.conftest import all_scores


def _member(w, key: str, association: int) -> None:
    w.orgs[key] = w.factory.org("maker", name=f"Taller {key}")
    with w.app.app_context():
        db.session().add(Membership(association_id=association, organization_id=w.orgs[key]))
        db.session().commit()
    w.users[key] = w.factory.user("maker_user", w.orgs[key])


def _figures(client, w, reader: str = "acme") -> dict:
    r = client.get(f"/api/v1/organizations/{w.orgs['acme']}/ratings", headers=w.h(reader))
    assert r.status_code == 200
    [direction] = r.get_json()["directions"]
    return {c["category"]: (c["score"], c["ratings"]) for c in direction["categories"]}


def _rate(client, w, maker: str, scores: dict) -> None:
    assert w.rate(client, maker, "order", w.order("acme", maker), scores).status_code == 201


def test_a_fourth_firm_does_not_move_the_figure_until_two_more_have_rated(client, w):
    for maker, score in (("m1", 4), ("m2", 5), ("m3", 3)):
        _rate(client, w, maker, all_scores(score))
    before = _figures(client, w)
    assert before["payment_terms"] == (4.0, "3-9")
    _rate(client, w, "m4", {**all_scores(2), "payment_terms": 1})
    assert _figures(client, w) == before            # nothing to difference: m4's scores are not in it
    _member(w, "m5", w.assoc_a)
    _rate(client, w, "m5", all_scores(5))
    assert _figures(client, w) == before
    _rate(client, w, "g1", all_scores(5))           # the third new firm closes the next snapshot
    after = _figures(client, w)
    assert after["payment_terms"] == (round((4 + 5 + 3 + 1 + 5 + 5) / 6, 1), "3-9")
    assert after["overall_partnership"] == (4.0, "3-9")


def test_the_board_learns_nothing_of_another_association_s_lone_rater(app, client, w):
    for maker, score in (("m1", 4), ("m2", 4), ("m3", 4)):
        _rate(client, w, maker, all_scores(score))
    _rate(client, w, "b1", all_scores(1))           # association B's only rater
    with app.app_context():
        board_a = svc.aggregate(db.session(), w.orgs["acme"], "buyer_practices", association_id=w.assoc_a)
    own = {c["category"]: (c["score"], c["ratings"]) for c in board_a["categories"]}
    assert _figures(client, w) == own == {c: (4.0, "3-9") for c in own}


def test_counts_are_bands_not_numbers(client, w):
    for maker in ("m1", "m2", "m3", "m4"):
        _rate(client, w, maker, all_scores(4))
    for i in range(8):                              # twelve firms: four snapshots of three
        _member(w, f"x{i}", w.assoc_a)
        _rate(client, w, f"x{i}", all_scores(4))
    assert {band for _s, band in _figures(client, w).values()} == {"10-24"}
