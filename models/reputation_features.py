"""Buyer reputation features: raw payment and conduct records in, one row per buyer out.

The association's board vets foreign buyers, buying agents and input vendors. This module turns
what member firms report about them into numbers a model (and a person) can read. It is the
*only* place features are defined: :data:`FEATURES` holds the name, meaning and formula of each.

Raw records (plain pandas DataFrames, as the app produces them)
--------------------------------------------------------------
``payments``  one row per invoice a member firm issued to a buyer:
    ``buyer_id``, ``reporter_id`` (member firm), ``invoice_date``, ``amount``, ``currency`` (ISO code),
    ``terms_days``, ``due_date`` (NaT -> invoice_date + terms_days), ``paid_date`` (NaT if unpaid),
    ``paid_amount`` (partial payments possible; NaN with a paid_date means paid in full),
    ``deposit_share`` (0..1, share of the order paid as deposit; optional: a missing column or NaN
    counts as no deposit on record).
    Optional, when the platform learned of a record later than its own dates say (an order invoice is
    known from the buyer's confirmation, a payment from the day it was recorded, a hand-entered
    experience and its payment from the day a member entered it): ``known_date`` (the
    day the invoice became known; NaT -> ``invoice_date``) and ``paid_known_date`` (the day the payment
    that settled it, or the last part payment, became known; NaT -> ``paid_date``).
    Optional, for statement-style accounts where an unpaid remainder is carried into the next bill
    (all default to "nothing carried"): ``carried_amount`` (part of ``amount`` that is an earlier
    bill's remainder, already past due), ``carried_since`` (due date of the oldest debt in that
    remainder; NaT -> this invoice's due date), ``rolled_date`` (the date this invoice's open
    remainder was carried into a later bill). A credit department reads this as one debt: the
    remainder stops being past-due debt of the old bill on ``rolled_date`` (its delay stops
    growing there), and keeps ageing inside the new bill from ``carried_since``. Payments pay the
    oldest debt first.
``incidents`` ``buyer_id``, ``reporter_id``, ``type`` (one of :data:`INCIDENT_TYPES`),
    ``severity`` (1 minor, 2 serious, 3 grave), ``date``, ``status`` (one of :data:`STATUS_WEIGHT`).
``references`` positive reports: ``buyer_id``, ``reporter_id``, ``type`` (trained_suppliers,
    fixed_prices_in_advance, long_contract), ``date``.
``buyers``    ``buyer_id``, ``first_seen`` (date).
``ratings``   optional keyword: makers' buyer-practice rating scores (:mod:`models.reputation_ratings`:
    ``buyer_id``, ``reporter_id``, ``date``, ``category``, ``score``); only ratings made before
    ``as_of`` count, and a mean only from 3 scores by 3 distinct firms.
``purchases`` optional keyword: members' lots bought from input vendors (:mod:`models.reputation_vendors`:
    ``vendor_id``, ``reporter_id``, ``purchased_on``, ``promised_on``, delivery, quality and warranty).
``fx``        dict currency -> USD per unit; an unknown currency raises ``ValueError`` naming it.

``incidents`` and ``references`` may be empty (even without columns) or ``None``: no records. A
non-empty frame missing a required column raises ``ValueError`` naming the column.

No leakage: only invoices on record by ``as_of`` (``invoice_date`` and ``known_date`` both
``<= as_of``), incidents and references dated ``<= as_of`` and buyers first seen ``<= as_of`` are
used, and a payment dated, or known, after ``as_of`` counts as not yet made (the invoice is open,
its delay growing, until the platform learned of the payment). (Gap: an incident's *status* is its current one; the records keep no
status history, so a later verification is visible to earlier cutoffs.)

Minimum evidence (:data:`MIN_PAYMENT_EXPERIENCES`, :data:`MIN_REPORTING_FIRMS`): like the best-known
trade payment score, fewer than 3 payment experiences from at least 2 distinct member firms means
"insufficient history", never a number. Such buyers are also *excluded from training*: the model
never scores them, so fitting on them would only teach it about a population it never serves.
"""
from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

from models.reputation_disputes import DISPUTE_FEATURES, dispute_features
from models.reputation_frames import days as _days
from models.reputation_frames import ratio as _ratio
from models.reputation_frames import records as _records
from models.reputation_ratings import RATING_CONTEXT, RATING_FEATURES, rating_features
from models.reputation_vendors import VENDOR_CONTEXT_COLUMNS, VENDOR_FEATURES, vendor_features, vendor_problems

# --- Minimum evidence (one place) -------------------------------------------------------------
MIN_PAYMENT_EXPERIENCES = 3   # invoices on record as of the scoring date
MIN_REPORTING_FIRMS = 2       # distinct member firms behind those invoices

# --- Tunable constants of the formulas -------------------------------------------------------
FULL_PAYMENT_TOLERANCE = 0.99          # paid_amount >= 99 % of amount counts as paid in full
INCIDENT_HALF_LIFE_DAYS = 365.0        # an incident's weight halves every year
RECENT_WINDOW_DAYS = 182               # the trend is stated as change over 6 months
RECENT_INVOICES = (3, 6)               # recency-weighted delay over the last 3 and 6 matured invoices
DAYS_PER_MONTH = 30.44
STATUS_WEIGHT = {"verified": 1.0, "disputed": 0.5, "hearsay": 0.25, "withdrawn": 0.0}
INCIDENT_TYPES = ("unpaid_invoice", "late_payment", "unjust_clause", "cancellation_after_production",
                  "design_theft", "client_poaching", "bullying", "abrupt_termination")
RED_FLAG_TYPES = ("unjust_clause", "cancellation_after_production")
SEVERITY_NAMES = {1: "minor", 2: "serious", 3: "grave"}

# --- Label (training target) ------------------------------------------------------------------
SERIOUS_DELAY_DAYS = 60    # an invoice 60+ days beyond terms (paid that late, or still unpaid)
SERIOUS_SEVERITY = 2       # or a verified incident of severity >= 2

# name -> (meaning, formula). The model uses exactly these columns, in this order.
FEATURES: dict[str, tuple[str, str]] = {
    "days_beyond_terms": (
        "amount-weighted average days paid beyond terms (in the spirit of D&B Paydex)",
        "sum(usd * delay) / sum(usd) over matured invoices; delay = paid share * max(paid-due, 0)"
        " + unpaid share * max(as_of-due, 0); 0 when none matured"),
    "late_share": (
        "share of matured invoices paid (or still open) beyond terms",
        "n_late_invoices / n_matured_invoices; late = invoice delay > 0 days; 0 when none matured"),
    "worst_delay_days": (
        "worst delay of any invoice",
        "max over matured invoices of (paid-due) or, if not fully paid, (as_of-due); clipped at 0"),
    "latest_delay_days": (
        "delay of the newest matured invoice, as known at the cut-off (latest status)",
        "delay of the matured invoice with the latest due date; open: as_of - due, a carried remainder"
        " ages from carried_since"),
    "delay_last_3": (
        "amount-weighted delay of the 3 most recent matured invoices",
        "as days_beyond_terms over the 3 matured invoices with the latest due dates"),
    "delay_last_6": (
        "amount-weighted delay of the 6 most recent matured invoices",
        "as days_beyond_terms over the 6 matured invoices with the latest due dates"),
    "delay_trend_days": (
        "is the buyer paying later lately? (works inside any window)",
        "least-squares slope of invoice delay on due date over matured invoices, in days per 6"
        " months (182 days); 0 with fewer than 2 distinct due dates"),
    "unpaid_past_due_share": (
        "share of the past-due amount still unpaid",
        "sum(usd * unpaid share) / sum(usd) over invoices with due_date <= as_of; a remainder"
        " carried into a later bill counts there, not twice"),
    "incidents_minor": (
        "severity-1 incidents, status-weighted and decayed",
        "sum(status weight * 0.5 ** (age_days / 365)); verified 1, disputed .5, hearsay .25, withdrawn 0"),
    "incidents_serious": ("severity-2 incidents, status-weighted and decayed", "as incidents_minor"),
    "incidents_grave": ("severity-3 incidents, status-weighted and decayed", "as incidents_minor"),
    "red_flags": (
        "contract red flags: unjust clauses and cancellations after production",
        "sum(status weight) over incidents of those two types (no decay)"),
    "tenure_months": ("how long the association has known the buyer", "(as_of - first_seen) / 30.44"),
    "n_reporting_firms": ("distinct member firms reporting payment experiences (evidence)",
                          "nunique(payments.reporter_id)"),
    "n_payment_experiences": ("invoices on record (evidence)", "count(payments)"),
    "order_size_cv": ("order-size volatility", "std(usd) / mean(usd) (ddof=0); 0 with < 2 invoices"),
    "n_referring_firms": ("positive references", "nunique(references.reporter_id)"),
    "mean_deposit_share": ("deposit paid at order", "sum(usd * deposit_share) / sum(usd)"),
}
# -- ratings block (issue 15): makers' ratings of the buyer's practices, see models.reputation_ratings
FEATURES.update(RATING_FEATURES | DISPUTE_FEATURES)  # and order disputes, models.reputation_disputes
# -- input vendors block (issue 15): members' purchases from a vendor, see models.reputation_vendors
FEATURES.update(VENDOR_FEATURES)
# 5: orders, ratings, vendors, disputes; 6: order records dated by when they became known; 7: hand-entered
# experiences dated by their recording, order invoices only while their order is evidence (same columns)
FEATURE_VERSION = "reputation-features-7"

FEATURE_NAMES: list[str] = list(FEATURES)

# Context columns: plain counts returned beside the features so reasons can be put in words.
CONTEXT_COLUMNS = ["n_matured_invoices", "n_late_invoices", "n_red_flag_reports"] + [
    f"n_{name}_{kind}" for name in SEVERITY_NAMES.values() for kind in ("verified", "unverified")] + RATING_CONTEXT
BUYER_CONTEXT_COLUMNS = list(CONTEXT_COLUMNS)
CONTEXT_COLUMNS = CONTEXT_COLUMNS + VENDOR_CONTEXT_COLUMNS


def _usd(amount: pd.Series, currency: pd.Series, fx: dict) -> np.ndarray:
    unknown = sorted(set(currency.dropna().unique()) - set(fx))
    if unknown or currency.isna().any():
        raise ValueError(f"no FX rate for currency {unknown[0] if unknown else 'missing (NaN)'!r}; "
                         f"fx has {sorted(fx)}")
    return amount.to_numpy(dtype=float) * currency.map(fx).to_numpy(dtype=float)


def _check_values(frame: pd.DataFrame, column: str, allowed: Iterable) -> None:
    bad = ~frame[column].isin(list(allowed))
    if bad.any():
        raise ValueError(f"unknown incident {column} {frame.loc[bad, column].iloc[0]!r}")


PAYMENT_COLUMNS = ("buyer_id", "reporter_id", "invoice_date", "amount", "currency", "terms_days")
PAYMENT_OPTIONAL = {"due_date": pd.NaT, "paid_date": pd.NaT, "paid_amount": np.nan, "deposit_share": np.nan,
                    "carried_amount": 0.0, "carried_since": pd.NaT, "rolled_date": pd.NaT,
                    "known_date": pd.NaT, "paid_known_date": pd.NaT}
INCIDENT_COLUMNS = ("buyer_id", "reporter_id", "type", "severity", "date", "status")
REFERENCE_COLUMNS = ("buyer_id", "reporter_id", "type", "date")


def on_record_since(payments: pd.DataFrame) -> pd.Series:
    """The day each invoice is on record from: its ``invoice_date``, or the later day it became known."""
    issued = pd.to_datetime(payments["invoice_date"])
    if "known_date" not in payments:
        return issued
    known = pd.to_datetime(payments["known_date"]).fillna(issued)
    return known.where(known > issued, issued)


def _payment_rows(payments: pd.DataFrame, as_of: pd.Timestamp, fx: dict) -> pd.DataFrame:
    """Per-invoice quantities as known on ``as_of`` (paid_date, or the day it became known, after as_of =
    not paid yet); an invoice counts from the later of its date and the day it became known."""
    p = payments[on_record_since(payments) <= as_of]
    usd = _usd(p["amount"], p["currency"], fx)
    amount = p["amount"].to_numpy(dtype=float)
    due = pd.to_datetime(p["due_date"]).fillna(
        pd.to_datetime(p["invoice_date"]) + pd.to_timedelta(p["terms_days"], unit="D"))
    paid_date = pd.to_datetime(p["paid_date"])
    paid_learned = pd.to_datetime(p["paid_known_date"]).fillna(paid_date)
    paid_known = (paid_date.notna() & (paid_date <= as_of) & (paid_learned <= as_of)).to_numpy()
    paid_amount = p["paid_amount"].to_numpy(dtype=float)
    paid_amount = np.where(np.isnan(paid_amount), amount, paid_amount)
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(amount > 0, np.clip(paid_amount, 0, None) / amount, 1.0)
    frac = np.where(paid_known, np.clip(frac, 0.0, 1.0), 0.0)
    frac = np.where(frac >= FULL_PAYMENT_TOLERANCE, 1.0, frac)
    # Carried remainder (statement accounts): the part of this bill that is older debt.
    carried = np.clip(np.nan_to_num(p["carried_amount"].to_numpy(dtype=float)), 0, None)
    carried = np.minimum(carried, np.clip(amount, 0, None))
    since = pd.to_datetime(p["carried_since"]).fillna(due)
    rolled_date = pd.to_datetime(p["rolled_date"])
    rolled = (rolled_date.notna() & (rolled_date <= as_of)).to_numpy() & (frac < 1.0)
    open_end = rolled_date.where(rolled, as_of)      # an open remainder ages until it is rolled
    with np.errstate(divide="ignore", invalid="ignore"):
        paid_abs = frac * amount                               # oldest debt is paid first
        c_paid = np.where(carried > 0, np.minimum(paid_abs, carried) / carried, 1.0)
        n_amt = amount - carried
        n_paid = np.where(n_amt > 0, np.clip(paid_abs - carried, 0, None) / n_amt, 1.0)
        c_share = np.where(amount > 0, carried / amount, 0.0)
    lag = lambda a, b: np.clip(np.nan_to_num(_days(a - b)), 0, None)  # noqa: E731
    paid_delay = np.where(paid_known, lag(paid_date, due), 0.0)
    open_delay = lag(open_end, due)
    c_paid_delay = np.where(paid_known, lag(paid_date, since), 0.0)
    c_open_delay = lag(open_end, since)
    has_c = carried > 0
    past_due = (due <= as_of).to_numpy()
    matured = past_due | (frac >= 1.0) | rolled
    # the invoice's own delay: its oldest unsettled (or last settled) debt
    delay = np.where(frac >= 1.0, np.maximum(paid_delay, np.where(has_c, c_paid_delay, 0.0)),
                     np.maximum(np.where(n_paid < 1.0, open_delay, paid_delay),
                                np.where(has_c & (c_paid < 1.0), c_open_delay, 0.0)))
    weighted = ((1 - c_share) * (n_paid * paid_delay + (1.0 - n_paid) * open_delay)
                + c_share * (c_paid * c_paid_delay + (1.0 - c_paid) * c_open_delay))
    m_usd = np.where(matured, usd, 0.0)
    dep = np.nan_to_num(p["deposit_share"].to_numpy(dtype=float))
    open_usd = np.where(past_due & ~rolled, usd * (1 - frac), 0.0)
    x_months = _days(due - as_of) / DAYS_PER_MONTH               # <= 0 for matured invoices
    rows = pd.DataFrame({
        "buyer_id": p["buyer_id"].to_numpy(), "reporter_id": p["reporter_id"].to_numpy(),
        "n": 1.0, "usd": usd, "usd2": usd * usd, "dep_usd": dep * usd,
        "n_mat": matured.astype(float), "n_late": (matured & (delay > 0)).astype(float),
        "m_usd": m_usd, "m_delay_usd": m_usd * weighted,
        "pd_usd": np.where(past_due, usd, 0.0), "pd_open_usd": open_usd,
        # trend regression sums over matured invoices (unweighted)
        "t_n": matured.astype(float), "t_x": np.where(matured, x_months, 0.0),
        "t_y": np.where(matured, delay, 0.0), "t_xx": np.where(matured, x_months ** 2, 0.0),
        "t_xy": np.where(matured, x_months * delay, 0.0),
        "worst": np.where(matured, delay, 0.0),
    })
    # recency: rank of each matured invoice among its buyer's, newest due date first
    order = pd.DataFrame({"b": rows["buyer_id"], "due": due.to_numpy(), "m": matured}).sort_values(
        ["m", "due"], ascending=False, kind="mergesort")
    rank = order.groupby("b", sort=False).cumcount().reindex(rows.index).to_numpy()
    rank = np.where(matured, rank, 1 << 30)
    rows["latest"] = np.where(rank == 0, delay, 0.0)
    for k in RECENT_INVOICES:
        rows[f"l{k}_usd"] = np.where(rank < k, m_usd, 0.0)
        rows[f"l{k}_delay_usd"] = np.where(rank < k, m_usd * weighted, 0.0)
    return rows


def reputation_features(payments: pd.DataFrame, incidents: pd.DataFrame, references: pd.DataFrame,
                        buyers: pd.DataFrame, as_of, fx: dict, *, ratings: pd.DataFrame | None = None,
                        purchases: pd.DataFrame | None = None, disputes: pd.DataFrame | None = None
                        ) -> pd.DataFrame:
    """Features of every buyer first seen on or before ``as_of``, from records dated <= ``as_of``.

    Returns a DataFrame indexed by ``buyer_id`` with the :data:`FEATURE_NAMES` columns (model input,
    evidence included) followed by :data:`CONTEXT_COLUMNS` (counts used to word reasons). Records
    of buyers absent from ``buyers`` are ignored; a buyer with no ``first_seen`` is kept with tenure 0.
    Buyers without any record get zeros (and fail the minimum-evidence rule). Vectorized: one
    groupby per record table; about 3 s for 100k buyers with 1M invoices on 2 cores.
    ``purchases`` (optional): members' lots bought from input vendors, the vendor block.
    """
    as_of = pd.Timestamp(as_of)
    payments = _records(payments, "payments", PAYMENT_COLUMNS, PAYMENT_OPTIONAL)
    incidents = _records(incidents, "incidents", INCIDENT_COLUMNS)
    references = _records(references, "references", REFERENCE_COLUMNS)
    buyers = _records(buyers, "buyers", ("buyer_id",), {"first_seen": pd.NaT})
    first_seen = pd.to_datetime(buyers["first_seen"])
    known = buyers.loc[first_seen.le(as_of) | first_seen.isna(), "buyer_id"]
    index = pd.Index(known.drop_duplicates().to_numpy(), name="buyer_id")
    out = pd.DataFrame(index=index)

    rows = _payment_rows(payments, as_of, fx)
    g = rows.drop(columns=["reporter_id", "worst"]).groupby("buyer_id").sum().reindex(index, fill_value=0.0)
    worst = rows.groupby("buyer_id")["worst"].max().reindex(index, fill_value=0.0)
    firms = rows[["buyer_id", "reporter_id"]].drop_duplicates()["buyer_id"].value_counts()
    sxx = g["t_n"] * g["t_xx"] - g["t_x"] ** 2                   # n^2 * var(x)
    slope = _ratio(g["t_n"] * g["t_xy"] - g["t_x"] * g["t_y"], np.where(sxx > 1e-9, sxx, 0.0))
    mean = _ratio(g["usd"], g["n"])
    var = np.clip(_ratio(g["usd2"], g["n"]) - mean ** 2, 0, None)

    out["days_beyond_terms"] = _ratio(g["m_delay_usd"], g["m_usd"])
    out["late_share"] = _ratio(g["n_late"], g["n_mat"])
    out["worst_delay_days"] = worst.to_numpy()
    out["latest_delay_days"] = g["latest"].to_numpy()
    for k in RECENT_INVOICES:
        out[f"delay_last_{k}"] = _ratio(g[f"l{k}_delay_usd"], g[f"l{k}_usd"])
    out["delay_trend_days"] = slope * (RECENT_WINDOW_DAYS / DAYS_PER_MONTH)
    out["unpaid_past_due_share"] = _ratio(g["pd_open_usd"], g["pd_usd"])

    inc = incidents[pd.to_datetime(incidents["date"]) <= as_of]
    _check_values(inc, "status", STATUS_WEIGHT)
    _check_values(inc, "type", INCIDENT_TYPES)
    _check_values(inc, "severity", SEVERITY_NAMES)
    w = inc["status"].map(STATUS_WEIGHT).to_numpy(dtype=float)
    decay = 0.5 ** (np.clip(_days(as_of - pd.to_datetime(inc["date"])), 0, None) / INCIDENT_HALF_LIFE_DAYS)
    sev = inc["severity"].to_numpy()
    verified = (inc["status"] == "verified").to_numpy()
    unverified = inc["status"].isin(["hearsay", "disputed"]).to_numpy()
    red = inc["type"].isin(RED_FLAG_TYPES).to_numpy()
    cols = {"red_flags": w * red, "n_red_flag_reports": (red & (w > 0)).astype(float)}
    for level, name in SEVERITY_NAMES.items():
        cols[f"incidents_{name}"] = w * decay * (sev == level)
        cols[f"n_{name}_verified"] = (verified & (sev == level)).astype(float)
        cols[f"n_{name}_unverified"] = (unverified & (sev == level)).astype(float)
    ig = pd.DataFrame(cols).groupby(inc["buyer_id"].to_numpy()).sum().reindex(index, fill_value=0.0)
    for level, name in SEVERITY_NAMES.items():
        out[f"incidents_{name}"] = ig[f"incidents_{name}"].to_numpy()
    out["red_flags"] = ig["red_flags"].to_numpy()

    seen = pd.Series(first_seen.to_numpy(), index=buyers["buyer_id"].to_numpy())
    seen = seen[~seen.index.duplicated()].reindex(index)
    out["tenure_months"] = np.clip(np.nan_to_num(_days(as_of - seen)), 0, None) / DAYS_PER_MONTH
    out["n_reporting_firms"] = firms.reindex(index, fill_value=0).to_numpy(dtype=float)
    out["n_payment_experiences"] = g["n"].to_numpy()
    out["order_size_cv"] = np.where(g["n"].to_numpy() >= 2, _ratio(np.sqrt(var), mean), 0.0)
    refs = references[pd.to_datetime(references["date"]) <= as_of]
    ref_firms = refs[["buyer_id", "reporter_id"]].drop_duplicates()["buyer_id"].value_counts()
    out["n_referring_firms"] = ref_firms.reindex(index, fill_value=0).to_numpy(dtype=float)
    out["mean_deposit_share"] = _ratio(g["dep_usd"], g["usd"])

    out["n_matured_invoices"] = g["n_mat"].to_numpy()
    out["n_late_invoices"] = g["n_late"].to_numpy()
    for col in BUYER_CONTEXT_COLUMNS[2:]:
        if col in ig:
            out[col] = ig[col].to_numpy()

    # -- ratings and order disputes blocks (issue 15; ``disputes``: see models.reputation_disputes)
    for block in (rating_features(ratings, index, as_of), dispute_features(disputes, index, as_of)):
        for col in block.columns:
            out[col] = block[col].to_numpy()
    # -- input vendors block (issue 15)
    vendor = vendor_features(purchases, index, as_of)
    for col in vendor.columns:
        out[col] = vendor[col].to_numpy()
    return out[FEATURE_NAMES + CONTEXT_COLUMNS]


def has_minimum_evidence(features: pd.DataFrame) -> pd.Series:
    """True where a buyer has enough payment experiences from enough distinct firms to be scored,
    or an input vendor as many purchase records from as many firms (the same thresholds)."""
    buyer = (features["n_payment_experiences"] >= MIN_PAYMENT_EXPERIENCES) & (
        features["n_reporting_firms"] >= MIN_REPORTING_FIRMS)
    if "n_purchase_records" not in features:
        return buyer
    return buyer | ((features["n_purchase_records"] >= MIN_PAYMENT_EXPERIENCES)
                    & (features["n_purchasing_firms"] >= MIN_REPORTING_FIRMS))


def serious_problem_labels(payments: pd.DataFrame, incidents: pd.DataFrame, buyer_ids: pd.Index,
                           start, end, *, purchases: pd.DataFrame | None = None) -> pd.Series:
    """1 where a buyer has a serious problem in the window (start, end], else 0.

    Serious = an invoice crosses ``SERIOUS_DELAY_DAYS`` beyond terms without full payment inside the
    window (event date due + 60 days; covers both "paid 60+ days late" and "still unpaid 60+ days
    past due at the horizon"), or a verified incident of severity >= ``SERIOUS_SEVERITY`` dated
    inside the window. Invoices already 60 days late at ``start`` are known then, so do not count.
    For input vendors (``purchases``): see :func:`models.reputation_vendors.vendor_problems`.
    """
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    payments = _records(payments, "payments", PAYMENT_COLUMNS, PAYMENT_OPTIONAL)
    incidents = _records(incidents, "incidents", INCIDENT_COLUMNS)
    due = pd.to_datetime(payments["due_date"]).fillna(
        pd.to_datetime(payments["invoice_date"]) + pd.to_timedelta(payments["terms_days"], unit="D"))
    # A carried remainder ages from its oldest debt; a remainder rolled into a later bill before
    # it turned serious is judged in that bill, not again here.
    carried = payments["carried_amount"].astype(float).fillna(0.0) > 0
    due = due.where(~carried, pd.to_datetime(payments["carried_since"]).fillna(due))
    event = due + pd.Timedelta(days=SERIOUS_DELAY_DAYS)
    paid_date = pd.to_datetime(payments["paid_date"])
    amount = payments["amount"].astype(float)
    full = payments["paid_amount"].astype(float).fillna(amount) >= FULL_PAYMENT_TOLERANCE * amount
    rolled = pd.to_datetime(payments["rolled_date"]) < event
    paid_in_time = (paid_date.notna() & (paid_date < event) & full) | rolled
    bad_pay = (event > start) & (event <= end) & ~paid_in_time
    dates = pd.to_datetime(incidents["date"])
    bad_inc = ((incidents["status"] == "verified") & (incidents["severity"] >= SERIOUS_SEVERITY)
               & (dates > start) & (dates <= end))
    bad = set(payments.loc[bad_pay.to_numpy(), "buyer_id"]) | set(incidents.loc[bad_inc.to_numpy(), "buyer_id"])
    bad |= vendor_problems(purchases, start, end)
    return pd.Series(buyer_ids.isin(list(bad)).astype(int), index=buyer_ids, name="label")


def build_training_set(payments, incidents, references, buyers, fx, cutoffs, horizon_days: int = 365,
                       data_end=None, *, ratings=None, purchases=None, disputes=None
                       ) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """Stack (features as of cutoff, label over the next ``horizon_days``) for each cutoff.

    Returns ``X`` (features + context columns, indexed by buyer_id, rows in cutoff order), ``y``
    (0/1, same index) and ``cutoff`` (the cutoff of each row) for a time-aware split: train on earlier
    cutoffs, test on the latest, never random. Rows below the minimum-evidence rule are excluded.
    ``data_end`` (default: latest date in the records) guards against unobserved label windows.
    """
    payments = _records(payments, "payments", PAYMENT_COLUMNS, PAYMENT_OPTIONAL)
    incidents = _records(incidents, "incidents", INCIDENT_COLUMNS)
    if data_end is None:
        data_end = pd.Series([pd.to_datetime(payments["invoice_date"]).max(),
                              pd.to_datetime(payments["paid_date"]).max(), pd.to_datetime(incidents["date"]).max()]).max()
    data_end = pd.Timestamp(data_end)
    xs, ys, cs = [], [], []
    for cutoff in sorted(pd.Timestamp(c) for c in cutoffs):
        end = cutoff + pd.Timedelta(days=horizon_days)
        if end > data_end:
            raise ValueError(f"cutoff {cutoff.date()} + {horizon_days} days ends after the data ({data_end.date()})")
        feats = reputation_features(payments, incidents, references, buyers, cutoff, fx, ratings=ratings,
                                    purchases=purchases, disputes=disputes)
        feats = feats[has_minimum_evidence(feats)]
        xs.append(feats)
        ys.append(serious_problem_labels(payments, incidents, feats.index, cutoff, end, purchases=purchases))
        cs.append(pd.Series(cutoff, index=feats.index, name="cutoff"))
    return pd.concat(xs), pd.concat(ys), pd.concat(cs)
