"""Input vendors as screener subjects: members' purchases from a vendor, aggregated as of a date.

Part of the one feature definition of :mod:`models.reputation_features` (which merges
:data:`VENDOR_FEATURES` into its ``FEATURES``, calls :func:`vendor_features` and adds
:func:`vendor_problems` to its training label); kept in its own module, like
:mod:`models.reputation_ratings`, so each additive block reads on its own.

Raw records (``purchases``, optional): one row per lot a member firm bought from an input vendor:
``vendor_id`` (the subject, joined to the same index as buyer_id), ``reporter_id`` (member firm),
``purchased_on``, ``promised_on``, ``delivered_on`` (NaT: not yet), ``quality_vs_sample``
(as_sample | minor_deviation | major_deviation | None), ``warranty_claimed``, ``warranty_honoured``
(True | False | None). ``None`` or an empty frame means no purchases.

No leakage: only lots purchased on or before ``as_of`` count; a delivery dated after ``as_of`` is not
yet made, and the quality and warranty of a lot are known only once it is delivered by ``as_of``.
(Gap: the records keep no claim date, so a warranty answer is visible from the delivery on.) Buyers
have no purchases: these features are 0 for them.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from models.reputation_frames import days, ratio, records

LATE_LOT_SERIOUS_DAYS = 30     # training label: a lot 30+ days late is a serious vendor problem
QUALITY_CODES = ("as_sample", "minor_deviation", "major_deviation")
VENDOR_FEATURES: dict[str, tuple[str, str]] = {
    "late_lot_share": (
        "share of due lots delivered (or still missing) after the promised date",
        "n_late_lots / n_due_lots; due = promised_on <= as_of or delivered by as_of; 0 when none due"),
    "mean_days_late": (
        "average days a due lot came after its promised date",
        "mean over due lots of max((delivered_on or as_of) - promised_on, 0)"),
    "major_deviation_share": (
        "share of delivered lots whose quality deviated majorly from the sample",
        "n_major / n_judged; judged = delivered by as_of with quality_vs_sample given; 0 when none"),
    "warranty_refusals": (
        "warranty claims the vendor refused",
        "count of delivered lots with warranty_claimed and warranty_honoured is False"),
    "n_purchase_records": ("lots on record (evidence for a vendor)", "count(purchases)"),
    "n_purchasing_firms": ("distinct member firms reporting purchases (evidence for a vendor)",
                           "nunique(purchases.reporter_id)"),
}
VENDOR_CONTEXT_COLUMNS = ["n_due_lots", "n_late_lots", "n_judged_lots", "n_major_lots", "n_warranty_claims"]
PURCHASE_COLUMNS = ("vendor_id", "reporter_id", "purchased_on", "promised_on")
PURCHASE_OPTIONAL = {"delivered_on": pd.NaT, "quality_vs_sample": None, "warranty_claimed": False,
                     "warranty_honoured": None}


def purchase_records(purchases) -> pd.DataFrame:
    """``purchases`` with every column (optional ones defaulted); None / no rows is no purchases."""
    return records(purchases, "purchases", PURCHASE_COLUMNS, PURCHASE_OPTIONAL)


def _purchase_rows(purchases, as_of: pd.Timestamp) -> pd.DataFrame:
    """Per-lot quantities as known on ``as_of`` (see VENDOR_FEATURES)."""
    p = purchase_records(purchases)
    p = p[pd.to_datetime(p["purchased_on"]) <= as_of]
    bad = p["quality_vs_sample"].notna() & ~p["quality_vs_sample"].isin(QUALITY_CODES)
    if bad.any():
        raise ValueError(f"unknown purchase quality_vs_sample {p.loc[bad, 'quality_vs_sample'].iloc[0]!r}")
    promised = pd.to_datetime(p["promised_on"])
    delivered = pd.to_datetime(p["delivered_on"])
    arrived = (delivered.notna() & (delivered <= as_of)).to_numpy()
    due = (promised <= as_of).to_numpy() | arrived
    end = delivered.where(pd.Series(arrived, index=p.index), as_of)
    late_days = np.clip(np.nan_to_num(days(end - promised)), 0, None)
    judged = arrived & p["quality_vs_sample"].notna().to_numpy()
    major = judged & (p["quality_vs_sample"] == "major_deviation").to_numpy()
    claimed = arrived & p["warranty_claimed"].fillna(False).astype(bool).to_numpy()
    refused = claimed & p["warranty_honoured"].isin([False]).to_numpy()   # None / NaN: no answer yet
    return pd.DataFrame({
        "vendor_id": p["vendor_id"].to_numpy(), "reporter_id": p["reporter_id"].to_numpy(), "n": 1.0,
        "n_due": due.astype(float), "n_late": (due & (late_days > 0)).astype(float),
        "days_late": np.where(due, late_days, 0.0), "n_judged": judged.astype(float),
        "n_major": major.astype(float), "n_claims": claimed.astype(float), "n_refused": refused.astype(float)})


def vendor_features(purchases, index: pd.Index, as_of) -> pd.DataFrame:
    """The VENDOR_FEATURES and VENDOR_CONTEXT_COLUMNS of every subject in ``index`` (zeros without lots)."""
    rows = _purchase_rows(purchases, pd.Timestamp(as_of))
    g = rows.drop(columns=["reporter_id"]).groupby("vendor_id").sum().reindex(index, fill_value=0.0)
    firms = rows[["vendor_id", "reporter_id"]].drop_duplicates()["vendor_id"].value_counts()
    return pd.DataFrame({
        "late_lot_share": ratio(g["n_late"], g["n_due"]),
        "mean_days_late": ratio(g["days_late"], g["n_due"]),
        "major_deviation_share": ratio(g["n_major"], g["n_judged"]),
        "warranty_refusals": g["n_refused"].to_numpy(),
        "n_purchase_records": g["n"].to_numpy(),
        "n_purchasing_firms": firms.reindex(index, fill_value=0).to_numpy(dtype=float),
        "n_due_lots": g["n_due"].to_numpy(), "n_late_lots": g["n_late"].to_numpy(),
        "n_judged_lots": g["n_judged"].to_numpy(), "n_major_lots": g["n_major"].to_numpy(),
        "n_warranty_claims": g["n_claims"].to_numpy()}, index=index)


def vendor_problems(purchases, start, end) -> set:
    """Vendors with a serious problem in (start, end]: a lot not delivered within LATE_LOT_SERIOUS_DAYS of
    its promised date (event: promised + 30 days), or a delivered lot with a major deviation from the
    sample or a refused warranty (event: the delivery)."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    p = purchase_records(purchases)
    if not len(p):
        return set()
    event = pd.to_datetime(p["promised_on"]) + pd.Timedelta(days=LATE_LOT_SERIOUS_DAYS)
    delivered = pd.to_datetime(p["delivered_on"])
    late = (event > start) & (event <= end) & ~(delivered.notna() & (delivered < event))
    refused = p["warranty_claimed"].fillna(False).astype(bool) & p["warranty_honoured"].isin([False])
    poor = (p["quality_vs_sample"] == "major_deviation") | refused
    in_window = delivered.notna() & (delivered > start) & (delivered <= end)
    return set(p.loc[(late | (poor & in_window)).to_numpy(), "vendor_id"])
