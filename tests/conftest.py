"""Shared fixtures: the real application on a real database (SQLite, and PostgreSQL when configured).

``MATCHMAKER_TEST_POSTGRES_URL`` names the PostgreSQL server; the test command sets it
to this machine's server, and in CI (``CI=true``) a missing or unreachable server is an
error, not a skip. Each PostgreSQL run gets its own schema, dropped at the end.
"""
from __future__ import annotations

import functools
import gc
import os
import uuid
import warnings

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from matchmaker import create_app, db
from werkzeug.security import generate_password_hash

from matchmaker.auth import issue_token
from matchmaker.cli import upgrade_database
from matchmaker.search import sync
from matchmaker.accounts.records import User
from matchmaker.all_tables import import_all_tables
from matchmaker.organizations.records import Organization
from matchmaker.records import Base

import_all_tables()  # every concern's tables, so each test starts from emptied ones

POSTGRES_URL = os.environ.get("MATCHMAKER_TEST_POSTGRES_URL")
IN_CI = os.environ.get("CI", "").lower() == "true"


def database_backends() -> list[str]:
    backends = ["sqlite"]
    if POSTGRES_URL:
        backends.append("postgresql")
    elif IN_CI:
        raise RuntimeError("CI must run the suite on PostgreSQL: set MATCHMAKER_TEST_POSTGRES_URL")
    return backends


@pytest.fixture(scope="session", params=database_backends())
def database_url(request, tmp_path_factory):
    """A migrated, empty database for the whole session, on each configured backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'matchmaker.db'}"
        upgrade_database(url)
        yield url
        sync.stop_all()
        return
    schema = f"mm_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in POSTGRES_URL else "?"
    url = f"{POSTGRES_URL}{sep}options=-csearch_path%3D{schema}"
    try:
        upgrade_database(url)
        yield url
    finally:
        sync.stop_all()  # apps made by tests keep a drainer thread that would poll the dropped schema
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _empty_all_tables(engine) -> None:
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
            conn.execute(text("SET LOCAL lock_timeout = '60s'"))  # a leaked transaction fails the test, never hangs
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture
def app(database_url, tmp_path, monkeypatch):
    """A fresh application on emptied tables (emptied first: the app drains the index outbox at start-up)."""
    from indexing import tantivy_physical
    from matchmaker.db import make_engine

    before = tantivy_physical.open_indexes()
    engine = make_engine(database_url)
    _empty_all_tables(engine)
    engine.dispose()
    monkeypatch.setenv("MATCHMAKER_DATABASE_URL", database_url)
    application = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SEARCH_URL": "embedded",
        "SEARCH_PATH": str(tmp_path / "search"),
        "MODEL_DIR": str(tmp_path / "models"),
    })
    application.test_client_class = ReadsOwnWritesClient
    yield application
    from matchmaker import jobs
    from matchmaker.search import sync
    jobs.join_all(application)  # a job still in its transaction would block the next test's TRUNCATE
    sync.stop(application)
    sync.close(application)  # its tantivy indexes' reader threads and watchers would live to the end of the run
    application.extensions["matchmaker.engine"].dispose()
    warn_if_index_left_open(before)


def warn_if_index_left_open(before: int) -> None:
    """Warn when a test leaves more tantivy indexes open than there were before it (an app made in the test
    and never closed, a backend kept in a global): each keeps Rust threads until the process ends.

    A warning, not a failure: under load an earlier test's index drainer can outlive its stop timeout and
    reopen its index during a later test, so the count cannot always name the test that leaked (a full run
    met two such false blames). The warnings summary still lists every test after which one was left open."""
    from indexing import tantivy_physical

    if tantivy_physical.open_indexes() > before:
        gc.collect()  # a backend only the test's own objects referred to, in a reference cycle
    left = tantivy_physical.open_indexes()
    if left > before:
        warnings.warn(f"{left - before} tantivy index(es) left open during this test", ResourceWarning,
                      stacklevel=2)


class ReadsOwnWritesClient(FlaskClient):
    """The test client of a user who reads its own writes: after each request it waits for this
    process's index drainer (the app's default, background mode), never for a fixed time."""

    def open(self, *args, **kwargs):
        from matchmaker.search import sync
        response = super().open(*args, **kwargs)
        sync.wait_idle(self.application, timeout=30)
        return response


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def factory(app):
    """Make organizations, users and tokens directly in the database."""
    return Factory(app)


@functools.lru_cache(maxsize=8)
def hash_password(password: str) -> str:
    """Test users get a cheap PBKDF2 hash (scrypt costs ~0.2 s each); the app's own hashing is untouched."""
    return generate_password_hash(password, method="pbkdf2:sha256:1000")


class Factory:
    PASSWORD = "correct horse battery staple"

    def __init__(self, app):
        self.app = app

    def org(self, kind: str = "maker", name: str | None = None, **fields) -> int:
        with self.app.app_context():
            sess = db.session()
            org = Organization(kind=kind, name=name or f"{kind} {uuid.uuid4().hex[:6]}",
                               country=fields.pop("country", "MX"), **fields)
            sess.add(org)
            sess.commit()
            return org.id

    def user(self, role: str, organization_id: int | None = None, association_id: int | None = None,
             email: str | None = None) -> int:
        with self.app.app_context():
            sess = db.session()
            user = User(email=email or f"{role}-{uuid.uuid4().hex[:8]}@test.mx", name=role.replace("_", " "),
                        role=role, organization_id=organization_id, association_id=association_id,
                        password_hash=hash_password(self.PASSWORD))
            sess.add(user)
            sess.commit()
            return user.id

    def token(self, user_id: int) -> dict:
        with self.app.app_context():
            sess = db.session()
            token = issue_token(sess.get(User, user_id))
            sess.commit()
            return {"Authorization": f"Bearer {token}"}

    def email(self, user_id: int) -> str:
        with self.app.app_context():
            return db.session().get(User, user_id).email


@pytest.fixture(scope="session")
def chromium_browser():
    """One headless Debian Chromium per test process, shared by every browser test.

    Playwright's sync API allows one running instance per thread: two session fixtures each
    starting their own (the page flows and the demo journeys) fail in whichever runs second.
    Assertions wait up to 20 s for a page to settle (Playwright's default is 5 s): under a loaded CI runner
    Swagger UI took longer than 5 s to draw the API document, and a wait that long is a slow machine, not a
    broken page.
    """
    from playwright.sync_api import expect, sync_playwright

    from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, require_chromium

    require_chromium()
    expect.set_options(timeout=20_000)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
