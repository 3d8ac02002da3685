"""An order from a fair meeting: once a meeting's follow-up names an order, its two sides' fair page
offers "record this order", prefilled with the pair; the order keeps the meeting, and the meeting
gives one order (a second record, from either side, is a 409)."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from matchmaker import db
from matchmaker.orders.records import Order

from tests.fairs.conftest import cluster, fair_ended_days_ago  # noqa: F401  (fixture)
from tests.fairs.test_fair_meetings import published  # noqa: F401  (fixture)
from tests.orders.conftest import TERMS, fields_of
from tests.support.world import csrf_from, login_as, set_language

FORM = {k: str(v) for k, v in TERMS.items()}


def test_a_meeting_whose_follow_up_named_an_order_becomes_one_order(app, client, cluster, factory,  # noqa: F811
                                                                     published):  # noqa: F811
    fid, mid = published["id"], published["meeting"]
    body = dict(TERMS, fair_meeting_id=mid)
    # no follow-up named an order yet
    r = client.post("/api/v1/orders", json=body, headers=cluster.tokens["buyer0"])
    assert r.status_code == 409 and fields_of(r) == {"fair_meeting_id"}
    fair_ended_days_ago(app, fid, 10)
    r = client.post(f"/api/v1/fairs/{fid}/meetings/{mid}/follow-up-answers",
                    json={"wave": "week", "rating": 5, "next_step": "order"}, headers=cluster.tokens["buyer0"])
    assert r.status_code == 201
    # a firm that was not at the meeting: no such meeting for it
    r = client.post("/api/v1/orders", json=body, headers=cluster.tokens["buyer1"])
    assert r.status_code == 404 and fields_of(r) == {"fair_meeting_id"}
    login_as(client, factory, cluster.users["buyer0"])
    page = client.get(f"/fairs/{fid}").get_data(as_text=True)
    assert f'data-testid="record-order-{mid}"' in page
    form = client.get(f"/orders/new?fair_meeting_id={mid}")
    assert form.status_code == 200
    html = form.get_data(as_text=True)
    assert "Buyer X" in html and "Taller A" in html and 'name="fair_meeting_id"' in html
    r = client.post("/orders/new", data={**FORM, "fair_meeting_id": str(mid), "csrf_token": csrf_from(html)})
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    with app.app_context():
        order = db.session().scalars(select(Order)).one()
        assert (order.origin, order.fair_meeting_id, order.buyer_id, order.maker_id) == \
            ("followup", mid, cluster.buyers[0], cluster.makers[0])
        assert order.buyer_confirmed_at is not None and order.maker_confirmed_at is None
    # the other side records it too: one order per meeting
    r = client.post("/api/v1/orders", json=body, headers=cluster.tokens["maker0"])
    assert r.status_code == 409
    maker_view = client.get(f"/api/v1/orders/{order.id}", headers=cluster.tokens["maker0"]).get_json()
    assert maker_view["side"] == "maker" and maker_view["fair_meeting_id"] == mid
    page = client.get(f"/fairs/{fid}").get_data(as_text=True)
    assert f'data-testid="record-order-{mid}"' not in page and f"/orders/{order.id}" in page
    # the same page in Spanish
    set_language(client, "es")
    assert "Ver el pedido" in client.get(f"/fairs/{fid}").get_data(as_text=True)
    r = client.post("/orders/new", data={**FORM, "fair_meeting_id": str(mid), "csrf_token": csrf_from(html)})
    assert r.status_code == 409 and "ya se registró un pedido para esta reunión de feria" in r.get_data(as_text=True)


def test_the_delivery_date_of_a_fair_order_is_checked_beside_its_field(app, client, cluster, factory,  # noqa: F811
                                                                        published):  # noqa: F811
    fid, mid = published["id"], published["meeting"]
    fair_ended_days_ago(app, fid, 10)
    client.post(f"/api/v1/fairs/{fid}/meetings/{mid}/follow-up-answers",
                json={"wave": "week", "rating": 4, "next_step": "order"}, headers=cluster.tokens["maker0"])
    login_as(client, factory, cluster.users["maker0"])
    html = client.get(f"/orders/new?fair_meeting_id={mid}").get_data(as_text=True)
    r = client.post("/orders/new", data={**FORM, "delivery_date": "someday", "quantity": "0",
                                         "fair_meeting_id": str(mid), "csrf_token": csrf_from(html)})
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    assert 'data-field="delivery_date"' in page and 'data-field="quantity"' in page
    late = (date.today() + timedelta(days=3)).isoformat()
    r = client.post("/orders/new", data={**FORM, "delivery_date": late, "fair_meeting_id": str(mid),
                                         "csrf_token": csrf_from(html)})
    assert r.status_code == 302
