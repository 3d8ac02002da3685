"""Latency the learned ranking adds to a maker search, in process, on a demo database.

    .venv/bin/python bench/bench_ranking_serving.py                 # builds a demo cluster in a temp dir
    .venv/bin/python bench/bench_ranking_serving.py --dir /tmp/rk/app   # reuse m.db, search/ and models/ there

For sampled demo requirements with their hard constraints lifted (so the index returns
the full 200 candidates), it times what ``rank_requirement`` does beyond the search
itself: loading the 200 candidates' profiles, their track-record events, computing the
feature matrix, ``predict`` on all 200, and explaining + wording the top-k shown
("path" attributions). Reports p50/p95 of each step, of their sum (the added latency),
of the search alone and of the whole call, wall clock and thread CPU time (steadier on a shared
machine), beside LightGBM's own predict on the same rows (the floor). Target: added p95 <= 5 ms.
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
    ap.add_argument("--no-text", action="store_true",
                    help="candidates without the requirement's text when it matches fewer than 200")
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
            from matchmaker.search.rebuild import rebuild_all
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
    from matchmaker.ranking.data import Snapshot, feature_matrix
    from matchmaker.ranking.reasons import reasons_for
    from matchmaker.requirements.records import Requirement
    from models.ranker import LambdaRanker
    from models.registry import ModelRegistry

    session = db.session()
    registry = ModelRegistry(app.config["MODEL_DIR"])
    model, version = serving.load_model(registry)
    assert isinstance(model, LambdaRanker), "bench needs a promoted learned ranker"
    ids = list(session.scalars(select(Requirement.id).where(Requirement.status != "draft")))
    sample = random.Random(7).sample(ids, min(args.requirements, len(ids)))
    keys = ("search", "load_profiles", "requirement", "track_records", "features", "predict", "explain_topk",
            "added", "rank_requirement", "lightgbm_predict_floor")
    wall = {k: [] for k in keys}
    cpu = {k: [] for k in keys}
    n_cand = []
    for rep in range(args.repeat + 1):           # pass 0 warms the caches and is not recorded
        for rid in sample:
            req = session.get(Requirement, rid)
            req.hard_constraints = []            # in memory only: the full 200 candidates (rolled back below)
            marks = [(time.perf_counter(), time.thread_time())]

            def mark(marks=marks):
                marks.append((time.perf_counter(), time.thread_time()))
            hits = serving.candidate_hits(req)
            if args.no_text and len(hits) < serving.CANDIDATES:
                # the search's all-words rule leaves most demo requirements with a handful of text matches;
                # the figure is for 200 candidates, so take them without the text (timed as the search)
                saved = (req.title, req.style_text)
                req.title, req.style_text = "", ""
                hits = serving.candidate_hits(req)
                req.title, req.style_text = saved
            mark()
            makers = serving.candidate_makers(session, hits)
            if not makers:  # the all-words text rule can leave a requirement without candidates
                continue
            mark()
            rd = serving.requirement_facts(session, req)
            mark()
            history = Snapshot.from_db(session, [m["id"] for m in makers])
            mark()
            X = feature_matrix(rd, makers, history)
            mark()
            scores, contrib_of = serving._scores_and_explainer(model, X)
            mark()
            order = np.argsort(-scores, kind="stable")[:args.k]
            for row, i in zip(contrib_of(order), order):
                m = dict(makers[i])
                m["record"] = history.record(m["id"], rd["created_at"])
                reasons_for(row, X[i], rd, m, "en")
            mark()
            t0 = (time.perf_counter(), time.thread_time())
            model.booster_.predict(X, num_threads=1)
            floor = (time.perf_counter() - t0[0], time.thread_time() - t0[1])
            t7 = (time.perf_counter(), time.thread_time())
            serving.rank_requirement(session, registry, req, k=args.k, log_impressions=False)
            whole = (time.perf_counter() - t7[0], time.thread_time() - t7[1])
            session.rollback()
            if rep == 0:
                continue
            steps = keys[:7]
            for j, key in enumerate(steps):
                wall[key].append(marks[j + 1][0] - marks[j][0])
                cpu[key].append(marks[j + 1][1] - marks[j][1])
            wall["added"].append(marks[-1][0] - marks[1][0])
            cpu["added"].append(marks[-1][1] - marks[1][1])
            wall["rank_requirement"].append(whole[0])
            cpu["rank_requirement"].append(whole[1])
            wall["lightgbm_predict_floor"].append(floor[0])
            cpu["lightgbm_predict_floor"].append(floor[1])
            n_cand.append(len(makers))
    print(f"model {version} ({model.booster_.num_trees()} trees); {len(sample)} requirements x {args.repeat}; "
          f"candidates per ranking: median {statistics.median(n_cand):.0f}, min {min(n_cand)}, max {max(n_cand)}; "
          f"top-k {args.k}")
    print(f"{'step':<24}{'wall p50':>10}{'wall p95':>10}{'cpu p50':>10}{'cpu p95':>10}  (ms)")
    for key in keys:
        print(f"{key:<24}{pct(wall[key], 50):>10.2f}{pct(wall[key], 95):>10.2f}"
              f"{pct(cpu[key], 50):>10.2f}{pct(cpu[key], 95):>10.2f}")
    print("added = load_profiles + requirement + track_records + features + predict + explain_topk "
          "(everything rank_requirement does beyond the search); lightgbm_predict_floor = Booster.predict "
          "on the same 200 rows, single-threaded")


if __name__ == "__main__":
    main()
