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
in time order (as ``build_training_set`` returns them): the screener calibrates on forward-chaining
out-of-fold scores (each block scored by a model fitted on the blocks before it). Persistence is safe: JSON plus skops with an explicit trusted-type list, never
pickle; files carry the feature list and ``FEATURE_VERSION`` and refuse to load on a mismatch.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import skops.io as sio
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted
from skops.io.exceptions import UntrustedTypesFoundException

from models.reputation_features import FEATURE_NAMES, FEATURE_VERSION, has_minimum_evidence
from models.reputation_reasons import Reason, make_reason
from models.reputation_trees import tree_contributions

SCORED, INSUFFICIENT = "scored", "insufficient_history"
META_FILE, MODEL_FILE, POINTS_FILE = "reputation_meta.json", "reputation_model.skops", "reputation_points.json"

# skops trusts plain scikit-learn/numpy types by default (skops 0.16.0); this is the only other type
# a fitted ReputationScreener's file holds (every base, both calibrations). Never trusted=True.
TRUSTED_TYPES = ["sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor"]

# Fixed points of the baseline: feature -> ("bands", edges, points per band) or ("per_unit", points, cap).
POINTS = {
    "late_share": ("bands", [0.1, 0.25, 0.5], [0, 5, 10, 20]),
    "days_beyond_terms": ("bands", [5, 15, 30, 60], [0, 10, 20, 30, 40]),
    "unpaid_past_due_share": ("bands", [0.05, 0.25], [0, 10, 20]),
    "incidents_serious": ("per_unit", 10, 40),
    "incidents_grave": ("per_unit", 20, 60),
    "red_flags": ("per_unit", 10, 30),
    # input vendors (issue 15)
    "late_lot_share": ("bands", [0.1, 0.25, 0.5], [0, 5, 10, 20]),
    "major_deviation_share": ("bands", [0.1, 0.25], [0, 10, 20]),
    "warranty_refusals": ("per_unit", 10, 30),
}


class FeatureVersionError(ValueError):
    """Saved model files were built for another feature list or ``FEATURE_VERSION``."""


class UntrustedModelError(ValueError):
    """A saved model file holds a type outside :data:`TRUSTED_TYPES`: refused, nothing was built."""


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

    ``base`` (default ``"hgb"``, chosen by ``bench/bench_issue13_screener.py``: on both generated
    histories it beats the logistic model on AUC and Brier at ECE <= 0.03, see BENCHMARKS.md):

    * ``"hgb"``: HistGradientBoostingClassifier on signed-log features. Reasons are the model's own
      per-feature log-odds contributions (path attribution over its trees,
      :mod:`models.reputation_trees`), relative to the average training buyer.
    * ``"logistic"``: signed-log features -> StandardScaler -> LogisticRegression; reasons are
      coefficient x standardized value.
    * ``"stacked"``: both, combined by a logistic regression on their out-of-fold log-odds; reasons
      are the two contribution sets weighted by that combination.

    Calibration is time-aware: the rows (in time order) are cut into ``cv + 1`` consecutive blocks,
    and each later block whose earlier rows are at least ``min_train_fraction`` of all rows is
    scored by a base fitted on the blocks before it (forward chaining, never the future; bases
    fitted on much less data than the final one score on another scale, so they are not used).
    The calibrator is fitted on those out-of-fold log-odds; the final base is refitted on all rows. ``calibration``: ``"sigmoid"`` (Platt), ``"isotonic"``
    or ``"auto"`` = fit both on the earlier out-of-fold rows and keep the lower Brier score on the
    latest ``holdout_fraction`` of them (too few positives: sigmoid, the robust choice). Both are
    monotone, so a reason's direction on the log-odds is its direction on the probability.
    """

    def __init__(self, base="hgb", calibration="sigmoid", C=1.0, cv=5, min_train_fraction=0.6,
                 holdout_fraction=0.25, band_edges=(0.1, 0.3), random_state=0):
        self.base = base
        self.calibration = calibration
        self.C = C
        self.cv = cv
        self.min_train_fraction = min_train_fraction
        self.holdout_fraction = holdout_fraction
        self.band_edges = band_edges
        self.random_state = random_state

    def _members(self) -> tuple[str, ...]:
        if self.base in ("logistic", "hgb"):
            return (self.base,)
        if self.base == "stacked":
            return ("logistic", "hgb")
        raise ValueError(f"base must be 'logistic', 'hgb' or 'stacked', not {self.base!r}")

    def _new(self, member: str):
        if member == "logistic":
            return Pipeline([("scale", StandardScaler()), ("lr", LogisticRegression(C=self.C, max_iter=2000))])
        return HistGradientBoostingClassifier(max_iter=150, learning_rate=0.05, max_leaf_nodes=15,
                                              min_samples_leaf=40, l2_regularization=1.0,
                                              random_state=self.random_state)

    def _scores(self, bases: dict, Z: np.ndarray) -> np.ndarray:
        """Log-odds of the base (stacked: of the combiner) for each row of Z."""
        S = np.column_stack([bases[m].decision_function(Z) for m in self._members()])
        return S[:, 0] if self.meta_ is None else self.meta_.decision_function(S)

    def _out_of_fold(self, Z, y) -> tuple[np.ndarray, np.ndarray]:
        """Forward-chaining out-of-fold log-odds per member, and the rows that have them."""
        edges = np.linspace(0, len(y), self.cv + 2).astype(int)
        S = np.full((len(y), len(self._members())), np.nan)
        for lo, hi in zip(edges[1:-1], edges[2:]):
            if lo < int(self.min_train_fraction * len(y)) or len(set(y[:lo])) < 2:
                continue
            for j, m in enumerate(self._members()):
                S[lo:hi, j] = self._new(m).fit(Z[:lo], y[:lo]).decision_function(Z[lo:hi])
        ok = ~np.isnan(S).any(axis=1)
        if len(set(y[ok])) < 2:
            raise ValueError("too little history to calibrate: the later rows need both outcomes")
        return S, ok

    @staticmethod
    def _calibrator(method: str, s, y):
        if method == "sigmoid":
            return LogisticRegression(C=1e6, max_iter=1000).fit(s[:, None], y)
        return IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(s, y)

    @staticmethod
    def _calibrated_p(calibrator, s) -> np.ndarray:
        if isinstance(calibrator, LogisticRegression):
            return calibrator.predict_proba(np.asarray(s)[:, None])[:, 1]
        return calibrator.predict(s)

    def _choose_calibration(self, s, y) -> str:
        self.calibration_brier_ = {}
        if self.calibration in ("sigmoid", "isotonic"):
            return self.calibration
        if self.calibration != "auto":
            raise ValueError(f"calibration must be 'auto', 'sigmoid' or 'isotonic', not {self.calibration!r}")
        k = len(y) - int(len(y) * self.holdout_fraction)
        if min(np.bincount(y[:k], minlength=2)) < 20 or len(set(y[k:])) < 2:
            return "sigmoid"                      # too little data to compare: the robust choice
        self.calibration_brier_ = {
            m: float(brier_score_loss(y[k:], self._calibrated_p(self._calibrator(m, s[:k], y[:k]), s[k:])))
            for m in ("sigmoid", "isotonic")}
        return min(self.calibration_brier_, key=self.calibration_brier_.get)

    def fit(self, X, y):
        """Fit on rows in time order (oldest first); returns self."""
        Z = _signed_log(_feature_matrix(X))
        y = np.asarray(y).astype(int)
        if set(np.unique(y)) != {0, 1}:
            raise ValueError("y must contain both classes 0 and 1")
        if not (isinstance(self.cv, int) and self.cv >= 2):
            raise ValueError(f"cv must be an integer >= 2 (forward-chaining folds), not {self.cv!r}")
        self._members()
        S, ok = self._out_of_fold(Z, y)
        self.meta_ = None
        if self.base == "stacked":
            self.meta_ = LogisticRegression(C=1e6, max_iter=1000).fit(S[ok], y[ok])
            s = self.meta_.decision_function(S[ok])
        else:
            s = S[ok, 0]
        self.calibration_ = self._choose_calibration(s, y[ok])
        self.calibrator_ = self._calibrator(self.calibration_, s, y[ok])
        self.bases_ = {m: self._new(m).fit(Z, y) for m in self._members()}
        self.classes_ = np.array([0, 1])
        self.n_features_in_ = Z.shape[1]
        return self

    def predict_proba(self, X):
        check_is_fitted(self, "calibrator_")
        p = self._calibrated_p(self.calibrator_, self._scores(self.bases_, _signed_log(_feature_matrix(X))))
        p = np.clip(p, 0.0, 1.0)
        return np.column_stack([1 - p, p])

    def contributions(self, X) -> pd.DataFrame:
        """Per-feature push on the model's log-odds, relative to the average training buyer."""
        check_is_fitted(self, "calibrator_")
        Z = _signed_log(_feature_matrix(X))
        parts = []
        for m in self._members():
            if m == "logistic":
                pipe = self.bases_[m]
                parts.append(pipe.named_steps["scale"].transform(Z) * pipe.named_steps["lr"].coef_[0])
            else:
                parts.append(tree_contributions(self.bases_[m], Z))
        weights = [1.0] if self.meta_ is None else list(self.meta_.coef_[0])
        index = X.index if isinstance(X, pd.DataFrame) else None
        return pd.DataFrame(sum(w * c for w, c in zip(weights, parts)), columns=FEATURE_NAMES, index=index)

    def to_files(self) -> dict[str, bytes]:
        """JSON metadata + one skops file (loaded back with :data:`TRUSTED_TYPES` only)."""
        check_is_fitted(self, "calibrator_")
        meta = {"estimator": "ReputationScreener", "feature_version": FEATURE_VERSION, "features": FEATURE_NAMES,
                "params": self.get_params(), "calibration": self.calibration_,
                "calibration_brier": self.calibration_brier_}
        blob = sio.dumps({"bases": self.bases_, "meta": self.meta_, "calibrator": self.calibrator_})
        return {META_FILE: json.dumps(meta, indent=2).encode(), MODEL_FILE: blob}

    @classmethod
    def from_files(cls, files: dict[str, bytes]) -> "ReputationScreener":
        """Rebuild from :meth:`to_files`; a file holding any type outside :data:`TRUSTED_TYPES`
        (or skops' own trusted scikit-learn/numpy types) is refused before anything is built."""
        meta = json.loads(files[META_FILE])
        _check_version(meta)
        params = dict(meta["params"], band_edges=tuple(meta["params"]["band_edges"]))
        self = cls(**params)
        try:
            state = sio.loads(files[MODEL_FILE], trusted=TRUSTED_TYPES)
        except UntrustedTypesFoundException as exc:
            raise UntrustedModelError(f"refusing to load the screener: {exc}") from exc
        if set(state) != {"bases", "meta", "calibrator"} or set(state["bases"]) != set(self._members()):
            raise FeatureVersionError("saved screener files are of an older layout; retrain the screener")
        self.bases_, self.meta_, self.calibrator_ = state["bases"], state["meta"], state["calibrator"]
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
