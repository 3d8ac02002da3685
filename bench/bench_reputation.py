"""Benchmark the buyer reputation screener: score ~100k buyers from raw records.

Trains on a smaller synthetic history (time-aware: earlier cutoffs train, the latest tests), prints
model vs baseline metrics, writes a calibration PNG to bench/out/, then times
``reputation_features`` + ``predict_proba`` (target <= 10 s) and ``assess`` on 100k buyers.

    .venv/bin/python bench/bench_reputation.py [--buyers 100000] [--train-buyers 20000]
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models.reputation import PointsScore, ReputationScreener  # noqa: E402
from models.reputation_eval import evaluate_screener, format_evaluation, plot_calibration  # noqa: E402
from models.reputation_features import build_training_set, has_minimum_evidence, reputation_features  # noqa: E402
from models.reputation_synth import make_history  # noqa: E402

CUTOFFS = ["2022-10-01", "2023-01-01", "2023-04-01", "2023-07-01", "2023-10-01"]


def step(msg: str, t0: float) -> float:
    now = time.perf_counter()
    print(f"  {msg}: {now - t0:.2f} s", flush=True)
    return now


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--buyers", type=int, default=100_000)
    ap.add_argument("--train-buyers", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    print(f"cpus={os.cpu_count()}", flush=True)

    print(f"1. training history: {args.train_buyers} buyers", flush=True)
    t = time.perf_counter()
    h = make_history(args.train_buyers, seed=args.seed)
    X, y, cutoff = build_training_set(h["payments"], h["incidents"], h["references"], h["buyers"], h["fx"], CUTOFFS)
    t = step(f"features + labels for {len(CUTOFFS)} cutoffs, {len(X)} rows, base rate {y.mean():.3f}", t)
    train = (cutoff < cutoff.max()).to_numpy()
    model = ReputationScreener().fit(X[train], y[train])
    t = step(f"fit screener (calibration chosen: {model.calibration_}, held-out Brier {model.calibration_brier_})", t)
    baseline = PointsScore().fit(X[train], y[train])
    res = evaluate_screener(model, baseline, X[~train], y[~train])
    print(format_evaluation(res))
    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    plot_calibration(res, out / "reputation_calibration.png")
    print(f"  calibration plot: {out / 'reputation_calibration.png'}", flush=True)

    print(f"2. scoring history: {args.buyers} buyers", flush=True)
    t = time.perf_counter()
    big = make_history(args.buyers, seed=args.seed + 1)
    t = step(f"generated {len(big['payments'])} payments, {len(big['incidents'])} incidents, "
             f"{len(big['references'])} references", t)
    start = time.perf_counter()
    feats = reputation_features(big["payments"], big["incidents"], big["references"], big["buyers"],
                                big["end"], big["fx"])
    t = step(f"reputation_features -> {len(feats)} buyers", start)
    ok = has_minimum_evidence(feats)
    proba = model.predict_proba(feats[ok])[:, 1]
    t = step(f"predict_proba for {int(ok.sum())} buyers with minimum evidence", t)
    print(f"  TOTAL features + predict: {t - start:.2f} s (target <= 10 s)", flush=True)
    assessments = model.assess(feats)
    t = step(f"assess (probability, band, 3 reasons) for all {len(assessments)} buyers", t)
    bands = {}
    for a in assessments:
        bands[a.risk_band or a.status] = bands.get(a.risk_band or a.status, 0) + 1
    print(f"  outcome counts: {bands}; mean probability {proba.mean():.3f}", flush=True)


if __name__ == "__main__":
    main()
