"""The monitoring API: the same figures as SQL sums and as row arithmetic, own relationships only,
bad input named, and the association's anonymised view."""
from __future__ import annotations

from datetime import date

from matchmaker import db
from matchmaker.monitoring import aggregate, metrics, rows

from tests.monitoring.conftest import TODAY, add_order

AS_OF = {"as_of": TODAY.isoformat()}


def _late_world(app, w):
    """The buyer with maker 0: a delivery 5 days late, a payment 12 days beyond terms, a +8 % price change;
    with maker 1: one order on time and paid on time."""
    late = add_order(app, w.buyer, w.makers[0], delivery_date=date(2026, 3, 1), reject_limit=2.0,
                     deliveries=[(date(2026, 3, 6), 1000, 10)],
                     invoices=[(date(2026, 4, 30), 10_000.0, [(date(2026, 5, 12), 10_000.0)])],
                     price_changes=[(12.5, 13.5, date(2026, 2, 2))])
    fine = add_order(app, w.buyer, w.makers[1], delivery_date=date(2026, 4, 1),
                     deliveries=[(date(2026, 3, 30), 1000, 0)],
                     invoices=[(date(2026, 5, 1), 5_000.0, [(date(2026, 4, 28), 5_000.0)])])
    return late, fine


def test_the_buyer_sees_its_makers_with_the_slipping_one_first(app, client, factory, mworld):
    _late_world(app, mworld)
    r = client.get("/api/v1/monitoring/relationships", query_string=AS_OF, headers=factory.token(mworld.users["buyer"]))
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["side"] == "buyer" and body["total"] == 2
    first, second = body["items"]
    assert first["counterpart"] == {"id": mworld.makers[0], "name": "Taller Uno"}
    assert first["days_late"] == {"target": 0, "actual": 5.0, "slipped": True}
    assert first["days_beyond_terms"] == {"target": 0, "actual": 12.0, "slipped": True}
    assert first["price_changes"]["actual"] == 1 and first["price_change_pct"] == 8.0
    assert first["slips"] == 3
    assert second["slips"] == 0 and second["on_time_pct"]["actual"] == 100.0
    assert body["overall"]["orders"] == 2 and body["overall"]["on_time_pct"]["actual"] == 50.0


def test_the_maker_sees_its_buyer_and_an_order_of_its_own(app, client, factory, mworld):
    late, _fine = _late_world(app, mworld)
    headers = factory.token(mworld.users["maker"])
    body = client.get("/api/v1/monitoring/relationships", query_string=AS_OF, headers=headers).get_json()
    assert [i["counterpart"]["id"] for i in body["items"]] == [mworld.buyer]
    rel = client.get(f"/api/v1/monitoring/relationships/{mworld.buyer}", query_string=AS_OF, headers=headers)
    assert rel.status_code == 200
    data = rel.get_json()
    assert [s["kind"] for s in data["slips"]] == ["price_change", "late_delivery", "payment_late"]
    assert {p["month"] for p in data["series"]} == {"2026-02", "2026-03", "2026-04"}
    order = client.get(f"/api/v1/monitoring/orders/{late}", query_string=AS_OF, headers=headers).get_json()
    assert order["figures"]["reject_rate_pct"] == {"target": 2.0, "actual": 1.0, "slipped": False}


def test_others_relationships_and_orders_are_not_found(app, client, factory, mworld):
    late, fine = _late_world(app, mworld)
    other_buyer = factory.token(mworld.users["other_buyer"])
    other_maker = factory.token(mworld.users["maker2"])  # trades with the buyer, but not on the late order
    assert client.get(f"/api/v1/monitoring/orders/{late}", headers=other_buyer).status_code == 404
    assert client.get(f"/api/v1/monitoring/orders/{late}", headers=other_maker).status_code == 404
    assert client.get(f"/api/v1/monitoring/orders/{fine}", headers=other_maker).status_code == 200
    assert client.get(f"/api/v1/monitoring/relationships/{mworld.makers[0]}", headers=other_buyer).status_code == 404
    assert client.get(f"/api/v1/monitoring/relationships/{mworld.makers[2]}",
                      headers=factory.token(mworld.users["buyer"])).status_code == 404  # no order between them
    listed = client.get("/api/v1/monitoring/relationships", headers=other_buyer).get_json()
    assert listed["items"] == [] and listed["overall"] is None
    # a maker user asking with a buyer's id is answered about its own side only
    assert client.get(f"/api/v1/monitoring/relationships/{mworld.makers[0]}",
                      headers=factory.token(mworld.users["maker"])).status_code == 404
    # the association's routes are not a firm's
    assert client.get("/api/v1/monitoring/association/buyers", headers=other_buyer).status_code == 403


def test_bad_input_is_a_400_naming_the_parameter(app, client, factory, mworld):
    headers = factory.token(mworld.users["buyer"])
    for query, field in (({"as_of": "30/06/2026"}, "as_of"), ({"per_page": "500"}, "per_page"),
                         ({"colour": "red"}, "colour"), ({"page": "x"}, "page")):
        r = client.get("/api/v1/monitoring/relationships", query_string=query, headers=headers)
        assert r.status_code == 400, query
        assert [f["field"] for f in r.get_json()["error"]["fields"]] == [field]
    r = client.get("/api/v1/monitoring/relationships", query_string={"as_of": "mañana"},
                   headers={**headers, "Accept-Language": "es"})
    assert r.status_code == 400


def test_sql_sums_equal_the_row_arithmetic(app, mworld):
    """The lists (SQL) and the detail pages (rows) give the same figures for the same orders."""
    _late_world(app, mworld)
    add_order(app, mworld.buyer, mworld.makers[0], delivery_date=date(2026, 5, 1), quantity=800, reject_limit=1.5,
              deliveries=[(date(2026, 4, 20), 300, 9), (date(2026, 5, 9), 300, 2)],
              milestones=[("cut", date(2026, 3, 1), date(2026, 3, 4)), ("sewn", date(2026, 3, 20), None),
                          ("washed", date(2026, 8, 1), None)],
              invoices=[(date(2026, 6, 1), 4000.0, [(date(2026, 5, 1), 1000.0)]), (date(2026, 7, 15), 10.0, [])],
              price_changes=[(10.0, 9.5, date(2026, 3, 3)), (9.5, 9.0, date(2026, 4, 3))])
    add_order(app, mworld.buyer, mworld.makers[2], status="cancelled", deliveries=[(date(2026, 9, 1), 10, 0)])
    with app.app_context():
        sess = db.session()
        sql = aggregate.figures(sess, "maker", "buyer", mworld.buyer, TODAY)
        for maker in (mworld.makers[0], mworld.makers[1]):
            by_rows = metrics.summarise(rows.for_pair(sess, mworld.buyer, maker), TODAY)
            assert {k: v for k, v in sql[maker].items() if k != "firms"} == by_rows, maker
            assert sql[maker]["slips"] == len(metrics.slips(rows.for_pair(sess, mworld.buyer, maker), TODAY))
        assert mworld.makers[2] not in sql  # a cancelled order binds no one
        _per_maker, overall = aggregate.relationships(sess, "buyer", mworld.buyer, TODAY)
        assert overall == metrics.summarise(rows.for_side(sess, "buyer", mworld.buyer), TODAY)
        assert overall["orders"] == 3


def test_the_association_view_never_names_a_maker_and_needs_three_member_firms(app, client, factory, mworld):
    for maker in mworld.makers[:3]:
        add_order(app, mworld.buyer, maker, deliveries=[(date(2026, 3, 6), 1000, 0)],
                  invoices=[(date(2026, 4, 30), 100.0, [(date(2026, 5, 12), 100.0)])])
    for maker in mworld.makers[:2]:  # the other buyer traded with two member firms only
        add_order(app, mworld.other_buyer, maker, deliveries=[(date(2026, 2, 20), 1000, 0)])
    add_order(app, mworld.other_buyer, mworld.outsider)  # not a member: not counted
    for actor in ("staff", "board"):
        r = client.get("/api/v1/monitoring/association/buyers", query_string=AS_OF,
                       headers=factory.token(mworld.users[actor]))
        assert r.status_code == 200
        body = r.get_json()
        text = r.get_data(as_text=True)
        for name in ("Taller Uno", "Taller Dos", "Taller Tres", "Taller Cuatro", "Taller Ajeno"):
            assert name not in text
        for maker in [*mworld.makers, mworld.outsider]:
            assert f'"id":{maker}' not in text.replace(" ", "")
        rows_by_buyer = {i["buyer"]["id"]: i for i in body["items"]}
        shown, hidden = rows_by_buyer[mworld.buyer], rows_by_buyer[mworld.other_buyer]
        assert shown["member_firms"] == 3 and not shown["suppressed"]
        assert shown["figures"]["days_late"]["actual"] == 5.0
        assert shown["figures"]["days_beyond_terms"]["actual"] == 12.0
        assert hidden["member_firms"] == 2 and hidden["suppressed"] and hidden["figures"] is None
        assert "3" in hidden["reason"]
    detail = client.get(f"/api/v1/monitoring/association/buyers/{mworld.other_buyer}",
                        headers=factory.token(mworld.users["staff"])).get_json()
    assert detail["suppressed"] and detail["series"] == [] and detail["figures"] is None
    # another association's staff sees none of it: its member traded once with the other buyer
    other = client.get("/api/v1/monitoring/association/buyers",
                       headers=factory.token(mworld.users["other_staff"])).get_json()
    assert [(i["buyer"]["id"], i["member_firms"], i["suppressed"]) for i in other["items"]] == [
        (mworld.other_buyer, 1, True)]
    assert client.get(f"/api/v1/monitoring/association/buyers/{mworld.buyer}",
                      headers=factory.token(mworld.users["other_staff"])).status_code == 404
