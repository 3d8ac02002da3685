"""Relationship dashboard latency with 10,000 orders (issue 15, monitoring): p50/p95 in process.

On a scratch SQLite database (or ``--database-url``) it writes ``--orders`` orders straight into the
tables over ``--buyers`` buyers (Zipf-like: the largest buyer has ~1,600 orders with ~950 makers) and
``--makers`` makers, half of them members of one association. Each order has its 8 milestones (some
late, a few overdue), one or two deliveries (some late, some with rejects over the limit), one or two
invoices with payments (some late, some unpaid) and, for one in ten, a price change after agreement.
Then, signed in through the Flask test client, it times the largest buyer's dashboard page (20 of its
makers, its figures across all of them), a median buyer's, one relationship page with its charts,
the same figures through the API, and the association's anonymised view of buyers (page and API).

    .venv/bin/python bench/bench_monitoring.py [--orders 10000] [--requests 50] [--database-url URL]
"""
from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

STAGES = ("sample_approved", "fabric_in", "cut", "sewn", "washed", "finished", "shipped", "delivered")
PASSWORD = "bench-password"


def _p(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def _load(sess, args, today: date) -> dict:
    from sqlalchemy import func, insert, select

    from matchmaker.auth import hash_password
    from matchmaker.orders.records import (
        Order, OrderDelivery, OrderInvoice, OrderMilestone, OrderPayment, OrderTermChange,
    )
    from matchmaker.accounts.records import User
    from matchmaker.organizations.records import Association, Membership, Organization

    rng = random.Random(args.seed)
    now = datetime.now(timezone.utc)
    sess.execute(insert(Organization), [{"kind": "buyer", "name": f"Buyer {i:03d}", "country": "US", "version": 1,
                                         "created_at": now, "description": ""} for i in range(args.buyers)]
                 + [{"kind": "maker", "name": f"Taller {i:04d}", "country": "MX", "version": 1, "created_at": now,
                     "description": ""} for i in range(args.makers)])
    buyers = list(sess.scalars(select(Organization.id).where(Organization.kind == "buyer").order_by(Organization.id)))
    makers = list(sess.scalars(select(Organization.id).where(Organization.kind == "maker").order_by(Organization.id)))
    assoc = Association(name="Bench jeans", slug="bench-jeans")
    sess.add(assoc)
    sess.flush()
    sess.execute(insert(Membership), [{"association_id": assoc.id, "organization_id": m, "role": "member"}
                                      for m in makers[::2]])
    pw = hash_password(PASSWORD)
    sess.add_all([User(email="big@bench.us", name="Big buyer", role="buyer_user", organization_id=buyers[0],
                       password_hash=pw),
                  User(email="median@bench.us", name="Median buyer", role="buyer_user",
                       organization_id=buyers[args.buyers // 2], password_hash=pw),
                  User(email="staff@bench.mx", name="Staff", role="association_staff", association_id=assoc.id,
                       password_hash=pw)])
    weights = [1.0 / (i + 1) for i in range(args.buyers)]
    orders = []
    for i in range(args.orders):
        delivery = today - timedelta(days=rng.randint(-60, 700))
        orders.append({"buyer_id": rng.choices(buyers, weights)[0], "maker_id": rng.choice(makers), "origin": "maker",
                       "quantity": 1000, "unit_price": 10.0 + rng.random() * 5, "currency": "USD",
                       "delivery_date": delivery, "deposit_share": 0.3, "payment_terms_days": 30,
                       "reject_limit_pct": rng.choice([None, 2.0, 3.0]), "fabric_by": "maker", "trims_by": "maker",
                       "started_on": delivery - timedelta(days=90), "status": "open" if delivery > today else "closed",
                       "reference": f"PO-{i:05d}", "product": "jeans", "version": 1, "created_at": now})
    sess.execute(insert(Order), orders)
    rows = sess.execute(select(Order.id, Order.delivery_date, Order.unit_price)).all()
    milestones, deliveries, invoices, changes = [], [], [], []
    for oid, delivery, price in rows:
        for k, stage in enumerate(STAGES):
            planned = delivery - timedelta(days=(len(STAGES) - k) * 8)
            actual = planned + timedelta(days=rng.choice([0, 0, 0, 1, 3, -1])) if planned < today else None
            if actual is not None and rng.random() < 0.01:
                actual = None  # overdue
            milestones.append({"order_id": oid, "stage": stage, "planned_on": planned, "actual_on": actual,
                               "entered_by": "maker", "updated_at": now})
        if delivery <= today:
            for part in range(rng.choice([1, 1, 2])):
                late = rng.choice([0, 0, 0, -2, 3, 5, 12])
                deliveries.append({"order_id": oid, "delivered_on": delivery + timedelta(days=late + part * 7),
                                   "quantity": 500, "rejected_quantity": rng.choice([0, 0, 5, 10, 25]), "note": "",
                                   "entered_by": "maker", "created_at": now})
            invoices.append({"order_id": oid, "number": "F-1", "issued_on": delivery, "amount": 5000.0,
                             "due_on": delivery + timedelta(days=30), "currency": "USD", "is_deposit": False,
                             "entered_by": "maker", "created_at": now})
        if rng.random() < 0.1:
            changes.append({"order_id": oid, "field": "unit_price", "old_value": f"{price:.2f}",
                            "new_value": f"{price * 1.08:.2f}", "changed_by": "maker", "changed_at": now})
    for table, values in ((OrderMilestone, milestones), (OrderDelivery, deliveries), (OrderInvoice, invoices),
                          (OrderTermChange, changes)):
        for start in range(0, len(values), 5000):
            sess.execute(insert(table), values[start:start + 5000])
    payments = []
    for inv_id, oid, due in sess.execute(select(OrderInvoice.id, OrderInvoice.order_id, OrderInvoice.due_on)):
        late = rng.choice([-5, 0, 0, 4, 12, 40, None])
        paid_on = due + timedelta(days=late) if late is not None else None
        if paid_on is not None and paid_on <= today:
            payments.append({"invoice_id": inv_id, "order_id": oid, "paid_on": paid_on, "amount": 5000.0,
                             "entered_by": "buyer", "created_at": now})
    for start in range(0, len(payments), 5000):
        sess.execute(insert(OrderPayment), payments[start:start + 5000])
    sess.commit()
    big_pair = sess.execute(select(Order.maker_id).where(Order.buyer_id == buyers[0])
                            .group_by(Order.maker_id).order_by(Order.maker_id)).first()[0]
    counts = {"milestones": len(milestones), "deliveries": len(deliveries), "invoices": len(invoices),
              "payments": len(payments), "price changes": len(changes)}
    big = sess.scalar(select(func.count(Order.id)).where(Order.buyer_id == buyers[0]))
    return {"big_buyer": buyers[0], "big_orders": big, "pair_maker": big_pair, "counts": counts}


def _signed_in(app, email: str):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    r = client.post("/login", data={"csrf_token": token, "email": email, "password": PASSWORD})
    assert r.status_code == 302, r.status_code
    return client


def _time(client, path: str, n: int, headers=None) -> tuple[float, float, float, float]:
    """Wall p50/p95 and CPU p50/p95 (this process: the app and SQLite; steadier on a shared machine), in ms."""
    for _ in range(5):
        assert client.get(path, headers=headers).status_code == 200, path
    times, cpu = [], []
    for _ in range(n):
        start, start_cpu = time.perf_counter(), time.process_time()
        r = client.get(path, headers=headers)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert r.status_code == 200, (path, r.status_code)
    return statistics.median(times), _p(times, 0.95), statistics.median(cpu), _p(cpu, 0.95)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--orders", type=int, default=10_000)
    ap.add_argument("--buyers", type=int, default=300)
    ap.add_argument("--makers", type=int, default=1400)
    ap.add_argument("--requests", type=int, default=50)
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--database-url")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-monitoring-"))
    url = args.database_url or f"sqlite:///{tmp / 'bench.db'}"
    os.environ["MATCHMAKER_DATABASE_URL"] = url

    from matchmaker import create_app, db
    from matchmaker.auth import issue_token
    from matchmaker.cli import upgrade_database
    from matchmaker.accounts.records import User

    upgrade_database(url)
    app = create_app({"SECRET_KEY": "bench", "TESTING": True, "SEARCH_PATH": str(tmp / "search"),
                      "MODEL_DIR": str(tmp / "models")})
    today = date.today()
    t0 = time.perf_counter()
    with app.app_context():
        world = _load(db.session(), args, today)
        sess = db.session()
        token = issue_token(sess.query(User).filter_by(email="big@bench.us").one())
        staff_token = issue_token(sess.query(User).filter_by(email="staff@bench.mx").one())
        sess.commit()
    print(f"loaded {args.orders} orders ({', '.join(f'{n} {k}' for k, n in world['counts'].items())}) over "
          f"{args.buyers} buyers and {args.makers} makers in {time.perf_counter() - t0:.1f} s; the largest buyer has "
          f"{world['big_orders']} orders")
    big, median, staff = (_signed_in(app, e) for e in ("big@bench.us", "median@bench.us", "staff@bench.mx"))
    api = app.test_client()
    cases = (
        ("largest buyer's dashboard page (20 of its makers + its figures)", big, "/monitoring/buyer", None),
        ("largest buyer's dashboard page 10", big, "/monitoring/buyer?page=10", None),
        ("median buyer's dashboard page", median, "/monitoring/buyer", None),
        ("one relationship page (figures, 5 charts, slips, orders)", big,
         f"/monitoring/buyer/makers/{world['pair_maker']}", None),
        ("API relationships of the largest buyer", api, "/api/v1/monitoring/relationships",
         {"Authorization": f"Bearer {token}"}),
        ("association's view of buyers, page", staff, "/monitoring/association", None),
        ("API association buyers", api, "/api/v1/monitoring/association/buyers",
         {"Authorization": f"Bearer {staff_token}"}),
        ("association's view of the largest buyer (figures + charts)", staff,
         f"/monitoring/association/buyers/{world['big_buyer']}", None),
    )
    for name, client, path, headers in cases:
        p50, p95, c50, c95 = _time(client, path, args.requests, headers)
        print(f"{name}: p50 {p50:.1f} ms, p95 {p95:.1f} ms; CPU p50 {c50:.1f}, p95 {c95:.1f} ms "
              f"({args.requests} requests, load average {os.getloadavg()[0]:.0f})")
    with app.app_context():
        from matchmaker.monitoring import slips
        start = time.perf_counter()
        new = slips.check(db.session(), today)
        db.session().rollback()
        print(f"check-slips over all orders: {len(new)} new slips in {time.perf_counter() - start:.2f} s "
              "(with the notices to the two buyers' users; rolled back)")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
