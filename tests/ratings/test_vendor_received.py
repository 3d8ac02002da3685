"""An input vendor is rated on its performance; it reads its own aggregates and publishes an answer,
like a maker or a buyer does, but never answers for another firm."""
from __future__ import annotations

from tests.ratings.conftest import LONG_AGO, all_scores
from tests.ratings.test_pages import _post
from tests.vetting.conftest import login

VENDOR = ("quality", "on_time_delivery", "communication")


def _rated_vendor(client, w) -> dict:
    for member in ("m1", "m2", "m3"):
        r = w.rate(client, member, "vendor_purchase", w.purchase(member, delivered_on=LONG_AGO), all_scores(4, VENDOR))
        assert r.status_code == 201, r.get_json()
    uid = w.factory.user("vendor_user", w.orgs["vendor"])
    return {"uid": uid, "h": w.factory.token(uid)}


def test_the_vendor_reads_its_ratings_and_answers_on_the_page(app, client, w):
    vendor = _rated_vendor(client, w)
    browser = login(app.test_client(), w.factory, vendor["uid"])
    page = browser.get("/ratings/received")
    assert page.status_code == 200 and 'data-testid="ratings-vendor_performance"' in page.get_data(as_text=True)
    ok = _post(browser, "/ratings/received/answer", {"direction": "vendor_performance", "category": "quality",
                                                   "body": "Cambiamos de hilandería en 2026.", "action": "publish"})
    assert ok.status_code == 302
    member = client.get(f"/api/v1/organizations/{w.orgs['vendor']}/ratings", headers=w.h("m4")).get_json()
    assert member["directions"][0]["answers"][0]["body"] == "Cambiamos de hilandería en 2026."


def test_the_vendor_answers_through_the_api_but_only_for_itself(client, w):
    vendor = _rated_vendor(client, w)
    url = f"/api/v1/organizations/{w.orgs['vendor']}/ratings/answer"
    r = client.put(url, json={"direction": "vendor_performance", "body": "Gracias."}, headers=vendor["h"])
    assert r.status_code == 200 and r.get_json()["body"] == "Gracias."
    r = client.delete(f"{url}?direction=vendor_performance", headers=vendor["h"])
    assert r.status_code in (200, 204)
    other = client.put(f"/api/v1/organizations/{w.orgs['acme']}/ratings/answer",
                       json={"direction": "buyer_practices", "body": "Not mine."}, headers=vendor["h"])
    assert other.status_code == 404
