"""Buyer-practice ratings as screener features: makers' 1–5 scores of a buyer, aggregated as of a date.

Part of the one feature definition of :mod:`models.reputation_features` (which merges
:data:`RATING_FEATURES` into its ``FEATURES`` and calls :func:`rating_features`); kept in its own
module so the rating block and other additive blocks (vendor purchases) stay apart.

Raw records (``ratings``, optional): one row per category score of a ``buyer_practices`` rating:
``buyer_id`` (the rated buyer), ``reporter_id`` (the rating firm), ``date`` (when the rating was
made, a datetime), ``category`` (``payment_terms``, ``overall_partnership`` ... others are ignored)
and ``score`` (1–5). ``None`` or an empty frame means no ratings.

No leakage: only ratings made *before* ``as_of`` count (``date < as_of``; a rating made during the
as-of day may describe what happened after the moment of scoring).

Minimum evidence, as the ratings pages show a category (``matchmaker.ratings.records``): a mean
counts only from :data:`MIN_RATINGS` scores by :data:`MIN_FIRMS` distinct firms; below that the
feature is 0 ("no rating"), never a mean of one or two firms' opinions.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

MIN_RATINGS = 3   # same rule as matchmaker.ratings.records.MIN_RATINGS (a test checks it)
MIN_FIRMS = 3     # same rule as matchmaker.ratings.records.MIN_FIRMS
RATING_COLUMNS = ("buyer_id", "reporter_id", "date", "category", "score")
RATED = {"rating_payment_terms": "payment_terms", "rating_overall": "overall_partnership"}

RATING_FEATURES: dict[str, tuple[str, str]] = {
    "rating_payment_terms": (
        "member makers' rating of the buyer's payment terms (1-5)",
        "mean(score) of payment_terms scores made before as_of; 0 below 3 scores from 3 distinct firms"),
    "rating_overall": (
        "member makers' rating of the partnership overall (1-5)",
        "mean(score) of overall_partnership scores made before as_of; 0 below 3 scores from 3 distinct firms"),
    "n_rating_firms": (
        "distinct firms that rated the buyer's purchasing practices (evidence)",
        "nunique(ratings.reporter_id) over ratings made before as_of"),
}
RATING_CONTEXT = ["n_buyer_ratings"]


def rating_records(ratings) -> pd.DataFrame:
    """``ratings`` with every column, or an empty frame for None / no rows; a missing column is a ValueError."""
    if ratings is None or (len(ratings) == 0 and not set(RATING_COLUMNS) <= set(ratings.columns)):
        return pd.DataFrame({"buyer_id": pd.Series(dtype="int64"), "reporter_id": pd.Series(dtype="int64"),
                             "date": pd.Series(dtype="datetime64[ns]"), "category": pd.Series(dtype=object),
                             "score": pd.Series(dtype=float)})
    missing = [c for c in RATING_COLUMNS if c not in ratings.columns]
    if missing:
        raise ValueError(f"ratings has no column {missing[0]!r} (required: {', '.join(RATING_COLUMNS)})")
    return ratings


def rating_features(ratings, index: pd.Index, as_of) -> pd.DataFrame:
    """The :data:`RATING_FEATURES` and :data:`RATING_CONTEXT` columns for the buyers ``index`` as of ``as_of``."""
    as_of = pd.Timestamp(as_of)
    r = rating_records(ratings)
    r = r[pd.to_datetime(r["date"]) < as_of]
    out = pd.DataFrame(index=index)
    bad = r.loc[~r["score"].between(1, 5), "score"]
    if len(bad):
        raise ValueError(f"ratings has a score {bad.iloc[0]!r} outside 1..5")
    for name, category in RATED.items():
        c = r[r["category"] == category]
        g = c.groupby("buyer_id").agg(n=("score", "size"), firms=("reporter_id", "nunique"), mean=("score", "mean"))
        g = g.reindex(index)
        enough = (g["n"].fillna(0) >= MIN_RATINGS) & (g["firms"].fillna(0) >= MIN_FIRMS)
        out[name] = np.where(enough, g["mean"].fillna(0.0), 0.0)
    # one rating has several category rows: a firm / a rating is counted once
    firms = r[["buyer_id", "reporter_id"]].drop_duplicates()["buyer_id"].value_counts()
    out["n_rating_firms"] = firms.reindex(index, fill_value=0).to_numpy(dtype=float)
    ratings_n = r[["buyer_id", "reporter_id", "date"]].drop_duplicates()["buyer_id"].value_counts()
    out["n_buyer_ratings"] = ratings_n.reindex(index, fill_value=0).to_numpy(dtype=float)
    return out
