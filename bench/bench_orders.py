"""Order pages and API latency (issue 15): p50/p95 of a maker's order list, one fully recorded order's
page and JSON, and recording a figure, with ``--orders`` orders (default 1,000) from 100 buyers.

In process through the Flask test client on a scratch SQLite database (or ``--database-url``). Every
order carries its eight milestones (planned and actual), three partial deliveries, two invoices with
two payments each and one answered dispute, so the order page shows 25 figures with their
confirmations; the list shows 20 orders per page with delivered totals and open disputes.

    .venv/bin/python bench/bench_orders.py [--orders 1000] [--requests 200] [--database-url URL]
"""
from __future__ import annotations

import argparse
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import scratch_app, sign_in, time_requests  # noqa: E402


def _load(sess, n_orders: int, n_buyers: int, password_hash: str):
    from sqlalchemy import insert, select

    from matchmaker.orders.records import (
        MILESTONES, Order, OrderDelivery, OrderDispute, OrderInvoice, OrderMilestone, OrderPayment,
    )
    from matchmaker.accounts.records import User
    from matchmaker.organizations.records import Organization

    maker = Organization(kind="maker", name="Taller Bench", country="MX")
    buyers = [Organization(kind="buyer", name=f"Buyer {i}", country="US") for i in range(n_buyers)]
    sess.add_all([maker, *buyers])
    sess.flush()
    sess.add(User(email="maker@bench.mx", name="Maker", role="maker_user", organization_id=maker.id,
                  password_hash=password_hash))
    sess.commit()
    now, today = datetime.now(timezone.utc), date.today()
    sess.execute(insert(Order), [
        {"buyer_id": buyers[i % n_buyers].id, "maker_id": maker.id, "origin": "maker", "reference": f"PO-{i}",
         "product": "Jeans", "status": "open", "quantity": 3000, "unit_price": 9.5, "currency": "USD",
         "delivery_date": today + timedelta(days=i % 90), "deposit_share": 0.3, "payment_terms_days": 30,
         "fabric_by": "maker", "trims_by": "maker", "started_on": today - timedelta(days=i % 200),
         "buyer_confirmed_at": now, "maker_confirmed_at": now, "version": 1, "created_at": now - timedelta(minutes=i),
         "updated_at": now} for i in range(n_orders)])
    ids = list(sess.scalars(select(Order.id).order_by(Order.id)))
    sess.execute(insert(OrderMilestone), [
        {"order_id": o, "stage": s, "planned_on": today + timedelta(days=k * 5),
         "actual_on": today + timedelta(days=k * 5 + k % 3), "entered_by": "maker", "confirmed_at": now,
         "updated_at": now} for o in ids for k, s in enumerate(MILESTONES)])
    sess.execute(insert(OrderDelivery), [
        {"order_id": o, "delivered_on": today + timedelta(days=40 + k), "quantity": 1000, "rejected_quantity": 10,
         "note": "", "entered_by": "maker", "confirmed_at": now if k else None, "created_at": now}
        for o in ids for k in range(3)])
    sess.execute(insert(OrderInvoice), [
        {"order_id": o, "number": f"F-{o}-{k}", "issued_on": today, "due_on": today + timedelta(days=30),
         "amount": 14250.0, "currency": "USD", "is_deposit": k == 0, "entered_by": "maker", "confirmed_at": now,
         "created_at": now} for o in ids for k in range(2)])
    invoices = sess.execute(select(OrderInvoice.id, OrderInvoice.order_id)).all()
    sess.execute(insert(OrderPayment), [
        {"invoice_id": inv, "order_id": o, "paid_on": today + timedelta(days=k), "amount": 7000.0,
         "entered_by": "buyer", "confirmed_at": now, "created_at": now} for inv, o in invoices for k in range(2)])
    sess.execute(insert(OrderDispute), [
        {"order_id": o, "subject": "order", "subject_id": o, "field": "unit_price", "raised_by": "buyer",
         "claimed_value": "9.00", "note": "", "status": "answered", "answer": "Agreed at 9.50.", "extra": {},
         "created_at": now} for o in ids])
    sess.commit()
    return ids


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--orders", type=int, default=1000)
    ap.add_argument("--buyers", type=int, default=100)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--database-url")
    args = ap.parse_args()

    app, _url, _folder = scratch_app("bench-orders-", args.database_url)

    from matchmaker import db
    from matchmaker.auth import hash_password, issue_token
    from matchmaker.accounts.records import User

    password = "bench-password"
    t0 = time.perf_counter()
    with app.app_context():
        sess = db.session()
        ids = _load(sess, args.orders, args.buyers, hash_password(password))
        token = issue_token(sess.query(User).filter_by(email="maker@bench.mx").one())
        sess.commit()
    print(f"loaded {args.orders} orders with 25 figures each in {time.perf_counter() - t0:.1f} s")

    client = app.test_client()
    sign_in(client, "maker@bench.mx", password)
    headers = {"Authorization": f"Bearer {token}"}
    one = ids[len(ids) // 2]

    def get(path, **kw):
        return lambda _i: client.get(path, **kw)

    def record(i):
        return client.post(f"/api/v1/orders/{ids[i % len(ids)]}/deliveries", headers=headers,
                           json={"delivered_on": "2030-01-01", "quantity": 1})

    for name, fn, status in (("order list page, page 1 of 20 rows", get("/orders"), 200),
                             ("order list page, page 10", get("/orders?page=10"), 200),
                             ("order page (25 figures, dispute, confirmations)", get(f"/orders/{one}"), 200),
                             ("GET /api/v1/orders/{id}", get(f"/api/v1/orders/{one}", headers=headers), 200),
                             ("GET /api/v1/orders (20 per page)", get("/api/v1/orders", headers=headers), 200),
                             ("POST a delivery (row + the buyer's notice)", record, 201)):
        time_requests(name, fn, args.requests, status=status, cpu=True)


if __name__ == "__main__":
    main()
