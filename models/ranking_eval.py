"""Offline evaluation of supplier rankings: NDCG, MRR, time-aware splits, exposure fairness.

All functions take flat per-row arrays (true grade, score, query id), the same layout the
rankers use, so any scorer's output can be compared without reshaping.

Conventions (documented once here):

* Gain of a grade g is ``2**g - 1`` and the discount at 1-based rank r is ``1/log2(r+1)``
  (the LightGBM/LETOR definition).
* Ties in scores are broken pessimistically (lower true grade first), so a constant or
  coarse scorer cannot look good by the table's row order.
* Queries with no relevant row (NDCG: all grades 0; MRR: nothing ``>= relevant_min``)
  carry no ranking information. They are skipped (``no_relevant="skip"``, the default,
  which matches how the numbers are reported) or scored 0 (``no_relevant="zero"``).
  A query for which every metric is undefined never counts towards the mean.
"""
from __future__ import annotations

import numpy as np
import pandas as pd


def _ranked(y_true, scores, groups):
    """Sort rows by query, then score descending (pessimistic ties).

    Returns query codes, grades and 1-based ranks in sorted order, the query count, and
    the sorting permutation.
    """
    y = np.asarray(y_true, dtype=float)
    s = np.asarray(scores, dtype=float)
    codes, _ = pd.factorize(np.asarray(groups))
    if not (len(y) == len(s) == len(codes)):
        raise ValueError("y_true, scores and groups must have the same length")
    if np.any(np.isnan(s)):
        raise ValueError("scores contain NaN")
    order = np.lexsort((y, -s, codes))
    c = codes[order]
    starts = np.r_[0, np.flatnonzero(np.diff(c)) + 1]
    first = np.repeat(starts, np.diff(np.r_[starts, len(c)]))
    return c, y[order], np.arange(len(c)) - first + 1, len(starts), order


def _reduce(per_query, defined, no_relevant):
    if no_relevant == "skip":
        return float(per_query[defined].mean()) if defined.any() else float("nan")
    if no_relevant == "zero":
        return float(np.where(defined, per_query, 0.0).mean()) if len(per_query) else float("nan")
    raise ValueError("no_relevant must be 'skip' or 'zero'")


def ndcg_at_k(y_true, scores, groups, k: int = 10, no_relevant: str = "skip") -> float:
    """Mean NDCG@k over queries (exponential gain, log2 discount; see module notes)."""
    c, y, rank, nq, _ = _ranked(y_true, scores, groups)
    gain = np.where(rank <= k, (2.0 ** y - 1) / np.log2(rank + 1), 0.0)
    dcg = np.bincount(c, weights=gain, minlength=nq)
    ci, yi, ri, _, _ = _ranked(y_true, y_true, groups)  # ideal order: by true grade
    igain = np.where(ri <= k, (2.0 ** yi - 1) / np.log2(ri + 1), 0.0)
    idcg = np.bincount(ci, weights=igain, minlength=nq)
    defined = idcg > 0
    return _reduce(np.divide(dcg, idcg, out=np.zeros(nq), where=defined), defined, no_relevant)


def mrr(y_true, scores, groups, relevant_min: int = 1, no_relevant: str = "skip") -> float:
    """Mean reciprocal rank of the first row with grade ``>= relevant_min`` per query."""
    c, y, rank, nq, _ = _ranked(y_true, scores, groups)
    rr = np.where(y >= relevant_min, 1.0 / rank, 0.0)
    best = np.zeros(nq)
    np.maximum.at(best, c, rr)
    return _reduce(best, best > 0, no_relevant)


def time_split(query_times, test_fraction: float = 0.2, groups=None):
    """Split rows into ``(train_idx, test_idx)`` with the latest queries in test.

    ``query_times`` is per row (the RFQ's posting time, repeated on its candidates) with
    ``groups`` the query id per row; a query's time is the latest of its rows, and all
    rows of a query land on the same side. Without ``groups`` every element is its own
    query. The last ``ceil(test_fraction * n_queries)`` queries by time (ties broken by
    first appearance) form the test set. Returns sorted integer row indices.
    """
    if not 0 < test_fraction < 1:
        raise ValueError("test_fraction must be between 0 and 1")
    t = pd.Series(pd.to_datetime(query_times) if not np.issubdtype(np.asarray(query_times).dtype, np.number)
                  else np.asarray(query_times))
    codes = pd.factorize(np.asarray(groups))[0] if groups is not None else np.arange(len(t))
    if len(codes) != len(t):
        raise ValueError("groups and query_times must have the same length")
    qtime = t.groupby(codes).max()
    n_test = int(np.ceil(test_fraction * len(qtime)))
    if n_test >= len(qtime):
        raise ValueError("test_fraction leaves no training queries")
    latest = qtime.sort_values(kind="stable").index[len(qtime) - n_test:]
    test_rows = np.isin(codes, latest.to_numpy())
    return np.flatnonzero(~test_rows), np.flatnonzero(test_rows)


def evaluate_rankers(models: dict, y_true, groups, ks=(5, 10), relevant_min: int = 1,
                     show: bool = True) -> pd.DataFrame:
    """Table of NDCG@k and MRR for each ``name -> scores`` (rows in dict order)."""
    rows = {}
    for name, scores in models.items():
        row = {f"NDCG@{k}": ndcg_at_k(y_true, scores, groups, k) for k in ks}
        row["MRR"] = mrr(y_true, scores, groups, relevant_min)
        rows[name] = row
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "ranker"
    if show:
        nq = len(pd.unique(np.asarray(groups)))
        print(f"{nq} queries (queries without a relevant candidate skipped)")
        print(table.round(4).to_string())
    return table


def exposure_by_group(groups, scores, group_labels, k: int = 10) -> pd.DataFrame:
    """Who gets seen: top-k exposure per category (e.g. size band) vs. its share of candidates.

    Per query, the candidate at rank r <= k receives exposure ``1/log2(r+1)`` (the
    attention model behind NDCG); ranks beyond k get none. Columns:
    ``candidate_share`` (share of all candidate rows), ``topk_share`` (share of top-k
    slots), ``exposure_share`` (share of position-discounted exposure), and
    ``exposure_ratio`` = exposure_share / candidate_share (1 = proportional, < 1 =
    under-exposed). Each share column sums to 1.
    """
    labels = np.asarray(group_labels, dtype=object)
    _, _, r, _, order = _ranked(np.zeros(len(labels)), scores, groups)  # ties: row order
    ranks = np.empty(len(labels), dtype=int)
    ranks[order] = r
    top = ranks <= k
    frame = pd.DataFrame({"label": labels, "one": 1.0, "top": top.astype(float),
                          "exp": np.where(top, 1.0 / np.log2(ranks + 1), 0.0)})
    agg = frame.groupby("label", sort=True)[["one", "top", "exp"]].sum()
    table = pd.DataFrame({
        "candidates": agg["one"].astype(int),
        "candidate_share": agg["one"] / agg["one"].sum(),
        "topk_share": agg["top"] / agg["top"].sum(),
        "exposure_share": agg["exp"] / agg["exp"].sum(),
    })
    table["exposure_ratio"] = table["exposure_share"] / table["candidate_share"]
    table.index.name = "category"
    return table
