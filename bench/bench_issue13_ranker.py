"""Issue 13: are LambdaRanker's defaults as good as LightGBM's own LGBMRanker() defaults?

Three problems, each split by time (first 70 % of queries train, the rest test):

* ``demo``: the app's own training table (:func:`matchmaker.ranking.data.training_set`) from the demo
  cluster's outcome log (``matchmaker.demo.generate``, seed 7 unless ``--demo-seed``): up to 20 shown
  makers per requirement, the app's 23 features, grades 0-5;
* ``rfq``: :func:`models.ranking_synth.make_rfq_candidates` (the app's RFQ situation: 10-60
  candidates, 16 features, grades 0-4, taste drifting over time);
* ``ltr``: :func:`models.ranking_synth.make_ltr_problem`, generated independently: thousands of queries with
  20-100 candidates, 48 features (query-normalised, interactions, noise), 5 grades.

NDCG@5/@10 are reported in two conventions: the project's ``ndcg_at_k`` (gain 2**g-1,
pessimistic ties, queries without a relevant row skipped) and scikit-learn's ``ndcg_score``
computed per query (linear gain, ties averaged) over the same queries. Baselines: a random
order and the single best feature. Single-threaded (num_threads=1).

    .venv/bin/python bench/bench_issue13_ranker.py [--rfq-queries 3000] [--ltr-queries 3000] [--demo-db PATH]

``--demo-db`` reuses a SQLite file that already holds a demo cluster; without it one is generated in a
temporary directory (about a minute). ``--problems`` picks a subset (default ``demo,rfq,ltr``).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import lightgbm as lgb  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.metrics import ndcg_score  # noqa: E402

from models.ranker import LambdaRanker  # noqa: E402
from models.ranking_eval import ndcg_at_k  # noqa: E402
from models.ranking_synth import make_ltr_problem, make_rfq_candidates  # noqa: E402


def sklearn_ndcg(y, s, q, k):
    """scikit-learn's ndcg_score per query, mean over queries with a relevant row."""
    out = []
    for idx in pd.Series(np.arange(len(q))).groupby(q).indices.values():
        if y[idx].max() > 0 and len(idx) > 1:
            out.append(ndcg_score(y[idx][None], s[idx][None], k=k))
    return float(np.mean(out))


def contiguous(q):
    return np.diff(np.r_[0, np.flatnonzero(np.diff(q)) + 1, len(q)])


CONFIGS = {
    "LambdaRanker() defaults": lambda: LambdaRanker(n_jobs=1, min_queries=1),
    "LambdaRanker(100 trees, lr .1, 31 leaves, no depth cap)": lambda: LambdaRanker(
        n_estimators=100, learning_rate=0.1, num_leaves=31, max_depth=-1, n_jobs=1, min_queries=1),
    "LambdaRanker(max_depth=-1)": lambda: LambdaRanker(max_depth=-1, n_jobs=1, min_queries=1),
    "LambdaRanker(max_depth=-1, truncation_level=30)": lambda: LambdaRanker(
        max_depth=-1, truncation_level=30, n_jobs=1, min_queries=1),
}


def run(name, X, y, q, t_order):
    n_q = q.max() + 1
    cut = np.quantile(t_order, 0.7)
    tr_q = t_order[q] <= cut
    tr, te = tr_q, ~tr_q
    print(f"\n== {name}: {n_q} queries, {len(y)} rows, {X.shape[1]} features; "
          f"train {np.unique(q[tr]).size} queries, test {np.unique(q[te]).size} (later in time)")
    scores = {"random order (baseline)": np.random.default_rng(0).random(te.sum())}
    best_f = max(range(X.shape[1]), key=lambda j: ndcg_at_k(y[tr], np.nan_to_num(X[tr, j], nan=-1e9), q[tr], 10))
    scores[f"best single feature f{best_f} (baseline)"] = np.nan_to_num(X[te, best_f], nan=-1e9)
    t0 = time.perf_counter()
    ref = lgb.LGBMRanker(n_jobs=1, verbose=-1, random_state=0).fit(X[tr], y[tr], group=contiguous(q[tr]))
    scores["LGBMRanker() defaults"] = ref.predict(X[te])
    print(f"  (LGBMRanker fit {time.perf_counter() - t0:.1f} s)")
    for label, make in CONFIGS.items():
        t0 = time.perf_counter()
        scores[label] = make().fit(X[tr], y[tr], q[tr]).predict(X[te])
        print(f"  ({label} fit {time.perf_counter() - t0:.1f} s)")
    print(f"  {'scorer':58s} {'NDCG@5':>7s} {'NDCG@10':>7s} | sklearn @5  @10")
    ref10 = None
    for label, s in scores.items():
        p5, p10 = ndcg_at_k(y[te], s, q[te], 5), ndcg_at_k(y[te], s, q[te], 10)
        k5, k10 = sklearn_ndcg(y[te], s, q[te], 5), sklearn_ndcg(y[te], s, q[te], 10)
        if label == "LGBMRanker() defaults":
            ref10 = (p10, k10)
        d = f"  (vs LGBMRanker @10: {p10 - ref10[0]:+.4f} / {k10 - ref10[1]:+.4f})" if ref10 and \
            label.startswith("LambdaRanker") else ""
        print(f"  {label:58s} {p5:7.4f} {p10:7.4f} | {k5:7.4f} {k10:7.4f}{d}")


def demo_problem(path: str | None, seed: int):
    """``X, y, q, query_time`` of the demo cluster's outcome log, as training sees it."""
    import tempfile

    from sqlalchemy.orm import Session

    from matchmaker.cli import upgrade_database
    from matchmaker.db import make_engine
    from matchmaker.demo import generate
    from matchmaker.ranking.data import training_set

    if path is None:
        path = str(Path(tempfile.mkdtemp(prefix="bench13-demo-")) / "demo.db")
        upgrade_database(f"sqlite:///{path}")
        engine = make_engine(f"sqlite:///{path}")
        generate(engine, seed=seed)
    else:
        engine = make_engine(f"sqlite:///{path}")
    with Session(engine) as session:
        X, y, qid, when, _, _ = training_set(session)
    engine.dispose()
    codes = pd.factorize(qid)[0]
    qtime = pd.Series(when).groupby(codes).max().to_numpy()
    return X, y, codes, qtime


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rfq-queries", type=int, default=3000)
    ap.add_argument("--ltr-queries", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--demo-db", help="SQLite file holding a demo cluster (default: generate one)")
    ap.add_argument("--demo-seed", type=int, default=7)
    ap.add_argument("--problems", default="demo,rfq,ltr", help="comma-separated subset of demo, rfq, ltr")
    a = ap.parse_args()
    problems = set(a.problems.split(","))
    if "demo" in problems:
        X, y, q, qt = demo_problem(a.demo_db, a.demo_seed)
        run(f"demo (outcome log of the demo cluster, seed {a.demo_seed})", X, y, q, qt)
    if "rfq" in problems:
        X, y, q, qt = make_rfq_candidates(a.rfq_queries, seed=a.seed)
        qc = pd.factorize(np.asarray(q))[0]
        run(f"rfq (make_rfq_candidates, seed {a.seed})", X.to_numpy(float), np.asarray(y), qc,
            np.asarray(qt) if len(qt) == qc.max() + 1 else np.asarray(pd.Series(qt).groupby(qc).first()))
    if "ltr" in problems:
        X, y, q = make_ltr_problem(a.ltr_queries, seed=a.seed)
        run(f"ltr (make_ltr_problem, seed {a.seed})", X, y, q, np.arange(q.max() + 1))


if __name__ == "__main__":
    main()
