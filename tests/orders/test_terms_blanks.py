"""Changing an order's terms: the form is prefilled, so a field sent empty was emptied on purpose. An
optional term (PO number, product, reject limit) so emptied clears; a required one is refused beside its
field; a term not sent is kept; a submission that changes nothing says so and records and tells nothing.
The API follows the same rule (null or "" for a required term is a 422 naming it)."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from matchmaker import db
from matchmaker.contact.records import Notification
from matchmaker.orders.records import Order, OrderTermChange
from matchmaker.orders.schemas import REQUIRED_TERMS, TERM_FIELDS

from tests.orders.conftest import TERMS, fields_of, maker_order
from tests.support.world import csrf_from, login_as, set_language


def _agreed(client, world) -> dict:
    """An order both sides confirmed (so every change would be kept in term_changes)."""
    o = maker_order(client, world, "maker1", buyer=world.buyer)
    r = client.post(f"/api/v1/orders/{o['id']}/confirm", json={"version": o["version"]},
                    headers=world.tokens["buyer"])
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def _state(app, oid):
    with app.app_context():
        sess = db.session()
        o = sess.get(Order, oid)
        terms = {k: getattr(o, k) for k in TERM_FIELDS}
        changes = sess.scalar(select(func.count()).select_from(OrderTermChange).where(OrderTermChange.order_id == oid))
        notes = sess.scalar(select(func.count()).select_from(Notification).where(Notification.kind == "order_terms"))
        return terms, o.version, changes, notes


def _form(client, oid):
    html = client.get(f"/orders/{oid}").get_data(as_text=True)
    form = html[html.index('data-testid="terms-form"'):]
    form = form[:form.index("</form>")]
    values = dict(re.findall(r'<input type="(?:text|number|date)" id="t-\w+" name="(\w+)" value="([^"]*)"', form))
    values.update(re.findall(r'<select id="t-\w+" name="(\w+)".*?<option value="(\w+)" selected', form))
    values["version"] = re.search(r'name="version" value="(\d+)"', form).group(1)
    return html, values


def test_the_form_is_prefilled_and_an_unchanged_submission_changes_nothing(app, client, factory, world):
    o = _agreed(client, world)
    login_as(client, factory, world.users["maker1"])
    set_language(client, "es")
    html, values = _form(client, o["id"])
    assert values["reference"] == "PO-77" and values["product"] == "Slim jeans" and values["quantity"] == "2000"
    assert values["reject_limit_pct"] == "2.5" and values["fabric_by"] == "buyer"
    before = _state(app, o["id"])
    r = client.post(f"/orders/{o['id']}/terms", data={**values, "csrf_token": csrf_from(html)})
    assert r.status_code == 302
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Nada cambió: las condiciones siguen como estaban." in page
    assert "las otras partes" not in page and "Terms changed" not in page
    assert _state(app, o["id"]) == before  # no term, version, change record or notice


def test_every_field_blank_is_refused_beside_each_required_term(app, client, factory, world):
    o = _agreed(client, world)
    login_as(client, factory, world.users["maker1"])
    html, values = _form(client, o["id"])
    before = _state(app, o["id"])
    blank = {k: "" for k in TERM_FIELDS}
    r = client.post(f"/orders/{o['id']}/terms", data={**blank, "version": values["version"],
                                                      "csrf_token": csrf_from(html)})
    page = r.get_data(as_text=True)
    assert r.status_code == 422
    for name in REQUIRED_TERMS:
        assert f'data-field="{name}"' in page, name
    assert "This term is required: it cannot be left blank." in page
    assert "Terms changed" not in page
    assert _state(app, o["id"]) == before


def test_emptying_an_optional_term_on_purpose_clears_it(app, client, factory, world):
    o = _agreed(client, world)
    login_as(client, factory, world.users["maker1"])
    html, values = _form(client, o["id"])
    r = client.post(f"/orders/{o['id']}/terms", data={**values, "reference": "", "reject_limit_pct": "",
                                                      "csrf_token": csrf_from(html)})
    assert r.status_code == 302
    terms, _v, changes, _n = _state(app, o["id"])
    assert terms["reference"] == "" and terms["reject_limit_pct"] is None
    assert terms["product"] == "Slim jeans" and terms["quantity"] == 2000  # sent unchanged: kept
    assert changes == 2
    # a term the page did not send is kept
    html, values = _form(client, o["id"])
    r = client.post(f"/orders/{o['id']}/terms", data={"version": values["version"], "quantity": "2100",
                                                      "csrf_token": csrf_from(html)})
    assert r.status_code == 302
    terms = _state(app, o["id"])[0]
    assert terms["quantity"] == 2100 and terms["product"] == "Slim jeans" and terms["unit_price"] == 9.25


def test_the_api_refuses_a_blanked_required_term_and_clears_an_optional_one(app, client, world):
    o = _agreed(client, world)
    url, who = f"/api/v1/orders/{o['id']}", world.tokens["maker1"]
    before = _state(app, o["id"])
    r = client.patch(url, json={"version": o["version"], "quantity": None, "currency": "", "product": "Wide jeans"},
                     headers=who)
    assert r.status_code == 422 and fields_of(r) == {"quantity", "currency"}
    assert _state(app, o["id"]) == before
    r = client.patch(url, json={"version": o["version"], "product": None, "reference": ""}, headers=who)
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["product"] == "" and body["reference"] == "" and body["quantity"] == TERMS["quantity"]
    # nothing to change: the order as it is (200, the same version), and nothing recorded
    after = _state(app, o["id"])
    r = client.patch(url, json={"version": body["version"], "product": ""}, headers=who)
    assert r.status_code == 200 and r.get_json()["version"] == body["version"] and _state(app, o["id"]) == after
