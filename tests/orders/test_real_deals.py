"""Gaming the record: a backdated start, or a buyer firm the maker named itself, opens no ratings and
builds no track record. An order entered by hand says when it started (not after today, at most 90
days before it is entered); ratings open 60 days after it was entered; ratings and deliveries count
only for orders from a quote or a fair meeting, or whose buyer an association cleared."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from matchmaker import db
from matchmaker.orders.records import Order
from matchmaker.ranking.data import Snapshot

from tests.orders.conftest import fields_of, maker_order
from tests.support.world import csrf_from, login_as, set_language

SCORES = {"quality": 1, "on_time_delivery": 1, "communication": 1}
TODAY = date.today()


def _both_confirm(client, world, o, buyer="buyer"):
    r = client.post(f"/api/v1/orders/{o['id']}/confirm", json={"version": o["version"]}, headers=world.tokens[buyer])
    assert r.status_code == 200, r.get_json()


def _entered_days_ago(app, oid, days):
    """Time passes: the order was entered ``days`` ago."""
    with app.app_context():
        sess = db.session()
        sess.get(Order, oid).created_at = datetime.now(timezone.utc) - timedelta(days=days)
        sess.commit()


def test_started_on_is_bounded_and_named_when_refused(app, client, world, factory):
    for day in ("2000-01-01", (TODAY - timedelta(days=91)).isoformat(), (TODAY + timedelta(days=1)).isoformat()):
        r = client.post("/api/v1/orders", json={**_terms(world), "started_on": day}, headers=world.tokens["maker1"])
        assert r.status_code == 422 and fields_of(r) == {"started_on"}, (day, r.get_json())
    o = maker_order(client, world, "maker1", buyer=world.buyer, started_on=(TODAY - timedelta(days=30)).isoformat())
    assert o["started_on"] == (TODAY - timedelta(days=30)).isoformat()
    login_as(client, factory, world.users["maker1"])
    html = client.get("/orders/new").get_data(as_text=True)
    form = {k: str(v) for k, v in _terms(world).items()}
    r = client.post("/orders/new", data={**form, "started_on": "2000-01-01", "csrf_token": csrf_from(html)})
    page = r.get_data(as_text=True)
    assert r.status_code == 422 and 'data-field="started_on"' in page and "before it is entered" in page
    set_language(client, "es")
    r = client.post("/orders/new", data={**form, "started_on": "2000-01-01", "csrf_token": csrf_from(html)})
    assert r.status_code == 422 and "antes de registrarse" in r.get_data(as_text=True)


def _terms(world):
    from tests.orders.conftest import TERMS
    return dict(TERMS, buyer_id=world.buyer)


def test_a_backdated_order_opens_no_rating_at_once(app, client, world):
    o = maker_order(client, world, "maker1", buyer=world.buyer, started_on=(TODAY - timedelta(days=90)).isoformat())
    _both_confirm(client, world, o)
    r = client.post("/api/v1/ratings", json={"basis": "order", "basis_id": o["id"], "scores": SCORES},
                    headers=world.tokens["buyer"])
    assert r.status_code == 422 and fields_of(r) == {"basis_id"}
    _entered_days_ago(app, o["id"], 60)
    r = client.post("/api/v1/ratings", json={"basis": "order", "basis_id": o["id"], "scores": SCORES},
                    headers=world.tokens["buyer"])
    assert r.status_code == 201, r.get_json()


def test_a_buyer_nobody_cleared_on_a_hand_entered_order_neither_rates_nor_builds_the_record(app, client, world):
    maker = world.makers[1]
    made_up = maker_order(client, world, "maker1", buyer=world.other_buyer, quantity=10)
    real = maker_order(client, world, "maker1", buyer=world.buyer, quantity=10)
    for o, who in ((made_up, "other_buyer"), (real, "buyer")):
        _both_confirm(client, world, o, who)
        _entered_days_ago(app, o["id"], 61)
        r = client.post(f"/api/v1/orders/{o['id']}/deliveries", json={"delivered_on": TODAY.isoformat(),
                                                                      "quantity": 10}, headers=world.tokens[who])
        assert r.status_code == 201
    r = client.post("/api/v1/ratings", json={"basis": "order", "basis_id": made_up["id"], "scores": SCORES},
                    headers=world.tokens["other_buyer"])
    assert r.status_code == 422 and fields_of(r) == {"basis_id"} and "cleared" in r.get_json()["error"]["message"]
    r = client.post("/api/v1/ratings", json={"basis": "order", "basis_id": real["id"], "scores": SCORES},
                    headers=world.tokens["buyer"])
    assert r.status_code == 201
    with app.app_context():
        rec = Snapshot.from_db(db.session()).record(maker)
    assert (rec.deliveries, rec.delivered_units, rec.ratings) == (1, 10, 1), "only the cleared buyer's order counts"


def test_the_order_page_says_why_a_made_up_buyer_cannot_rate(app, client, world, factory):
    o = maker_order(client, world, "maker1", buyer=world.other_buyer)
    _both_confirm(client, world, o, "other_buyer")
    login_as(client, factory, world.users["other_buyer"])
    set_language(client, "es")
    html = client.get(f"/orders/{o['id']}").get_data(as_text=True)
    assert 'data-rating-state="no_evidence"' in html and "ninguna asociación ha aprobado a su comprador" in html


def test_withdrawing_the_buyers_clearance_takes_its_rating_out_of_the_makers_track_record(app, client, world):
    """The ranker's record (serving's snapshot, training's history) counts a rating only while its order is
    evidence: the cleared buyer's hand-entered order stops being evidence when the association's later
    decision puts the buyer on its watchlist, and counts again once the buyer is approved again."""
    from matchmaker.ranking.data import History
    from tests.support.vetting import clear_buyer

    maker = world.makers[1]
    o = maker_order(client, world, "maker1", buyer=world.buyer, quantity=10)
    _both_confirm(client, world, o)
    _entered_days_ago(app, o["id"], 61)
    r = client.post("/api/v1/ratings", json={"basis": "order", "basis_id": o["id"], "scores": SCORES},
                    headers=world.tokens["buyer"])
    assert r.status_code == 201

    def ratings() -> tuple[float, float]:
        with app.app_context():
            sess = db.session()
            return Snapshot.from_db(sess).record(maker).ratings, History.from_db(sess).record(
                maker, datetime.now(timezone.utc) + timedelta(days=1)).ratings

    assert ratings() == (1, 1)
    with app.app_context():
        clear_buyer(db.session(), world.buyer, world.association, outcome="watchlist")
    assert ratings() == (0, 0)
    with app.app_context():
        clear_buyer(db.session(), world.buyer, world.association)
    assert ratings() == (1, 1)
