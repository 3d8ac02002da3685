"""``flask orders check-slips`` over a whole cluster's orders: how long the first run takes (every slip new).

It writes ``--orders`` orders straight into a scratch SQLite database (or ``--database-url``) with
``bench_monitoring``'s generator (Zipf-like buyers, 8 milestones per order, deliveries, invoices,
payments, price changes), gives every buyer and maker firm ``--users`` active users (so each slip
really notifies both sides: a notice per user and, by default, its email in the outbox), then
times ``monitoring.slips.run_check`` (what the command runs: find, store, announce, commit) and a
second run (nothing new: every slip is noticed once). It prints the slips, notices and emails
written, so a before/after comparison can check that the same work was done.

    .venv/bin/python bench/bench_check_slips.py [--orders 10000] [--users 1] [--database-url URL]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--orders", type=int, default=10_000)
    ap.add_argument("--buyers", type=int, default=300)
    ap.add_argument("--makers", type=int, default=1400)
    ap.add_argument("--users", type=int, default=1, help="active users per buyer and maker firm")
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--database-url")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-slips-"))
    url = args.database_url or f"sqlite:///{tmp / 'bench.db'}"
    os.environ["MATCHMAKER_DATABASE_URL"] = url

    from sqlalchemy import func, insert, select

    from bench_monitoring import _load
    from matchmaker import create_app, db
    from matchmaker.cli import upgrade_database
    from matchmaker.contact.records import EmailOutbox, Notification
    from matchmaker.monitoring.records import MonitoringSlip
    from matchmaker.monitoring.slips import run_check
    from matchmaker.accounts.records import User
    from matchmaker.organizations.records import Organization

    upgrade_database(url)
    app = create_app({"SECRET_KEY": "bench", "TESTING": True, "SEARCH_PATH": str(tmp / "search"),
                      "MODEL_DIR": str(tmp / "models")})
    with app.app_context():
        sess = db.session()
        t0 = time.perf_counter()
        _load(sess, args, date.today())
        firms = sess.execute(select(Organization.id, Organization.kind)
                             .where(Organization.kind.in_(("buyer", "maker")))).all()
        sess.execute(insert(User), [
            {"email": f"u{n}-{oid}@bench.test", "name": f"User {n} of {oid}", "password_hash": "x",
             "role": "buyer_user" if kind == "buyer" else "maker_user", "organization_id": oid, "active": True,
             "locale": "es" if oid % 2 else "en"} for oid, kind in firms for n in range(args.users)])
        sess.commit()
        print(f"loaded {args.orders} orders, {len(firms)} firms with {args.users} user(s) each "
              f"in {time.perf_counter() - t0:.1f} s")

        def counts():
            return tuple(sess.scalar(select(func.count()).select_from(t)) for t in
                         (MonitoringSlip, Notification, EmailOutbox))

        for label in ("first run (every slip new)", "second run (nothing new)"):
            start = time.perf_counter()
            result = run_check(None)
            took = time.perf_counter() - start
            slips, notices, emails = counts()
            print(f"{label}: {result['new']} new slips in {took:.2f} s; in the tables {slips} slips, "
                  f"{notices} notices, {emails} emails (load average {os.getloadavg()[0]:.1f} on "
                  f"{os.cpu_count()} cores)")
            sess.close()


if __name__ == "__main__":
    main()
