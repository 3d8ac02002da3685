"""Issue 16's journey in Chromium against a multi-worker gunicorn: a coordinator opens a requirement
no single maker can serve, gets three diverse teams with bound and gap, locks one stage,
re-optimises (a job, outside the request) and sends the offer with its price; a member confirms its
part with its own price; the buyer finds the consortium in its inquiries as one quote, with the
stage plan beside it, and in its quote comparison, without the member's price."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy.orm import Session

from tests.consortia.conftest import BANDS, BASE, REQUIREMENT, SPECIALISTS
from tests.support.browser import VIEWPORT, fill_login, require_chromium
from tests.support.live_server import gunicorn

pytestmark = pytest.mark.browser
PASSWORD = "consortium-test-password"


def _seed(url: str) -> dict:
    from matchmaker.makers.services import create_maker_profile
    from matchmaker.requirements.services import create_requirement
    from matchmaker.makers.schemas import MakerProfileIn
    from matchmaker.requirements.schemas import RequirementIn
    from matchmaker.auth import hash_password
    from matchmaker.cli import upgrade_database
    from matchmaker.db import make_engine
    from matchmaker.accounts.records import User
    from matchmaker.organizations.records import Association, Membership, Organization
    from tests.support.vetting import clear_buyer

    upgrade_database(url)
    engine = make_engine(url)
    secret = hash_password(PASSWORD)
    with Session(engine, expire_on_commit=False) as sess:
        assoc = Association(name="Jeans makers of Guadalajara", slug="jeans-gdl", sector="denim")
        makers = {name: Organization(kind="maker", name=name, city="Guadalajara", state="Jalisco", country="MX",
                                     lat=20.6 + 0.01 * i, lon=-103.3) for i, (name, *_r) in enumerate(SPECIALISTS)}
        coordinator = Organization(kind="coordinator", name="Maestro Coordina", country="MX", lat=20.65, lon=-103.35)
        buyer = Organization(kind="buyer", name="Lone Star Denim", country="US", city="Dallas", lat=32.78, lon=-96.8)
        sess.add_all([assoc, coordinator, buyer, *makers.values()])
        sess.commit()
        sess.add_all([Membership(association_id=assoc.id, organization_id=m.id) for m in makers.values()])
        for name, processes, cap, moq, lead, heads in SPECIALISTS:
            create_maker_profile(sess, makers[name], MakerProfileIn(**dict(
                BASE, processes=processes, monthly_capacity=cap, min_order_qty=moq, order_lead_days=lead,
                headcount=heads, unit_price_min=BANDS.get(name, (None, None))[0],
                unit_price_max=BANDS.get(name, (None, None))[1])))
        sess.commit()
        clear_buyer(sess, buyer.id, assoc.id)
        people = {"coordinator": ("maker_user", coordinator.id, "es"), "buyer": ("buyer_user", buyer.id, "en"),
                  "laundry": ("maker_user", makers["Lavados Altos"].id, "en")}
        for name, (role, org, lang) in people.items():
            sess.add(User(email=f"{name}@consortium.test", name=name, role=role, organization_id=org, locale=lang,
                          password_hash=secret))
        sess.commit()
        buyer_user = sess.query(User).filter_by(email="buyer@consortium.test").one().id
        req = create_requirement(sess, buyer.id, buyer_user, RequirementIn(**REQUIREMENT))
        ids = {"req": req.id}
    engine.dispose()
    return ids


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    require_chromium()
    root = tmp_path_factory.mktemp("consortium")
    url = f"sqlite:///{root / 'matchmaker.db'}"
    ids = _seed(url)
    with gunicorn(url, workers=2, threads=2, root=root) as base:
        yield {"base": base, "ids": ids}


def _sign_in(browser, base: str, name: str):
    context = browser.new_context(base_url=base, locale="en-US", viewport=VIEWPORT)
    context.set_default_timeout(30_000)
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    fill_login(page, f"{name}@consortium.test", PASSWORD)
    return context, page, errors


def test_coordinator_builds_locks_reoptimises_and_sends_and_the_buyer_reads_the_offer(chromium_browser, stack):
    context, page, errors = _sign_in(chromium_browser, stack["base"], "coordinator")
    page.get_by_role("link", name="Consorcios").click()
    row = page.get_by_test_id("consortia-requirements").locator("tr", has_text="Stretch jeans, full package")
    row.get_by_test_id("build-teams").click()
    expect(page.get_by_test_id("team-2")).to_be_visible(timeout=60_000)  # the job ran; the page refreshed itself
    for n in range(3):
        expect(page.get_by_test_id(f"team-{n}")).to_contain_text("Cota")
        expect(page.get_by_test_id(f"team-{n}")).to_contain_text("Brecha")
    teams = [page.get_by_test_id(f"team-{n}").locator("tbody").inner_text() for n in range(3)]
    assert len(set(teams)) == 3  # diverse: each differs in some stage's makers
    expect(page.get_by_test_id("greedy")).to_be_visible()
    # the share form is one card around its field and button, not an inline box split into fragments
    share = page.get_by_test_id("share-form")
    box, button = share.bounding_box(), page.get_by_test_id("set-share").bounding_box()
    assert share.evaluate("f => getComputedStyle(f).display") == "block"
    assert box["y"] <= button["y"] and button["y"] + button["height"] <= box["y"] + box["height"]
    page.get_by_test_id("team-1").get_by_test_id("lock-cutting").click()
    expect(page.get_by_test_id("team-2")).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("team-0")).to_contain_text("Usted fijó esta etapa.")
    def locked(n):  # the makers of the locked stage in team n
        return sorted(page.get_by_test_id(f"team-{n}").locator("tr", has_text="fijada")
                      .locator("td:nth-child(2)").all_inner_texts())
    assert locked(0) and all(locked(n) == locked(0) for n in range(3))
    expect(page.get_by_test_id("terms-explained")).to_contain_text("Costo: el precio por pieza")
    send = page.get_by_test_id("send-form-0")
    expect(send.locator("input[name=unit_price]")).not_to_have_value("")  # the team's cost, from price bands
    send.locator("input[name=unit_price]").fill("11.80")
    send.locator("textarea[name=notes]").fill("Paquete completo, una sola factura.")
    page.get_by_test_id("send-0").click()
    expect(page.get_by_test_id("sent")).to_be_visible()
    # es_MX writes a foreign currency before the amount, a no-break space between (CLDR currency spacing)
    expect(page.get_by_test_id("sent")).to_contain_text(re.compile(r"USD\s11\.80"))
    assert page.locator("svg.gantt").count() >= 3 and not errors, errors
    context.close()

    context, page, errors = _sign_in(chromium_browser, stack["base"], "laundry")
    page.goto("/consortia/")
    parts = page.get_by_test_id("consortia-parts")
    expect(parts).to_contain_text("Maestro Coordina")
    parts.get_by_test_id("part-price").first.fill("2.35")
    parts.get_by_test_id("answer-part").first.click()
    expect(page.get_by_test_id("consortia-parts")).to_contain_text("confirmed")
    context.close()

    context, page, errors = _sign_in(chromium_browser, stack["base"], "buyer")
    page.goto("/inquiries")
    row = page.get_by_test_id("inquiries").locator("tr", has_text="Stretch jeans, full package")
    expect(row).to_contain_text("Maestro Coordina")  # the coordinator's quote, like any maker's
    row.get_by_role("link").click()
    quotes = page.locator("#quotes")
    expect(quotes).to_contain_text("11.80")
    expect(quotes).to_contain_text("Paquete completo, una sola factura.")
    plan = page.get_by_test_id("consortium-plan")
    expect(plan).to_contain_text("Consortium offer from Maestro Coordina")
    expect(plan.get_by_test_id("offer-stages")).to_contain_text("Lavados Altos")
    expect(plan.get_by_test_id("offer-stages")).to_contain_text("confirmed")
    assert plan.locator("svg.gantt").count() == 1 and "2.35" not in page.content()  # the member's price stays
    page.goto(f"/requirements/{stack['ids']['req']}/quotes")
    compare = page.get_by_test_id("quotes")
    expect(compare).to_contain_text("Maestro Coordina")
    expect(compare.get_by_test_id("consortium-badge")).to_be_visible()
    api = context.request.get("/consortia/offers/1")
    assert api.status == 200
    page.goto("/consortia/offers/1")
    expect(page.get_by_test_id("offer-stages")).to_contain_text("Lavados Altos")
    expect(page.get_by_test_id("offer-quote")).to_contain_text("11.80")
    assert re.search(r"Total lead time", page.content()) and page.locator("svg.gantt").count() == 1
    assert not errors, errors
    context.close()
