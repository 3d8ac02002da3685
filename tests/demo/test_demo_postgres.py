"""The demo generator on PostgreSQL (needs MATCHMAKER_TEST_POSTGRES_URL, e.g.
postgresql+psycopg://postgres@127.0.0.1:5432/test); runs in a throw-away schema."""
import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash

from matchmaker.demo import generate
from matchmaker.organizations.records import Organization
from matchmaker.records import Base

URL = os.environ.get("MATCHMAKER_TEST_POSTGRES_URL")
pytestmark = [pytest.mark.postgres,
              pytest.mark.skipif(not URL, reason="MATCHMAKER_TEST_POSTGRES_URL not set")]


@pytest.fixture
def pg_engine():
    schema = f"demo_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(URL)
    with admin.begin() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_engine(URL, connect_args={"options": f"-csearch_path={schema}"})
    try:
        Base.metadata.create_all(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as c:
            c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_generate_on_postgres(pg_engine):
    with Session(pg_engine) as session:
        summary = generate(session, makers=300, buyers=40, seed=5)
    with pg_engine.connect() as c:
        n = c.execute(text("SELECT COUNT(*) FROM maker_profiles")).scalar_one()
        assert n == 300
        assert c.execute(text("SELECT COUNT(*) FROM outcome_events")).scalar_one() == summary.counts["outcome_events"]
        labs = c.execute(text("SELECT lab_tests FROM maker_profiles WHERE lab_tests::text != '[]' LIMIT 1")
                         ).scalar_one()
        assert isinstance(labs, list)
        tz = c.execute(text("SELECT MAX(occurred_at) FROM outcome_events")).scalar_one()
        assert tz.tzinfo is not None
        (email, pw_hash) = c.execute(text("SELECT email, password_hash FROM users WHERE role = 'platform_admin'")).one()
        assert check_password_hash(pw_hash, dict((e, p) for _, e, p in summary.logins)[email])
    # sequences were moved past the explicit ids: a new row gets max(id) + 1
    with pg_engine.connect() as c:
        highest = c.execute(text("SELECT MAX(id) FROM organizations")).scalar_one()
    assert highest >= 340  # 300 makers, 40 buyers, associations, coordinators and input vendors
    with Session(pg_engine) as session:
        org = Organization(kind="maker", name="Nuevo Taller", country="MX")
        session.add(org)
        session.commit()
        assert org.id == highest + 1
