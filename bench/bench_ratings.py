"""How long one firm's rating aggregates take (issue 15): the directory page and the API read them per request.

One association of ``--makers`` makers; ``--buyers`` buyers, each rated on ``--per-buyer`` orders by distinct
makers in all seven purchasing-practice categories. Times, per call, p50 and p95 over ``--calls`` random buyers:

* ``aggregate``: the buyer's scores and the cluster median (which reads every buyer rated in the association);
* ``floor``: the buyer's own rows only (the one query a page needs without the median), the floor beside it;
* ``rating_rows``: every score for the models, once.

    .venv/bin/python bench/bench_ratings.py --buyers 300 --per-buyer 10
    .venv/bin/python bench/bench_ratings.py --buyers 3000 --per-buyer 10
    .venv/bin/python bench/bench_ratings.py --backend postgresql --buyers 3000 --per-buyer 10
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, insert, select, text  # noqa: E402

from matchmaker.cli import upgrade_database  # noqa: E402
from matchmaker.db import make_engine  # noqa: E402
from matchmaker.orders.records import Order  # noqa: E402
from matchmaker.ratings import services as svc  # noqa: E402
from matchmaker.ratings.records import CATEGORIES, Rating, RatingScore  # noqa: E402
from matchmaker.organizations.records import Association, Membership, Organization  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

PG = os.environ.get("MATCHMAKER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _database(backend: str):
    if backend == "sqlite":
        url = f"sqlite:///{tempfile.mkdtemp(prefix='mm-bench-ratings-')}/bench.db"
        return url, lambda: None
    schema = f"mm_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop():
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    sep = "&" if "?" in PG else "?"
    return f"{PG}{sep}options=-csearch_path%3D{schema}", drop


def _fill(engine, makers: int, buyers: int, per_buyer: int, rng: random.Random) -> list[int]:
    now = datetime.now(timezone.utc)
    with engine.begin() as conn:
        assoc = conn.execute(insert(Association).values(name="Bench", slug="bench").returning(Association.id)).scalar()
        maker_ids = [conn.execute(insert(Organization).values(kind="maker", name=f"maker {i}", country="MX", version=1,
                                                              created_at=now, updated_at=now)
                                  .returning(Organization.id)).scalar() for i in range(makers)]
        conn.execute(insert(Membership), [{"association_id": assoc, "organization_id": m} for m in maker_ids])
        buyer_ids = [conn.execute(insert(Organization).values(kind="buyer", name=f"buyer {i}", country="US",
                                                              version=1, created_at=now, updated_at=now)
                                  .returning(Organization.id)).scalar() for i in range(buyers)]
        start = date.today() - timedelta(days=200)
        order_rows, rating_rows = [], []
        for b in buyer_ids:
            for m in rng.sample(maker_ids, per_buyer):
                order_rows.append({"buyer_id": b, "maker_id": m, "origin": "maker", "quantity": 100,
                                   "unit_price": 9.0, "currency": "USD", "delivery_date": start,
                                   "started_on": start, "status": "closed", "version": 1,
                                   "created_at": now, "updated_at": now})
        order_ids = conn.execute(insert(Order).returning(Order.id, Order.buyer_id, Order.maker_id),
                                 order_rows).all()
        for oid, b, m in order_ids:
            rating_rows.append({"basis": "order", "basis_id": oid, "direction": "buyer_practices",
                                "rater_org_id": m, "ratee_org_id": b, "association_id": assoc, "comment": "",
                                "created_at": now})
        rated = conn.execute(insert(Rating).returning(Rating.id), rating_rows).scalars().all()
        conn.execute(insert(RatingScore), [{"rating_id": r, "category": c, "score": rng.randint(1, 5)}
                                           for r in rated for c in CATEGORIES["buyer_practices"]])
    return buyer_ids


def _percentiles(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--makers", type=int, default=400)
    parser.add_argument("--buyers", type=int, default=300)
    parser.add_argument("--per-buyer", type=int, default=10)
    parser.add_argument("--calls", type=int, default=40)
    args = parser.parse_args()
    rng = random.Random(15)
    url, drop = _database(args.backend)
    try:
        upgrade_database(url)
        engine = make_engine(url)
        t0 = time.perf_counter()
        buyers = _fill(engine, args.makers, args.buyers, args.per_buyer, rng)
        fill = time.perf_counter() - t0
        agg, floor = [], []
        with Session(engine) as sess:
            for b in rng.choices(buyers, k=args.calls):
                t = time.perf_counter()
                result = svc.aggregate(sess, b, "buyer_practices")
                agg.append((time.perf_counter() - t) * 1000)
                assert all(c["shown"] for c in result["categories"]) or args.per_buyer < 3
                t = time.perf_counter()
                list(sess.execute(select(Rating.id, RatingScore.score).join(RatingScore)
                                  .where(Rating.ratee_org_id == b, Rating.direction == "buyer_practices")))
                floor.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            rows = svc.rating_rows(sess)
            rows_ms = (time.perf_counter() - t) * 1000
        engine.dispose()
    finally:
        drop()
    scores = args.buyers * args.per_buyer * 7
    print(f"backend={args.backend} buyers={args.buyers} per_buyer={args.per_buyer} scores={scores} "
          f"(filled in {fill:.1f} s)")
    print("aggregate ms p50 %.1f p95 %.1f" % _percentiles(agg))
    print("floor (own rows only) ms p50 %.1f p95 %.1f" % _percentiles(floor))
    print(f"rating_rows: {len(rows)} rows in {rows_ms:.0f} ms")


if __name__ == "__main__":
    main()
