"""The monitoring pages: the slip shows on the buyer's dashboard and in the association's view, in English
and Spanish; long lists page; a bad date is named beside its field; charts are inline SVG (no script)."""
from __future__ import annotations

import re
from datetime import date

from flask import render_template_string

from matchmaker import db
from matchmaker.orders.records import Order

from tests.monitoring.conftest import TODAY, add_order
from tests.vetting.conftest import login
from tests.support.world import csrf_from

AS_OF = f"as_of={TODAY.isoformat()}"


def _spanish(client):
    token = csrf_from(client.get("/home").get_data(as_text=True))
    assert client.post("/language", data={"lang": "es", "next": "/", "csrf_token": token}).status_code == 302


def _record_the_late_ones(app, w):
    """Milestones (one overdue) and a late payment with maker 0; on-time orders with makers 1-2."""
    add_order(app, w.buyer, w.makers[0], delivery_date=date(2026, 3, 1), reference="PO-LATE",
              milestones=[("cut", date(2026, 2, 1), date(2026, 2, 3)), ("sewn", date(2026, 2, 15), None)],
              deliveries=[(date(2026, 3, 1), 1000, 0)],
              invoices=[(date(2026, 4, 30), 900.0, [(date(2026, 5, 12), 900.0)])])
    for maker in w.makers[1:3]:
        add_order(app, w.buyer, maker, delivery_date=date(2026, 3, 1), deliveries=[(date(2026, 2, 26), 1000, 0)],
                  invoices=[(date(2026, 4, 30), 900.0, [(date(2026, 4, 29), 900.0)])])


def test_the_buyer_dashboard_and_the_association_show_the_slip_in_both_languages(app, factory, mworld):
    _record_the_late_ones(app, mworld)
    buyer = login(app.test_client(), factory, mworld.users["buyer"])
    page = buyer.get(f"/monitoring/buyer?{AS_OF}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    rows = re.findall(r'<tr class="([^"]*)" data-testid="relationship-row">\s*<td><a [^>]*>([^<]+)</a>', html)
    assert rows[0] == ("slipped", "Taller Uno") and [r[0] for r in rows[1:]] == ["", ""]
    assert "Days beyond payment terms" in html and "<script" not in html.split("</header>")[-1]
    detail = buyer.get(f"/monitoring/buyer/makers/{mworld.makers[0]}?{AS_OF}").get_data(as_text=True)
    assert "a production milestone is past its planned date" in detail
    assert "an invoice was paid late or is unpaid past its due date" in detail
    assert detail.count('<svg class="chart"') == 5 and 'class="slipped"' in detail
    _spanish(buyer)
    es = buyer.get(f"/monitoring/buyer/makers/{mworld.makers[0]}?{AS_OF}").get_data(as_text=True)
    assert "un hito de producción pasó su fecha planeada" in es and "Metas incumplidas" in es
    assert "Días más allá del plazo de pago" in es

    staff = login(app.test_client(), factory, mworld.users["staff"])
    view = staff.get(f"/monitoring/association?{AS_OF}").get_data(as_text=True)
    assert "Denim Imports LLC" in view and "Taller" not in view
    row = re.search(r'data-buyer="%d">(.*?)</tr>' % mworld.buyer, view, re.S).group(1)
    assert '<td class="num">3</td>' in row and 'badge bad' in row  # three member firms, slips highlighted
    one = staff.get(f"/monitoring/association/buyers/{mworld.buyer}?{AS_OF}").get_data(as_text=True)
    assert "Taller" not in one and "a production milestone is past its planned date" in one
    _spanish(staff)
    es_view = staff.get(f"/monitoring/association?{AS_OF}").get_data(as_text=True)
    assert "Historial de los compradores con nuestras empresas socias" in es_view


def test_a_buyer_with_fewer_than_three_member_firms_is_withheld_with_the_reason(app, factory, mworld):
    for maker in mworld.makers[:2]:
        add_order(app, mworld.other_buyer, maker, deliveries=[(date(2026, 3, 9), 1000, 0)])
    board = login(app.test_client(), factory, mworld.users["board"])
    html = board.get(f"/monitoring/association?{AS_OF}").get_data(as_text=True)
    assert "Other Buyer Inc" in html and 'data-testid="suppressed"' in html
    assert "Fewer than 3 member firms traded with this buyer" in html
    detail = board.get(f"/monitoring/association/buyers/{mworld.other_buyer}").get_data(as_text=True)
    assert "Fewer than 3 member firms" in detail and "<svg" not in detail.split("</header>")[-1]


def test_the_maker_dashboard_pages_its_buyers(app, factory, mworld):
    with app.app_context():
        sess = db.session()
        from matchmaker.organizations.records import Organization
        buyers = [Organization(kind="buyer", name=f"Buyer {i:02d}", country="US") for i in range(23)]
        sess.add_all(buyers)
        sess.commit()
        ids = [b.id for b in buyers]
    for buyer_id in ids:
        add_order(app, buyer_id, mworld.makers[0], delivery_date=date(2026, 3, 1),
                  deliveries=[(date(2026, 3, 1), 1000, 0)])
    maker = login(app.test_client(), factory, mworld.users["maker"])
    first = maker.get("/monitoring/maker").get_data(as_text=True)
    assert first.count('data-testid="relationship-row"') == 20 and 'data-testid="next-page"' in first
    second = maker.get("/monitoring/maker?page=2").get_data(as_text=True)
    assert second.count('data-testid="relationship-row"') == 3 and "Buyer 22" in second and "Buyer 22" not in first
    assert maker.get("/monitoring/maker?page=999").headers["Location"] == "/monitoring/maker?page=2"
    past = maker.get("/monitoring/maker?page=999", follow_redirects=True).get_data(as_text=True)  # the last page
    assert past.count('data-testid="relationship-row"') == 3 and "Page 2 of 2" in past


def test_a_bad_date_is_named_beside_its_field(app, factory, mworld):
    buyer = login(app.test_client(), factory, mworld.users["buyer"])
    r = buyer.get("/monitoring/buyer?as_of=yesterday")
    assert r.status_code == 400
    assert re.search(r'class="field-error" id="as_of-error" data-field="as_of">Give a date as YYYY-MM-DD',
                     r.get_data(as_text=True))
    _spanish(buyer)
    assert "Escriba la fecha como AAAA-MM-DD" in buyer.get("/monitoring/buyer?as_of=ayer").get_data(as_text=True)


def test_others_pages_are_not_found_and_roles_are_kept_apart(app, factory, mworld):
    add_order(app, mworld.buyer, mworld.makers[0], deliveries=[(date(2026, 3, 6), 1000, 0)])
    other = login(app.test_client(), factory, mworld.users["other_buyer"])
    assert other.get(f"/monitoring/buyer/makers/{mworld.makers[0]}").status_code == 404
    assert "Taller Uno" not in other.get("/monitoring/buyer").get_data(as_text=True)
    outsider = login(app.test_client(), factory, mworld.users["outsider"])
    assert outsider.get(f"/monitoring/maker/buyers/{mworld.buyer}").status_code == 404
    assert outsider.get("/monitoring/buyer").status_code == 403
    assert outsider.get("/monitoring/association").status_code == 403
    for actor, target in (("buyer", "monitoring.buyer_dashboard"), ("maker", "monitoring.maker_dashboard"),
                          ("staff", "monitoring.association")):
        browser = login(app.test_client(), factory, mworld.users[actor])
        r = browser.get("/monitoring/")
        assert r.status_code == 302 and r.headers["Location"].endswith(
            {"monitoring.buyer_dashboard": "/monitoring/buyer", "monitoring.maker_dashboard": "/monitoring/maker",
             "monitoring.association": "/monitoring/association"}[target])


def test_the_order_page_panel_shows_the_orders_targets(app, factory, mworld):
    order_id = add_order(app, mworld.buyer, mworld.makers[0], delivery_date=date(2026, 3, 1),
                         deliveries=[(date(2026, 3, 6), 1000, 0)], price_changes=[(12.5, 13.5, date(2026, 2, 2))])
    with app.test_request_context("/"):
        order = db.session().get(Order, order_id)
        html = render_template_string('{% include "monitoring/_order_panel.html" ignore missing %}', order=order,
                                      side="buyer")
    assert 'data-testid="order-monitoring"' in html
    assert "a delivery came later than agreed" in html and "the unit price changed after agreement" in html
    assert html.count('<svg class="chart"') == 5 and "+8.0%" in html
