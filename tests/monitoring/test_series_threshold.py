"""The association's monthly series of a buyer shows no month that fewer than 3 member firms traded in:
a month with one maker's delivery is that maker's own record, readable by elimination."""
from __future__ import annotations

from datetime import date

from tests.monitoring.conftest import add_order
from tests.support.world import login_as


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


def test_a_figure_of_fewer_than_three_firms_is_blank_even_when_the_month_has_three(app, client, factory, mworld):
    """March: only Taller Uno delivers (late), while all three have an invoice due. The month has three
    firms, but its delivery figures would be Taller Uno's own record: they are blank; days beyond terms,
    which three firms contribute to, is shown."""
    w = mworld
    add_order(app, w.buyer, w.makers[0], delivery_date=date(2026, 3, 1), deliveries=[(date(2026, 3, 20), 1000, 40)],
              invoices=[(date(2026, 3, 10), 500.0, [(date(2026, 3, 15), 500.0)])])
    for maker in w.makers[1:3]:
        add_order(app, w.buyer, maker, delivery_date=date(2026, 5, 1),
                  invoices=[(date(2026, 3, 10), 500.0, [(date(2026, 3, 15), 500.0)])])
    blank = {"target": None, "actual": None, "slipped": False}
    for who in ("staff", "board"):
        r = client.get(f"/api/v1/monitoring/association/buyers/{w.buyer}?as_of=2026-06-30",
                       headers=factory.token(w.users[who]))
        assert r.status_code == 200
        body = r.get_json()
        assert not body["suppressed"]
        [march] = body["series"]
        assert march["month"] == "2026-03"
        for key in ("on_time_pct", "days_late", "reject_rate_pct"):
            assert march[key] == blank, key
        assert march["days_beyond_terms"]["actual"] == 5
    login_as(client, factory, w.users["staff"])
    page = client.get(f"/monitoring/association/buyers/{w.buyer}?as_of=2026-06-30").get_data(as_text=True)
    assert 'data-testid="buyer-days_beyond_terms" xmlns' in page
    for key in ("on_time_pct", "days_late", "reject_rate_pct"):
        assert f'<p class="muted" data-testid="buyer-{key}">' in page
    assert "actual 19" not in page     # Taller Uno's 19 days late is nowhere on the page
