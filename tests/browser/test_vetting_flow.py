"""A buyer applies for vetting; a board member votes and decides in the browser; the buyer sees the result."""
from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, sign_in

pytestmark = pytest.mark.browser

BOARD = "board@vetting-browser.test"


def _seed_board(live_server) -> str:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from matchmaker.auth import hash_password
    from matchmaker.db import make_engine
    from matchmaker.accounts.records import User
    from matchmaker.organizations.records import Association, Membership

    engine = make_engine(live_server["database_url"])
    with Session(engine) as sess:
        if sess.scalar(select(Association).where(Association.slug == "vetting-browser")) is None:
            assoc = Association(name="Jeans board (vetting test)", slug="vetting-browser", sector="denim")
            sess.add(assoc)
            sess.flush()
            sess.add(Membership(association_id=assoc.id, organization_id=live_server["ids"]["maker"], role="board"))
            sess.add(User(email=BOARD, name="Carmen Consejo", role="board_member", association_id=assoc.id,
                          organization_id=live_server["ids"]["maker"], password_hash=hash_password(PASSWORD)))
            sess.commit()
    engine.dispose()
    return "Jeans board (vetting test)"


def test_application_to_decision_in_the_browser(browser, live_server):
    association = _seed_board(live_server)
    buyer = browser.new_context(base_url=live_server["url"], locale="en-US")
    page = buyer.new_page()
    sign_in(page, "buyer")
    page.get_by_role("link", name="My vetting status").click()
    page.get_by_test_id("apply-form").get_by_label("Association").select_option(label=association)
    page.get_by_role("button", name="Apply for vetting").click()
    expect(page.get_by_test_id("standings")).to_contain_text("Under review")

    board = browser.new_context(base_url=live_server["url"], locale="en-US")
    bpage = board.new_page()
    bpage.goto("/login")
    bpage.get_by_label("Email").fill(BOARD)
    bpage.get_by_label("Password").fill(PASSWORD)
    bpage.get_by_role("button", name="Sign in").click()
    bpage.get_by_role("link", name="Vetting queue").click()
    bpage.get_by_test_id("case-queue").locator("tr", has_text="Lone Star Denim").get_by_role("link").first.click()
    expect(bpage.get_by_test_id("score")).to_be_visible()

    bpage.get_by_test_id("decision-form").get_by_label("Decision").select_option("approved")
    bpage.get_by_test_id("decision-form").get_by_role("button", name="Record decision").click()
    expect(bpage.locator(".field-error, .alert, .flash.error").first).to_be_visible()  # no rationale, no vote yet

    bpage.get_by_test_id("vote-form").get_by_label("Your vote").select_option("approved")
    bpage.get_by_test_id("vote-form").get_by_role("button", name="Vote").click()
    form = bpage.get_by_test_id("decision-form")
    form.get_by_label("Decision").select_option("approved")
    form.get_by_label("Review date").fill(date(date.today().year + 1, 6, 30).isoformat())
    form.get_by_label("Written rationale").fill("Paid on terms to two members; references checked.")
    form.get_by_role("button", name="Record decision").click()
    expect(bpage.locator("body")).to_contain_text("Paid on terms to two members")

    page.reload()
    expect(page.get_by_test_id("standings")).to_contain_text("Approved")
    page.screenshot(path="/tmp/matchmaker-vetting-status.png", full_page=True)
    buyer.close()
    board.close()
