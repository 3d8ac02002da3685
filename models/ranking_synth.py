"""Synthetic grouped ranking data for tests, benchmarks and model choice.

:func:`make_rfq_candidates` imitates the app's situation: each RFQ (query) has 10-60
candidate makers that passed the hard filters, ~16 numeric features, and graded outcomes
(0 shown only .. 4 order placed) that depend non-linearly on several features, so text
relevance alone is a decent but beatable ranker. :func:`make_letor` imitates public LETOR
data (MQ2007-like: 46 query-normalised features, grades 0-2). :func:`make_ltr_problem` is a
third, independently built shape (thousands of queries, 20-100 candidates, 48 features, grades 0-4)
used to check the ranker's defaults against LightGBM's own. Neither is real data; they
exist so code paths and model choices can be exercised before the app logs outcomes.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

RFQ_FEATURES = [
    "text_relevance", "process_coverage", "capacity_ratio_log", "moq_fit", "lead_time_gap_days",
    "distance_km", "price_index", "reputation", "response_rate", "response_hours",
    "export_years", "certifications", "sample_approval_rate", "english_level", "size_band",
    "order_qty_log",
]
SIZE_BANDS = np.array(["micro", "small", "medium", "large"])


def _sizes(rng, n_queries, min_size, max_size):
    return rng.integers(min_size, max_size + 1, size=n_queries)


def make_rfq_candidates(n_queries=500, min_size=10, max_size=60, seed=0, grade_shares=(0.78, 0.12, 0.06, 0.03, 0.01)):
    """Return ``(X DataFrame, y grades, groups, query_time)`` for synthetic RFQs.

    Rows of a query are contiguous; ``query_time`` (days since start) grows with the
    query id and the buyers' taste drifts slowly with time (price matters more later),
    so a time-aware split is harder than a random one, as in production.
    """
    rng = np.random.default_rng(seed)
    sizes = _sizes(rng, n_queries, min_size, max_size)
    n = int(sizes.sum())
    q = np.repeat(np.arange(n_queries), sizes)
    qtime = np.sort(rng.uniform(0, 365, n_queries))
    order_qty_log = rng.normal(np.log(3000), 0.9, n_queries)[q]
    price_weight = (0.25 + 0.5 * qtime / 365)[q] * rng.uniform(0.5, 1.5, n_queries)[q]
    size_band = rng.choice(4, n, p=[0.35, 0.35, 0.2, 0.1])
    capacity_log = rng.normal(np.log(2000) + 0.9 * size_band, 0.6)
    process_cov = rng.beta(3, 1.5, n)
    reputation = np.clip(rng.normal(3.6 + 0.2 * size_band, 0.7), 1, 5)
    reputation[rng.random(n) < 0.25] = np.nan  # new makers have no reviews yet
    approval = rng.beta(4, 2, n)
    approval[rng.random(n) < 0.35] = np.nan
    X = pd.DataFrame({
        "text_relevance": np.maximum(0, 6 * process_cov + rng.gamma(2.0, 1.2, n) - 2),
        "process_coverage": process_cov,
        "capacity_ratio_log": capacity_log - order_qty_log,
        "moq_fit": np.minimum(1, np.exp(order_qty_log - rng.normal(np.log(800) + 0.6 * size_band, 0.7))),
        "lead_time_gap_days": rng.normal(0, 10, n).round(),
        "distance_km": rng.gamma(2, 8, n),
        "price_index": rng.normal(0, 1, n) - 0.15 * size_band,
        "reputation": reputation,
        "response_rate": rng.beta(3, 2, n),
        "response_hours": rng.gamma(2, 12, n),
        "export_years": rng.poisson(1.5 + size_band, n).astype(float),
        "certifications": rng.binomial(4, 0.2 + 0.1 * size_band).astype(float),
        "sample_approval_rate": approval,
        "english_level": rng.integers(0, 4, n).astype(float),
        "size_band": size_band.astype(float),
        "order_qty_log": order_qty_log,
    })
    cap = 1 / (1 + np.exp(-2.5 * X["capacity_ratio_log"]))  # can they make the volume?
    utility = (
        2.0 * process_cov ** 2
        + 1.6 * cap * X["moq_fit"]
        + 0.9 * X["response_rate"] - 0.012 * X["response_hours"]
        + 0.45 * np.nan_to_num(reputation - 3.5, nan=-0.3)
        + 0.9 * np.nan_to_num(approval - 0.6, nan=0.0)
        - price_weight * X["price_index"]
        - 0.06 * np.maximum(X["lead_time_gap_days"], 0)
        + 0.35 * np.minimum(X["export_years"], 5) / 5 * (1 + (X["english_level"] < 2))
        + 0.15 * X["certifications"] - 0.01 * X["distance_km"]
        + 0.12 * np.log1p(X["text_relevance"])
    )
    z = utility - pd.Series(utility).groupby(q).transform("mean").to_numpy() + rng.gumbel(0, 0.55, n)
    cuts = np.quantile(z, np.cumsum(grade_shares)[:-1])
    y = np.digitize(z, cuts).astype(int)
    # shuffle candidates within each query so row order carries no signal
    perm = np.lexsort((rng.random(n), q))
    return X.iloc[perm].reset_index(drop=True), y[perm], q[perm], qtime[q[perm]]


def make_letor(n_queries=300, min_size=20, max_size=80, n_features=46, n_informative=12, seed=0):
    """Return ``(X ndarray, y grades 0-2, qid)`` shaped like LETOR 4.0 MQ2007.

    A latent relevance drives ``n_informative`` features through different monotone,
    noisy transforms; the rest are noise; all features are min-max normalised per query
    (LETOR's QueryLevelNorm), which removes query-level scale.
    """
    rng = np.random.default_rng(seed)
    sizes = _sizes(rng, n_queries, min_size, max_size)
    n = int(sizes.sum())
    qid = np.repeat(np.arange(1, n_queries + 1), sizes)
    latent = rng.normal(size=n) + rng.normal(0, 0.5, n_queries)[qid - 1]
    X = rng.normal(size=(n, n_features))
    for j in range(n_informative):
        strength = rng.uniform(0.3, 1.2)
        f = [np.tanh, np.exp, lambda v: v, lambda v: np.maximum(v, 0)][j % 4]
        X[:, j] = f(strength * latent + rng.normal(0, 1.0, n) * (1 + j % 3) * 0.5)
    X[:, 1] *= X[:, 2] > 0  # an interaction
    frame = pd.DataFrame(X)
    g = frame.groupby(qid)
    lo, hi = g.transform("min").to_numpy(), g.transform("max").to_numpy()
    X = (X - lo) / np.where(hi > lo, hi - lo, 1)
    z = latent + 0.6 * np.tanh(X[:, 1] * 3) + rng.normal(0, 0.6, n)
    y = np.digitize(z, np.quantile(z, [0.72, 0.92])).astype(int)
    return X, y, qid


def make_ltr_problem(n_queries=3000, min_size=20, max_size=100, n_features=48, seed=0):
    """Grouped ranking data unlike the RFQ generator: per-query topic vectors, a relevance made
    of a dot product, two interactions and a threshold effect, grades 0-4 by within-query
    quantiles of a noisy utility, features min-max normalised per query."""
    rng = np.random.default_rng(seed + 1013)
    sizes = rng.integers(min_size, max_size + 1, n_queries)
    q = np.repeat(np.arange(n_queries), sizes)
    n = len(q)
    topic = rng.normal(size=(n_queries, 8))
    doc = rng.normal(size=(n, 8))
    match = (topic[q] * doc).sum(1) / np.sqrt(8)
    quality = rng.normal(size=n)
    fresh = rng.exponential(1.0, n)
    util = (match + 0.6 * quality * (match > 0) + 0.4 * np.tanh(quality * fresh)
            - 0.3 * (fresh > 2.5) + rng.normal(0, 0.6, n))
    cols = [doc, match[:, None] + rng.normal(0, 0.7, (n, 4)), quality[:, None] + rng.normal(0, 0.5, (n, 3)),
            np.log1p(fresh)[:, None] + rng.normal(0, 0.3, (n, 2)),
            rng.normal(size=(n, n_features - 17))]
    X = np.hstack(cols)[:, :n_features]
    df = pd.DataFrame(X)
    g = df.groupby(q)
    X = ((df - g.transform("min")) / (g.transform("max") - g.transform("min")).replace(0, 1)).to_numpy()
    pct = pd.Series(util).groupby(q).rank(pct=True).to_numpy()
    y = np.digitize(pct, [0.7, 0.85, 0.93, 0.98]).astype(int)       # grades 0..4, few top grades
    return X, y, q
