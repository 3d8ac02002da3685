"""The admin names a new user's firm by typing part of its name and picking the suggestion (complete.js fills
the hidden id), instead of scrolling a select of every firm."""
from __future__ import annotations

import pytest

from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.browser

ADMIN = "admin@browser.test"


def _admin(database_url: str) -> None:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from matchmaker.accounts.records import User
    from matchmaker.auth import hash_password
    from matchmaker.db import make_engine

    engine = make_engine(database_url)
    with Session(engine) as sess:
        if sess.scalar(select(User.id).where(User.email == ADMIN)) is None:
            sess.add(User(email=ADMIN, name="Admin", role="platform_admin", password_hash=hash_password(PASSWORD)))
            sess.commit()
    engine.dispose()


def test_admin_picks_the_firm_from_suggestions_and_the_user_belongs_to_it(page, live_server):
    _admin(live_server["database_url"])
    page.goto("/login")
    page.get_by_label("Email").fill(ADMIN)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/home")
    page.goto("/admin/users/new")
    page.get_by_label("Email").fill("nuevo@lonestar.test")
    page.get_by_label("Name").fill("Nuevo")
    page.get_by_label("Role").select_option("buyer_user")
    box = page.get_by_role("combobox", name="Organization")
    box.press_sequentially("lone", delay=30)
    option = page.get_by_role("option", name="Lone Star Denim (US)")
    option.wait_for()
    assert "Buyer" in option.inner_text()  # the firm's kind beside its name
    box.press("ArrowDown")
    box.press("Enter")
    assert box.input_value() == "Lone Star Denim (US)"
    assert page.locator("input[type=hidden][name=organization_id]").input_value() == str(live_server["ids"]["buyer"])
    page.get_by_role("button", name="Save").click()
    page.get_by_text("nuevo@lonestar.test").first.wait_for()
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from matchmaker.accounts.records import User
    from matchmaker.db import make_engine

    engine = make_engine(live_server["database_url"])
    with Session(engine) as sess:
        assert sess.scalar(select(User.organization_id).where(User.email == "nuevo@lonestar.test")) \
            == live_server["ids"]["buyer"]
    engine.dispose()
