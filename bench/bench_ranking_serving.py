"""Latency the learned ranking adds to a maker search, in process, on a demo database.

    .venv/bin/python bench/bench_ranking_serving.py                 # builds a demo cluster in a temp dir
    .venv/bin/python bench/bench_ranking_serving.py --dir /tmp/rk/app   # reuse m.db, search/ and models/ there

For sampled demo requirements with their hard constraints lifted (so the index returns
the full 200 candidates), it times what ``rank_requirement`` does beyond the search
itself: loading the 200 candidates' profiles, their track-record events, computing the
feature matrix, ``predict`` on all 200, and explaining + wording the top-k shown
("path" attributions). Reports p50/p95 of each step, of their sum (the added latency),
of the search alone and of the whole call. Target: added p95 <= 5 ms.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", help="directory with m.db, search/ and models/ of a demo cluster")
    ap.add_argument("--requirements", type=int, default=60)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--k", type=int, default=20)
    args = ap.parse_args()
    work = Path(args.dir or tempfile.mkdtemp(prefix="bench-ranking-"))
    fresh = not (work / "m.db").exists()
    os.environ.update(MATCHMAKER_DATABASE_URL=f"sqlite:///{work / 'm.db'}", MATCHMAKER_SEARCH_PATH=str(work / "search"),
                      MATCHMAKER_MODEL_DIR=str(work / "models"))
    from matchmaker import create_app, db
    from matchmaker.cli import upgrade_database

    app = create_app({"SECRET_KEY": "bench-only", "SEARCH_URL": "embedded", "SEARCH_PATH": str(work / "search"),
                      "MODEL_DIR": str(work / "models")})
    with app.app_context():
        if fresh:
            from matchmaker.demo import generate
            from matchmaker.ranking.training import train_ranker
            from matchmaker.search.sync import rebuild_all
            from models.registry import ModelRegistry

            upgrade_database(app.config["DATABASE_URL"])
            print("building a demo cluster ...", flush=True)
            generate(db.session())
            rebuild_all(app)
            train_ranker(db.session(), ModelRegistry(app.config["MODEL_DIR"]), echo=lambda *_: None)
        run(app, args)


def run(app, args) -> None:
    import numpy as np
    from sqlalchemy import select

    from matchmaker import db
    from matchmaker.ranking import serving
    from matchmaker.ranking.data import Snapshot, feature_matrix, load_makers_cached, requirement_data
    from matchmaker.ranking.reasons import reasons_for
    from matchmaker.schema import Requirement
    from matchmaker.search.queries import maker_query
    from matchmaker.search.service import run_search
    from models.ranker import LambdaRanker
    from models.registry import ModelRegistry

    session = db.session()
    registry = ModelRegistry(app.config["MODEL_DIR"])
    model, version = serving.load_model(registry)
    assert isinstance(model, LambdaRanker), "bench needs a promoted learned ranker"
    ids = list(session.scalars(select(Requirement.id).where(Requirement.status != "draft")))
    sample = random.Random(7).sample(ids, min(args.requirements, len(ids)))
    steps = {k: [] for k in ("search", "load_profiles", "requirement", "track_records", "features", "predict",
                             "explain_topk", "added", "rank_requirement")}
    n_cand = []
    from datetime import datetime, timezone
    for rep in range(args.repeat + 1):           # pass 0 warms the caches and is not recorded
        for rid in sample:
            req = session.get(Requirement, rid)
            req.hard_constraints = []            # in memory only: the full 200 candidates (rolled back below)
            t0 = time.perf_counter()
            qargs = serving.hard_filter_args(req)
            qargs["q"] = f"{req.title} {req.style_text}"[:500]
            qargs["per_page"] = "100"
            query = maker_query(qargs)
            hits = []
            for page in (1, 2):
                res = run_search("makers", query.__class__(**{**query.__dict__, "page": page, "facets": ()}))
                hits.extend(res.hits)
                if len(res.hits) < 100:
                    break
            t1 = time.perf_counter()
            by_id = load_makers_cached(session, [int(h.id) for h in hits])
            makers = [by_id[int(h.id)] for h in hits if int(h.id) in by_id]
            t2 = time.perf_counter()
            rd = requirement_data(req)
            rd["created_at"] = datetime.now(timezone.utc)
            t2b = time.perf_counter()
            history = Snapshot.from_db(session, [m["id"] for m in makers])
            t3 = time.perf_counter()
            X = feature_matrix(rd, makers, history)
            t4 = time.perf_counter()
            scores = model.predict(X)
            t5 = time.perf_counter()
            order = np.argsort(-scores, kind="stable")[:args.k]
            contrib = model.explain(X[order], method="path")
            for row, i in zip(contrib, order):
                makers[i]["record"] = history.record(makers[i]["id"], rd["created_at"])
                reasons_for(row, X[i], rd, makers[i], "en")
            t6 = time.perf_counter()
            if rep == 0:
                serving.rank_requirement(session, registry, req, k=args.k, log_impressions=False)
                session.rollback()
                continue
            for key, dt in (("search", t1 - t0), ("load_profiles", t2 - t1), ("requirement", t2b - t2),
                            ("track_records", t3 - t2b),
                            ("features", t4 - t3), ("predict", t5 - t4), ("explain_topk", t6 - t5),
                            ("added", t6 - t1)):
                steps[key].append(dt)
            n_cand.append(len(makers))
            t7 = time.perf_counter()
            serving.rank_requirement(session, registry, req, k=args.k, log_impressions=False)
            steps["rank_requirement"].append(time.perf_counter() - t7)
            session.rollback()
    print(f"model {version}; {len(sample)} requirements x {args.repeat}; candidates per ranking: "
          f"median {statistics.median(n_cand):.0f}, min {min(n_cand)}, max {max(n_cand)}; top-k {args.k}")
    print(f"{'step':<18}{'p50 ms':>9}{'p95 ms':>9}")
    for key, values in steps.items():
        print(f"{key:<18}{pct(values, 50):>9.2f}{pct(values, 95):>9.2f}")
    in_memory = [a + b + c for a, b, c in zip(steps["features"], steps["predict"], steps["explain_topk"])]
    print(f"{'features+predict+explain':<26} p50 {pct(in_memory, 50):.2f} ms  p95 {pct(in_memory, 95):.2f} ms")
    over = [r - s_ for r, s_ in zip(steps["rank_requirement"], steps["search"])]
    print(f"{'rank_requirement - search':<26} p50 {pct(over, 50):.2f} ms  p95 {pct(over, 95):.2f} ms "
          "(the whole call minus the same search timed separately)")


if __name__ == "__main__":
    main()
