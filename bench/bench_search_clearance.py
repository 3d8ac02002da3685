"""A board's decision while the search index is locked: how long it takes (p50/p95), against the index's
busy timeout (issue 10: no write waits on the index).

``tests/search/test_search_clearance.py`` asserts the behaviour (the decision is made and its buyer's
requirements leave every maker's results while the index refuses writes); a wall-clock bound there failed
on a loaded machine, so the timing lives here. Each round: a new cleared buyer posts a requirement, applies
for vetting, a board member votes to reject, and, with another process holding the index's write lock,
the decision is posted and timed (the search drainer's retries are not part of it). It runs through pytest
to reuse the tests' fixtures (the app on a scratch SQLite database and index, the vetting world).

    .venv/bin/python bench/bench_search_clearance.py [--rounds 20]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask.testing import FlaskClient  # noqa: E402

from bench.harness import percentile  # noqa: E402

from matchmaker import db  # noqa: E402
from tests.support.api_bodies import REQUIREMENT  # noqa: E402
from tests.search.test_search_clearance import BUSY_TIMEOUT, locked_app  # noqa: E402,F401 - fixture
from tests.support.index_lock import index_locked  # noqa: E402
from tests.support.vetting import clear_buyer  # noqa: E402
from tests.vetting.conftest import _evidence_dir, decision, world  # noqa: E402,F401 - fixtures

ROUNDS_ENV = "BENCH_CLEARANCE_ROUNDS"


def test_decisions_while_the_index_is_locked(locked_app, client, factory, world):  # noqa: F811
    app, w = locked_app, world
    rounds = int(os.environ.get(ROUNDS_ENV, "20"))
    plain = FlaskClient(app, app.response_class)  # does not wait for the drainer: the write alone
    times = []
    for i in range(rounds):
        buyer_org = factory.org("buyer", f"Bench Buyer {i}", country="US")
        headers = factory.token(factory.user("buyer_user", buyer_org))
        with app.app_context():
            clear_buyer(db.session(), buyer_org, w.assoc)
        assert client.post("/api/v1/requirements", headers=headers, json=REQUIREMENT).status_code == 201
        r = client.post("/api/v1/vetting/applications", json={"association_id": w.assoc}, headers=headers)
        assert r.status_code == 201, r.json
        case_id = r.json["id"]
        r = client.post(f"/api/v1/vetting/cases/{case_id}/votes", json={"vote": "rejected"}, headers=w.h[w.board_2])
        assert r.status_code == 201, r.json
        with index_locked(app.config["SEARCH_PATH"], "requirements"):
            started = time.perf_counter()
            r = plain.post(f"/api/v1/vetting/cases/{case_id}/decision", headers=w.h[w.board_2],
                           json=decision(outcome="rejected", rationale="Two unpaid invoices confirmed by members."))
            times.append((time.perf_counter() - started) * 1000)
            assert r.status_code == 201, r.json
    print(f"\ndecision with the index locked ({rounds} rounds, busy timeout {BUSY_TIMEOUT * 1000:.0f} ms): "
          f"p50 {statistics.median(times):.1f} ms, p95 {percentile(times, 0.95):.1f} ms, max {max(times):.1f} ms; "
          f"{sum(t >= BUSY_TIMEOUT * 1000 for t in times)} of {rounds} at or over the busy timeout")


def main() -> int:
    import pytest

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    os.environ[ROUNDS_ENV] = str(args.rounds)
    with tempfile.TemporaryDirectory(prefix="bench-clearance-") as tmp:
        return pytest.main([__file__, "-q", "-s", "-p", "no:xdist", "-p", "no:cacheprovider", "-p", "tests.conftest",
                            "--basetemp", tmp, "--rootdir", str(ROOT), "-k", "sqlite"])


if __name__ == "__main__":
    sys.exit(main())
