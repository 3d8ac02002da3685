"""Issue 13, item 2: choose the screener's default base model and calibration by measurement.

On both generated histories of ``bench_issue13_features.py`` (the invoice history of
:mod:`models.reputation_synth` and the monthly statements of :mod:`models.statement_synth`), with a
time-aware split (earlier cutoffs train, the latest tests), every candidate
``ReputationScreener(base=..., calibration=...)`` (bases logistic / hgb / stacked, calibrations
sigmoid / isotonic / auto) is fitted and scored on the held-out rows: AUC, Brier, ECE (10 equal-width
bins) and fit time. Beside them: the prior rate (train base rate for everyone), a simple rule (any
matured invoice 30+ days beyond terms or unpaid past-due debt -> the training rate of that group),
the fixed-points baseline, and the raw-matrix reference (HistGradientBoosting defaults on the raw
month-by-month matrix, and on the feature table, uncalibrated). The default is, among candidates
with ECE <= 0.03 on every held-out set, the simplest (logistic < hgb < stacked; sigmoid < isotonic
< auto) whose mean Brier is within ``BRIER_TIE`` of the best mean Brier (closer is noise).

    OMP_NUM_THREADS=1 .venv/bin/python bench/bench_issue13_screener.py \
        [--seeds 13 21 34] [--buyers 6000] [--accounts 6000]

``--demo-db sqlite:////path/matchmaker.db`` also scores the candidates on the app's own vetting
history (the database ``flask demo-data`` writes), with the cutoffs and split of ``flask train
screener``; that set is small (about 150 test rows), so it is reported but not part of the choice.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from sklearn.ensemble import HistGradientBoostingClassifier  # noqa: E402
from sklearn.metrics import brier_score_loss, roc_auc_score  # noqa: E402

from bench_issue13_features import ece, invoice_history, statement_history  # noqa: E402
from models.reputation import PointsScore, ReputationScreener  # noqa: E402
from models.reputation_features import FEATURE_NAMES  # noqa: E402

BASES = ("logistic", "hgb", "stacked")
CALIBRATIONS = ("sigmoid", "isotonic", "auto")
ECE_MAX = 0.03
BRIER_TIE = 0.0005


def metrics(y, p) -> dict:
    return {"auc": float(roc_auc_score(y, p)) if len(set(p)) > 1 else 0.5,
            "brier": float(brier_score_loss(y, p)), "ece": ece(y, np.asarray(p, dtype=float))}


def simple_rule(X):
    return ((X["worst_delay_days"] >= 30) | (X["unpaid_past_due_share"] > 0)).to_numpy()


def run(name: str, X, y, cut, R, results: dict) -> None:
    tr = cut < cut.max()
    te = ~tr
    Xtr, ytr, Xte, yte = X[tr], y[tr], X[te], y[te]
    print(f"\n== {name}: {tr.sum()} train rows ({ytr.sum()} positive), {te.sum()} test rows at the latest "
          f"cutoff ({yte.sum()} positive, rate {yte.mean():.3f}); {len(FEATURE_NAMES)} features, raw {R.shape[1]}")
    print(f"  {'candidate':40s} {'AUC':>6s} {'Brier':>7s} {'ECE':>6s} {'fit s':>6s}  chosen calibration")
    row = lambda label, m, t="", extra="": print(  # noqa: E731
        f"  {label:40s} {m['auc']:6.3f} {m['brier']:7.4f} {m['ece']:6.3f} {t:>6s}  {extra}")
    for base in BASES:
        for cal in CALIBRATIONS:
            t0 = time.perf_counter()
            model = ReputationScreener(base=base, calibration=cal).fit(Xtr, ytr)
            secs = time.perf_counter() - t0
            m = metrics(yte, model.predict_proba(Xte)[:, 1])
            results.setdefault((base, cal), []).append(m)
            row(f"ReputationScreener({base}, {cal})", m, f"{secs:.1f}", model.calibration_)
    row("baseline: prior rate", metrics(yte, np.full(len(yte), ytr.mean())))
    hit_tr, hit_te = simple_rule(Xtr), simple_rule(Xte)
    row("baseline: rule (30+ days late or unpaid)",
        metrics(yte, np.where(hit_te, ytr[hit_tr].mean(), ytr[~hit_tr].mean())))
    row("baseline: PointsScore", metrics(yte, PointsScore().fit(Xtr, ytr).predict_proba(Xte)[:, 1]))
    F = X[FEATURE_NAMES].to_numpy(float)
    for label, M in (("reference: HGB() on feature table", F), ("reference: HGB() on raw month matrix", R)):
        if not M.shape[1]:
            continue
        M = M[:, ~np.isnan(M[tr]).all(axis=0)]
        t0 = time.perf_counter()
        p = HistGradientBoostingClassifier(random_state=0).fit(M[tr], ytr).predict_proba(M[te])[:, 1]
        row(label, metrics(yte, p), f"{time.perf_counter() - t0:.1f}")


def demo_history(url: str):
    """Rows of the app's database history, as ``train_screener`` builds them (raw matrix: none)."""
    os.environ.setdefault("MATCHMAKER_DEMO", "1")
    os.environ["MATCHMAKER_DATABASE_URL"] = url
    from matchmaker import create_app, db
    from matchmaker.vetting.screening import FX, _cutoffs, record_frames
    from models.reputation_features import build_training_set

    with create_app().app_context():
        frames = record_frames(db.session())
    cutoffs, end = _cutoffs(frames, 365, 61)
    X, y, cut = build_training_set(frames["payments"], frames["incidents"], frames["references"], frames["buyers"],
                                   FX, cutoffs, horizon_days=365, data_end=end)
    return X, y.to_numpy(), cut.to_numpy(), np.empty((len(y), 0))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, nargs="+", default=[13, 21, 34])
    ap.add_argument("--buyers", type=int, default=6000)
    ap.add_argument("--accounts", type=int, default=6000)
    ap.add_argument("--demo-db", help="SQLAlchemy URL of a database filled by `flask demo-data`")
    a = ap.parse_args()
    t0 = time.perf_counter()
    results: dict = {}
    if a.demo_db:
        run(f"app demo vetting history ({a.demo_db})", *demo_history(a.demo_db), {})
    for seed in a.seeds:
        run(f"invoices (make_history, {a.buyers} buyers, seed {seed})", *invoice_history(a.buyers, seed), results)
        run(f"statements (make_statements, {a.accounts} accounts, seed {seed})",
            *statement_history(a.accounts, seed), results)
    print(f"\n== summary over {len(a.seeds) * 2} held-out sets (mean; worst ECE)")
    ok = {}
    for key, ms in results.items():
        mean = {k: float(np.mean([m[k] for m in ms])) for k in ("auc", "brier")}
        worst = max(m["ece"] for m in ms)
        ok[key] = (worst <= ECE_MAX, mean["brier"], -mean["auc"])
        print(f"  {key[0]:9s} {key[1]:9s} AUC {mean['auc']:.4f}  Brier {mean['brier']:.4f}  worst ECE {worst:.3f}"
              f"{'' if worst <= ECE_MAX else '  (fails ECE <= 0.03)'}")
    eligible = [k for k, v in ok.items() if v[0]]
    best = None
    if eligible:
        floor = min(ok[k][1] for k in eligible)
        simplest = sorted(eligible, key=lambda k: (BASES.index(k[0]), CALIBRATIONS.index(k[1])))
        best = next(k for k in simplest if ok[k][1] <= floor + BRIER_TIE)
    print(f"\nchosen default (ECE <= {ECE_MAX} on every set; simplest within {BRIER_TIE} of the best mean Brier "
          f"{floor if eligible else float('nan'):.4f}): {best}")
    d = ReputationScreener()
    print(f"ReputationScreener() defaults: base={d.base!r}, calibration={d.calibration!r}"
          f"{'  (matches)' if best == (d.base, d.calibration) else '  (DIFFERS from the measured choice)'}")
    print(f"total {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
