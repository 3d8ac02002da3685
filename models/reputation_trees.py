"""Per-feature contributions of a fitted HistGradientBoostingClassifier, from its own trees.

Path attribution (Saabas; the "approximate" mode of SHAP's tree explainer): each tree node gets the
training-weighted mean of the leaf values below it; walking a row from the root to its leaf, every
split moves the expected value from the parent's to the child's, and that move is credited to the
split's feature. Per row the contributions plus :func:`tree_bias` add up *exactly* to the model's
log-odds (``decision_function``), so a reason's direction is what the model did, not what a
surrogate would have done. Vectorized: one pass per tree level over all rows.
"""
from __future__ import annotations

import numpy as np


def _expected_values(nodes) -> np.ndarray:
    """Count-weighted mean leaf value below each node (children always follow their parent)."""
    value = nodes["value"].astype(float).copy()
    count = nodes["count"].astype(float)
    for i in range(len(nodes) - 1, -1, -1):
        if not nodes["is_leaf"][i]:
            left, right = nodes["left"][i], nodes["right"][i]
            total = count[left] + count[right]
            value[i] = (count[left] * value[left] + count[right] * value[right]) / total if total else 0.0
    return value


def _predictors(model):
    if getattr(model, "n_trees_per_iteration_", 1) != 1:
        raise ValueError("path attribution is implemented for binary classifiers only")
    return [iteration[0] for iteration in model._predictors]


def tree_bias(model) -> float:
    """The log-odds every row starts from: the baseline plus each tree's expected value."""
    base = float(np.ravel(model._baseline_prediction)[0])
    return base + sum(float(_expected_values(p.nodes)[0]) for p in _predictors(model))


def tree_contributions(model, X: np.ndarray) -> np.ndarray:
    """``(n_rows, n_features)`` log-odds contributions; row sums + :func:`tree_bias` = decision_function."""
    X = np.asarray(X, dtype=float)
    out = np.zeros_like(X)
    rows = np.arange(len(X))
    for predictor in _predictors(model):
        nodes = predictor.nodes
        if nodes["is_categorical"].any():
            raise ValueError("path attribution does not handle categorical splits")
        expected = _expected_values(nodes)
        node = np.zeros(len(X), dtype=np.intp)
        active = ~nodes["is_leaf"][node].astype(bool)
        while active.any():
            r, n = rows[active], node[active]
            f = nodes["feature_idx"][n]
            x = X[r, f]
            left = np.where(np.isnan(x), nodes["missing_go_to_left"][n].astype(bool), x <= nodes["num_threshold"][n])
            child = np.where(left, nodes["left"][n], nodes["right"][n]).astype(np.intp)
            out[r, f] += expected[child] - expected[n]       # each row once per step: no collisions
            node[r] = child
            active = ~nodes["is_leaf"][node].astype(bool)
    return out
