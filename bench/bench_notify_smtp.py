"""10,000 notifications through the outbox worker to a local SMTP server (aiosmtpd), with an outage (issue 14).

Writes ``--notifications`` notices with ``notify_users`` (each an in-app notice and an outbox email, as the
services do) for 100 users on a scratch SQLite database (or ``--database-url``), then starts ``--workers``
real ``flask notify send`` processes against an aiosmtpd server on loopback. When the server has received
``--stop-after`` messages it is stopped for ``--outage`` seconds and started again on the same port. At
the end the server's Message-IDs are counted: lost = queued - distinct received, duplicated = received -
distinct received.

    .venv/bin/python bench/bench_notify_smtp.py [--notifications 10000] [--workers 2] [--database-url URL]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--notifications", type=int, default=10_000)
    ap.add_argument("--users", type=int, default=100)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--batch", type=int, default=200)
    ap.add_argument("--stop-after", type=int, default=3000)
    ap.add_argument("--outage", type=float, default=3.0)
    ap.add_argument("--database-url")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-smtp-"))
    url = args.database_url or f"sqlite:///{tmp / 'bench.db'}"
    env_common = {"MATCHMAKER_DATABASE_URL": url, "MATCHMAKER_SEARCH_PATH": str(tmp / "search"),
                  "MATCHMAKER_MODEL_DIR": str(tmp / "models"), "MATCHMAKER_SECRET_KEY": "bench-secret"}
    os.environ.update(env_common)

    from sqlalchemy import func, select

    from matchmaker import create_app, db
    from matchmaker.cli import upgrade_database
    from matchmaker.contact.notify import notify_users
    from matchmaker.contact.records import EmailOutbox
    from matchmaker.accounts.records import User
    from matchmaker.organizations.records import Organization
    from tests.contact.smtp_sink import SmtpSink

    upgrade_database(url)
    app = create_app({"TESTING": True, "SEARCH_PATH": str(tmp / "search"), "MODEL_DIR": str(tmp / "models"),
                      "BASE_URL": "http://matchmaker.test"})
    t0 = time.perf_counter()
    with app.app_context():
        sess = db.session()
        org = Organization(kind="buyer", name="Bench Buyer", country="US")
        sess.add(org)
        sess.flush()
        users = [User(email=f"user{i}@bench.test", name=f"User {i}", role="buyer_user", organization_id=org.id,
                      password_hash="x", locale=("en", "es")[i % 2]) for i in range(args.users)]
        sess.add_all(users)
        sess.commit()
        per_user = args.notifications // args.users
        for n in range(per_user):
            notify_users(sess, users, "quote", {"maker": f"Taller {n}", "title": f"Requirement {n}"},
                         f"/inquiries/{n + 1}", subject=("inquiry", n + 1))
            sess.commit()
        queued = set(sess.scalars(select(EmailOutbox.message_id)))
    print(f"queued {len(queued)} emails (with their notices) in {time.perf_counter() - t0:.1f} s")

    sink = SmtpSink().start()
    env = {**os.environ, **env_common, "MATCHMAKER_SMTP_URL": sink.url, "MATCHMAKER_NOTIFY_RETRY_SECONDS": "0.2"}
    env.pop("MATCHMAKER_DEMO", None)
    logs = [open(tmp / f"worker{i}.log", "w+b") for i in range(args.workers)]
    start = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-m", "flask", "--app", "matchmaker", "notify", "send",
                               "--interval", "0.2", "--batch", str(args.batch),
                               "--no-digest"], cwd=REPO, env=env,
                              stdout=log, stderr=subprocess.STDOUT) for log in logs]
    outage_at = None
    try:
        while len(sink.message_ids) < args.stop_after:
            time.sleep(0.01)
        outage_at = len(sink.message_ids)
        sink.stop()
        time.sleep(args.outage)
        sink.start()
        deadline = time.monotonic() + 900
        with app.app_context():
            while time.monotonic() < deadline:
                left = db.session().scalar(select(func.count()).select_from(EmailOutbox)
                                           .where(EmailOutbox.sent_at.is_(None)))
                db.session().rollback()
                if left == 0:
                    break
                time.sleep(0.2)
        elapsed = time.perf_counter() - start
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=30)
        sink.stop()
    received = list(sink.message_ids)
    distinct = set(received)
    with app.app_context():
        retried = db.session().scalar(select(func.count()).select_from(EmailOutbox).where(EmailOutbox.attempts > 1))
    rate = len(distinct) / (elapsed - args.outage)
    print(f"{args.workers} workers, batch {args.batch}: {len(distinct)} delivered in {elapsed:.1f} s "
          f"({args.outage:.0f} s outage after {outage_at} messages): {rate:.0f} messages/s outside the outage")
    print(f"lost {len(queued - distinct)}, duplicated {len(received) - len(distinct)}, "
          f"unknown {len(distinct - queued)}; {retried} emails needed a retry")


if __name__ == "__main__":
    main()
