"""Evaluate the reputation screener against the points baseline on a held-out (latest) cutoff.

Metrics: ROC AUC (does it rank risky buyers first?), Brier score and log loss (are the
probabilities honest?), all beside the base rate and the Brier score of always predicting it.
:func:`plot_calibration` draws reliability diagrams and probability histograms (matplotlib Agg).
"""
from __future__ import annotations

import numpy as np
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score

METRICS = ("auc", "brier", "log_loss")


def _metrics(y: np.ndarray, p: np.ndarray) -> dict:
    auc = float(roc_auc_score(y, p)) if len(set(y)) == 2 else float("nan")
    return {"auc": auc, "brier": float(brier_score_loss(y, p)), "log_loss": float(log_loss(y, p, labels=[0, 1]))}


def evaluate_screener(model, baseline, X_test, y_test) -> dict:
    """Score both fitted estimators on the test rows.

    Returns ``{"model": {auc, brier, log_loss}, "baseline": {...}, "base_rate": float,
    "brier_base_rate": float, "n": int, "proba": {"model": array, "baseline": array, "y": array}}``;
    ``proba`` feeds :func:`plot_calibration`. Print it with :func:`format_evaluation`.
    """
    y = np.asarray(y_test).astype(int)
    pm = model.predict_proba(X_test)[:, 1]
    pb = baseline.predict_proba(X_test)[:, 1]
    rate = float(y.mean())
    return {"model": _metrics(y, pm), "baseline": _metrics(y, pb), "base_rate": rate,
            "brier_base_rate": rate * (1 - rate), "n": int(len(y)),
            "proba": {"model": pm, "baseline": pb, "y": y}}


def format_evaluation(results: dict) -> str:
    """Side-by-side table of model vs baseline metrics."""
    lines = [f"{'metric':<10}{'model':>10}{'baseline':>10}"]
    lines += [f"{m:<10}{results['model'][m]:>10.4f}{results['baseline'][m]:>10.4f}" for m in METRICS]
    lines.append(f"n={results['n']}  base rate={results['base_rate']:.3f}  "
                 f"Brier of predicting the base rate={results['brier_base_rate']:.4f}")
    return "\n".join(lines)


def plot_calibration(results: dict, path, n_bins: int = 10) -> None:
    """Write a PNG: reliability diagram (top) and histogram of predicted probabilities (bottom)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    y = results["proba"]["y"]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7, 8), gridspec_kw={"height_ratios": [2, 1]})
    top.plot([0, 1], [0, 1], linestyle=":", color="grey", label="perfectly calibrated")
    for name, style in (("model", "o-"), ("baseline", "s--")):
        p = results["proba"][name]
        frac, mean = calibration_curve(y, p, n_bins=n_bins, strategy="quantile")
        top.plot(mean, frac, style, label=f"{name} (Brier {results[name]['brier']:.3f}, AUC {results[name]['auc']:.3f})")
        bottom.hist(p, bins=20, range=(0, 1), alpha=0.5, label=name)
    top.set(title="Buyer reputation screener: reliability on the latest cutoff",
            xlabel="predicted probability of a serious problem within 12 months",
            ylabel="observed share with a serious problem", xlim=(0, 1), ylim=(0, 1))
    top.legend(loc="upper left")
    bottom.set(title="Distribution of predicted probabilities", xlabel="predicted probability",
               ylabel="buyers")
    bottom.legend()
    fig.tight_layout()
    fig.savefig(path, format="png", dpi=100)
    plt.close(fig)
