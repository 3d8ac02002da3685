"""Benchmarks for the supplier ranker (models/ranker.py); results go in bench/RESULTS_ranker.md.

    .venv/bin/python bench/bench_ranker.py latency   # (a) p95 of predict + explain, 200 candidates
    .venv/bin/python bench/bench_ranker.py train     # (b) fit on 1M impressions (50k RFQs x 20)
    .venv/bin/python bench/bench_ranker.py choice    # (c) NDCG of candidate objectives/libraries
    .venv/bin/python bench/bench_ranker.py ips       # (d) position-bias correction on simulated clicks
    .venv/bin/python bench/bench_ranker.py all

All data are synthetic (models/ranking_synth.py); nothing here reads the app's database.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sklearn.ensemble import HistGradientBoostingRegressor  # noqa: E402

from models.ranker import LambdaRanker, position_propensity  # noqa: E402
from models.ranking_baselines import RuleScorer, random_scores, text_only_scores  # noqa: E402
from models.ranking_eval import evaluate_rankers, exposure_by_group, ndcg_at_k, time_split  # noqa: E402
from models.ranking_plots import plot_ranking_metrics  # noqa: E402
from models.ranking_synth import SIZE_BANDS, make_letor, make_rfq_candidates  # noqa: E402

RULE_WEIGHTS = {"process_coverage": 2.0, "moq_fit": 1.0, "response_rate": 1.0, "reputation": 0.3,
                "sample_approval_rate": 0.5, "price_index": -0.4, "text_relevance": 0.1}


def _p(ts):
    ms = np.asarray(ts) * 1000
    return f"p50 {np.percentile(ms, 50):6.2f} ms   p95 {np.percentile(ms, 95):6.2f} ms"


def bench_latency(reps=200):
    X, y, g, _ = make_rfq_candidates(3000, seed=11)
    model = LambdaRanker(n_jobs=1).fit(X, y, g)
    Xc, _, _, _ = make_rfq_candidates(reps, min_size=200, max_size=200, seed=12)
    batches = [Xc.iloc[i * 200:(i + 1) * 200] for i in range(reps)]
    arrays = [b.to_numpy() for b in batches]
    print(f"model: {model.booster_.num_trees()} trees, {model.num_leaves} leaves, depth {model.max_depth}; "
          f"{reps} batches of 200 candidates, 1 thread")
    cases = {
        "predict (DataFrame)": lambda b, a: model.predict(b),
        "predict (ndarray)": lambda b, a: model.predict(a),
        "predict + explain top 20 + reasons": lambda b, a: model.top_reasons(
            a[np.argsort(-model.predict(a))[:20]]),
        "predict + explain all 200 (path)": lambda b, a: (model.predict(a), model.explain(a, method="path")),
        "predict + explain all 200 (shap)": lambda b, a: (model.predict(a), model.explain(a)),
    }
    for name, fn in cases.items():
        ts = []
        for b, a in zip(batches, arrays):
            t0 = time.perf_counter()
            fn(b, a)
            ts.append(time.perf_counter() - t0)
        print(f"  {name:38s} {_p(ts)}")


def bench_train(n_queries=50_000, per_query=20, n_jobs=2):
    t0 = time.perf_counter()
    X, y, g, _ = make_rfq_candidates(n_queries, min_size=per_query, max_size=per_query, seed=21)
    print(f"generated {len(X):,} impressions x {X.shape[1]} features in {time.perf_counter() - t0:.1f}s")
    model = LambdaRanker(n_jobs=n_jobs, verbose=25)
    t0 = time.perf_counter()
    model.fit(X, y, g)
    print(f"fit {len(X):,} rows / {n_queries:,} queries, {model.n_estimators} rounds, n_jobs={n_jobs}: "
          f"{time.perf_counter() - t0:.1f}s  (load average {os.getloadavg()[0]:.1f})")


def _compare(train, test, X, y, g, extra):
    candidates = {
        "lgb lambdarank (default)": LambdaRanker(n_jobs=1),
        "lgb lambdarank 31 leaves x300": LambdaRanker(n_jobs=1, num_leaves=31, max_depth=-1, n_estimators=300,
                                                      learning_rate=0.05),
        "lgb rank_xendcg": LambdaRanker(n_jobs=1, objective="rank_xendcg"),
        "lgb regression (pointwise)": LambdaRanker(n_jobs=1, objective="regression"),
    }
    scores, fit_s = {}, {}
    for name, est in candidates.items():
        t0 = time.perf_counter()
        scores[name] = est.fit(X[train], y[train], g[train]).predict(X[test])
        fit_s[name] = time.perf_counter() - t0
    t0 = time.perf_counter()
    hgb = HistGradientBoostingRegressor(random_state=0).fit(X[train], y[train])
    scores["sklearn HGB regression (pointwise)"] = hgb.predict(X[test])
    fit_s["sklearn HGB regression (pointwise)"] = time.perf_counter() - t0
    scores.update(extra(test))
    table = evaluate_rankers(scores, y[test], g[test], show=False)
    table["fit_s"] = pd.Series(fit_s)
    return table


def bench_choice(seeds=(0, 1, 2), plot="/tmp/ranker_metrics.png"):
    tables = []
    for seed in seeds:
        X, y, g, t = make_rfq_candidates(3000, seed=seed)
        train, test = time_split(t, 0.25, groups=g)
        rule = RuleScorer(RULE_WEIGHTS).fit(X)
        M = X.to_numpy()
        tables.append(_compare(train, test, M, y, g, lambda te, rule=rule, X=X, seed=seed: {
            "rule score (cold start)": rule.predict(X.iloc[te]),
            "text relevance only": text_only_scores(X.iloc[te], "text_relevance"),
            "random": random_scores(len(te), seed)}))
    _report("synthetic RFQs: 3000 queries x 10-60 candidates, latest 25% of queries as test", tables, plot)
    if plot:
        X, y, g, t = make_rfq_candidates(3000, seed=0)
        train, test = time_split(t, 0.25, groups=g)
        s = LambdaRanker(n_jobs=1).fit(X.iloc[train], y[train], g[train]).predict(X.iloc[test])
        bands = SIZE_BANDS[X.iloc[test]["size_band"].astype(int)]
        print("\nexposure of size bands in the learned top 10 (seed 0):")
        print(exposure_by_group(g[test], s, bands, k=10).round(3).to_string())
    tables = []
    for seed in seeds:
        X, y, q = make_letor(1000, seed=seed)
        train, test = np.flatnonzero(q <= 750), np.flatnonzero(q > 750)
        tables.append(_compare(train, test, X, y, q, lambda te, seed=seed: {"random": random_scores(len(te), seed)}))
    _report("LETOR-like (MQ2007-shaped): 1000 queries x 20-80 docs, 46 features, last 25% as test", tables, None)


def _report(title, tables, plot):
    stacked = pd.concat(tables, keys=range(len(tables)))
    mean = stacked.groupby(level=1, sort=False).mean()
    mean["NDCG@10 sd"] = stacked["NDCG@10"].groupby(level=1, sort=False).std()
    print(f"\n{title}; mean over {len(tables)} seeds")
    print(mean[["NDCG@5", "NDCG@10", "NDCG@10 sd", "MRR", "fit_s"]].round(4).to_string())
    if plot:
        keep = ["lgb lambdarank (default)", "sklearn HGB regression (pointwise)", "rule score (cold start)",
                "text relevance only", "random"]
        print("chart:", plot_ranking_metrics(mean.loc[keep, ["NDCG@5", "NDCG@10", "MRR"]], plot))


def bench_ips(seeds=(0, 1, 2), eta=1.0):
    """Labels observed only when the buyer examined the position (prob (1/pos)^eta) under the
    rule-score ranking; compare training without and with inverse-propensity weights."""
    rows = []
    for seed in seeds:
        X, y, g, t = make_rfq_candidates(3000, seed=seed)
        rng = np.random.default_rng(seed)
        shown = RuleScorer(RULE_WEIGHTS).fit(X).predict(X) + rng.normal(0, 0.3, len(y))
        pos = pd.Series(-shown).groupby(g).rank(method="first").to_numpy()
        observed = np.where(rng.random(len(y)) < position_propensity(pos, eta), y, 0)
        train, test = time_split(t, 0.25, groups=g)
        w = np.minimum(1 / position_propensity(pos[train], eta), 20)
        naive = LambdaRanker(n_jobs=1).fit(X.iloc[train], observed[train], g[train])
        ips = LambdaRanker(n_jobs=1).fit(X.iloc[train], observed[train], g[train], sample_weight=w)
        full = LambdaRanker(n_jobs=1).fit(X.iloc[train], y[train], g[train])
        rows.append({name: ndcg_at_k(y[test], m.predict(X.iloc[test]), g[test], 10)
                     for name, m in [("clicks, no correction", naive), ("clicks + IPS weights", ips),
                                     ("true grades (oracle)", full)]})
    print(f"\nposition bias (eta={eta}), NDCG@10 on true grades, mean over {len(seeds)} seeds:")
    print(pd.DataFrame(rows).agg(["mean", "std"]).round(4).to_string())


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("part", choices=["latency", "train", "choice", "ips", "all"])
    ap.add_argument("--train-jobs", type=int, default=2)
    ap.add_argument("--plot", default="/tmp/ranker_metrics.png")
    args = ap.parse_args()
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    if args.part in ("latency", "all"):
        bench_latency()
    if args.part in ("choice", "all"):
        bench_choice(plot=args.plot)
    if args.part in ("ips", "all"):
        bench_ips()
    if args.part in ("train", "all"):
        bench_train(n_jobs=args.train_jobs)
