"""A fitted LightGBM model as numpy arrays: scores and leaves of a few hundred rows in one pass.

Serving ranks about 200 candidates at a time. LightGBM's own ``predict`` costs 2-3 ms for that
(most of it per-call setup, not the trees), and explaining the shown rows needed a second call
(``pred_leaf``). :class:`TreeArrays` walks every tree for every row at once with numpy (one gather
per tree level), returning the scores and the leaf reached in each tree; the leaves index the
per-leaf contribution table of :meth:`models.ranker.LambdaRanker.explain` (``method="path"``), so
explanations cost a table lookup. Missing values follow LightGBM's rules (per split: ``None``
turns NaN into 0, ``Zero``/``NaN`` send missing values to the split's default side). Built
from ``Booster.dump_model()``; :meth:`TreeArrays.from_booster` checks its scores against
LightGBM's on probe rows and returns ``None`` (callers use LightGBM) for deep trees or any mismatch.
"""
from __future__ import annotations

import numpy as np

MAX_DEPTH = 12           # deeper trees: one numpy pass per level stops paying off
_MISSING = {"None": 0, "Zero": 1, "NaN": 2}
_ZERO = 1e-35            # LightGBM's kZeroThreshold


class TreeArrays:
    """Every node of every tree in flat arrays, addressed by *twice* its index: ``child[2i + right]``
    is the next node's doubled index, so one level costs two gathers and a compare."""

    def __init__(self, feat, thr, child, value, leaf_id, missing, default_left, roots, depth):
        def doubled(a, fill):
            out = np.full(2 * len(a), fill, dtype=np.asarray(a).dtype)
            out[0::2] = a
            return out
        self.feat, self.thr = doubled(feat, 0), doubled(thr, np.inf)
        self.child = 2 * np.asarray(child, dtype=np.intp)
        self.value, self.leaf_id = doubled(value, 0.0), doubled(leaf_id, -1)
        self.missing, self.default_left = doubled(missing, 0), doubled(default_left, True)
        self.roots, self.depth = 2 * np.asarray(roots, dtype=np.intp), depth
        self.plain = not np.asarray(missing).any()     # every split treats NaN as 0: one nan_to_num up front

    @classmethod
    def from_dump(cls, dump: dict) -> "TreeArrays | None":
        feat, thr, left, right, value, leaf_id, missing, dleft, roots = ([] for _ in range(9))
        depth, leaf_offset = 0, 0

        def add(node, d):
            nonlocal depth
            i = len(feat)
            feat.append(0), thr.append(np.inf), left.append(i), right.append(i), value.append(0.0)
            leaf_id.append(-1), missing.append(0), dleft.append(True)
            if "split_index" not in node:             # a leaf (a stump's root has no leaf_index)
                value[i] = node["leaf_value"]
                leaf_id[i] = leaf_offset + node.get("leaf_index", 0)
                depth = max(depth, d)
                return i
            if node.get("decision_type", "<=") != "<=":
                raise ValueError("categorical split")
            feat[i], thr[i] = node["split_feature"], float(node["threshold"])
            missing[i], dleft[i] = _MISSING[node.get("missing_type", "None")], bool(node.get("default_left", True))
            left[i] = add(node["left_child"], d + 1)
            right[i] = add(node["right_child"], d + 1)
            return i

        for tree in dump["tree_info"]:
            roots.append(add(tree["tree_structure"], 0))
            leaf_offset += tree["num_leaves"]
        if depth > MAX_DEPTH:
            return None
        child = np.empty(2 * len(feat), dtype=np.intp)
        child[0::2], child[1::2] = left, right
        return cls(np.asarray(feat, np.intp), np.asarray(thr), child, np.asarray(value),
                   np.asarray(leaf_id, np.intp), np.asarray(missing, np.int8), np.asarray(dleft, bool),
                   np.asarray(roots, np.intp), depth)

    @classmethod
    def from_booster(cls, booster, n_features: int) -> "TreeArrays | None":
        try:
            arrays = cls.from_dump(booster.dump_model())
        except (KeyError, ValueError):
            return None
        if arrays is None:
            return None
        rng = np.random.default_rng(7)
        probe = rng.normal(0, 3, size=(64, n_features))
        probe[rng.random(probe.shape) < 0.15] = np.nan
        probe[rng.random(probe.shape) < 0.1] = 0.0
        if not np.allclose(arrays.predict_with_leaves(probe)[0], booster.predict(probe, num_threads=1),
                           rtol=1e-9, atol=1e-12):
            return None
        return arrays

    def predict_with_leaves(self, X) -> tuple[np.ndarray, np.ndarray]:
        """``(scores, leaves)``: raw scores ``(n,)`` and the global leaf id per row and tree ``(n, trees)``."""
        X = np.asarray(X, dtype=float)
        n, f = X.shape
        if self.plain:
            X = np.nan_to_num(X, nan=0.0, posinf=np.inf, neginf=-np.inf)
        flat = X.ravel()
        row = (np.arange(n, dtype=np.intp) * f)[:, None]
        node = np.broadcast_to(self.roots, (n, len(self.roots)))
        for _ in range(self.depth):
            x = flat[row + self.feat[node]]
            if self.plain:
                node = self.child[node + (x > self.thr[node])]
                continue
            mt, nan = self.missing[node], np.isnan(x)
            x = np.where(nan & (mt != 2), 0.0, x)
            gone = ((mt == 1) & (np.abs(x) <= _ZERO)) | ((mt == 2) & nan)
            node = self.child[node + np.where(gone, ~self.default_left[node], x > self.thr[node])]
        return self.value[node].sum(axis=1), self.leaf_id[node]
