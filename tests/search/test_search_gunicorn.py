"""The background drainer under gunicorn's fork model: no request waits on a locked index, and the
index catches up by itself once the lock is gone.

gunicorn runs with ``--preload`` and two workers, so the app is created in the master and
forked: each worker must start its own drainer (threads do not survive a fork).
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from matchmaker import db
from tests.support.vetting import clear_buyer
from tests.support.api_bodies import REQUIREMENT
from tests.support.index_lock import index_locked

ROOT = Path(__file__).resolve().parents[2]


def _call(base, path, headers=None, body=None):
    req = urllib.request.Request(base + path, method="POST" if body is not None else "GET",
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json", **(headers or {})})
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.status, json.loads(r.read())


def _until(check, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def served(app, factory, tmp_path):
    buyer_org = factory.org("buyer", "Denim Co", country="US")
    buyer = factory.token(factory.user("buyer_user", buyer_org))
    with app.app_context():
        clear_buyer(db.session(), buyer_org)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    search = tmp_path / "served-search"
    env = {**os.environ, "MATCHMAKER_DATABASE_URL": app.config["DATABASE_URL"], "MATCHMAKER_SECRET_KEY": "x",
           "MATCHMAKER_SEARCH_PATH": str(search), "MATCHMAKER_MODEL_DIR": str(tmp_path / "models")}
    env.pop("MATCHMAKER_SEARCH_SYNC", None)  # the default mode
    log = open(tmp_path / "gunicorn.log", "w+b")
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "--preload", "--workers", "2", "--bind",
                             f"127.0.0.1:{port}", "wsgi:app"], cwd=ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"

    def up():
        try:
            return _call(base, "/health")[0] == 200
        except OSError:
            return False
    try:
        assert _until(up, 120), "gunicorn did not start"
        yield base, buyer, search
    finally:
        proc.terminate()
        proc.wait(20)
        log.close()


def test_writes_do_not_wait_for_a_locked_index_and_it_catches_up_alone(served):
    """No clock: each write returns, committed, while another process holds the index's write lock (it is
    released only after every write returned, so no write can have waited for it), and the changes reach
    the index once it is released."""
    base, buyer, search = served
    _call(base, "/api/v1/requirements", buyer, REQUIREMENT)           # creates the index
    assert _until(lambda: _call(base, "/health")[1]["search"]["pending_changes"] == 0, 120)
    with index_locked(search, "requirements") as holder:
        written = []
        for _ in range(6):
            status, body = _call(base, "/api/v1/requirements", buyer, REQUIREMENT)
            assert status == 201
            written.append(body["id"])
            # committed: another request (either worker) reads it back while the lock is still held
            status, again = _call(base, f"/api/v1/requirements/{body['id']}", buyer)
            assert status == 200 and again["title"] == REQUIREMENT["title"]
            assert holder.poll() is None                                # the lock is still held
        health = _call(base, "/health")[1]["search"]
        assert health["sync"] == "background" and health["pending_changes"] == 6  # not in the index yet
        assert health["oldest_pending_age_s"] is not None
        assert _until(lambda: "locked" in (_call(base, "/health")[1]["search"]["indices"]
                                           .get("requirements", {}).get("last_error") or ""), 120)
        assert _call(base, "/health")[1]["search"]["pending_changes"] == 6  # the drainer could not write
    # no more writes: the drainers retry on their own
    assert _until(lambda: _call(base, "/health")[1]["search"]["pending_changes"] == 0, 120)
    status, body = _call(base, "/health")
    assert body["search"]["indices"]["requirements"]["last_error"] is None
