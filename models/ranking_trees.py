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

Trees of depth 3 at most with no missing-value rule (the app's rankers: 7 leaves, depth 3) take a
shorter road, :class:`ShallowTrees`: every distinct split is compared once for all rows, each
tree's 7 decisions become a 7-bit code, and a table maps (tree, code) to the leaf: no walk.
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
        self.shallow: ShallowTrees | None = None

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
        arrays = cls(np.asarray(feat, np.intp), np.asarray(thr), child, np.asarray(value),
                     np.asarray(leaf_id, np.intp), np.asarray(missing, np.int8), np.asarray(dleft, bool),
                     np.asarray(roots, np.intp), depth)
        if depth <= ShallowTrees.DEPTH and arrays.plain:
            arrays.shallow = ShallowTrees(dump, leaf_offset)
        return arrays

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
        if self.shallow is not None:
            return self.shallow.predict_with_leaves(X)
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


class ShallowTrees:
    """Trees of depth <= 3 without missing-value rules, each padded to a complete tree of 7 splits.

    A leaf above depth 3 becomes a split no row passes (threshold +inf) over two copies of itself.
    Scoring: one compare per distinct (feature, threshold) for all rows, each tree's 7 decisions
    as a 7-bit code (split ``h`` in heap order is bit ``h``), and ``leaf[tree, code]``. The scores
    are the same sums, in the same order, as :meth:`TreeArrays.predict_with_leaves`.
    """

    DEPTH = 3
    SPLITS = 2 ** DEPTH - 1

    def __init__(self, dump: dict, n_leaves: int):
        trees = dump["tree_info"]
        feat = np.zeros((len(trees), self.SPLITS), np.intp)
        thr = np.full((len(trees), self.SPLITS), np.inf)
        leaf_at = np.zeros((len(trees), self.SPLITS + 1), np.intp)
        self.leaf_value = np.zeros(n_leaves)
        offset = 0

        def place(t, node, h, d):
            if d == self.DEPTH:                       # heap slots 7..14 are the leaves
                leaf = offset + node.get("leaf_index", 0)
                leaf_at[t, h - self.SPLITS] = leaf
                self.leaf_value[leaf] = node["leaf_value"]
                return
            if "split_index" in node:
                feat[t, h], thr[t, h] = node["split_feature"], float(node["threshold"])
                node_l, node_r = node["left_child"], node["right_child"]
            else:                                     # padding: x > inf is false, rows go left
                node_l = node_r = node
            place(t, node_l, 2 * h + 1, d + 1)
            place(t, node_r, 2 * h + 2, d + 1)

        for t, tree in enumerate(trees):
            place(t, tree["tree_structure"], 0, 0)
            offset += tree["num_leaves"]
        # every leaf a code reaches: walk the heap on the code's bits
        codes = np.arange(2 ** self.SPLITS)
        h = np.zeros_like(codes)
        for _ in range(self.DEPTH):
            h = 2 * h + 1 + ((codes >> h) & 1)
        self.leaf = leaf_at[:, h - self.SPLITS].ravel()          # (trees * 128,) by tree * 128 + code
        self.base = (np.arange(len(trees)) * len(codes))[:, None]
        # distinct splits, sorted by feature then threshold, so their inputs are rows of X.T repeated
        pairs = np.unique(np.stack([feat.ravel(), thr.ravel()]), axis=1)
        self.counts = np.bincount(pairs[0].astype(np.intp), minlength=dump["max_feature_idx"] + 1)
        self.thresholds = pairs[1][:, None]
        lookup = {(int(f), float(v)): i for i, (f, v) in enumerate(pairs.T)}
        self.split_of = np.array([lookup[(int(f), float(v))] for f, v in zip(feat.ravel(), thr.ravel())],
                                 dtype=np.intp)
        self.weights = (1 << np.arange(self.SPLITS)).astype(np.uint8)
        self.n_trees = len(trees)

    def predict_with_leaves(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``X``: rows with NaN already 0. Returns ``(scores, leaves)`` as :class:`TreeArrays` does."""
        n = len(X)
        passed = np.repeat(np.ascontiguousarray(X.T), self.counts, axis=0) > self.thresholds
        decisions = passed[self.split_of].reshape(self.n_trees, self.SPLITS, n).view(np.uint8)
        codes = np.einsum("thn,h->tn", decisions, self.weights)        # < 128: fits the uint8 sum
        leaves = np.ascontiguousarray(self.leaf[codes + self.base].T)
        return self.leaf_value[leaves].sum(axis=1), leaves
