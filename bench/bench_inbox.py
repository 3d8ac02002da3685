"""Inbox page latency: p50/p95 of a maker's GET /inquiries with 1,000 conversations (issue 14).

In process through the Flask test client on a scratch SQLite database (or ``--database-url``): one
maker receives ``--conversations`` inquiries from 100 cleared buyers, each thread with 4 messages
(half unread), and the maker signs in and opens its inbox (50 per page, with each buyer's vetting
badge) and one thread.

    .venv/bin/python bench/bench_inbox.py [--conversations 1000] [--requests 200] [--database-url URL]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _p(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--conversations", type=int, default=1000)
    ap.add_argument("--buyers", type=int, default=100)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--database-url")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-inbox-"))
    url = args.database_url or f"sqlite:///{tmp / 'bench.db'}"
    os.environ["MATCHMAKER_DATABASE_URL"] = url

    from sqlalchemy import insert

    from matchmaker import create_app, db
    from matchmaker.auth import hash_password
    from matchmaker.cli import upgrade_database
    from matchmaker.contact.records import Inquiry, Message
    from matchmaker.schema import Organization, Requirement, User
    from matchmaker.vetting.testing import clear_buyer

    upgrade_database(url)
    app = create_app({"SECRET_KEY": "bench", "TESTING": True, "SEARCH_PATH": str(tmp / "search"),
                      "MODEL_DIR": str(tmp / "models")})
    password = "bench-password"
    t0 = time.perf_counter()
    with app.app_context():
        sess = db.session()
        maker = Organization(kind="maker", name="Taller Bench", country="MX")
        buyers = [Organization(kind="buyer", name=f"Buyer {i}", country="US") for i in range(args.buyers)]
        sess.add_all([maker, *buyers])
        sess.flush()
        sess.add(User(email="maker@bench.mx", name="Maker", role="maker_user", organization_id=maker.id,
                      password_hash=hash_password(password)))
        sess.commit()
        for b in buyers:
            clear_buyer(sess, b.id)
        now = datetime.now(timezone.utc)
        reqs = [{"buyer_id": buyers[i % args.buyers].id, "title": f"Requirement {i}", "product_line": "jeans_western",
                 "quantity": 1000 + i, "lead_time_days": 30, "status": "open", "processes": [], "certificates": [],
                 "niches": [], "hard_constraints": [], "currency": "USD", "min_quality_tier": "basic",
                 "style_text": "", "version": 1, "created_at": now, "updated_at": now}
                for i in range(args.conversations)]
        sess.execute(insert(Requirement), reqs)
        req_ids = [r.id for r in sess.query(Requirement.id, Requirement.buyer_id).order_by(Requirement.id)]
        buyer_of = dict(sess.query(Requirement.id, Requirement.buyer_id))
        sess.execute(insert(Inquiry), [
            {"requirement_id": r, "buyer_id": buyer_of[r], "maker_id": maker.id, "message": "¿Cotizan?",
             "status": ("sent", "accepted", "declined")[i % 3], "decline_note": "", "version": 1,
             "created_at": now - timedelta(minutes=i), "last_activity_at": now - timedelta(minutes=i),
             "updated_at": now} for i, r in enumerate(req_ids)])
        inq_ids = [i for (i,) in sess.query(Inquiry.id)]
        sess.execute(insert(Message), [
            {"inquiry_id": q, "side": ("buyer", "maker")[k % 2], "body": f"Mensaje {k}", "created_at": now,
             "read_at": now if k < 2 else None} for q in inq_ids for k in range(4)])
        sess.commit()
    print(f"loaded {args.conversations} conversations in {time.perf_counter() - t0:.1f} s")

    import re
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    r = client.post("/login", data={"csrf_token": token, "email": "maker@bench.mx", "password": password})
    assert r.status_code == 302, r.status_code
    for name, path in (("inbox, page 1 of 50 rows", "/inquiries"),
                       ("inbox, page 10", "/inquiries?page=10"),
                       ("one thread", f"/inquiries/{inq_ids[len(inq_ids) // 2]}")):
        times = []
        for _ in range(10):
            client.get(path)
        for _ in range(args.requests):
            start = time.perf_counter()
            r = client.get(path)
            times.append((time.perf_counter() - start) * 1000)
            assert r.status_code == 200, r.status_code
        print(f"{name}: p50 {statistics.median(times):.1f} ms, p95 {_p(times, 0.95):.1f} ms "
              f"({args.requests} requests)")


if __name__ == "__main__":
    main()
