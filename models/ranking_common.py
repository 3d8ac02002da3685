"""What the ranking estimators share: the stored format, the errors, and table / query helpers.

:mod:`models.ranker` (the learned ranker) and :mod:`models.ranking_baselines` (the rule score)
both build on this module and on nothing of each other's, so neither imports the other
(:func:`models.ranker.load_scorer` sits above both).
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_array

from models.registry import ArtifactError

FORMAT = "matchmaker-ranker/1"
MODEL_FILE = "model.txt"
META_FILE = "ranker.json"


class InsufficientData(ValueError):
    """Too few labelled queries to learn from; the caller should fall back to RuleScorer."""


class ModelMismatch(ArtifactError, ValueError):
    """A stored model or an input table does not match the features the caller uses."""


class CorruptModel(ArtifactError):
    """Stored model files are unreadable, tampered with, or internally inconsistent."""


def feature_table(X, feature_names=None, expected=None):
    """Return ``(matrix, names)`` from a DataFrame, array or sparse matrix.

    DataFrame columns give the names (reordered to ``expected`` when given, so column
    order in the app does not matter); otherwise ``feature_names`` or ``f0..fN``.
    A DataFrame missing an expected column raises :class:`ModelMismatch`.
    """
    if isinstance(X, pd.DataFrame):
        cols = [str(c) for c in X.columns]
        if expected is not None:
            missing = [c for c in expected if c not in cols]
            if missing:
                raise ModelMismatch(f"input table lacks features the model needs: {missing}")
            X = X.loc[:, list(expected)] if cols != list(expected) else X
            cols = list(expected)
        bad = [c for c, t in zip(cols, X.dtypes)
               if not (pd.api.types.is_numeric_dtype(t) or pd.api.types.is_bool_dtype(t))]
        if bad:
            raise ValueError(f"non-numeric feature columns: {bad}")
        return check_array(X.to_numpy(dtype=float), ensure_all_finite="allow-nan"), cols
    M = check_array(X, accept_sparse="csr", dtype=np.float64, ensure_all_finite="allow-nan")
    if feature_names is not None:
        names = list(feature_names)
    else:
        names = list(expected) if expected is not None else [f"f{i}" for i in range(M.shape[1])]
    if len(names) != M.shape[1]:
        raise ModelMismatch(f"{M.shape[1]} feature columns but {len(names)} feature names")
    return M, [str(n) for n in names]


def query_layout(groups, n_rows: int):
    """Return ``(order, sizes, codes)``: a stable order making each query contiguous.

    Queries keep the order of their first appearance and rows keep their order within a
    query, so the result does not depend on how the caller sorted the table.
    """
    groups = np.asarray(groups)
    if groups.ndim != 1 or len(groups) != n_rows:
        raise ValueError(f"groups must be 1-D with one query id per row ({n_rows}), got shape {groups.shape}")
    codes, _ = pd.factorize(groups, use_na_sentinel=True)
    if np.any(codes < 0):
        raise ValueError("groups contains missing query ids")
    order = np.argsort(codes, kind="stable")
    return order, np.bincount(codes), codes


def count_positive_queries(y, codes, relevant_min: int = 1) -> int:
    """Number of queries with at least one row labelled ``>= relevant_min``."""
    best = np.full(codes.max() + 1 if len(codes) else 0, -np.inf)
    np.maximum.at(best, codes, np.asarray(y, dtype=float))
    return int(np.sum(best >= relevant_min))


def read_meta(files: dict, estimator: str) -> dict:
    """Parse and sanity-check the JSON metadata of a stored scorer."""
    try:
        meta = json.loads(files[META_FILE])
    except KeyError as exc:
        raise CorruptModel(f"missing {META_FILE}") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise CorruptModel(f"{META_FILE} is not valid JSON: {exc}") from exc
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise CorruptModel(f"{META_FILE}: unknown format {meta.get('format') if isinstance(meta, dict) else None!r}")
    if meta.get("estimator") != estimator:
        raise ModelMismatch(f"stored scorer is {meta.get('estimator')!r}, not {estimator}")
    return meta


def check_expected(meta: dict, feature_names=None, feature_version=None) -> None:
    """Raise :class:`ModelMismatch` if the stored features differ from what the caller uses."""
    if feature_version is not None and meta.get("feature_version") != feature_version:
        raise ModelMismatch(
            f"model was trained on feature_version {meta.get('feature_version')!r}, "
            f"the app computes {feature_version!r}; retrain or load a matching version")
    if feature_names is not None and list(meta.get("feature_names", [])) != [str(n) for n in feature_names]:
        stored, given = meta.get("feature_names", []), [str(n) for n in feature_names]
        diff = sorted(set(stored) ^ set(given)) or "same names, different order"
        raise ModelMismatch(f"model feature names differ from the app's: {diff}")


def strongest_reasons(contributions, feature_names, n: int = 3):
    """Per row, the ``n`` features pushing the score up most, as ``[(name, value), ...]``."""
    C = np.asarray(contributions)
    names = list(feature_names)
    out = []
    for row in C:
        idx = np.argsort(-row, kind="stable")[:n]
        out.append([(names[j], float(row[j])) for j in idx if row[j] > 0])
    return out
