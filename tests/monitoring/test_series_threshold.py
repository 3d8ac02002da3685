"""The association's monthly series of a buyer shows no month that fewer than 3 member firms traded in:
a month with one maker's delivery is that maker's own record, readable by elimination."""
from __future__ import annotations

from datetime import date

from tests.monitoring.conftest import add_order


def test_a_month_of_fewer_than_three_firms_is_not_shown(app, client, factory, mworld):
    w = mworld
    # March: three makers deliver; January: Taller Dos alone delivers late
    for maker in w.makers[:3]:
        add_order(app, w.buyer, maker, delivery_date=date(2026, 3, 1), deliveries=[(date(2026, 3, 5), 1000, 0)])
    add_order(app, w.buyer, w.makers[1], delivery_date=date(2026, 1, 1), deliveries=[(date(2026, 1, 20), 1000, 0)])
    for who in ("staff", "board"):
        r = client.get(f"/api/v1/monitoring/association/buyers/{w.buyer}?as_of=2026-06-30",
                       headers=factory.token(w.users[who]))
        assert r.status_code == 200
        body = r.get_json()
        assert not body["suppressed"]
        assert [p["month"] for p in body["series"]] == ["2026-03"]
