"""Inbox page latency: p50/p95 of a maker's GET /inquiries with 1,000 conversations (issue 14).

In process through the Flask test client on a scratch SQLite database (or ``--database-url``): one
maker receives ``--conversations`` inquiries from 100 cleared buyers, each thread with 4 messages
(half unread), and the maker signs in and opens its inbox (50 per page, with each buyer's vetting
badge) and one thread.

    .venv/bin/python bench/bench_inbox.py [--conversations 1000] [--requests 200] [--database-url URL]
    .venv/bin/python bench/bench_inbox.py --gunicorn [--workers 2]

``--gunicorn`` then serves the same database with a real gunicorn (``tests/support/live_server.py``) and
times, over HTTP, the signed-in inbox page and notification centre, and sending a message
(``POST /api/v1/inquiries/<id>/messages``: the message, the buyer's notice and its outbox email in one
transaction), one request at a time.
"""
from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import scratch_app, sign_in, time_requests  # noqa: E402

def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--conversations", type=int, default=1000)
    ap.add_argument("--buyers", type=int, default=100)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--database-url")
    ap.add_argument("--gunicorn", action="store_true")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()

    app, url, _folder = scratch_app("bench-inbox-", args.database_url)

    from sqlalchemy import insert

    from matchmaker import db
    from matchmaker.auth import hash_password
    from matchmaker.contact.records import Inquiry, Message
    from matchmaker.accounts.records import User
    from matchmaker.organizations.records import Organization
    from matchmaker.requirements.records import Requirement
    from tests.support.vetting import clear_buyer

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
        sess.add_all([User(email=f"buyer{i}@bench.us", name=f"Buyer {i}", role="buyer_user", organization_id=b.id,
                           password_hash="x") for i, b in enumerate(buyers)])
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

    client = app.test_client()
    sign_in(client, "maker@bench.mx", password)
    for name, path in (("inbox, page 1 of 50 rows", "/inquiries"),
                       ("inbox, page 10", "/inquiries?page=10"),
                       ("one thread", f"/inquiries/{inq_ids[len(inq_ids) // 2]}")):
        time_requests(name, lambda _i, path=path: client.get(path), args.requests)
    if args.gunicorn:
        with app.app_context():
            from matchmaker.auth import issue_token
            sess = db.session()
            token = issue_token(sess.scalar(sess.query(User).filter_by(email="maker@bench.mx").statement))
            sess.commit()
        _over_gunicorn(url, args, password, token, inq_ids)


def _over_gunicorn(url: str, args, password: str, token: str, inq_ids: list[int]) -> None:
    import http.cookiejar
    import re
    import urllib.parse
    import urllib.request

    from tests.support.live_server import call, gunicorn

    with gunicorn(url, workers=args.workers, threads=2) as base:
        class Loopback(http.cookiejar.DefaultCookiePolicy):
            def return_ok_secure(self, cookie, request):  # the session cookie is Secure; 127.0.0.1 is trusted
                return True

        jar = http.cookiejar.CookieJar(policy=Loopback())
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(base + "/login").read().decode()
        csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        opener.open(base + "/login", data=urllib.parse.urlencode(
            {"csrf_token": csrf, "email": "maker@bench.mx", "password": password}).encode())

        def get(path):
            def fn(_i):
                with opener.open(base + path) as r:
                    assert r.status == 200 and r.geturl() == base + path, (r.status, r.geturl())  # not /login
                    r.read()
            return fn

        headers = {"Authorization": f"Bearer {token}"}

        def send(i):
            status, body = call(base, "POST", f"/api/v1/inquiries/{inq_ids[i % len(inq_ids)]}/messages",
                                {"body": f"Mensaje de bench {i}"}, headers)
            assert status == 201, (status, body)

        for name, fn in (("inbox page over gunicorn", get("/inquiries")),
                         ("notification centre over gunicorn", get("/notifications")),
                         ("sending a message over gunicorn (message + notice + outbox email)", send)):
            time_requests(f"{name}, {args.workers} workers", fn, args.requests, status=None)


if __name__ == "__main__":
    main()
