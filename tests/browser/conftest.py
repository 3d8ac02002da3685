"""Browser tests: a real gunicorn serving the app on a temporary SQLite database, driven by Debian's Chromium.

Chromium comes from ``apt-get install chromium`` (never ``playwright install``). Without
it the tests are skipped on a workstation and FAIL in CI (``CI=true``).
"""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("MATCHMAKER_CHROMIUM", "/usr/bin/chromium"))
REPO = Path(__file__).resolve().parents[2]
PASSWORD = "browser-test-password"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]

USERS = {"maker": "maker@browser.test", "buyer": "buyer@browser.test"}


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is missing: install it with `apt-get install -y chromium chromium-driver`"
    pytest.fail(message, pytrace=False)  # scripts/test.sh installs it: missing is a broken setup, never a skip


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
            certificates=[{"kind": "iso9001", "issuer": "IMNC", "number": "MX-1", "valid_until": "2030-06-30"}]))
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


@contextlib.contextmanager
def gunicorn(root: Path, database_url: str, env_extra: dict | None = None):
    """gunicorn (one worker) on a free local port serving ``database_url``; yields its base URL.

    The log goes to ``root / "gunicorn.log"``; the server is stopped on exit."""
    port = _free_port()
    env = {**os.environ, "MATCHMAKER_DATABASE_URL": database_url, "MATCHMAKER_SECRET_KEY": "browser-test-secret-key",
           "MATCHMAKER_SEARCH_PATH": str(root / "search"), "MATCHMAKER_MODEL_DIR": str(root / "models")}
    env.pop("MATCHMAKER_DEMO", None)
    env.update(env_extra or {})
    log = open(root / "gunicorn.log", "w+b")
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1", "wsgi:app"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120  # workers import numpy, scikit-learn and the index: slow under load
        while True:
            if proc.poll() is not None:
                log.seek(0)
                pytest.fail(f"gunicorn exited with {proc.returncode}:\n{log.read().decode(errors='replace')[-3000:]}")
            try:
                with urllib.request.urlopen(f"{base}/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("gunicorn did not answer /health within 120 s")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """gunicorn on a free local port; yields its base URL and the seeded ids, and stops it afterwards."""
    _require_chromium()
    root = tmp_path_factory.mktemp("live")
    url = f"sqlite:///{root / 'matchmaker.db'}"
    ids = _seed(url)
    with gunicorn(root, url) as base:
        yield {"url": base, "ids": ids, "database_url": url, "log": root / "gunicorn.log"}


@pytest.fixture(scope="session")
def browser(live_server, chromium_browser):
    return chromium_browser


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server["url"], locale="en-US", viewport={"width": 1280, "height": 900})
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
