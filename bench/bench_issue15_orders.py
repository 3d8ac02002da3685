"""Issue 15: how much do orders and ratings add to the screener and the ranker? (held-out demo history)

For each seed, a full demo database is built (``matchmaker.demo.generate`` + the vetting history of
``matchmaker.vetting.demo``, default sizes: 1,400 makers, 300 buyers) in a temporary SQLite file, then:

**Screener** (``flask train screener``'s cutoffs: every 61 days, 365-day horizon; earlier cutoffs
train, the latest cutoff tests). Rows: the buyers that pass the minimum-evidence rule on everything
recorded; label: a serious problem (60+ days beyond terms, or a verified severity >= 2 incident) in
any invoice, hand-entered or on an order. Three feature sets for the same rows and labels:

* ``hand entries only``: the features from hand-entered payment experiences alone (the screener
  before issue 15: orders invisible);
* ``+ order invoices``: hand entries and order invoices with their payments (ratings absent);
* ``+ order invoices + ratings``: also the makers' buyer-practice ratings (the app now).

Each is scored with ``ReputationScreener()`` (the app's default) and the fixed-points baseline
(``PointsScore``) beside it, plus the base-rate Brier.

**Ranker**: the app's training table (``matchmaker.ranking.data.training_set``), first 70 % of the
queries in time train, the rest test; ``LambdaRanker()`` with all features vs. without the
order-based track record (:data:`matchmaker.ranking.features.ORDER_FEATURES` columns dropped);
beside them a random order and the rule score (``RULE_WEIGHTS``, the cold-start ranking).

    OMP_NUM_THREADS=1 .venv/bin/python bench/bench_issue15_orders.py [--seeds 7 11 13] [--skip-ranker]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.metrics import brier_score_loss, roc_auc_score  # noqa: E402


def build(seed: int, folder: Path):
    from sqlalchemy.orm import Session

    from matchmaker.cli import upgrade_database
    from matchmaker.db import make_engine
    from matchmaker.demo import generate
    from matchmaker.vetting.demo import generate_vetting_history

    path = folder / f"demo-{seed}.db"
    upgrade_database(f"sqlite:///{path}")
    engine = make_engine(f"sqlite:///{path}")
    t0 = time.perf_counter()
    summary = generate(engine, seed=seed)
    t1 = time.perf_counter()
    with Session(engine) as session:
        generate_vetting_history(session, seed=seed, today=summary.today)
    print(f"seed {seed}: demo cluster {t1 - t0:.1f} s, vetting history {time.perf_counter() - t1:.1f} s; "
          f"{summary.counts['orders']} orders, {summary.counts['ratings']} ratings")
    return engine


def screener_sets(session):
    from matchmaker.vetting import order_evidence
    from matchmaker.vetting.screening import FX, _cutoffs, record_frames
    from models.reputation_features import has_minimum_evidence, reputation_features, serious_problem_labels

    frames = record_frames(session)
    orders = order_evidence.order_payments(session)
    full = frames["payments"]
    hand = full.iloc[:len(full) - len(orders)].reset_index(drop=True)   # record_frames puts order rows last
    cutoffs, end = _cutoffs(frames, 365, 61)
    args = (frames["incidents"], frames["references"], frames["buyers"])
    sets = {"hand entries only": [], "+ order invoices": [], "+ order invoices + ratings": []}
    ys, cs = [], []
    for cutoff in cutoffs:
        now = reputation_features(full, *args, cutoff, FX, ratings=frames["ratings"])
        keep = now.index[has_minimum_evidence(now)]
        ys.append(serious_problem_labels(full, frames["incidents"], keep, cutoff, cutoff + pd.Timedelta(days=365)))
        cs.append(pd.Series(cutoff, index=keep))
        sets["+ order invoices + ratings"].append(now.loc[keep])
        sets["+ order invoices"].append(reputation_features(full, *args, cutoff, FX).loc[keep])
        sets["hand entries only"].append(reputation_features(hand, *args, cutoff, FX).reindex(keep, fill_value=0.0))
    y, cut = pd.concat(ys).to_numpy(), pd.concat(cs).to_numpy()
    return {k: pd.concat(v) for k, v in sets.items()}, y, cut, cutoffs[-1]


def run_screener(session, results: dict) -> None:
    from models.reputation import PointsScore, ReputationScreener

    sets, y, cut, last = screener_sets(session)
    te = cut == np.datetime64(last)
    print(f"  screener: {int((~te).sum())} train rows, {int(te.sum())} test rows at {pd.Timestamp(last).date()} "
          f"(positives {int(y[te].sum())}, rate {y[te].mean():.3f}); base-rate Brier "
          f"{brier_score_loss(y[te], np.full(te.sum(), y[~te].mean())):.4f}")
    for name, X in sets.items():
        for label, model in (("ReputationScreener()", ReputationScreener()), ("points baseline", PointsScore())):
            p = model.fit(X[~te], y[~te]).predict_proba(X[te])[:, 1]
            auc, brier = roc_auc_score(y[te], p), brier_score_loss(y[te], p)
            results.setdefault((name, label), []).append((auc, brier))
            print(f"    {name:28s} {label:22s} AUC {auc:.4f}  Brier {brier:.4f}")


def run_ranker(session, results: dict) -> None:
    from matchmaker.ranking.data import training_set
    from matchmaker.ranking.features import FEATURE_NAMES, ORDER_FEATURES, RULE_WEIGHTS
    from models.ranker import LambdaRanker
    from models.ranking_eval import ndcg_at_k

    X, y, qid, when, _, _ = training_set(session)
    codes = pd.factorize(qid)[0]
    qtime = pd.Series(when).groupby(codes).max().to_numpy()
    tr = qtime[codes] <= np.quantile(qtime, 0.7)
    te = ~tr
    keep = [j for j, n in enumerate(FEATURE_NAMES) if n not in ORDER_FEATURES]
    weights = np.array([RULE_WEIGHTS.get(n, 0.0) for n in FEATURE_NAMES])
    scores = {"random order (baseline)": np.random.default_rng(0).random(te.sum()),
              "rule score (baseline)": X[te] @ weights}
    for label, cols in (("LambdaRanker(), all features", list(range(X.shape[1]))),
                        ("LambdaRanker(), without order track record", keep)):
        t0 = time.perf_counter()
        model = LambdaRanker(n_jobs=1).fit(X[tr][:, cols], y[tr], codes[tr])
        scores[label] = model.predict(X[te][:, cols])
        print(f"    ({label}: fit {time.perf_counter() - t0:.1f} s)")
    print(f"  ranker: {np.unique(codes[tr]).size} train queries, {np.unique(codes[te]).size} test queries, "
          f"{X.shape[1]} features ({len(ORDER_FEATURES)} order-based)")
    for label, s in scores.items():
        v = ndcg_at_k(y[te], s, codes[te], 10)
        results.setdefault(label, []).append(v)
        print(f"    {label:46s} NDCG@10 {v:.4f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, nargs="+", default=[7, 11, 13])
    ap.add_argument("--skip-ranker", action="store_true")
    a = ap.parse_args()
    from sqlalchemy.orm import Session

    t0 = time.perf_counter()
    scr, rnk = {}, {}
    with tempfile.TemporaryDirectory(prefix="bench15-") as tmp:
        for seed in a.seeds:
            engine = build(seed, Path(tmp))
            with Session(engine) as session:
                run_screener(session, scr)
                if not a.skip_ranker:
                    run_ranker(session, rnk)
            engine.dispose()
    print(f"\n== mean over seeds {a.seeds}")
    for (name, label), v in scr.items():
        auc, brier = np.mean(v, axis=0)
        print(f"  screener {name:28s} {label:22s} AUC {auc:.4f}  Brier {brier:.4f}")
    for label, v in rnk.items():
        print(f"  ranker   {label:46s} NDCG@10 {np.mean(v):.4f}  (per seed {', '.join(f'{x:.4f}' for x in v)})")
    print(f"total {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
