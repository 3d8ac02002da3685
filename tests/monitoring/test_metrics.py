"""The arithmetic of monitoring on hand-worked examples (plain rows, no database)."""
from __future__ import annotations

from datetime import date

from matchmaker.monitoring import metrics as m

TODAY = date(2026, 6, 30)
LATER = date(2026, 9, 1)  # a delivery date still ahead


def order(oid=1, delivery=date(2026, 3, 1), quantity=1000, limit=None, status="open", maker=7):
    return m.OrderRow(id=oid, buyer_id=3, maker_id=maker, quantity=quantity, unit_price=10.0, delivery_date=delivery,
                      payment_terms_days=30, reject_limit_pct=limit, status=status)


def test_a_delivery_five_days_late():
    facts = m.OrderFacts(order(), deliveries=[m.DeliveryRow(1, date(2026, 3, 6), 1000)])
    fig = m.summarise([facts], TODAY)
    assert fig["days_late"] == {"target": 0, "actual": 5.0, "slipped": True}
    assert fig["on_time_pct"] == {"target": 100.0, "actual": 0.0, "slipped": True}
    (slip,) = m.slips([facts], TODAY)
    assert (slip.kind, slip.key, slip.amount, slip.on) == ("late_delivery", "delivery:1", 5.0, date(2026, 3, 6))


def test_two_deliveries_one_on_time_one_late_average_over_deliveries():
    facts = m.OrderFacts(order(), deliveries=[m.DeliveryRow(1, date(2026, 2, 27), 500),
                                              m.DeliveryRow(2, date(2026, 3, 11), 500)])
    fig = m.summarise([facts], TODAY)
    assert fig["on_time_pct"]["actual"] == 50.0
    assert fig["days_late"]["actual"] == 5.0  # (0 + 10) / 2
    assert [s.key for s in m.slips([facts], TODAY)] == ["delivery:2"]


def test_a_payment_twelve_days_beyond_terms():
    inv = m.InvoiceRow(5, due_on=date(2026, 4, 30), amount=10_000.0,
                       payments=((date(2026, 4, 20), 4_000.0), (date(2026, 5, 12), 6_000.0)))
    assert m.settled_on(inv) == date(2026, 5, 12)
    assert m.days_beyond_terms(inv, TODAY) == (12, False)
    facts = m.OrderFacts(order(delivery=LATER), invoices=[inv])
    fig = m.summarise([facts], TODAY)
    assert fig["days_beyond_terms"] == {"target": 0, "actual": 12.0, "slipped": True}
    assert fig["unpaid_past_due"] == 0
    (slip,) = m.slips([facts], TODAY)
    assert (slip.kind, slip.key, slip.amount) == ("payment_late", "payment:5", 12.0)


def test_an_unpaid_invoice_counts_its_days_past_due_as_of_today_and_a_paid_on_time_one_zero():
    unpaid = m.InvoiceRow(1, due_on=date(2026, 6, 10), amount=500.0, payments=((date(2026, 6, 1), 200.0),))
    on_time = m.InvoiceRow(2, due_on=date(2026, 6, 10), amount=500.0, payments=((date(2026, 6, 9), 500.0),))
    not_due = m.InvoiceRow(3, due_on=date(2026, 7, 10), amount=500.0)
    assert m.days_beyond_terms(unpaid, TODAY) == (20, True)
    assert m.days_beyond_terms(on_time, TODAY) == (0, False)
    assert m.days_beyond_terms(not_due, TODAY) == (None, False)
    fig = m.summarise([m.OrderFacts(order(delivery=LATER), invoices=[unpaid, on_time, not_due])], TODAY)
    assert fig["days_beyond_terms"]["actual"] == 10.0  # (20 + 0) / 2; the one not due is not counted
    assert fig["unpaid_past_due"] == 1
    facts = m.OrderFacts(order(delivery=LATER), invoices=[unpaid, on_time, not_due])
    assert [s.key for s in m.slips([facts], TODAY)] == ["payment:1"]


def test_a_price_change_of_plus_eight_percent():
    change = m.PriceChangeRow(9, old=12.50, new=13.50, changed_on=date(2026, 2, 2))
    assert m.price_change_pct(12.50, 13.50) == 8.0
    fig = m.summarise([m.OrderFacts(order(delivery=LATER), price_changes=[change])], TODAY)
    assert fig["price_changes"] == {"target": 0, "actual": 1.0, "slipped": True}
    assert fig["price_change_pct"] == 8.0
    (slip,) = m.slips([m.OrderFacts(order(delivery=LATER), price_changes=[change])], TODAY)
    assert (slip.kind, slip.amount) == ("price_change", 8.0)


def test_two_price_changes_compound_from_the_agreed_price():
    changes = [m.PriceChangeRow(1, 10.0, 11.0, date(2026, 2, 1)), m.PriceChangeRow(2, 11.0, 12.1, date(2026, 3, 1))]
    assert m.order_price_change_pct(changes) == 21.0


def test_reject_rate_against_the_orders_limit():
    within = m.OrderFacts(order(1, limit=3.0), deliveries=[m.DeliveryRow(1, date(2026, 3, 1), 1000, 25)])
    above = m.OrderFacts(order(2, limit=2.0), deliveries=[m.DeliveryRow(2, date(2026, 3, 1), 1000, 40)])
    assert m.summarise([within], TODAY)["reject_rate_pct"] == {"target": 3.0, "actual": 2.5, "slipped": False}
    assert m.summarise([above], TODAY)["reject_rate_pct"] == {"target": 2.0, "actual": 4.0, "slipped": True}
    both = m.summarise([within, above], TODAY)
    assert both["reject_rate_pct"]["actual"] == 3.25 and both["reject_rate_pct"]["target"] == 2.5
    assert both["orders_over_reject_limit"] == 1
    assert [s.key for s in m.slips([within, above], TODAY)] == ["rejects:2"]


def test_milestones_late_and_overdue():
    facts = m.OrderFacts(order(delivery=date(2026, 8, 1)), milestones=[
        m.MilestoneRow(1, "cut", date(2026, 5, 1), date(2026, 5, 4)),      # 3 days late
        m.MilestoneRow(2, "sewn", date(2026, 5, 20), date(2026, 5, 19)),   # a day early: 0
        m.MilestoneRow(3, "washed", date(2026, 6, 20), None),              # overdue by 10 days
        m.MilestoneRow(4, "finished", date(2026, 7, 15), None),            # not due yet
    ])
    fig = m.summarise([facts], TODAY)
    assert fig["milestone_days_late"]["actual"] == 1.5
    assert fig["milestones_overdue"] == 1
    (slip,) = m.slips([facts], TODAY)
    assert (slip.kind, slip.key, slip.amount) == ("milestone_overdue", "milestone:3", 10.0)


def test_an_open_order_not_fully_delivered_by_its_date_slips_but_a_closed_one_does_not():
    short = m.OrderFacts(order(1), deliveries=[m.DeliveryRow(1, date(2026, 2, 25), 600)])
    closed = m.OrderFacts(order(2, status="closed"), deliveries=[m.DeliveryRow(2, date(2026, 2, 25), 600)])
    assert [s.kind for s in m.slips([short, closed], TODAY)] == ["undelivered"]
    assert m.summarise([short, closed], TODAY)["undelivered_past_date"] == 1


def test_nothing_recorded_is_no_figure_and_no_slip():
    fig = m.summarise([m.OrderFacts(order(delivery=date(2026, 9, 1)))], TODAY)
    assert fig["on_time_pct"]["actual"] is None and fig["days_beyond_terms"]["actual"] is None
    assert fig["slips"] == 0


def test_the_monthly_series_puts_each_figure_in_its_month():
    facts = m.OrderFacts(order(limit=2.0), deliveries=[m.DeliveryRow(1, date(2026, 3, 6), 500, 5),
                                                       m.DeliveryRow(2, date(2026, 4, 1), 500, 20)],
                         invoices=[m.InvoiceRow(1, date(2026, 4, 30), 100.0, ((date(2026, 5, 12), 100.0),))],
                         price_changes=[m.PriceChangeRow(1, 10.0, 10.8, date(2026, 2, 2))])
    series = {p["month"]: p for p in m.monthly([facts], TODAY)}
    assert sorted(series) == ["2026-02", "2026-03", "2026-04"]
    assert series["2026-02"]["price_changes"]["actual"] == 1.0
    assert series["2026-03"]["days_late"]["actual"] == 5.0
    assert series["2026-03"]["reject_rate_pct"] == {"target": 2.0, "actual": 1.0, "slipped": False}
    assert series["2026-04"]["reject_rate_pct"] == {"target": 2.0, "actual": 4.0, "slipped": True}
    assert series["2026-04"]["days_late"]["actual"] == 31.0
    assert series["2026-04"]["days_beyond_terms"]["actual"] == 12.0


def test_the_slip_count_of_the_figures_is_the_number_of_slips():
    facts = [m.OrderFacts(order(1, limit=1.0), deliveries=[m.DeliveryRow(1, date(2026, 3, 6), 400, 10)],
                          milestones=[m.MilestoneRow(1, "cut", date(2026, 2, 1), None)],
                          invoices=[m.InvoiceRow(1, date(2026, 5, 1), 10.0)],
                          price_changes=[m.PriceChangeRow(1, 10.0, 9.0, date(2026, 2, 2))])]
    assert m.summarise(facts, TODAY)["slips"] == len(m.slips(facts, TODAY)) == 6
