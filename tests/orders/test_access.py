"""Who sees which order and which figure: the order's buyer firm and maker firm see all of it; a
third firm (another buyer, another maker, even the buyer's other maker) gets a 404 on every route,
API and page, and never finds the order in a list; association staff, board, fair organizers and
the platform admin are refused by role (individual orders are the two firms' own)."""
from __future__ import annotations

from tests.orders.conftest import accepted_order, maker_order
from tests.support.world import csrf_from, login_as


def _api_routes(o):
    oid, v = o["id"], o["version"]
    inv = o["invoices"][0]["id"]
    dlv = o["deliveries"][0]["id"]
    dsp = o["disputes"][0]["id"]
    return [
        ("GET", f"/api/v1/orders/{oid}", None),
        ("PATCH", f"/api/v1/orders/{oid}", {"version": v, "quantity": 1}),
        ("POST", f"/api/v1/orders/{oid}/confirm", {"version": v}),
        ("POST", f"/api/v1/orders/{oid}/close", {"status": "cancelled", "version": v}),
        ("PUT", f"/api/v1/orders/{oid}/milestones/cut", {"planned_on": "2030-01-01"}),
        ("POST", f"/api/v1/orders/{oid}/deliveries", {"delivered_on": "2026-01-01", "quantity": 1}),
        ("POST", f"/api/v1/orders/{oid}/invoices/{inv}/payments", {"paid_on": "2030-01-02", "amount": 1}),
        ("POST", f"/api/v1/orders/{oid}/deliveries/{dlv}/confirm", None),
        ("POST", f"/api/v1/orders/{oid}/disputes", {"subject": "order", "subject_id": oid, "field": "quantity"}),
        ("POST", f"/api/v1/orders/{oid}/disputes/{dsp}/answer", {"answer": "x"}),
        ("POST", f"/api/v1/orders/{oid}/disputes/{dsp}/withdraw", None),
    ]


def _populated(client, world):
    o = accepted_order(client, world, maker=0)
    oid = o["id"]
    client.post(f"/api/v1/orders/{oid}/deliveries", json={"delivered_on": "2026-01-01", "quantity": 10},
                headers=world.tokens["maker0"])
    client.post(f"/api/v1/orders/{oid}/invoices", json={"number": "F-1", "issued_on": "2030-01-01", "amount": 50},
                headers=world.tokens["maker0"])
    client.post(f"/api/v1/orders/{oid}/disputes", json={"subject": "order", "subject_id": oid, "field": "quantity"},
                headers=world.tokens["maker0"])
    return client.get(f"/api/v1/orders/{oid}", headers=world.tokens["buyer"]).get_json()


def test_a_third_firm_gets_404_on_every_route_and_sees_nothing_in_lists(app, client, factory, world):
    o = _populated(client, world)
    maker_order(client, world, "maker1", buyer=world.other_buyer)  # maker 1's order with another buyer
    for outsider in ("other_buyer", "maker1", "maker2", "coordinator"):
        for method, path, body in _api_routes(o):
            r = client.open(path, method=method, json=body, headers=world.tokens[outsider])
            assert r.status_code == 404, (outsider, method, path, r.status_code)
        listed = client.get("/api/v1/orders", headers=world.tokens[outsider]).get_json()["items"]
        assert o["id"] not in [x["id"] for x in listed]
    # the buyer's list holds its order only; maker 1 sees its own but never maker 0's
    assert [x["id"] for x in client.get("/api/v1/orders", headers=world.tokens["buyer"]).get_json()["items"]] == \
        [o["id"]]
    mine = client.get("/api/v1/orders", headers=world.tokens["maker1"]).get_json()["items"]
    assert len(mine) == 1 and mine[0]["maker"]["id"] == world.makers[1]
    # both sides see every figure
    for side in ("buyer", "maker0"):
        seen = client.get(f"/api/v1/orders/{o['id']}", headers=world.tokens[side]).get_json()
        assert (len(seen["deliveries"]), len(seen["invoices"]), len(seen["disputes"])) == (1, 1, 1)
    # the same on the pages
    login_as(client, factory, world.users["maker1"])
    assert client.get(f"/orders/{o['id']}").status_code == 404
    token = csrf_from(client.get("/orders").get_data(as_text=True))
    for path in ("confirm", "terms", "close", "milestones", "deliveries", "disputes",
                 f"figures/delivery/{o['deliveries'][0]['id']}/confirm", f"disputes/{o['disputes'][0]['id']}/answer",
                 f"invoices/{o['invoices'][0]['id']}/payments"):
        assert client.post(f"/orders/{o['id']}/{path}", data={"csrf_token": token}).status_code == 404, path
    assert f"/orders/{o['id']}" not in client.get("/orders").get_data(as_text=True)


def test_association_people_and_the_admin_do_not_see_individual_orders(app, client, factory, world):
    o = _populated(client, world)
    people = {"staff": world.users["staff"], "admin": world.users["admin"],
              "board": factory.user("board_member", world.makers[2], world.association),
              "organizer": factory.user("fair_organizer", None, world.association)}
    for name, uid in people.items():
        headers = factory.token(uid)
        assert client.get("/api/v1/orders", headers=headers).status_code == 403, name
        assert client.get(f"/api/v1/orders/{o['id']}", headers=headers).status_code == 403, name
        login_as(client, factory, uid)
        assert client.get(f"/orders/{o['id']}").status_code == 403, name
        assert client.get("/orders").status_code == 403, name
