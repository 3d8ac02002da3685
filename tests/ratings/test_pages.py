"""The rating form, the order page's panel, the rated firm's answer: messages beside their fields, in
both languages, a 4xx and nothing written on bad input."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from flask import g, render_template_string

from matchmaker import db
from matchmaker.orders.records import Order
from matchmaker.ratings.records import Rating, RatingAnswer
from matchmaker.accounts.records import User

from tests.ratings.conftest import BUYER_PRACTICES, TODAY, all_scores
from tests.vetting.conftest import login
from tests.support.world import csrf_from, set_language


def _count(app, model) -> int:
    with app.app_context():
        return db.session().query(model).count()


def _post(browser, path: str, data: dict):
    token = csrf_from(browser.get(path.removesuffix("/answer")).get_data(as_text=True))
    return browser.post(path, data={"csrf_token": token, **data})


def _beside(html: str, field: str) -> str:
    match = re.search(rf'data-field="{field}">([^<]*)<', html)
    return match.group(1) if match else ""


def test_the_maker_rates_the_buyer_through_the_form(app, w):
    order = w.order("acme", "m1")
    browser = login(app.test_client(), w.factory, w.users["m1"])
    page = browser.get(f"/ratings/orders/{order}").get_data(as_text=True)
    assert 'data-testid="rating-form"' in page and "Planning and forecasting" in page and "Acme Jeans Inc" in page
    response = _post(browser, f"/ratings/orders/{order}",
                     {**{c: "4" for c in BUYER_PRACTICES}, "payment_terms": "2", "comment": "Paid 40 days late."})
    assert response.status_code == 302
    with app.app_context():
        rating = db.session().query(Rating).one()
        assert {s.category: s.score for s in rating.scores}["payment_terms"] == 2
        assert rating.comment == "Paid 40 days late." and rating.rater_org_id == w.orgs["m1"]
    after = browser.get(f"/ratings/orders/{order}").get_data(as_text=True)
    assert 'data-testid="rating-done"' in after and 'data-testid="rating-form"' not in after
    again = _post(browser, f"/ratings/orders/{order}", {"quality": "3"})  # a stale form posted again
    assert again.status_code == 409 and _count(app, Rating) == 1


def test_bad_input_on_the_rating_form(app, w):
    order = w.order("acme", "m1")
    browser = login(app.test_client(), w.factory, w.users["m1"])
    path = f"/ratings/orders/{order}"
    bad = _post(browser, path, {"planning_forecasting": "9", "payment_terms": "x"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert _beside(html, "planning_forecasting") == "Choose a score from 1 to 5."
    assert _beside(html, "payment_terms") == "Choose a score from 1 to 5."
    empty = _post(browser, path, {"comment": "nothing scored"})
    assert empty.status_code == 422 and "Score at least one category." in empty.get_data(as_text=True)
    long = _post(browser, path, {"quality": "", "payment_terms": "3", "comment": "x" * 2001})
    assert long.status_code == 422 and _beside(long.get_data(as_text=True), "comment") == "At most 2000 characters."
    nul = _post(browser, path, {"payment_terms": "3", "comment": "a\x00b"})
    assert nul.status_code in {400, 422}  # the app refuses a NUL character in any form before the view
    no_token = browser.post(path, data={"payment_terms": "3"})
    assert no_token.status_code == 400
    assert _count(app, Rating) == 0


def test_in_spanish_with_a_message_beside_the_field(app, w):
    order = w.order("acme", "m1")
    browser = login(app.test_client(), w.factory, w.users["m1"])
    set_language(browser, "es")
    page = browser.get(f"/ratings/orders/{order}").get_data(as_text=True)
    assert "Planeación y pronóstico" in page and "Pago y condiciones" in page and "Enviar calificación" in page
    bad = _post(browser, f"/ratings/orders/{order}", {"payment_terms": "0"})
    assert _beside(bad.get_data(as_text=True), "payment_terms") == "Elija una calificación del 1 al 5."
    young = w.order("acme", "m1", started_on=TODAY - timedelta(days=3))
    assert "La calificación se abre el" in browser.get(f"/ratings/orders/{young}").get_data(as_text=True)


def test_too_early_is_said_on_the_page_and_refused_on_post(app, w):
    order = w.order("acme", "m1", started_on=TODAY - timedelta(days=10))
    browser = login(app.test_client(), w.factory, w.users["m1"])
    page = browser.get(f"/ratings/orders/{order}").get_data(as_text=True)
    assert 'data-testid="rating-opens"' in page and 'data-testid="rating-form"' not in page
    token = csrf_from(browser.get("/ratings/received").get_data(as_text=True))
    refused = browser.post(f"/ratings/orders/{order}", data={"csrf_token": token, "payment_terms": "3"})
    assert refused.status_code == 422 and "Rating opens on" in refused.get_data(as_text=True)
    assert _count(app, Rating) == 0


PANEL = '{% include "ratings/_order_panel.html" ignore missing %}'


def _panel(app, user_id: int, order_id: int, side: str) -> str:
    with app.test_request_context("/"):
        g.actor = db.session().get(User, user_id)
        order = db.session().get(Order, order_id)
        return render_template_string(PANEL, order=order, side=side)


def test_the_order_panel_says_whether_this_side_may_rate_has_rated_or_when_it_opens(app, client, w):
    closed = w.order("acme", "m1", started_on=TODAY - timedelta(days=5), status="closed",
                     closed_at=datetime.now(timezone.utc))
    young = w.order("acme", "m1", started_on=TODAY - timedelta(days=5))
    unconfirmed = w.order("acme", "m1", confirmed=False)
    assert 'data-rating-state="open"' in _panel(app, w.users["m1"], closed, "maker")
    assert f'/ratings/orders/{closed}' in _panel(app, w.users["m1"], closed, "maker")
    assert 'data-rating-state="open"' in _panel(app, w.users["acme"], closed, "buyer")
    w.rate(client, "m1", "order", closed, all_scores(3))
    assert 'data-rating-state="rated"' in _panel(app, w.users["m1"], closed, "maker")
    assert 'data-rating-state="open"' in _panel(app, w.users["acme"], closed, "buyer")  # the buyer has not yet
    opens = _panel(app, w.users["m1"], young, "maker")
    assert 'data-rating-state="opens"' in opens and str((TODAY + timedelta(days=55)).year) in opens
    assert 'data-rating-state="never"' in _panel(app, w.users["m1"], unconfirmed, "maker")
    # another side, or someone else: nothing at all
    assert _panel(app, w.users["m1"], closed, "buyer").strip() == ""
    assert _panel(app, w.users["m2"], closed, "maker").strip() == ""
    assert _panel(app, w.users["board_a"], closed, "maker").strip() == ""


def _rated_by_three(client, w):
    for maker in ("m1", "m2", "m3"):
        w.rate(client, maker, "order", w.order("acme", maker), all_scores(3))


def test_the_buyer_publishes_an_answer_shown_beside_its_ratings(app, client, w):
    _rated_by_three(client, w)
    browser = login(app.test_client(), w.factory, w.users["acme"])
    ok = _post(browser, "/ratings/received/answer", {"direction": "buyer_practices", "category": "payment_terms",
                                              "body": "We moved to 30-day terms in 2026.", "action": "publish"})
    assert ok.status_code == 302
    member = login(app.test_client(), w.factory, w.users["m4"])
    assert "We moved to 30-day terms in 2026." in member.get(f"/organizations/{w.orgs['acme']}").get_data(as_text=True)
    again = _post(browser, "/ratings/received/answer", {"direction": "buyer_practices", "category": "payment_terms",
                                                 "body": "Revised answer.", "action": "publish"})
    assert again.status_code == 302 and _count(app, RatingAnswer) == 1
    withdrawn = _post(browser, "/ratings/received/answer", {"direction": "buyer_practices", "category": "payment_terms",
                                                     "action": "withdraw"})
    assert withdrawn.status_code == 302 and _count(app, RatingAnswer) == 0


def test_bad_input_on_the_answer_form(app, client, w):
    _rated_by_three(client, w)
    browser = login(app.test_client(), w.factory, w.users["acme"])
    cases = [({"body": "   "}, "body", "Write an answer."),
             ({"body": "x" * 4001}, "body", "At most 4000 characters."),
             ({"body": "ok", "category": "quality"}, "category", "Not a category of this rating")]
    for extra, field, message in cases:
        response = _post(browser, "/ratings/received/answer", {"direction": "buyer_practices", "action": "publish",
                                                         "category": "", **extra})
        assert response.status_code == 422, extra
        assert _beside(response.get_data(as_text=True), field).startswith(message), extra
    other = _post(browser, "/ratings/received/answer", {"direction": "maker_performance", "body": "not mine"})
    assert other.status_code == 404
    assert _count(app, RatingAnswer) == 0


def test_answers_through_the_api(app, client, w):
    _rated_by_three(client, w)
    url = f"/api/v1/organizations/{w.orgs['acme']}/ratings/answer"
    ok = client.put(url, headers=w.h("acme"), json={"direction": "buyer_practices", "body": "Thanks."})
    assert ok.status_code == 200 and ok.get_json()["category"] is None
    read = client.get(f"/api/v1/organizations/{w.orgs['acme']}/ratings", headers=w.h("m4")).get_json()
    assert read["directions"][0]["answers"][0]["body"] == "Thanks."
    bad = [({"direction": "sideways", "body": "x"}, "direction"), ({"direction": "buyer_practices"}, "body"),
           ({"direction": "buyer_practices", "body": " "}, "body"),
           ({"direction": "buyer_practices", "body": "x" * 4001}, "body"),
           ({"direction": "buyer_practices", "body": "x", "category": "quality"}, "category"),
           ({"direction": "maker_performance", "body": "x"}, "direction"),
           ({"direction": "buyer_practices", "body": "x", "by": 1}, "by")]
    for body, field in bad:
        response = client.put(url, headers=w.h("acme"), json=body)
        assert response.status_code == 422, body
        assert field in [f["field"] for f in response.get_json()["error"]["fields"]], body
    for who in ("zeta", "m1"):  # not their firm
        assert client.put(url, headers=w.h(who), json={"direction": "buyer_practices", "body": "x"}
                          ).status_code == 404
    assert client.put(url, headers=w.h("board_a"), json={"direction": "buyer_practices", "body": "x"}
                      ).status_code == 403
    assert client.delete(url + "?direction=sideways", headers=w.h("acme")).status_code == 400
    assert client.delete(url + "?direction=buyer_practices&category=payment_terms", headers=w.h("acme")
                         ).status_code == 404
    assert client.delete(url + "?direction=buyer_practices", headers=w.h("acme")).status_code == 204
    assert _count(app, RatingAnswer) == 0


def test_done_when_the_makers_rating_appears_only_once_three_firms_have_rated(app, w):
    """Issue 15's done-when, through the pages: each maker rates its closed order with the buyer on the form;
    the buyer's figures appear on the page members read only after the third firm."""
    reader = login(app.test_client(), w.factory, w.users["m4"])
    profile = f"/organizations/{w.orgs['acme']}"
    for i, maker in enumerate(("m1", "g1", "g2", "m2")):  # g1 and g2: one owner, so one firm
        order = w.order("acme", maker, started_on=TODAY - timedelta(days=20), status="closed",
                        closed_at=datetime.now(timezone.utc))
        browser = login(app.test_client(), w.factory, w.users[maker])
        assert _post(browser, f"/ratings/orders/{order}", {c: "3" for c in BUYER_PRACTICES}).status_code == 302
        page = reader.get(profile).get_data(as_text=True)
        shown = 'data-testid="ratings-buyer_practices"' in page
        assert shown == (maker == "m2"), (i, maker)
    assert "3.0" in page and "Planning and forecasting" in page
