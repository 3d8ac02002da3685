"""Browser tests: a real gunicorn serving the app on a temporary SQLite database, driven by Debian's Chromium.

Chromium and the server are the ones every package's browser tests share (``tests/support/browser.py``,
``tests/support/live_server.py``); a missing Chromium fails the tests (a broken setup, never a skip).
"""
from __future__ import annotations

import pytest

from tests.support.browser import VIEWPORT, require_chromium
from tests.support.live_server import gunicorn
from tests.support.dates import years_ahead

PASSWORD = "browser-test-password"

USERS = {"maker": "maker@browser.test", "buyer": "buyer@browser.test"}


def _seed(url: str) -> dict:
    """A maker with a profile, a buyer and one user each, written straight into the database."""
    from sqlalchemy.orm import Session

    from matchmaker.makers.services import create_maker_profile
    from matchmaker.makers.schemas import MakerProfileIn
    from matchmaker.auth import hash_password
    from matchmaker.cli import upgrade_database
    from matchmaker.db import make_engine
    from matchmaker.accounts.records import User
    from matchmaker.organizations.records import Organization

    upgrade_database(url)
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as sess:
        maker = Organization(kind="maker", name="Taller Azul", city="Guadalajara", state="Jalisco", country="MX")
        buyer = Organization(kind="buyer", name="Lone Star Denim", city="Dallas", state="TX", country="US")
        sess.add_all([maker, buyer])
        sess.commit()
        create_maker_profile(sess, maker, MakerProfileIn(
            headcount=35, service_tier="half_package", monthly_capacity=12000, min_order_qty=400, order_lead_days=21,
            quality_tier="standard", processes=["cutting", "sewing", "laundry"], product_lines=["jeans_western"],
            certificates=[{"kind": "iso9001", "issuer": "IMNC", "number": "MX-1",
                           "valid_until": years_ahead(4, 6, 30).isoformat()}]))
        secret = hash_password(PASSWORD)
        sess.add_all([
            User(email=USERS["maker"], name="Rosa Martínez", role="maker_user", organization_id=maker.id,
                 password_hash=secret),
            User(email=USERS["buyer"], name="Jim Walker", role="buyer_user", organization_id=buyer.id,
                 password_hash=secret),
        ])
        sess.commit()
        ids = {"maker": maker.id, "buyer": buyer.id}
    engine.dispose()
    return ids


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """gunicorn on a free local port; yields its base URL and the seeded ids, and stops it afterwards."""
    require_chromium()
    root = tmp_path_factory.mktemp("live")
    url = f"sqlite:///{root / 'matchmaker.db'}"
    ids = _seed(url)
    with gunicorn(url, workers=1, threads=1, root=root) as base:
        yield {"url": base, "ids": ids, "database_url": url, "log": root / "gunicorn.log"}


@pytest.fixture(scope="session")
def browser(live_server, chromium_browser):
    return chromium_browser


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server["url"], locale="en-US", viewport=VIEWPORT)
    context.set_default_timeout(10_000)
    pg = context.new_page()
    yield pg
    context.close()


def sign_in(page, who: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(USERS[who])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/home")
