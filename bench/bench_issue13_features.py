"""Issue 13: do the payment features keep the history's information?

On two independently generated histories, a gradient-boosted model on the feature table
(``models.reputation_features``) is compared with the same model on the raw month-by-month
matrix of the same accounts and rows (target: within 0.01 AUC). Time-aware: earlier cutoffs
train, the latest tests. Printed beside them: the default ``ReputationScreener`` and the logistic
one (AUC, Brier, ECE) and the fixed-points baseline; ``bench_issue13_screener.py`` compares every
screener candidate.

* ``invoices``: :func:`models.reputation_synth.make_history` (the project's invoice history that
  tests and ``bench_reputation`` use); raw matrix = 12 months x (invoices due, USD due, USD
  unpaid as of the cutoff, mean and max days late as known then, incidents by severity).
* ``statements``: :func:`models.statement_synth.make_statements` (monthly credit accounts with
  carried balances; risk driven by recency and trend); raw matrix = 12 months x (bill, payment,
  delinquency status).

    OMP_NUM_THREADS=1 .venv/bin/python bench/bench_issue13_features.py [--buyers 6000] [--accounts 6000]
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.ensemble import HistGradientBoostingClassifier  # noqa: E402
from sklearn.metrics import brier_score_loss, roc_auc_score  # noqa: E402

from models.reputation import PointsScore, ReputationScreener  # noqa: E402
from models.reputation_features import (FEATURE_NAMES, build_training_set, has_minimum_evidence,  # noqa: E402
                                        reputation_features)
from models.reputation_synth import make_history  # noqa: E402
from models.statement_synth import default_labels, make_statements  # noqa: E402

RAW_MONTHS = 12


def ece(y, p, bins: int = 10) -> float:
    """Expected calibration error, equal-width bins."""
    idx = np.minimum((p * bins).astype(int), bins - 1)
    return float(sum(abs(y[idx == b].mean() - p[idx == b].mean()) * (idx == b).mean()
                     for b in range(bins) if (idx == b).any()))


def raw_invoice_matrix(h: dict, ids: pd.Index, cutoff: pd.Timestamp) -> np.ndarray:
    pay = h["payments"]
    pay = pay[pay["invoice_date"] <= cutoff]
    due = pd.to_datetime(pay["due_date"])
    month = ((cutoff - due).dt.days // 30).to_numpy()
    keep = (month >= 0) & (month < RAW_MONTHS)
    p = pay[keep]
    m = month[keep]
    paid = pd.to_datetime(p["paid_date"])
    known = paid.notna() & (paid <= cutoff)
    late = np.where(known, (paid - due[keep]).dt.days, (cutoff - due[keep]).dt.days).clip(0)
    usd = p["amount"].to_numpy() * p["currency"].map(h["fx"]).to_numpy()
    paid_amt = p["paid_amount"].fillna(p["amount"]).to_numpy() * p["currency"].map(h["fx"]).to_numpy()
    unpaid = np.where(known, np.clip(usd - paid_amt, 0, None), usd)
    df = pd.DataFrame({"b": p["buyer_id"].to_numpy(), "m": m, "n": 1.0, "usd": usd, "unpaid": unpaid,
                       "late": late, "late_max": late})
    agg = df.groupby(["b", "m"]).agg(n=("n", "sum"), usd=("usd", "sum"), unpaid=("unpaid", "sum"),
                                     late=("late", "mean"), late_max=("late_max", "max"))
    wide = agg.unstack("m").reindex(ids)
    inc = h["incidents"]
    inc = inc[inc["date"] <= cutoff]
    im = ((cutoff - inc["date"]).dt.days // 30).clip(upper=RAW_MONTHS)       # older -> last column
    idf = pd.DataFrame({"b": inc["buyer_id"].to_numpy(), "m": im.to_numpy(),
                        "sev": inc["severity"].to_numpy(), "ver": (inc["status"] == "verified").to_numpy()})
    icnt = idf.groupby(["b", "m", "sev", "ver"]).size().unstack(["m", "sev", "ver"]).reindex(ids)
    return np.hstack([wide.to_numpy(float), icnt.fillna(0).to_numpy(float)])


def invoice_history(n: int, seed: int):
    h = make_history(n, seed=seed)
    cutoffs = [pd.Timestamp(c) for c in ["2022-10-01", "2023-01-01", "2023-04-01", "2023-07-01", "2023-10-01"]]
    X, y, cut = build_training_set(h["payments"], h["incidents"], h["references"], h["buyers"], h["fx"], cutoffs)
    raws = [raw_invoice_matrix(h, X.index[(cut == c).to_numpy()], c) for c in cutoffs]
    width = max(r.shape[1] for r in raws)
    R = np.vstack([np.pad(r, ((0, 0), (0, width - r.shape[1])), constant_values=np.nan) for r in raws])
    return X, y.to_numpy(), cut.to_numpy(), R


def statement_history(n: int, seed: int, horizon: int = 6):
    h = make_statements(n, seed=seed)
    xs, ys, cs, rs = [], [], [], []
    for cm in (14, 17, 20, 23):
        cutoff = h["months"][cm]
        f = reputation_features(h["payments"], pd.DataFrame(), None, h["buyers"], cutoff, h["fx"])
        alive = ~(np.nan_to_num(h["status"][:, :cm], nan=0) >= 3).any(axis=1)
        ok = has_minimum_evidence(f).to_numpy() & alive
        f = f[ok]
        y = default_labels(h, cm, horizon)[ok]
        # raw months fully settled before the cutoff: statements cm-12 .. cm-1
        lo = cm - RAW_MONTHS
        raw = np.hstack([h[k][ok, lo:cm] for k in ("bill", "paid", "status")])
        xs.append(f), ys.append(y), cs.append(np.full(len(f), cm)), rs.append(raw)
    return pd.concat(xs), np.concatenate(ys), np.concatenate(cs), np.vstack(rs)


def hgb():
    return HistGradientBoostingClassifier(random_state=0)


def compare(name: str, X: pd.DataFrame, y: np.ndarray, cut: np.ndarray, R: np.ndarray) -> None:
    train = cut < cut.max()
    te = ~train
    print(f"\n== {name}: {train.sum()} train rows, {te.sum()} test rows (latest cutoff), "
          f"base rate test {y[te].mean():.3f}; raw matrix {R.shape[1]} columns, features {len(FEATURE_NAMES)}")
    F = X[FEATURE_NAMES].to_numpy(float)
    out = {}
    for label, M in (("HGB on feature table", F), ("HGB on raw month-by-month matrix", R),
                     ("HGB on features + raw", np.hstack([F, R]))):
        M = M[:, ~np.isnan(M[train]).all(axis=0)]        # a month nobody had in training
        p = hgb().fit(M[train], y[train]).predict_proba(M[te])[:, 1]
        out[label] = roc_auc_score(y[te], p)
        print(f"  {label:36s} AUC {out[label]:.3f}")
    gap = out["HGB on raw month-by-month matrix"] - out["HGB on feature table"]
    print(f"  raw - features: {gap:+.3f} AUC (target <= 0.010)")
    for label, model in (("ReputationScreener() default (hgb)", ReputationScreener()),
                         ("ReputationScreener(base='logistic')", ReputationScreener(base="logistic")),
                         ("PointsScore baseline", PointsScore())):
        t0 = time.perf_counter()
        model.fit(X[train], y[train])
        p = model.predict_proba(X[te])[:, 1]
        print(f"  {label:36s} AUC {roc_auc_score(y[te], p):.3f}  Brier {brier_score_loss(y[te], p):.4f}  "
              f"ECE {ece(y[te], p):.3f}  ({time.perf_counter() - t0:.1f} s"
              f"{', calibration ' + model.calibration_ if hasattr(model, 'calibration_') else ''})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--buyers", type=int, default=6000)
    ap.add_argument("--accounts", type=int, default=6000)
    ap.add_argument("--seed", type=int, default=13)
    a = ap.parse_args()
    t0 = time.perf_counter()
    compare(f"invoices (make_history, {a.buyers} buyers, seed {a.seed})", *invoice_history(a.buyers, a.seed))
    compare(f"statements (make_statements, {a.accounts} accounts, seed {a.seed})",
            *statement_history(a.accounts, a.seed))
    print(f"\ntotal {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
