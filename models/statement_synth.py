"""A second, independently built payment history: monthly credit-account statements.

Unlike :mod:`models.reputation_synth` (invoices with a per-invoice delay), this follows how trade
credit accounts are kept month by month: each month a bill (new purchases plus any carried
balance), a payment (full, partial or none), and a delinquency status in months. Risk depends on
*recency* and *trend*: each account's monthly risk drifts, some accounts take a shock, and
payment behaviour follows the current month's risk, so the last months say the most. Outcome:
default (3+ months delinquent) within the horizon.

:func:`make_statements` returns the raw month-by-month matrix beside invoice rows in the schema
of :mod:`models.reputation_features` (the carried remainder mapped to ``carried_amount``,
``carried_since`` and ``rolled_date``), so a model on the features can be compared with one on
the raw months of the same accounts. Deterministic for a seed; nothing fetched.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

TERMS_DAYS = 20
DEFAULT_MONTHS = 3


def make_statements(n_accounts: int = 4000, months: int = 30, start="2022-01-01", seed: int = 0) -> dict:
    """Return ``{"payments", "buyers", "months", "fx", "status", "bill", "paid", "first", "end"}``.

    ``status``/``bill``/``paid`` are (accounts x months) arrays (NaN before an account opens or
    after it defaults); ``first`` is each account's first month; month ``t`` starts on
    ``months[t]``; its bill falls due ``TERMS_DAYS`` later, and its payment is made before the
    next month's statement.
    """
    rng = np.random.default_rng(seed)
    start = pd.Timestamp(start)
    mstart = pd.date_range(start, periods=months + 1, freq="MS")
    ids = np.array([f"A{i:05d}" for i in range(n_accounts)])
    first = rng.integers(0, months // 2, n_accounts)
    base = rng.beta(1.3, 5.0, n_accounts)
    slope = rng.normal(0.0, 0.012, n_accounts)
    shock_at = np.where(rng.random(n_accounts) < 0.25, rng.integers(0, months, n_accounts), months + 99)
    shock = rng.uniform(0.15, 0.5, n_accounts)
    size = rng.lognormal(7.5, 0.8, n_accounts)
    firms = rng.integers(0, 30, (n_accounts, 2))

    shape = (n_accounts, months)
    status, bill, paid = (np.full(shape, np.nan) for _ in range(3))
    rows = []
    balance = np.zeros(n_accounts)
    oldest = np.full(n_accounts, -1)              # month whose due date the oldest unpaid debt has
    delinquent = np.zeros(n_accounts)
    alive = np.ones(n_accounts, bool)
    prev_row = np.full(n_accounts, -1)
    for t in range(months):
        on = alive & (first <= t)
        age = t - first
        r = np.clip(base + slope * age + shock * (t >= shock_at), 0.01, 0.97)
        new = np.where(on, np.round(size * rng.lognormal(0, 0.4, n_accounts), 2), 0.0)
        carried = balance.copy()
        amount = new + carried
        full = rng.random(n_accounts) > r
        none = ~full & (rng.random(n_accounts) < r)
        part = rng.uniform(0.2, 0.8, n_accounts)
        pay = np.where(full, amount, np.where(none, 0.0, np.round(amount * part, 2)))
        late_days = np.where(full, rng.poisson(1 + 10 * r), rng.poisson(3 + 15 * r))
        rest = np.round(amount - pay, 2)
        delinquent = np.where(full, 0, np.where(pay > 0.5 * amount, delinquent, delinquent + 1))
        due = mstart[t] + pd.Timedelta(days=TERMS_DAYS)
        since_month = np.where(carried > 0, oldest, t)
        status[on, t] = delinquent[on]
        bill[on, t] = amount[on]
        paid[on, t] = pay[on]
        for i in np.flatnonzero(on):
            if prev_row[i] >= 0 and carried[i] > 0:
                rows[prev_row[i]]["rolled_date"] = mstart[t]
            pd_ = due + pd.Timedelta(days=int(late_days[i])) if pay[i] > 0 else pd.NaT
            if pd_ is not pd.NaT and pd_ >= mstart[t + 1]:
                pd_ = mstart[t + 1] - pd.Timedelta(days=1)
            rows.append({"buyer_id": ids[i], "reporter_id": f"F{firms[i, t % 2]:02d}",
                         "invoice_date": mstart[t], "amount": amount[i], "currency": "USD",
                         "terms_days": TERMS_DAYS, "due_date": due, "paid_date": pd_,
                         "paid_amount": pay[i] if pay[i] > 0 else np.nan, "deposit_share": np.nan,
                         "carried_amount": carried[i],
                         "carried_since": (mstart[since_month[i]] + pd.Timedelta(days=TERMS_DAYS)
                                           if carried[i] > 0 else pd.NaT),
                         "rolled_date": pd.NaT})
            prev_row[i] = len(rows) - 1
        oldest = np.where(rest > 0, np.where(pay < carried, oldest, t), -1)   # oldest paid first
        balance = np.where(on, rest, 0.0)
        alive &= ~(on & (delinquent >= DEFAULT_MONTHS))
    payments = pd.DataFrame(rows)
    buyers = pd.DataFrame({"buyer_id": ids, "first_seen": mstart[first]})
    return {"payments": payments, "buyers": buyers, "months": mstart, "fx": {"USD": 1.0},
            "status": status, "bill": bill, "paid": paid, "first": first, "end": mstart[months]}


def default_labels(history: dict, cutoff_month: int, horizon: int) -> np.ndarray:
    """1 where an account first reaches ``DEFAULT_MONTHS`` delinquency in months
    ``cutoff_month .. cutoff_month + horizon - 1`` (the cutoff is the start of ``cutoff_month``)."""
    st = history["status"]
    before = np.nanmax(np.nan_to_num(st[:, :cutoff_month], nan=0), axis=1) >= DEFAULT_MONTHS
    window = st[:, cutoff_month:cutoff_month + horizon]
    hit = np.nanmax(np.nan_to_num(window, nan=0), axis=1) >= DEFAULT_MONTHS
    return (hit & ~before).astype(int)
