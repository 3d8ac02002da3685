"""Transparent baselines for supplier ranking: a hand-weighted rule score and reference scores.

:class:`RuleScorer` is the cold-start ranker (used until the learned ``LambdaRanker``
has enough labelled queries) and the baseline the learned model must beat. It has the
same API as the learned ranker: ``fit``/``predict``/``explain``/``to_files``/``from_files``.
"""
from __future__ import annotations

import json

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from models.ranking_common import (FORMAT, META_FILE, CorruptModel, ModelMismatch, check_expected, feature_table,
                           read_meta, strongest_reasons)


class RuleScorer(BaseEstimator):
    """Score = sum of ``weights[name] * feature[name]``; missing values count as 0.

    ``fit`` learns nothing: it records the feature names and checks every weighted
    feature exists, so a typo fails at start-up rather than silently scoring 0.
    """

    def __init__(self, weights=None, feature_names=None, feature_version=None):
        self.weights = weights
        self.feature_names = feature_names
        self.feature_version = feature_version

    def fit(self, X, y=None, groups=None, sample_weight=None):
        """Record feature names from ``X`` (labels, groups and weights are ignored)."""
        _, names = feature_table(X, self.feature_names)
        weights = dict(self.weights or {})
        unknown = sorted(set(weights) - set(names))
        if unknown:
            raise ValueError(f"weights name features not in the table: {unknown}")
        self.feature_names_in_ = np.asarray(names, dtype=object)
        self.n_features_in_ = len(names)
        self.coef_ = np.array([float(weights.get(n, 0.0)) for n in names])
        return self

    def _matrix(self, X):
        check_is_fitted(self, "coef_")
        M, _ = feature_table(X, expected=list(self.feature_names_in_))
        if M.shape[1] != self.n_features_in_:
            raise ModelMismatch(f"X has {M.shape[1]} features, the scorer expects {self.n_features_in_}")
        M = M.toarray() if hasattr(M, "toarray") else M
        return np.nan_to_num(M, nan=0.0)

    def predict(self, X) -> np.ndarray:
        return self._matrix(X) @ self.coef_

    def explain(self, X, return_bias: bool = False):
        """Contributions ``weight * value`` per feature; they sum exactly to the score (bias 0)."""
        contrib = self._matrix(X) * self.coef_
        return (contrib, np.zeros(len(contrib))) if return_bias else contrib

    def top_reasons(self, X, n: int = 3):
        return strongest_reasons(self.explain(X), self.feature_names_in_, n)

    def to_files(self) -> dict[str, bytes]:
        check_is_fitted(self, "coef_")
        meta = {"format": FORMAT, "estimator": "RuleScorer",
                "feature_names": [str(n) for n in self.feature_names_in_],
                "feature_version": self.feature_version,
                "weights": {str(n): float(w) for n, w in zip(self.feature_names_in_, self.coef_) if w != 0}}
        return {META_FILE: json.dumps(meta, indent=2, sort_keys=True).encode()}

    @classmethod
    def from_files(cls, files: dict, feature_names=None, feature_version=None) -> "RuleScorer":
        """Rebuild from :meth:`to_files` output; same checks as ``LambdaRanker.from_files``."""
        meta = read_meta(files, "RuleScorer")
        check_expected(meta, feature_names, feature_version)
        try:
            names = [str(n) for n in meta["feature_names"]]
            est = cls(weights={str(k): float(v) for k, v in meta["weights"].items()},
                      feature_names=names, feature_version=meta.get("feature_version"))
            return est.fit(np.zeros((1, len(names))))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise CorruptModel(f"cannot load RuleScorer: {exc}") from exc


def text_only_scores(X, column) -> np.ndarray:
    """Baseline: rank by one column (e.g. the search engine's text relevance) alone."""
    if hasattr(X, "columns"):
        return np.asarray(X[column], dtype=float)
    return np.asarray(X, dtype=float)[:, column]


def random_scores(n_rows: int, seed: int = 0) -> np.ndarray:
    """Baseline: a seeded random order (what any model must clearly beat)."""
    return np.random.default_rng(seed).random(n_rows)
