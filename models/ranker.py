"""Learning-to-rank for supplier candidates: LightGBM LambdaMART behind a scikit-learn API.

The app hands over a plain numeric table (one row per candidate maker, one query id per
RFQ) and graded outcome labels; :class:`LambdaRanker` learns to reorder candidates,
:meth:`LambdaRanker.explain` gives per-feature contributions so the app can show the three
strongest reasons, and :meth:`LambdaRanker.to_files` / :meth:`LambdaRanker.from_files`
persist it as LightGBM text + JSON (never pickle) for :mod:`models.registry`.

Why LightGBM ``lambdarank``: it had the best measured NDCG@10 on the synthetic RFQ data
and the LETOR-like data against ``rank_xendcg`` and pointwise gradient boosting; see
``bench/RESULTS_ranker.md``. The default tree size is limited so predict + explain for 200
candidates stays within the latency budget.
"""
from __future__ import annotations

import hashlib
import json
import time

import lightgbm as lgb
import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from models.ranking_baselines import RuleScorer
from models.ranking_common import (FORMAT, META_FILE, MODEL_FILE, CorruptModel, InsufficientData,  # noqa: F401
                                   ModelMismatch, check_expected, count_positive_queries, feature_table,
                                   query_layout, read_meta, strongest_reasons)
from models.ranking_model_text import trees_only, validate_model_text
from models.ranking_trees import TreeArrays

_RANKING_OBJECTIVES = {"lambdarank", "rank_xendcg"}
_OBJECTIVES = _RANKING_OBJECTIVES | {"regression"}


# --------------------------------------------------------------------------- helpers


def position_propensity(positions, eta: float = 1.0) -> np.ndarray:
    """Probability that a buyer examined a result shown at 1-based ``positions``: ``(1/pos)**eta``.

    This is the standard position-based click model (Joachims et al. 2017). Outcomes that
    start with a click (profile opened, shortlisted, contacted) are only observed for
    candidates the buyer looked at, so labels from low positions are under-counted. Pass
    ``sample_weight=1 / position_propensity(pos, eta)`` to :meth:`LambdaRanker.fit` to
    correct for that (inverse propensity scoring). ``eta=1`` is a common prior; estimate it
    from a randomised swap experiment when the app has one. Clip very large weights
    (e.g. ``np.minimum(w, 20)``) to keep the variance in check.
    """
    pos = np.asarray(positions, dtype=float)
    if np.any(~np.isfinite(pos)) or np.any(pos < 1):
        raise ValueError("positions must be finite and 1-based (>= 1)")
    if eta < 0:
        raise ValueError("eta must be >= 0")
    return (1.0 / pos) ** eta


def _probe_matrix(n_features: int) -> np.ndarray:
    """Fixed inputs whose stored predictions detect a model that loads but is wrong."""
    rng = np.random.default_rng(12345)
    return np.vstack([np.zeros(n_features), rng.normal(0, 3, size=(7, n_features))])


def _lgb_name(name: str, i: int) -> str:
    """LightGBM refuses some characters in feature names; the JSON keeps the real ones."""
    return "".join(ch if ch.isalnum() or ch == "_" else "_" for ch in name)[:60] or f"f{i}"


# --------------------------------------------------------------------------- estimator


class LambdaRanker(BaseEstimator):
    """Gradient-boosted ranker (LightGBM) with scikit-learn conventions.

    Parameters
    ----------
    objective : "lambdarank" (default, chosen by measured NDCG), "rank_xendcg", or
        "regression" (pointwise, for comparison).
    n_estimators, learning_rate, num_leaves, max_depth, min_child_samples, subsample,
    colsample_bytree, reg_lambda : the usual LightGBM tree parameters. Defaults keep
        trees small (15 leaves, depth 4) so explanations are cheap at serving time.
    label_gain : gain per grade for lambdarank (default LightGBM's ``2**g - 1``).
    truncation_level : lambdarank pairs considered per query (LightGBM ``lambdarank_truncation_level``).
    min_queries : minimum number of queries with at least one positive label (grade >= 1);
        below it ``fit`` raises :class:`InsufficientData` so the app falls back to RuleScorer.
    feature_names : names used when ``X`` is not a DataFrame.
    feature_version : the app's feature-set version, stored with the model and checked on load.
    random_state, n_jobs, verbose : seed; training threads (None = all cores; on a busy
        shared host 1 is often faster, and ``n_jobs=1`` makes results bit-reproducible);
        progress printing every ``verbose`` rounds (0 = silent).
    """

    def __init__(self, objective="lambdarank", n_estimators=200, learning_rate=0.08, num_leaves=15,
                 max_depth=4, min_child_samples=20, subsample=1.0, colsample_bytree=1.0, reg_lambda=1.0,
                 label_gain=None, truncation_level=20, min_queries=50, feature_names=None,
                 feature_version=None, random_state=0, n_jobs=None, verbose=0):
        self.objective = objective
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.num_leaves = num_leaves
        self.max_depth = max_depth
        self.min_child_samples = min_child_samples
        self.subsample = subsample
        self.colsample_bytree = colsample_bytree
        self.reg_lambda = reg_lambda
        self.label_gain = label_gain
        self.truncation_level = truncation_level
        self.min_queries = min_queries
        self.feature_names = feature_names
        self.feature_version = feature_version
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.verbose = verbose

    # ------------------------------------------------------------------ training
    def _lgb_params(self) -> dict:
        if self.objective not in _OBJECTIVES:
            raise ValueError(f"objective must be one of {sorted(_OBJECTIVES)}, got {self.objective!r}")
        params = {
            "objective": self.objective, "learning_rate": self.learning_rate,
            "num_leaves": self.num_leaves, "max_depth": self.max_depth,
            "min_data_in_leaf": self.min_child_samples, "lambda_l2": self.reg_lambda,
            "feature_fraction": self.colsample_bytree, "seed": self.random_state, "verbose": -1,
        }
        if self.subsample < 1.0:
            params.update(bagging_fraction=self.subsample, bagging_freq=1)
        if self.n_jobs is not None:
            params["num_threads"] = self.n_jobs
        if self.objective == "lambdarank":
            params["lambdarank_truncation_level"] = self.truncation_level
            if self.label_gain is not None:
                params["label_gain"] = list(self.label_gain)
        return params

    def fit(self, X, y, groups, sample_weight=None):
        """Learn from candidates ``X``, graded labels ``y`` (ints >= 0) and query ids ``groups``.

        Rows need not be sorted: they are grouped by query internally (stable order).
        ``sample_weight`` (per row) is used e.g. for inverse-propensity weights, see
        :func:`position_propensity`.
        """
        M, names = feature_table(X, self.feature_names)
        y = np.asarray(y)
        if y.shape != (M.shape[0],):
            raise ValueError(f"y must have one label per row ({M.shape[0]}), got shape {y.shape}")
        if not np.all(np.isfinite(y)) or np.any(y < 0) or np.any(y != np.round(y)):
            raise ValueError("y must hold graded relevance as non-negative integers")
        y = y.astype(int)
        order, sizes, codes = query_layout(groups, M.shape[0])
        n_pos = count_positive_queries(y, codes)
        if n_pos < self.min_queries:
            raise InsufficientData(
                f"only {n_pos} queries have a positive outcome; need at least {self.min_queries} "
                "to learn a ranker (use RuleScorer until then)")
        weight = None
        if sample_weight is not None:
            weight = np.asarray(sample_weight, dtype=float)
            if weight.shape != y.shape or np.any(~np.isfinite(weight)) or np.any(weight < 0):
                raise ValueError("sample_weight must be finite, non-negative, one per row")
            weight = weight[order]
        ranking = self.objective in _RANKING_OBJECTIVES
        data = lgb.Dataset(M[order], label=y[order], weight=weight,
                           group=sizes if ranking else None,
                           feature_name=[_lgb_name(n, i) for i, n in enumerate(names)],
                           params={"verbose": -1}, free_raw_data=True)
        callbacks = [self._progress()] if self.verbose else []
        self.booster_ = lgb.train(self._lgb_params(), data, num_boost_round=self.n_estimators,
                                  callbacks=callbacks)
        self.feature_names_in_ = np.asarray(names, dtype=object)
        self.n_features_in_ = len(names)
        self.n_queries_ = len(sizes)
        self.n_positive_queries_ = n_pos
        return self

    def _progress(self):
        start, every, total = time.perf_counter(), int(self.verbose), self.n_estimators

        def callback(env):
            it = env.iteration + 1
            if it % every == 0 or it == total:
                print(f"  round {it}/{total}  {time.perf_counter() - start:.1f}s", flush=True)
        return callback

    # ------------------------------------------------------------------ serving
    def _matrix(self, X):
        if (isinstance(X, np.ndarray) and X.dtype == np.float64 and X.ndim == 2 and len(X)
                and X.shape[1] == getattr(self, "n_features_in_", None) and not np.isinf(X).any()):
            return X    # serving's feature matrix, already what check_array returns (0.2 ms of checks saved)
        check_is_fitted(self, "booster_")
        M, _ = feature_table(X, expected=list(self.feature_names_in_))
        if M.shape[1] != self.n_features_in_:
            raise ModelMismatch(f"X has {M.shape[1]} features, the model expects {self.n_features_in_}")
        return M

    def predict(self, X) -> np.ndarray:
        """Ranking scores (higher = show earlier); comparable only within one query."""
        return self.booster_.predict(self._matrix(X), num_threads=1)

    def _arrays(self):
        """The fitted trees as numpy arrays (:mod:`models.ranking_trees`), built once; None if unusable."""
        cache = getattr(self, "_arrays_cache", None)
        if cache is None or cache[0] is not self.booster_:
            cache = (self.booster_, TreeArrays.from_booster(self.booster_, self.n_features_in_))
            self._arrays_cache = cache
        return cache[1]

    def predict_with_leaves(self, X):
        """``(scores, leaves)`` for serving: the scores of :meth:`predict` and the leaf reached in each
        tree, which :meth:`path_contributions` turns into ``explain(method="path")`` for any rows."""
        M = self._matrix(X)
        M = M.toarray() if hasattr(M, "toarray") else M
        arrays = self._arrays()
        if arrays is not None:
            return arrays.predict_with_leaves(M)
        self._path_table()
        leaves = self.booster_.predict(M, pred_leaf=True, num_threads=1).astype(np.intp) + self._leaf_offsets
        return self.booster_.predict(M, num_threads=1), leaves

    def path_contributions(self, leaves) -> np.ndarray:
        """Per-feature "path" contributions ``(rows, features)`` from leaves of :meth:`predict_with_leaves`."""
        table, _ = self._path_table()
        leaves = np.asarray(leaves, dtype=np.intp)
        if leaves.size == 0:
            return np.zeros((len(leaves), self.n_features_in_))
        # the table rows of the leaf reached in each tree, summed: a gather of rows x trees rows (a one-hot
        # product with every leaf of the forest cost 4x more for the 20 rows shown; equal to ~1e-16)
        return np.einsum("rtf->rf", table[leaves])   # the same sums as .sum(axis=1), in half the time

    def explain(self, X, return_bias: bool = False, method: str = "shap"):
        """Per-feature contributions ``(n_rows, n_features)`` to each score.

        Row sums plus the bias equal :meth:`predict`. With ``return_bias=True`` return
        ``(contributions, bias)``; the bias is the part no feature explains (the model's
        average score). ``method="shap"`` is LightGBM's exact TreeSHAP (fair to every
        feature, but ~0.3 ms per row at default size: explain only the candidates shown).
        ``method="path"`` credits each split on a row's path with the change in the node
        value (Saabas); it is as cheap as ``predict`` and fine for picking top reasons,
        but favours features split on near the leaves.
        """
        M = self._matrix(X)
        if hasattr(M, "toarray"):
            M = M.toarray()
        if method == "path":
            table, bias = self._path_table()
            leaves = self.booster_.predict(M, pred_leaf=True, num_threads=1).astype(np.intp)
            n, t = leaves.shape  # one-hot of the leaf reached in each tree, times the table
            hits = sparse.csr_matrix((np.ones(n * t), (leaves + self._leaf_offsets).ravel(),
                                      np.arange(0, n * t + 1, t)), shape=(n, len(table)))
            contrib = np.asarray(hits @ table)
            bias = np.full(len(M), bias)
        elif method == "shap":
            out = np.asarray(self.booster_.predict(M, pred_contrib=True, num_threads=1))
            contrib, bias = out[:, :-1], out[:, -1]
        else:
            raise ValueError("method must be 'shap' or 'path'")
        return (contrib, bias) if return_bias else contrib

    def _path_table(self):
        """Per-leaf contribution vectors for ``method="path"``, built once per fitted booster."""
        cache = getattr(self, "_path_cache", None)
        if cache is not None and cache[0] is self.booster_:
            return cache[1], cache[2]
        trees = self.booster_.dump_model()["tree_info"]
        rows, offsets, bias = [], [], 0.0
        for tree in trees:
            root = tree["tree_structure"]
            offsets.append(sum(len(r) for r in rows))
            leaf_rows = {}

            def walk(node, value, acc):
                if "left_child" not in node:  # a leaf (a stump's root has no leaf_index)
                    leaf_rows[node.get("leaf_index", 0)] = acc
                    return
                for child in (node["left_child"], node["right_child"]):
                    child_value = child.get("internal_value", child.get("leaf_value"))
                    step = acc.copy()
                    step[node["split_feature"]] += child_value - value
                    walk(child, child_value, step)

            root_value = root.get("internal_value", root.get("leaf_value", 0.0))
            bias += root_value
            walk(root, root_value, np.zeros(self.n_features_in_))
            rows.append([leaf_rows[i] for i in range(len(leaf_rows))])
        table = np.array([r for tree_rows in rows for r in tree_rows]).reshape(-1, self.n_features_in_)
        self._leaf_offsets = np.asarray(offsets, dtype=np.intp)
        self._path_cache = (self.booster_, table, bias)
        return table, bias

    def top_reasons(self, X, n: int = 3):
        """For each row, up to ``n`` ``(feature_name, contribution)`` with the largest positive contributions."""
        return strongest_reasons(self.explain(X), self.feature_names_in_, n)

    # ------------------------------------------------------------------ persistence
    def to_files(self) -> dict[str, bytes]:
        """LightGBM model text + JSON metadata, ready for ``ModelRegistry.save``."""
        check_is_fitted(self, "booster_")
        text = self.booster_.model_to_string().encode()
        probe = _probe_matrix(self.n_features_in_)
        meta = {
            "format": FORMAT, "estimator": type(self).__name__,
            "params": {k: (list(v) if isinstance(v, (tuple, np.ndarray)) else v) for k, v in self.get_params().items()},
            "feature_names": [str(n) for n in self.feature_names_in_],
            "feature_version": self.feature_version,
            "n_queries": self.n_queries_, "n_positive_queries": self.n_positive_queries_,
            "num_trees": self.booster_.num_trees(), "lightgbm_version": lgb.__version__,
            "model_sha256": hashlib.sha256(text).hexdigest(),
            "probe_scores": self.booster_.predict(probe, num_threads=1).tolist(),
        }
        return {MODEL_FILE: text, META_FILE: json.dumps(meta, indent=2, sort_keys=True).encode()}

    @classmethod
    def from_files(cls, files: dict, feature_names=None, feature_version=None) -> "LambdaRanker":
        """Rebuild a fitted ranker; raise :class:`ModelMismatch` or :class:`CorruptModel`.

        ``feature_names`` / ``feature_version`` are what the caller will compute; when
        given they must equal the stored ones exactly (names in the same order).
        """
        meta = read_meta(files, cls.__name__)
        check_expected(meta, feature_names, feature_version)
        text = files.get(MODEL_FILE)
        if text is None:
            raise CorruptModel(f"missing {MODEL_FILE}")
        if hashlib.sha256(text).hexdigest() != meta.get("model_sha256"):
            raise CorruptModel(f"{MODEL_FILE} does not match the checksum in {META_FILE}")
        try:
            est = cls(**meta["params"])
            names = list(meta["feature_names"])
            model_str = text.decode("ascii")
            validate_model_text(model_str, len(names), meta["num_trees"])
            booster = lgb.Booster(model_str=trees_only(model_str))
            ok = booster.num_feature() == len(names) and booster.num_trees() == meta["num_trees"]
            ok = ok and np.allclose(booster.predict(_probe_matrix(len(names)), num_threads=1),
                                    meta["probe_scores"], rtol=1e-9, atol=1e-12)
        except (lgb.basic.LightGBMError, KeyError, TypeError, ValueError, UnicodeDecodeError) as exc:
            raise CorruptModel(f"cannot load ranker: {exc}") from exc
        if not ok:
            raise CorruptModel("loaded model is inconsistent with its metadata")
        est.booster_ = booster
        est.feature_names_in_ = np.asarray(names, dtype=object)
        est.n_features_in_ = len(names)
        est.n_queries_, est.n_positive_queries_ = meta.get("n_queries"), meta.get("n_positive_queries")
        return est


def load_scorer(files: dict, feature_names=None, feature_version=None):
    """Rebuild whichever scorer (LambdaRanker or RuleScorer) ``files`` hold."""
    try:
        kind = json.loads(files[META_FILE]).get("estimator")
    except (KeyError, ValueError, UnicodeDecodeError, AttributeError) as exc:
        raise CorruptModel(f"unreadable {META_FILE}: {exc}") from exc
    classes = {"LambdaRanker": LambdaRanker, "RuleScorer": RuleScorer}
    if kind not in classes:
        raise CorruptModel(f"unknown scorer {kind!r}")
    return classes[kind].from_files(files, feature_names=feature_names, feature_version=feature_version)
