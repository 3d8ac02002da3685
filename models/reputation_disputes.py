"""Order disputes as screener features: what disputes on its orders say about a buyer's purchasing practices.

Part of the one feature definition of :mod:`models.reputation_features` (which merges
:data:`DISPUTE_FEATURES` into its ``FEATURES`` and calls :func:`dispute_features`), in its own module
like the ratings block, so the features module stays short.

Raw records (``disputes``, optional): one row per dispute on an order between the buyer and a maker:
``buyer_id`` (the order's buyer), ``reporter_id`` (the order's maker), ``raised_by`` (``buyer`` |
``maker``), ``subject`` (the disputed row: ``order``, ``milestone``, ``delivery``, ``invoice``,
``payment``), ``opened_at``, ``answered_at`` (NaT while unanswered) and ``withdrawn_at`` (NaT unless the
side that raised it withdrew it). ``None`` or an empty frame means no disputes.

Which disputes count: a dispute the buyer raised against a maker's invoice or delivery (a buyer that
contests bills and deliveries to delay payment or claw back price), and one a maker raised against
the buyer's payment (a short or late payment the buyer recorded). Disputes of terms or milestones
are the normal back-and-forth of an order and are left out.

No leakage: a dispute counts only if opened *before* ``as_of`` (``opened_at < as_of``, as ratings), and
it is answered or withdrawn only if that happened before ``as_of`` too; while open it has been open
until ``as_of``. ``withdrawn_at`` NaT means not withdrawn (the app gives disputes withdrawn before it
recorded the time their opening time: a documented gap, as incidents' current status).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

DISPUTE_COLUMNS = ("buyer_id", "reporter_id", "raised_by", "subject", "opened_at")
DISPUTE_OPTIONAL = ("answered_at", "withdrawn_at")
BY_BUYER = ("invoice", "delivery")   # the buyer contests what the maker billed or delivered
BY_MAKER = ("payment",)              # the maker contests what the buyer paid

DISPUTE_FEATURES: dict[str, tuple[str, str]] = {
    "disputes_by_buyer": (
        "disputes the buyer raised against makers' invoices or deliveries",
        "count of disputes raised_by buyer on an invoice or delivery, opened before as_of"),
    "disputes_by_makers": (
        "disputes makers raised against the buyer's payments",
        "count of disputes raised_by maker on a payment, opened before as_of"),
    "disputes_unsettled": (
        "of those disputes, the ones neither answered nor withdrawn as of the review",
        "count with answered_at and withdrawn_at both missing or not before as_of"),
    "dispute_open_days": (
        "how long those disputes stayed open, on average",
        "mean over them of (first of answered_at, withdrawn_at, as_of) - opened_at, in days; 0 without disputes"),
}


def dispute_records(disputes) -> pd.DataFrame:
    """``disputes`` with every column (optional ones NaT), or an empty frame for None / no rows."""
    if disputes is None or len(disputes) == 0:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c.endswith("_id") else object) for c in DISPUTE_COLUMNS}
                            | {c: pd.Series(dtype="datetime64[ns]") for c in ("opened_at", *DISPUTE_OPTIONAL)})
    missing = [c for c in DISPUTE_COLUMNS if c not in disputes.columns]
    if missing:
        raise ValueError(f"disputes has no column {missing[0]!r} (required: {', '.join(DISPUTE_COLUMNS)})")
    d = disputes.copy()
    for col in ("opened_at", *DISPUTE_OPTIONAL):
        d[col] = pd.to_datetime(d[col]) if col in d else pd.NaT
    return d


def dispute_features(disputes, index: pd.Index, as_of) -> pd.DataFrame:
    """The :data:`DISPUTE_FEATURES` columns for the buyers ``index`` as of ``as_of``."""
    as_of = pd.Timestamp(as_of)
    d = dispute_records(disputes)
    by_buyer = (d["raised_by"] == "buyer") & d["subject"].isin(BY_BUYER)
    by_maker = (d["raised_by"] == "maker") & d["subject"].isin(BY_MAKER)
    d = d[(by_buyer | by_maker) & (d["opened_at"] < as_of)]
    answered = d["answered_at"].where(d["answered_at"] < as_of)      # known only once it happened
    withdrawn = d["withdrawn_at"].where(d["withdrawn_at"] < as_of)
    settled = pd.concat([answered, withdrawn], axis=1).min(axis=1)    # NaT: still open at as_of
    days = (settled.fillna(as_of) - d["opened_at"]).dt.total_seconds().to_numpy() / 86400.0
    frame = pd.DataFrame({
        "buyer_id": d["buyer_id"].to_numpy(),
        "disputes_by_buyer": (d["raised_by"] == "buyer").to_numpy(dtype=float),
        "disputes_by_makers": (d["raised_by"] == "maker").to_numpy(dtype=float),
        "disputes_unsettled": settled.isna().to_numpy(dtype=float),
        "days": np.clip(days, 0, None),
    })
    g = frame.groupby("buyer_id").agg(disputes_by_buyer=("disputes_by_buyer", "sum"),
                                      disputes_by_makers=("disputes_by_makers", "sum"),
                                      disputes_unsettled=("disputes_unsettled", "sum"),
                                      dispute_open_days=("days", "mean")).reindex(index, fill_value=0.0)
    return g[list(DISPUTE_FEATURES)].astype(float)
