"""The order pages in both languages: the list (empty, paginated), the buyer accepting a quote on the
inquiry page, the maker's new-order form, the order page with terms, milestones planned against
actual, deliveries, invoices with payments, confirm buttons, disputes and answers; every form's bad
input comes back beside its field with a 4xx and nothing written."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from matchmaker import db
from matchmaker.orders.records import Order, OrderDelivery, OrderDispute, OrderInvoice, OrderMilestone, OrderPayment

from tests.orders.conftest import TERMS, maker_order, quoted_inquiry
from tests.support.world import csrf_from, login_as, set_language

FORM = {k: str(v) for k, v in TERMS.items()}


def _count(app, model) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(model))


def _page(client, path):
    r = client.get(path)
    assert r.status_code == 200, path
    return r.get_data(as_text=True)


@pytest.mark.parametrize("lang,empty,title,one,many", [
    ("en", "No orders yet.", "Orders", "1 order<", "21 orders<"),
    ("es", "Aún no hay pedidos.", "Pedidos", "1 pedido<", "21 pedidos<")])
def test_the_list_is_empty_then_paginated(app, client, factory, world, lang, empty, title, one, many):
    login_as(client, factory, world.users["maker1"])
    set_language(client, lang)
    html = _page(client, "/orders")
    assert empty in html and 'data-testid="new-order"' in html and f"<h1>{title}</h1>" in html
    maker_order(client, world, "maker1", buyer=world.buyer, reference="PO-00")
    assert one in _page(client, "/orders")  # "1 order", never "1 orders"
    for i in range(1, 21):
        maker_order(client, world, "maker1", buyer=world.buyer, reference=f"PO-{i:02d}")
    html = _page(client, "/orders")
    assert html.count('data-testid="order-row"') == 20 and 'rel="next"' in html and many in html
    html = _page(client, "/orders?page=2")
    assert html.count('data-testid="order-row"') == 1 and "PO-00" in html
    assert client.get("/orders?page=999").headers["Location"] == "/orders?page=2"  # past the end: the last page
    assert _page(client, "/orders?page=2").count('data-testid="order-row"') == 1
    assert _page(client, "/orders?status=closed").count('data-testid="order-row"') == 0
    # the buyer sees the same orders; another maker none of them
    login_as(client, factory, world.users["buyer"])
    assert 'data-testid="new-order"' not in _page(client, "/orders")
    login_as(client, factory, world.users["maker2"])
    assert _page(client, "/orders").count('data-testid="order-row"') == 0


@pytest.mark.parametrize("lang, price, deposit, quantity", [
    ("en", "$1,234.50", "30%", "12,000"),
    ("es", "USD\xa01,234.50", "30%", "12,000"),   # es_MX, the cluster's Spanish, with CLDR's currency spacing
])
def test_the_order_page_writes_money_shares_and_numbers_as_the_readers_locale_does(
        client, factory, world, lang, price, deposit, quantity):
    order = maker_order(client, world, "maker1", buyer=world.buyer, unit_price=1234.5, quantity=12000)
    login_as(client, factory, world.users["maker1"])
    set_language(client, lang)
    html = _page(client, f"/orders/{order['id']}")
    assert f'data-testid="term-unit_price">{price}</dd>' in html
    assert f"<dd>{deposit}</dd>" in html and quantity in html
    assert ">1234.5" not in html and "1234.50 USD" not in html   # no raw Python number in the text (inputs keep theirs)


def test_percentages_follow_the_locales_own_pattern(monkeypatch):
    """The share is written by the locale's CLDR pattern, spacing included: were Spanish pages to follow
    Spain's usage rather than Mexico's, the same call would read "80,0 %"."""
    from matchmaker import i18n

    assert i18n.format_percent(0.8, 1, lang="es") == "80.0%"
    assert i18n.format_percent(0.08, 1, lang="en", signed=True) == "+8.0%"
    monkeypatch.setitem(i18n.BABEL_LOCALES, "es", "es_ES")
    assert i18n.format_percent(0.8, 1, lang="es") == "80,0\xa0%"
    assert i18n.format_currency(1234.5, "EUR", lang="es") == "1.234,50\xa0€"


def test_the_buyer_accepts_a_quote_on_the_inquiry_page(app, client, factory, world):
    inq, (q1, q2) = quoted_inquiry(client, world, quotes=2)
    login_as(client, factory, world.users["buyer"])
    html = _page(client, f"/inquiries/{inq}")
    # the maker's newer quote supersedes the older, cheaper one: shown so, and accepting it is refused
    assert f'data-testid="accept-quote-{q1}"' not in html and f'data-testid="accept-quote-{q2}"' in html
    assert f'data-testid="superseded-{q1}">Superseded by quote {q2}</span>' in html
    assert f'data-testid="superseded-{q2}"' not in html
    r = client.post(f"/inquiries/{inq}/quotes/{q1}/accept", data={"csrf_token": csrf_from(html)})
    assert r.status_code == 409
    assert f"Quote {q1} was replaced by the maker&#39;s newer quote {q2};" in r.get_data(as_text=True)
    assert _count(app, Order) == 0
    set_language(client, "es")
    html = _page(client, f"/inquiries/{inq}")
    assert f'data-testid="superseded-{q1}">Reemplazada por la cotización {q2}</span>' in html
    r = client.post(f"/inquiries/{inq}/quotes/{q1}/accept", data={"csrf_token": csrf_from(html)})
    assert r.status_code == 409 and f"La cotización {q1} fue reemplazada" in r.get_data(as_text=True)
    set_language(client, "en")
    r = client.post(f"/inquiries/{inq}/quotes/{q2}/accept", data={"csrf_token": csrf_from(html)})
    assert r.status_code == 302 and re.match(r"/orders/\d+$", r.headers["Location"])
    order = _page(client, r.headers["Location"])
    assert "$9.50" in order and 'data-testid="confirm-terms"' not in order  # the buyer has confirmed
    html = _page(client, f"/inquiries/{inq}")
    assert "accept-quote" not in html and 'data-testid="inquiry-order"' in html
    # an old page's second click: a 409 that says so, and still one order
    r = client.post(f"/inquiries/{inq}/quotes/{q1}/accept", data={"csrf_token": csrf_from(html)})
    assert r.status_code == 409 and "An order was already placed on this inquiry." in r.get_data(as_text=True)
    assert _count(app, Order) == 1
    # the maker sees the order from its inquiry page and confirms the terms
    login_as(client, factory, world.users["maker0"])
    html = _page(client, f"/inquiries/{inq}")
    link = re.search(r'href="(/orders/\d+)" data-testid="inquiry-order"', html).group(1)
    html = _page(client, link)
    assert 'data-testid="confirm-terms"' in html
    r = client.post(f"{link}/confirm", data={"csrf_token": csrf_from(html),
                                             "version": re.search(r'name="version" value="(\d+)"', html).group(1)})
    assert r.status_code == 302
    assert 'data-testid="confirm-terms"' not in _page(client, link)


def test_the_maker_enters_an_order_and_bad_input_stays_beside_its_field(app, client, factory, world):
    login_as(client, factory, world.users["maker1"])
    html = _page(client, "/orders/new")
    assert 'name="buyer_name"' in html and "Lone Star Denim" not in html  # a search field, not a list of buyers
    token = csrf_from(html)
    r = client.post("/orders/new", data={**FORM, "unit_price": "-3", "currency": "XXX", "csrf_token": token})
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    for name in ("buyer_id", "unit_price", "currency"):
        assert f'data-field="{name}"' in page, name
    assert _count(app, Order) == 0
    set_language(client, "es")
    r = client.post("/orders/new", data={**FORM, "buyer_id": str(world.buyer), "quantity": "abc",
                                         "csrf_token": token})
    assert r.status_code == 422 and "Escriba un número entero." in r.get_data(as_text=True)
    r = client.post("/orders/new", data={**FORM, "buyer_id": str(world.makers[0]), "csrf_token": token})
    assert r.status_code == 422 and "No hay un comprador" in r.get_data(as_text=True)
    r = client.post("/orders/new", data={**FORM, "buyer_id": str(world.buyer), "csrf_token": token})
    assert r.status_code == 302
    assert _count(app, Order) == 1
    # a buyer has no form of its own: it accepts a quote or records a fair meeting's order
    login_as(client, factory, world.users["buyer"])
    assert client.get("/orders/new").status_code == 302


def _order_page(client, oid):
    html = _page(client, f"/orders/{oid}")
    return html, csrf_from(html), re.search(r'name="version" value="(\d+)"', html).group(1)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_form_of_the_order_page_refuses_bad_input_beside_its_field(app, client, factory, world, lang):
    o = maker_order(client, world, "maker1", buyer=world.buyer)
    oid = o["id"]
    inv = client.post(f"/api/v1/orders/{oid}/invoices", json={"number": "F-1", "issued_on": "2030-01-01",
                                                              "amount": 100}, headers=world.tokens["maker1"]).get_json()
    login_as(client, factory, world.users["maker1"])
    set_language(client, lang)
    html, token, version = _order_page(client, oid)
    cases = [
        ("terms", {"version": version, "unit_price": "free"}, "unit_price"),
        ("terms", {"version": "x", "quantity": "5"}, "version"),
        ("confirm", {"version": ""}, "version"),
        ("close", {"status": "lost", "version": version}, "status"),
        ("milestones", {"stage": "dyed", "planned_on": "2030-01-01"}, "stage"),
        ("milestones", {"stage": "cut"}, "planned_on"),
        ("milestones", {"stage": "cut", "actual_on": "yesterday"}, "actual_on"),
        ("deliveries", {"delivered_on": "2026-01-01", "quantity": "10", "rejected_quantity": "11"},
         "rejected_quantity"),
        ("deliveries", {"delivered_on": "", "quantity": "0"}, "quantity"),
        ("invoices", {"number": "F-2", "issued_on": "2030-02-01", "due_on": "2030-01-01", "amount": "5"}, "due_on"),
        ("invoices", {"number": "", "issued_on": "2030-02-01", "amount": "-5"}, "amount"),
        (f"invoices/{inv['id']}/payments", {"paid_on": "2030-01-05", "amount": "101"}, "amount"),
        ("disputes", {"figure": "nothing", "claimed_value": "x"}, "figure"),
        ("disputes", {"figure": f"order:{oid}:colour"}, "figure"),
    ]
    before = {m: _count(app, m) for m in (OrderMilestone, OrderDelivery, OrderInvoice, OrderPayment, OrderDispute)}
    for path, data, field in cases:
        r = client.post(f"/orders/{oid}/{path}", data={**data, "csrf_token": token})
        assert 400 <= r.status_code < 500, (path, data, r.status_code)
        page = r.get_data(as_text=True)
        assert f'data-field="{field}"' in page, (path, data, field)
        assert ("Pedido" if lang == "es" else "Order") in page
    assert {m: _count(app, m) for m in before} == before
    with app.app_context():
        assert db.session().get(Order, oid).version == int(version)


def test_the_order_page_walks_figures_confirmations_and_a_dispute(app, client, factory, world):
    today = date.today()
    o = maker_order(client, world, "maker1", buyer=world.buyer, quantity=100,
                    started_on=(today - timedelta(days=30)).isoformat())
    oid = o["id"]
    login_as(client, factory, world.users["maker1"])
    html, token, version = _order_page(client, oid)
    assert "monitoring/_order_panel" not in html  # an include, not text
    steps = [("milestones", {"stage": "cut", "planned_on": (today - timedelta(days=3)).isoformat(),
                             "actual_on": today.isoformat()}),
             ("deliveries", {"delivered_on": "2026-03-01", "quantity": "100", "rejected_quantity": "3"}),
             ("invoices", {"number": "F-1", "issued_on": "2030-03-01", "amount": "925", "is_deposit": "y"})]
    for path, data in steps:
        r = client.post(f"/orders/{oid}/{path}", data={**data, "csrf_token": token})
        assert r.status_code == 302, (path, r.get_data(as_text=True)[:3000])
    html = _page(client, f"/orders/{oid}")
    assert 'data-testid="milestone-cut"' in html and ">3</td>" in html  # three days late
    assert "confirm-delivery" not in html  # its own figures: nothing to confirm
    login_as(client, factory, world.users["buyer"])
    set_language(client, "es")
    html, token, version = _order_page(client, oid)
    assert "Hitos" in html and "Corte" in html and "Facturas y pagos" in html
    delivery = re.search(r'data-testid="confirm-delivery-(\d+)"', html).group(1)
    r = client.post(f"/orders/{oid}/figures/delivery/{delivery}/confirm", data={"csrf_token": token})
    assert r.status_code == 302
    r = client.post(f"/orders/{oid}/figures/delivery/{delivery}/confirm", data={"csrf_token": token})
    assert r.status_code == 409 and "esta cifra ya está confirmada o cambió" in r.get_data(as_text=True)
    invoice = re.search(r'data-testid="invoice-(\d+)"', html).group(1)
    r = client.post(f"/orders/{oid}/invoices/{invoice}/payments", data={"paid_on": "2030-03-20", "amount": "925",
                                                                        "csrf_token": token})
    assert r.status_code == 302
    r = client.post(f"/orders/{oid}/disputes", data={"figure": f"invoice:{invoice}:amount", "claimed_value": "900",
                                                     "note": "Discount agreed.", "csrf_token": token})
    assert r.status_code == 302
    r = client.post(f"/orders/{oid}/confirm", data={"version": version, "csrf_token": token})
    assert r.status_code == 302
    html = _page(client, f"/orders/{oid}")
    assert "Discount agreed." in html and 'data-testid="confirm-terms"' not in html
    login_as(client, factory, world.users["maker1"])
    html, token, version = _order_page(client, oid)
    dispute = re.search(r'data-testid="answer-form-(\d+)"', html).group(1)
    r = client.post(f"/orders/{oid}/disputes/{dispute}/answer", data={"answer": "", "csrf_token": token})
    assert r.status_code == 422 and 'data-field="answer"' in r.get_data(as_text=True)
    r = client.post(f"/orders/{oid}/disputes/{dispute}/answer", data={"answer": "Yes: 900.", "csrf_token": token})
    assert r.status_code == 302
    assert 'data-testid="dispute-answer"' in _page(client, f"/orders/{oid}")
    r = client.post(f"/orders/{oid}/close", data={"status": "closed", "version": version, "csrf_token": token})
    assert r.status_code == 302
    html = _page(client, f"/orders/{oid}")
    assert 'data-testid="close-form"' not in html and "Closed" in html


@pytest.mark.parametrize("lang,message", [
    ("en", "Someone changed this milestone at the same moment"),
    ("es", "Alguien cambió este hito en el mismo momento")])
def test_two_people_editing_one_milestone_on_the_page_the_second_is_told(app, factory, world, lang, message):
    """Both sides open the order page showing the cut date; the buyer saves first; the maker's save of the
    page it read is refused with a message on the page, and the buyer's date stays."""
    o = maker_order(app.test_client(), world, "maker1", buyer=world.buyer)
    oid = o["id"]
    maker, buyer = app.test_client(), app.test_client()
    login_as(maker, factory, world.users["maker1"])
    login_as(buyer, factory, world.users["buyer"])
    first = maker.post(f"/orders/{oid}/milestones", data={"stage": "cut", "planned_on": "2030-02-01",
                                                            "csrf_token": csrf_from(_page(maker, f"/orders/{oid}"))})
    assert first.status_code == 302
    set_language(maker, lang)
    maker_html, buyer_html = _page(maker, f"/orders/{oid}"), _page(buyer, f"/orders/{oid}")
    assert 'name="version_cut" value="1"' in maker_html and 'name="version_cut" value="1"' in buyer_html
    form = {"stage": "cut", "version_cut": "1", "version_sewn": ""}
    r = buyer.post(f"/orders/{oid}/milestones", data=dict(form, planned_on="2030-02-10",
                                                          csrf_token=csrf_from(buyer_html)))
    assert r.status_code == 302
    r = maker.post(f"/orders/{oid}/milestones", data=dict(form, planned_on="2030-02-20",
                                                          csrf_token=csrf_from(maker_html)))
    html = r.get_data(as_text=True)
    assert r.status_code == 409 and message in html and 'name="version_cut" value="2"' in html
    with app.app_context():
        row = db.session().scalar(select(OrderMilestone).where(OrderMilestone.order_id == oid))
        assert row.planned_on.isoformat() == "2030-02-10" and row.entered_by == "buyer"


def test_the_buyer_field_suggests_buyer_firms_only_and_resolves_a_typed_name(app, client, factory, world):
    """The new-order form's buyer is a text field: as the maker types, buyer firms (never makers) are
    suggested; without JavaScript the typed name is resolved on submit, and no or several matching firms
    come back beside the field, in the maker's language, with nothing written."""
    factory.org("buying_agent", name="Lone Star Sourcing", country="US")
    login_as(client, factory, world.users["maker1"])
    token = csrf_from(_page(client, "/orders/new"))
    items = client.get("/orders/buyers?q=lone st").get_json()["items"]
    assert [i["text"] for i in items] == ["Lone Star Denim (US)", "Lone Star Sourcing (US)"]
    assert items[0]["value"] == world.buyer
    assert client.get("/orders/buyers?q=taller").get_json()["items"] == []  # makers are not buyers
    assert client.get("/orders/buyers?q=l").get_json()["items"] == []  # two characters at least
    assert client.get("/orders/buyers?q=%25").get_json()["items"] == []  # no wildcard listing every buyer
    # without JavaScript: several matches, then none, are refused beside the field
    r = client.post("/orders/new", data={**FORM, "buyer_name": "lone star", "csrf_token": token})
    page = r.get_data(as_text=True)
    assert r.status_code == 422 and 'data-field="buyer_id"' in page
    assert "Several buyer firms match" in page and "Lone Star Sourcing (US)" in page
    set_language(client, "es")
    r = client.post("/orders/new", data={**FORM, "buyer_name": "Taller Azul", "csrf_token": token})
    assert r.status_code == 422 and "Ninguna firma compradora se llama" in r.get_data(as_text=True)
    assert "Elija el comprador" not in r.get_data(as_text=True)  # the name's problem, not a second one
    # an unknown buyer and a bad quantity come back together, each beside its field, in one round
    r = client.post("/orders/new", data={**FORM, "quantity": "-5", "buyer_name": "Taller Azul", "csrf_token": token})
    page = r.get_data(as_text=True)
    assert r.status_code == 422 and "Ninguna firma compradora se llama" in page
    assert 'data-field="quantity"' in page and page.count('data-field="buyer_id"') == 1
    assert "Elija el comprador" not in page
    assert _count(app, Order) == 0
    # one match (part of the name), and the exact label the suggestion shows, each make the order
    for typed in ("pacific", "Lone Star Denim (US)"):
        r = client.post("/orders/new", data={**FORM, "buyer_name": typed, "csrf_token": token})
        assert r.status_code == 302, typed
    with app.app_context():
        buyers = db.session().scalars(select(Order.buyer_id).order_by(Order.id)).all()
    assert buyers == [world.other_buyer, world.buyer]
    # the field is the maker's: a buyer's user gets no suggestions
    login_as(client, factory, world.users["buyer"])
    assert client.get("/orders/buyers?q=lone").status_code == 403
