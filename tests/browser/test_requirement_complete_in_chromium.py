"""A maker browsing open requirements gets requirement titles suggested as she types, and picks one by key."""
from __future__ import annotations

import time

import pytest

from tests.browser.conftest import USERS, sign_in

pytestmark = pytest.mark.browser

TITLE = "Chamarras de mezclilla para otoño"


def _open_requirement(database_url: str) -> None:
    """An open requirement of the seeded buyer, cleared by an association's board (straight to the database;
    the server's index drainer picks it up from the outbox)."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from matchmaker.requirements.services import create_requirement
    from matchmaker.requirements.schemas import RequirementIn
    from matchmaker.db import make_engine
    from matchmaker.accounts.records import User
    from matchmaker.requirements.records import Requirement
    from tests.support.vetting import clear_buyer

    engine = make_engine(database_url)
    with Session(engine, expire_on_commit=False) as sess:
        if sess.scalar(select(Requirement.id).where(Requirement.title == TITLE)) is None:
            buyer = sess.scalar(select(User).where(User.email == USERS["buyer"]))
            create_requirement(sess, buyer.organization_id, buyer.id, RequirementIn(
                title=TITLE, product_line="jeans_western", quantity=800, lead_time_days=45,
                processes=["sewing"], status="open"))
            clear_buyer(sess, buyer.organization_id)
    engine.dispose()


def test_open_requirements_box_suggests_titles_and_enter_picks_one(page, live_server):
    _open_requirement(live_server["database_url"])
    sign_in(page, "maker")
    deadline = time.monotonic() + 30
    while True:  # the background drainer indexes the new requirement within a moment
        page.goto("/requirements/open?q=chamarras")
        if page.get_by_test_id("total").inner_text().startswith("1 ") or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    page.goto("/requirements/open")
    box = page.get_by_role("combobox", name="Search")
    box.press_sequentially("chamar", delay=30)
    option = page.get_by_role("option", name=TITLE)
    option.wait_for()
    assert "Requirement" in page.get_by_role("option").first.inner_text()
    box.press("ArrowDown")
    assert option.get_attribute("aria-selected") == "true"
    box.press("Enter")
    page.wait_for_url("**q=Chamarras**")
    assert TITLE in page.locator("article.result").first.inner_text()
