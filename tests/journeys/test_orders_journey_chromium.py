"""Issue 15's "done when", in Chromium against a real gunicorn, walked through the pages as its users would:

a cleared buyer sends an inquiry, the maker quotes and the buyer accepts the quote, which becomes an order
whose page shows the agreed terms; the maker records milestones (one early against its plan), a delivery and
an invoice; the buyer records its payment past the invoice's due date; the buyer's relationship dashboard
and the association's (anonymised) view of that buyer show the slip, the latter in Spanish too; the maker
rates the buyer's purchasing practices, and the buyer's ratings show nothing while fewer than three firms
have rated and the category scores with the cluster median once the third firm has.

Seeded directly: the cluster, its users, the two *other* member firms' orders with the buyer (so the
association's view has the three member firms it needs to show figures at all) and those firms' ratings,
plus a second buyer rated by all three firms (so the cluster median differs from the buyer's own score).
"""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy.orm import Session

from tests.contact.conftest import MAKER, REQUIREMENT
from tests.support.browser import require_chromium, signed_in_pages
from tests.support.journey import add_users, migrated_engine, seed_cluster
from tests.support.live_server import gunicorn

pytestmark = pytest.mark.browser
PASSWORD = "orders-journey-password"
MAKERS = ("Taller Azul", "Mezclilla Norte", "Lavados Altos")  # the first one walks the journey
TODAY = date.today()
PAID_LATE_DAYS = 12
# the journey maker's scores of the buyer, and the other two firms' (seeded): payment terms 2, 2, 3
JOURNEY_SCORES = {"payment_terms": "2", "order_placement": "4", "overall_partnership": "3"}
SECOND_SCORES = {"payment_terms": 2, "order_placement": 4, "overall_partnership": 3}
THIRD_SCORES = {"payment_terms": 3, "order_placement": 5, "overall_partnership": 3}
OTHER_BUYER_SCORES = {"payment_terms": 5, "order_placement": 5, "overall_partnership": 5}


def _closed_order(sess, buyer_id: int, maker_id: int, days_ago: int):
    from matchmaker.orders.records import Order
    from matchmaker.records import utcnow

    started = TODAY - timedelta(days=days_ago)
    # an earlier deal from an accepted quote: only such orders (or a cleared buyer's) may be rated
    order = Order(origin="quote", buyer_id=buyer_id, maker_id=maker_id, product="Western jeans", quantity=1000,
                  unit_price=8.0, currency="USD", delivery_date=started + timedelta(days=30), started_on=started,
                  status="closed", closed_at=utcnow() - timedelta(days=days_ago - 35),
                  buyer_confirmed_at=utcnow(), maker_confirmed_at=utcnow())
    sess.add(order)
    sess.commit()
    return order.id


def _seed(url: str) -> dict:
    from matchmaker.makers.services import create_maker_profile
    from matchmaker.requirements.services import create_requirement
    from matchmaker.makers.schemas import MakerProfileIn
    from matchmaker.requirements.schemas import RequirementIn

    engine = migrated_engine(url)
    with Session(engine, expire_on_commit=False) as sess:
        cluster = seed_cluster(sess, MAKERS)
        assoc, makers, buyer, other_buyer = cluster.assoc, cluster.makers, cluster.buyer, cluster.other_buyer
        create_maker_profile(sess, makers[0], MakerProfileIn(**MAKER))
        users = add_users(sess, {
            "buyer": ("buyer_user", buyer.id, None, "en"), "maker0": ("maker_user", makers[0].id, None, "en"),
            "maker1": ("maker_user", makers[1].id, None, "en"), "maker2": ("maker_user", makers[2].id, None, "en"),
            "other_buyer": ("buyer_user", other_buyer.id, None, "en"),
            "staff": ("association_staff", None, assoc.id, "en"),
            "staff_es": ("association_staff", None, assoc.id, "es")}, "orders-journey.test", PASSWORD)
        req = create_requirement(sess, buyer.id, users["buyer"], RequirementIn(**REQUIREMENT))
        # the other two member firms traded with the buyer before; each also traded with the second buyer
        earlier = {m: _closed_order(sess, buyer.id, makers[m].id, 120) for m in (1, 2)}
        other = {m: _closed_order(sess, other_buyer.id, makers[m].id, 100) for m in (0, 1, 2)}
        ids = {"req": req.id, "makers": [m.id for m in makers], "buyer": buyer.id, "users": users,
               "earlier": earlier, "association": assoc.id}
        # the second firm has rated the buyer already; all three have rated the second buyer
        _rate(sess, users["maker1"], earlier[1], SECOND_SCORES)
        for m in (0, 1, 2):
            _rate(sess, users[f"maker{m}"], other[m], OTHER_BUYER_SCORES)
    engine.dispose()
    return ids


def _rate(sess, user_id: int, order_id: int, scores: dict) -> None:
    """A firm's rating of its order's buyer, through the ratings service (the firm's own rating)."""
    from matchmaker.ratings import services as ratings
    from matchmaker.accounts.records import User

    ratings.rate(sess, sess.get(User, user_id), "order", order_id, scores, "")


def _third_firm_rates(url: str, ids: dict) -> None:
    from matchmaker.db import make_engine

    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as sess:
        _rate(sess, ids["users"]["maker2"], ids["earlier"][2], THIRD_SCORES)
    engine.dispose()


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    require_chromium()
    root = tmp_path_factory.mktemp("orders-journey")
    url = f"sqlite:///{root / 'matchmaker.db'}"
    ids = _seed(url)
    with gunicorn(url, workers=2, threads=2, root=root) as base:
        yield {"base": base, "url": url, "ids": ids}


@pytest.fixture
def as_user(chromium_browser, stack):
    with signed_in_pages(chromium_browser, stack["base"], lambda name: (f"{name}@orders-journey.test", PASSWORD),
                         timeout_ms=30_000) as sign_in:
        yield sign_in


def _success(page, text: str) -> None:
    expect(page.locator(".flash.success")).to_contain_text(text)


def test_quote_to_order_slip_and_ratings_behind_three_firms(as_user, stack):
    ids = stack["ids"]
    buyer, maker = as_user("buyer"), as_user("maker0")

    # 1. the buyer shortlists the maker from the requirement's ranked list and sends an inquiry
    buyer.goto(f"/requirements/{ids['req']}")
    buyer.locator("#ranking ol.ranking > li", has_text=MAKERS[0]).get_by_role(
        "button", name="Add to shortlist").click()
    _success(buyer, "Added to the shortlist")
    buyer.goto(f"/requirements/{ids['req']}/shortlist")
    buyer.locator(f"input[name=maker_ids][value='{ids['makers'][0]}']").check()
    buyer.locator("#message").fill("3,000 pieces for March: can you quote?")
    buyer.get_by_role("button", name="Send inquiry").click()
    expect(buyer).to_have_url(re.compile(r"/inquiries$"))

    # 2. the maker opens it from its inquiries and quotes
    maker.goto("/inquiries")
    maker.get_by_test_id("inquiries").get_by_role("link", name=REQUIREMENT["title"]).click()
    expect(maker).to_have_url(re.compile(r"/inquiries/\d+$"))
    inquiry_url = maker.url
    maker.locator("#unit_price").fill("7.95")
    maker.locator("#lead_time_days").fill("25")
    maker.locator("#moq").fill("1000")
    maker.locator("#currency").select_option("USD")
    maker.locator("#valid_until").fill((TODAY + timedelta(days=30)).isoformat())
    maker.locator("form[action$='/quote'] button[type=submit]").click()
    _success(maker, "Quote sent")

    # 3. the buyer accepts the quote: it becomes an order, whose page shows the agreed terms
    buyer.goto(inquiry_url)
    buyer.locator("[data-testid^='accept-quote-'] button").click()
    _success(buyer, "Quote accepted: the order is open.")
    expect(buyer).to_have_url(re.compile(r"/orders/\d+"))
    order_url = buyer.url.split("#")[0]
    terms = buyer.get_by_test_id("terms")
    expect(terms).to_contain_text("Lone Star Denim")
    expect(terms).to_contain_text(MAKERS[0])
    expect(buyer.get_by_test_id("term-quantity")).to_have_text("3,000")
    expect(buyer.get_by_test_id("term-unit_price")).to_have_text("$7.95")
    expect(terms).to_contain_text((TODAY + timedelta(days=25)).strftime("%Y"))  # delivery: today + lead time
    expect(buyer.get_by_test_id("buyer-confirmed")).not_to_have_text("Not yet")  # accepting confirmed them
    # the maker finds the order in its list and confirms the terms too
    maker.get_by_test_id("nav-orders").click()
    maker.locator("main table a[href^='/orders/']").first.click()
    expect(maker).to_have_url(re.compile(re.escape(order_url) + r"$"))
    expect(maker.get_by_test_id("term-unit_price")).to_have_text("$7.95")
    maker.get_by_test_id("confirm-terms").get_by_role("button").click()
    expect(maker.get_by_test_id("maker-confirmed")).not_to_have_text("Not yet")

    # 4. the maker records two milestones, the second done eight days before its plan (the order was placed
    # today: a stage's actual date lies between the order's placing and today)
    for stage, planned, actual in (("fabric_in", 0, 0), ("cut", -8, 0)):
        form = maker.get_by_test_id("milestone-form")
        form.locator("#stage").select_option(stage)
        form.locator("#m-planned_on").fill((TODAY - timedelta(days=planned)).isoformat())
        form.locator("#m-actual_on").fill((TODAY - timedelta(days=actual)).isoformat())
        form.get_by_role("button", name="Record the milestone").click()
        expect(maker.get_by_test_id(f"milestone-{stage}")).to_contain_text("Maker")
    expect(maker.get_by_test_id("milestone-cut").locator("td").nth(2)).to_have_text("8 days early")
    expect(maker.get_by_test_id("milestone-fabric_in").locator("td").nth(2)).to_have_text("0")
    # ... the whole delivery, and an invoice issued 45 days ago, due 15 days ago
    delivery = maker.get_by_test_id("delivery-form")
    delivery.locator("#d-delivered_on").fill(TODAY.isoformat())
    delivery.locator("#d-quantity").fill("3000")
    delivery.locator("#d-rejected_quantity").fill("0")
    delivery.get_by_role("button", name="Record the delivery").click()
    expect(maker.get_by_test_id("delivered-total")).to_contain_text("3,000 of 3,000 pieces delivered")
    invoice = maker.get_by_test_id("invoice-form")
    invoice.locator("#i-number").fill("F-2031")
    invoice.locator("#i-issued_on").fill((TODAY - timedelta(days=45)).isoformat())
    invoice.locator("#i-due_on").fill((TODAY - timedelta(days=15)).isoformat())
    invoice.locator("#i-amount").fill("23850")
    invoice.get_by_role("button", name="Record the invoice").click()
    expect(maker.locator("[data-testid^='invoice-']", has_text="F-2031")).to_contain_text("$23,850.00")

    # 5. the buyer sees the figures, confirms the invoice and records its payment, 12 days past due
    buyer.goto(order_url)
    expect(buyer.get_by_test_id("milestone-cut")).to_contain_text("To confirm")
    inv = buyer.locator("article.invoice", has_text="F-2031")
    inv.locator("[data-testid^='confirm-invoice-'] button").click()
    inv = buyer.locator("article.invoice", has_text="F-2031")
    expect(inv.get_by_test_id("confirmed")).to_be_visible()
    paid_on = TODAY - timedelta(days=15 - PAID_LATE_DAYS)
    inv.locator("input[name=paid_on]").fill(paid_on.isoformat())
    inv.locator("input[name=amount]").fill("23850")
    inv.get_by_role("button", name="Record a payment").click()
    inv = buyer.locator("article.invoice", has_text="F-2031")
    expect(inv.locator("[data-testid^='payment-']").first).to_contain_text("23,850.00")
    expect(inv).to_contain_text("Paid $23,850.00")  # money as everywhere on the page
    # the order page's own monitoring panel names the slip
    expect(buyer.get_by_test_id("order-monitoring").get_by_test_id("slips")).to_contain_text(
        "an invoice was paid late or is unpaid past its due date")
    # every delivery is in: the buyer closes the order
    buyer.get_by_role("button", name="Close: every delivery is in").click()
    expect(buyer.get_by_test_id("order-status")).to_have_text("Closed")

    # the buyer is told of the slip in the notification centre
    buyer.get_by_test_id("nav-notifications").click()
    expect(buyer.get_by_test_id("notifications")).to_contain_text(
        f"Order {REQUIREMENT['title']} with {MAKERS[0]}: an invoice was paid late or is unpaid past its due date")

    # 6. the buyer's relationship dashboard shows the slip with the maker
    buyer.get_by_test_id("nav-monitoring").click()
    row = buyer.get_by_test_id("relationships").get_by_test_id("relationship-row").filter(has_text=MAKERS[0])
    expect(row).to_have_count(1)
    expect(row.locator(".badge.bad").last).to_have_text(re.compile(r"^[1-9]\d*$"))  # slips
    expect(row.locator("[data-slipped=yes]")).to_contain_text(str(PAID_LATE_DAYS))  # days beyond terms
    row.get_by_role("link", name=MAKERS[0]).click()
    expect(buyer.get_by_test_id("slips")).to_contain_text("an invoice was paid late or is unpaid past its due date")
    expect(buyer.get_by_test_id("figures")).to_contain_text("Days late per milestone")

    # 7. the association's staff see that buyer's slip across the member firms, naming none of them
    staff = as_user("staff")
    staff.get_by_test_id("nav-monitoring").click()
    buyer_row = staff.get_by_test_id("association-row").filter(has_text="Lone Star Denim")
    expect(buyer_row.locator("td").nth(1)).to_have_text("3")  # member firms that traded with it
    expect(buyer_row.locator("td").last.locator(".badge.bad")).to_have_text(re.compile(r"^[1-9]\d*$"))  # slips
    buyer_row.get_by_role("link", name="Lone Star Denim").click()
    expect(staff.get_by_test_id("member-firms")).to_have_text("3")
    expect(staff.get_by_test_id("slips")).to_contain_text("an invoice was paid late or is unpaid past its due date")
    main = staff.locator("main")
    for name in MAKERS:
        expect(main).not_to_contain_text(name)
    # ... and in Spanish, for a colleague who reads Spanish
    staff_es = as_user("staff_es")
    staff_es.goto(staff.url)
    expect(staff_es.get_by_role("heading", level=1)).to_have_text("Lone Star Denim con nuestras empresas socias")
    expect(staff_es.get_by_test_id("slips")).to_contain_text(
        "una factura se pagó tarde o sigue sin pagar después de su vencimiento")
    for name in MAKERS:
        expect(staff_es.locator("main")).not_to_contain_text(name)

    # 8. the buyer's ratings show nothing while only the second firm has rated
    buyer.goto("/ratings/received")
    expect(buyer.get_by_test_id("ratings-hidden-buyer_practices")).to_be_visible()
    expect(buyer.get_by_test_id("ratings-buyer_practices")).to_have_count(0)

    # 9. the maker rates the buyer from the order page
    maker.goto(order_url)
    panel = maker.get_by_test_id("rating-panel")
    expect(panel).to_have_attribute("data-rating-state", "open")
    panel.get_by_role("link", name="Rate this order").click()
    form = maker.get_by_test_id("rating-form")
    for category, score in JOURNEY_SCORES.items():
        form.locator(f"select[name={category}]").select_option(score)
    form.get_by_role("button", name="Send rating").click()
    _success(maker, "Thank you: your rating was recorded.")
    expect(maker.get_by_test_id("rating-panel")).to_have_attribute("data-rating-state", "rated")

    # two firms have rated: still nothing, not even a count
    buyer.goto("/ratings/received")
    expect(buyer.get_by_test_id("ratings-hidden-buyer_practices")).to_be_visible()
    expect(buyer.get_by_test_id("ratings-buyer_practices")).to_have_count(0)

    # 10. a third firm rates: the scored categories appear with the cluster median beside them
    _third_firm_rates(stack["url"], ids)
    buyer.goto("/ratings/received")
    expect(buyer.get_by_test_id("ratings-hidden-buyer_practices")).to_have_count(0)
    table = buyer.get_by_test_id("ratings-buyer_practices")
    payment = table.locator("tr[data-category=payment_terms]")
    # own mean (2+2+3)/3; median of the two rated buyers' means (2.33 and 5); the count as a band
    expect(payment.locator("td")).to_have_text(["2.3", "3.7", "3-9"])
    expect(table.locator("tr[data-category=order_placement] td")).to_have_text(["4.3", "4.7", "3-9"])
    expect(table.locator("tr[data-category=planning_forecasting]")).to_contain_text(
        "Not shown until 3 firms have rated.")
    expect(table).not_to_contain_text(MAKERS[0])
