"""The index may go down or the sync worker may die: the database keeps every update, the index catches up.

These run the Elasticsearch backend over real HTTP (osmem-server started here, or the
cluster named by MATCHMAKER_TEST_ELASTICSEARCH_URL), behind a TCP proxy that the test
cuts to make a real outage.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from matchmaker import db
from matchmaker.makers.records import MakerProfile
from matchmaker.organizations.records import Organization
from matchmaker.search.records import IndexOutbox
from matchmaker.search.documents import MAKERS
from matchmaker.search import sync
from matchmaker.search.sync import backend, drain
from tests.support.api_bodies import MAKER
from tests.support.elastic import start_target
from tests.support.tcp_proxy import TcpProxy


@pytest.fixture(scope="module")
def es_target():
    yield from start_target()


@pytest.fixture
def es_app(app, es_target, monkeypatch):
    """The test app, switched to an Elasticsearch backend reached through a cuttable proxy."""
    target = urlsplit(es_target.url)
    proxy = TcpProxy(target.hostname, target.port).start()
    prefix = f"t{uuid.uuid4().hex[:8]}_"
    app.config.update(SEARCH_URL=proxy.url, SEARCH_CLIENT_OPTIONS={
        **es_target.options, "request_timeout": 2, "max_retries": 1, "bulk_retries": 1, "bulk_backoff": 0.05})
    app.config["SEARCH_PREFIX"] = prefix
    sync.close(app)  # the embedded backend it started with, closed: the next backend(app) is Elasticsearch
    app.proxy = proxy
    app.index_name = prefix + MAKERS
    yield app
    proxy.cut()


def _index_name(app):
    return app.index_name


def _write_profiles(client, factory, headers, n):
    orgs = []
    for i in range(n):
        org = factory.org("maker", f"Taller {i}")
        r = client.post(f"/api/v1/organizations/{org}/maker-profile", json=MAKER, headers=headers)
        assert r.status_code == 201, r.json
        orgs.append(org)
    return orgs


def _db_versions(app) -> dict[str, int]:
    with app.app_context():
        rows = db.session().execute(select(MakerProfile.organization_id, MakerProfile.version + Organization.version)
                                    .join(Organization, Organization.id == MakerProfile.organization_id))
        return {str(i): v for i, v in rows}


def _pending(app) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(IndexOutbox))


def _queue_makers(app, orgs):
    from matchmaker.search.outbox import record_change
    with app.app_context():
        sess = db.session()
        for org in orgs:
            record_change(sess, "makers", org)
        sess.commit()


def test_writes_succeed_while_the_index_is_down_and_nothing_is_lost(es_app, client, factory):
    app = es_app
    headers = factory.token(factory.user("platform_admin"))
    first = _write_profiles(client, factory, headers, 3)   # each write queues its change in the outbox
    with app.app_context():
        drain(db.session(), backend(app), app)
    assert _pending(app) == 0

    app.proxy.cut()
    _write_profiles(client, factory, headers, 4)                    # writes succeed: the database is the truth
    profile = client.get(f"/api/v1/makers/{first[0]}", headers=headers).json
    body = {k: profile[k] for k in MAKER if k in profile} | {"monthly_capacity": 7777, "version": profile["version"]}
    assert client.put(f"/api/v1/makers/{first[0]}", json=body, headers=headers).status_code == 200
    assert _pending(app) == 5
    from indexing import IndexUnavailable
    with app.app_context(), pytest.raises(IndexUnavailable):
        drain(db.session(), backend(app), app)
    assert _pending(app) == 5                                        # still queued after a failed attempt
    health = client.get("/health").json["search"]
    assert health["pending_changes"] == 5 and health["indices"]["makers"]["last_error"]

    app.proxy.restore()
    with app.app_context():
        drain(db.session(), backend(app), app)
    assert _pending(app) == 0
    assert backend(app).versions(_index_name(app)) == _db_versions(app)


def test_a_sync_worker_killed_mid_batch_loses_and_duplicates_nothing(es_app, client, factory, tmp_path):
    app = es_app
    n = 1500
    with app.app_context():
        sess = db.session()
        from matchmaker.makers.records import MakerProcess
        for i in range(n):
            org = Organization(kind="maker", name=f"Maquila {i}", country="MX", state="Jalisco")
            sess.add(org)
            sess.flush()
            sess.add(MakerProfile(organization_id=org.id, headcount=10, service_tier="assembly",
                                  monthly_capacity=3000, min_order_qty=200, order_lead_days=20,
                                  quality_tier="standard", processes=[MakerProcess(code="sewing")]))
        sess.commit()
        orgs = list(sess.scalars(select(Organization.id)))
    _queue_makers(app, orgs)
    _queue_makers(app, orgs[:300])                                   # the same documents queued twice
    env = {**os.environ, "MATCHMAKER_DATABASE_URL": app.config["DATABASE_URL"],
           "MATCHMAKER_SECRET_KEY": "x", "MATCHMAKER_SEARCH_URL": app.config["SEARCH_URL"],
           "MATCHMAKER_SEARCH_PREFIX": app.config["SEARCH_PREFIX"]}
    worker = subprocess.Popen([sys.executable, "-m", "tests.support.sync_worker"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 60
    while _pending(app) == n + 300 and time.monotonic() < deadline:  # wait until it is in the middle
        time.sleep(0.05)
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    left = _pending(app)
    assert 0 < left < n + 300, f"the worker should die mid-way, {left} left"

    with app.app_context():
        drain(db.session(), backend(app), app)
    assert _pending(app) == 0
    versions = backend(app).versions(_index_name(app))
    assert len(versions) == n and versions == _db_versions(app)
