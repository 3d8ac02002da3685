"""Every monitoring operation answers with a status its OpenAPI operation documents and exactly the keys of
its documented model (the check of ``tests/app/test_openapi.py``, on monitoring's own calls)."""
from __future__ import annotations

from datetime import date

from matchmaker.api.openapi import RESPONSES
from matchmaker.api.schemas import Error

from tests.app.test_openapi import _check_body
from tests.monitoring.conftest import add_order


def test_monitoring_answers_are_documented(app, client, factory, mworld):
    order = add_order(app, mworld.buyer, mworld.makers[0], delivery_date=date(2026, 3, 1), reject_limit=2.0,
                      deliveries=[(date(2026, 3, 6), 1000, 30)],
                      milestones=[("cut", date(2026, 2, 1), None)],
                      invoices=[(date(2026, 4, 30), 100.0, [(date(2026, 5, 12), 100.0)])],
                      price_changes=[(12.5, 13.5, date(2026, 2, 2))])
    for maker in mworld.makers[1:3]:
        add_order(app, mworld.buyer, maker, deliveries=[(date(2026, 2, 27), 1000, 0)])
    doc = client.get("/api/v1/openapi.json").get_json()
    ops = {op["operationId"]: op for item in doc["paths"].values() for op in item.values()}
    adapter = app.url_map.bind("localhost")
    seen = set()

    def call(url, who):
        r = client.get(url, headers=factory.token(mworld.users[who]) if who else {})
        endpoint, _ = adapter.match(url.split("?")[0], method="GET")
        name = endpoint.removeprefix("api.")
        assert str(r.status_code) in ops[name]["responses"], (url, r.status_code)
        _check_body(name, r.status_code, r.get_json(), RESPONSES[name].get(r.status_code, Error))
        seen.add(name)
        return r

    assert call("/api/v1/monitoring/relationships", "buyer").status_code == 200
    assert call("/api/v1/monitoring/relationships?as_of=bad", "buyer").status_code == 400
    assert call(f"/api/v1/monitoring/relationships/{mworld.makers[0]}", "buyer").status_code == 200
    assert call(f"/api/v1/monitoring/relationships/{mworld.buyer}", "maker").status_code == 200
    assert call("/api/v1/monitoring/relationships/999999", "maker").status_code == 404
    assert call(f"/api/v1/monitoring/orders/{order}", "maker").status_code == 200
    assert call(f"/api/v1/monitoring/orders/{order}?page=2", "maker").status_code == 400
    assert call(f"/api/v1/monitoring/orders/{order}", "other_buyer").status_code == 404
    assert call("/api/v1/monitoring/association/buyers", "staff").status_code == 200
    assert call(f"/api/v1/monitoring/association/buyers/{mworld.buyer}", "board").status_code == 200
    assert call("/api/v1/monitoring/association/buyers/999999", "board").status_code == 404
    assert call("/api/v1/monitoring/association/buyers", "buyer").status_code == 403
    assert call("/api/v1/monitoring/relationships", None).status_code == 401
    assert seen == {"monitoring_relationships", "monitoring_relationship", "monitoring_order",
                    "monitoring_association_buyers", "monitoring_association_buyer"}
