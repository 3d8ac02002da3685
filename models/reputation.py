"""Buyer reputation screener: advises the association's board on a buyer's payment/conduct risk.

Given the features of :func:`models.reputation_features.reputation_features` (one row per buyer),
:class:`ReputationScreener` estimates the probability that a buyer causes a serious payment or
conduct problem in the next 12 months (label: see ``serious_problem_labels``) and
:meth:`~_Assessor.assess` turns it into plain :class:`Assessment` records with the strongest three
reasons in words. :class:`PointsScore` is a transparent fixed-points baseline with the same API.
The model advises; the board decides.

Both estimators follow scikit-learn conventions (params unchanged in ``__init__``, fitted state with a
trailing underscore, clone-able) and accept a DataFrame holding at least ``FEATURE_NAMES`` (extra
columns are ignored) or an array with those columns in that order. Rows passed to ``fit`` should be
in time order (as ``build_training_set`` returns them): the screener's calibration choice holds out
the *latest* rows. Persistence is safe: JSON plus skops with an explicit trusted-type list, never
pickle; files carry the feature list and ``FEATURE_VERSION`` and refuse to load on a mismatch.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import skops.io as sio
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from models.reputation_features import FEATURE_NAMES, FEATURE_VERSION, has_minimum_evidence
from models.reputation_reasons import Reason, make_reason

SCORED, INSUFFICIENT = "scored", "insufficient_history"
META_FILE, MODEL_FILE, POINTS_FILE = "reputation_meta.json", "reputation_model.skops", "reputation_points.json"

# skops trusts plain scikit-learn/numpy types by default (skops 0.16.0); these are the only other
# types a fitted ReputationScreener's file holds (both bases, both calibrations). Never trusted=True.
TRUSTED_TYPES = [
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
]

# Fixed points of the baseline: feature -> ("bands", edges, points per band) or ("per_unit", points, cap).
POINTS = {
    "late_share": ("bands", [0.1, 0.25, 0.5], [0, 5, 10, 20]),
    "days_beyond_terms": ("bands", [5, 15, 30, 60], [0, 10, 20, 30, 40]),
    "unpaid_past_due_share": ("bands", [0.05, 0.25], [0, 10, 20]),
    "incidents_serious": ("per_unit", 10, 40),
    "incidents_grave": ("per_unit", 20, 60),
    "red_flags": ("per_unit", 10, 30),
}


class FeatureVersionError(ValueError):
    """Saved model files were built for another feature list or ``FEATURE_VERSION``."""


@dataclass
class Assessment:
    """What the board sees for one buyer. ``probability``/``risk_band`` are None when insufficient."""
    buyer_id: object
    status: str                                   # "scored" | "insufficient_history"
    probability: float | None
    risk_band: str | None                         # "low" | "medium" | "high" | None
    reasons: list[Reason] = field(default_factory=list)


def _feature_matrix(X) -> np.ndarray:
    if isinstance(X, pd.DataFrame):
        missing = [c for c in FEATURE_NAMES if c not in X.columns]
        if missing:
            raise ValueError(f"feature columns missing: {missing}")
        return X[FEATURE_NAMES].to_numpy(dtype=float)
    Z = np.asarray(X, dtype=float)
    if Z.ndim != 2 or Z.shape[1] != len(FEATURE_NAMES):
        raise ValueError(f"expected {len(FEATURE_NAMES)} feature columns {FEATURE_NAMES}")
    return Z


def _signed_log(Z: np.ndarray) -> np.ndarray:
    """Tame heavy tails (days, counts) so a linear model is not ruled by a few extreme buyers."""
    return np.sign(Z) * np.log1p(np.abs(Z))


def _check_version(meta: dict) -> None:
    if meta.get("feature_version") != FEATURE_VERSION or meta.get("features") != FEATURE_NAMES:
        raise FeatureVersionError(
            f"model built for features {meta.get('feature_version')!r} but this code computes "
            f"{FEATURE_VERSION!r}; retrain the screener (feature lists must match exactly)")


class _Assessor(ClassifierMixin, BaseEstimator):
    """Shared: predict, risk bands, and :meth:`assess` with the top reasons per buyer."""

    def predict(self, X):
        """1 where the probability is at least 0.5 (the board should read probabilities and bands)."""
        return (self.predict_proba(X)[:, 1] >= 0.5).astype(int)

    def risk_band(self, p: float) -> str:
        low, high = self.band_edges
        return "low" if p < low else "medium" if p < high else "high"

    def assess(self, features: pd.DataFrame, top: int = 3) -> list[Assessment]:
        """One :class:`Assessment` per row of ``features`` (index = buyer_id), in input order.

        Below the minimum-evidence rule the status is "insufficient_history" and no number is given.
        Reasons are the ``top`` features with the largest absolute contribution; zero ones are skipped.
        """
        ok = has_minimum_evidence(features).to_numpy()
        scored = features.loc[ok]
        ids = features.index.tolist()
        out = [Assessment(b, INSUFFICIENT, None, None, []) for b in ids]
        if not len(scored):
            return out
        proba = self.predict_proba(scored)[:, 1]
        contrib = self.contributions(scored).to_numpy()
        order = np.argsort(-np.abs(contrib), axis=1, kind="stable")[:, :top]
        rows = scored.to_dict("records")
        for k, i in enumerate(np.flatnonzero(ok)):
            reasons = [make_reason(FEATURE_NAMES[j], contrib[k, j], rows[k]) for j in order[k] if contrib[k, j] != 0]
            p = float(proba[k])
            out[i] = Assessment(ids[i], SCORED, p, self.risk_band(p), reasons)
        return out


class ReputationScreener(_Assessor):
    """Calibrated classifier of serious-problem risk over the next 12 months.

    ``base="logistic"`` (default): signed-log features -> StandardScaler -> LogisticRegression. Reasons
    are exact: coefficient x standardized value, i.e. each feature's push on the log-odds relative to
    the average training buyer, and calibration is monotone so directions stay honest.
    ``base="hgb"``: HistGradientBoostingClassifier; reasons then come from a logistic surrogate.
    ``calibration``: "sigmoid", "isotonic" or "auto" = fit both on the earliest rows and keep the one
    with the lower Brier score on the latest ``holdout_fraction`` of rows. Isotonic is more flexible
    but overfits with few positives; sigmoid is robust for small data. The chosen method is refit on
    all rows with ``CalibratedClassifierCV(cv=cv, ensemble=False)`` (one final base model).
    """

    def __init__(self, base="logistic", calibration="auto", C=1.0, cv=5, holdout_fraction=0.25,
                 band_edges=(0.1, 0.3), random_state=0):
        self.base = base
        self.calibration = calibration
        self.C = C
        self.cv = cv
        self.holdout_fraction = holdout_fraction
        self.band_edges = band_edges
        self.random_state = random_state

    def _logistic(self):
        return Pipeline([("scale", StandardScaler()), ("lr", LogisticRegression(C=self.C, max_iter=2000))])

    def _base(self):
        if self.base == "logistic":
            return self._logistic()
        if self.base == "hgb":
            return HistGradientBoostingClassifier(max_iter=150, learning_rate=0.05, max_leaf_nodes=15,
                                                  min_samples_leaf=40, l2_regularization=1.0,
                                                  random_state=self.random_state)
        raise ValueError(f"base must be 'logistic' or 'hgb', not {self.base!r}")

    def _calibrated(self, method, Z, y):
        return CalibratedClassifierCV(self._base(), method=method, cv=self.cv, ensemble=False).fit(Z, y)

    def _choose_calibration(self, Z, y) -> str:
        if self.calibration in ("sigmoid", "isotonic"):
            return self.calibration
        if self.calibration != "auto":
            raise ValueError(f"calibration must be 'auto', 'sigmoid' or 'isotonic', not {self.calibration!r}")
        k = len(y) - int(len(y) * self.holdout_fraction)
        if min(np.bincount(y[:k], minlength=2)) < 2 * self.cv or len(set(y[k:])) < 2:
            self.calibration_brier_ = {}
            return "sigmoid"                      # too little data to compare: the robust choice
        self.calibration_brier_ = {
            m: float(brier_score_loss(y[k:], self._calibrated(m, Z[:k], y[:k]).predict_proba(Z[k:])[:, 1]))
            for m in ("sigmoid", "isotonic")}
        return min(self.calibration_brier_, key=self.calibration_brier_.get)

    def fit(self, X, y):
        Z = _signed_log(_feature_matrix(X))
        y = np.asarray(y).astype(int)
        if set(np.unique(y)) != {0, 1}:
            raise ValueError("y must contain both classes 0 and 1")
        self.classes_ = np.array([0, 1])
        self.n_features_in_ = Z.shape[1]
        self.calibration_ = self._choose_calibration(Z, y)
        self.calibrated_ = self._calibrated(self.calibration_, Z, y)
        self.surrogate_ = None if self.base == "logistic" else self._logistic().fit(Z, y)
        return self

    def predict_proba(self, X):
        return self.calibrated_.predict_proba(_signed_log(_feature_matrix(X)))

    def _explainer(self) -> Pipeline:
        return self.surrogate_ if self.surrogate_ is not None else self.calibrated_.calibrated_classifiers_[0].estimator

    def contributions(self, X) -> pd.DataFrame:
        """Per-feature push on the log-odds (coef x standardized value), relative to the average buyer."""
        pipe = self._explainer()
        Z = pipe.named_steps["scale"].transform(_signed_log(_feature_matrix(X)))
        index = X.index if isinstance(X, pd.DataFrame) else None
        return pd.DataFrame(Z * pipe.named_steps["lr"].coef_[0], columns=FEATURE_NAMES, index=index)

    def to_files(self) -> dict[str, bytes]:
        """JSON metadata + one skops file (loaded back with :data:`TRUSTED_TYPES` only)."""
        meta = {"estimator": "ReputationScreener", "feature_version": FEATURE_VERSION, "features": FEATURE_NAMES,
                "params": self.get_params(), "calibration": self.calibration_,
                "calibration_brier": getattr(self, "calibration_brier_", {})}
        blob = sio.dumps({"calibrated": self.calibrated_, "surrogate": self.surrogate_})
        return {META_FILE: json.dumps(meta, indent=2).encode(), MODEL_FILE: blob}

    @classmethod
    def from_files(cls, files: dict[str, bytes]) -> "ReputationScreener":
        meta = json.loads(files[META_FILE])
        _check_version(meta)
        params = dict(meta["params"], band_edges=tuple(meta["params"]["band_edges"]))
        self = cls(**params)
        state = sio.loads(files[MODEL_FILE], trusted=TRUSTED_TYPES)
        self.calibrated_, self.surrogate_ = state["calibrated"], state["surrogate"]
        self.calibration_, self.calibration_brier_ = meta["calibration"], meta["calibration_brier"]
        self.classes_, self.n_features_in_ = np.array([0, 1]), len(FEATURE_NAMES)
        return self


def points_table(X) -> pd.DataFrame:
    """Points per rule for each row, from the fixed :data:`POINTS` table."""
    Z = pd.DataFrame(_feature_matrix(X), columns=FEATURE_NAMES)
    out = pd.DataFrame(0.0, index=X.index if isinstance(X, pd.DataFrame) else Z.index, columns=FEATURE_NAMES)
    for name, (kind, a, b) in POINTS.items():
        x = Z[name].to_numpy()
        out[name] = np.asarray(b, dtype=float)[np.digitize(x, a)] if kind == "bands" else np.minimum(x * a, b)
    return out


class PointsScore(_Assessor):
    """Transparent baseline: fixed points (:data:`POINTS`) mapped to a probability by a logistic curve
    ``1 / (1 + exp(-(slope * points + intercept)))`` fitted on the training data (2 numbers)."""

    def __init__(self, band_edges=(0.1, 0.3)):
        self.band_edges = band_edges

    def fit(self, X, y):
        pts = points_table(X).sum(axis=1).to_numpy()[:, None]
        lr = LogisticRegression(C=100.0).fit(pts, np.asarray(y).astype(int))
        self.slope_, self.intercept_ = float(lr.coef_[0, 0]), float(lr.intercept_[0])
        self.classes_, self.n_features_in_ = np.array([0, 1]), len(FEATURE_NAMES)
        return self

    def predict_proba(self, X):
        p = 1.0 / (1.0 + np.exp(-(self.slope_ * points_table(X).sum(axis=1).to_numpy() + self.intercept_)))
        return np.column_stack([1 - p, p])

    def contributions(self, X) -> pd.DataFrame:
        """The points each rule gives (every point raises risk)."""
        return points_table(X)

    def to_files(self) -> dict[str, bytes]:
        meta = {"estimator": "PointsScore", "feature_version": FEATURE_VERSION, "features": FEATURE_NAMES,
                "params": self.get_params(), "points": POINTS, "slope": self.slope_, "intercept": self.intercept_}
        return {POINTS_FILE: json.dumps(meta, indent=2).encode()}

    @classmethod
    def from_files(cls, files: dict[str, bytes]) -> "PointsScore":
        meta = json.loads(files[POINTS_FILE])
        _check_version(meta)
        if meta["points"] != json.loads(json.dumps(POINTS)):
            raise FeatureVersionError("saved points table differs from POINTS in this code")
        self = cls(band_edges=tuple(meta["params"]["band_edges"]))
        self.slope_, self.intercept_ = meta["slope"], meta["intercept"]
        self.classes_, self.n_features_in_ = np.array([0, 1]), len(FEATURE_NAMES)
        return self


def load_screener(files: dict[str, bytes]):
    """Rebuild whichever estimator ``files`` hold (e.g. ``ModelRegistry.load(kind).files``)."""
    if POINTS_FILE in files:
        return PointsScore.from_files(files)
    return ReputationScreener.from_files(files)
