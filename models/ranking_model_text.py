"""Strict pre-check of a LightGBM text model before the C++ parser sees it.

LightGBM's loader trusts its input: some malformed texts load silently wrong, and some
(a tree whose byte size disagrees with the header's ``tree_sizes``, a stray letter in a
number) abort the whole process from a parallel parsing loop, which no Python ``try``
can catch. The registry's checksums stop accidental corruption; this check makes sure
that even a consistently checksummed but malformed file fails with :class:`ValueError`
instead of killing a web worker. It accepts only what
:class:`models.ranker.LambdaRanker` writes: one output per iteration, numeric (not
categorical) splits, no linear trees, every field in LightGBM's own number syntax.
"""
from __future__ import annotations

import math
import re

_TREE_START = re.compile(r"^Tree=(\d+)$", re.M)
_INT = re.compile(r"-?\d{1,9}")
_FLOAT = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d{1,3})?")
_NAME = re.compile(r"[A-Za-z0-9_]{1,60}")
_INFO = re.compile(r"none|\[-?[0-9.eE+-]+:-?[0-9.eE+-]+\]")
_OBJECTIVE = re.compile(r"(lambdarank|rank_xendcg|regression)( [a-z_]+:[0-9.eE+-]+)*")
_HEADER_KEYS = {"version", "num_class", "num_tree_per_iteration", "label_index", "max_feature_idx",
                "objective", "feature_names", "feature_infos", "tree_sizes", "monotone_constraints"}
# tree field -> (count: "leaves" | "inner" | 1, token pattern)
_TREE_FIELDS = {
    "Tree": (1, _INT), "num_leaves": (1, _INT), "num_cat": (1, _INT), "is_linear": (1, _INT),
    "shrinkage": (1, _FLOAT), "leaf_value": ("leaves", _FLOAT), "leaf_weight": ("leaves", _FLOAT),
    "leaf_count": ("leaves", _INT), "split_feature": ("inner", _INT), "split_gain": ("inner", _FLOAT),
    "threshold": ("inner", _FLOAT), "decision_type": ("inner", _INT), "left_child": ("inner", _INT),
    "right_child": ("inner", _INT), "internal_value": ("inner", _FLOAT),
    "internal_weight": ("inner", _FLOAT), "internal_count": ("inner", _INT),
}


def _fields(block: str, allowed) -> dict[str, str]:
    out = {}
    for line in block.splitlines():
        if not line:
            continue
        key, sep, value = line.partition("=")
        if not sep or key not in allowed or key in out:
            raise ValueError(f"unexpected line {line[:40]!r}")
        out[key] = value
    return out


def _tokens(value: str, count: int, pattern: re.Pattern, what: str) -> list[str]:
    tokens = value.split(" ") if count else ([] if value == "" else [value])
    if len(tokens) != count or not all(pattern.fullmatch(t) for t in tokens):
        raise ValueError(f"{what}: expected {count} well-formed values")
    return tokens


def _check_tree(index: int, block: str, n_features: int) -> None:
    f = _fields(block, _TREE_FIELDS)
    if f.get("Tree") != str(index) or f.get("num_cat") != "0" or f.get("is_linear", "0") != "0":
        raise ValueError(f"tree {index}: out of order or unsupported (categorical/linear)")
    leaves = int(_tokens(f.get("num_leaves", ""), 1, _INT, "num_leaves")[0])
    if not 1 <= leaves <= 131072:
        raise ValueError(f"tree {index}: bad num_leaves")
    counts = {"leaves": leaves, "inner": leaves - 1, 1: 1}
    parsed = {}
    for key, (count, pattern) in _TREE_FIELDS.items():
        n = counts[count]
        if key not in f:
            if n and key in {"leaf_value", "shrinkage"} | ({"split_feature", "threshold", "decision_type",
                                                            "left_child", "right_child"} if leaves > 1 else set()):
                raise ValueError(f"tree {index}: missing {key}")
            continue
        if leaves == 1 and key == "leaf_weight" and f[key] == "":  # how LightGBM writes a stump
            continue
        parsed[key] = _tokens(f[key], n, pattern, f"tree {index} {key}")
    if not all(math.isfinite(float(v)) for v in parsed["leaf_value"]):
        raise ValueError(f"tree {index}: non-finite leaf value")
    if leaves == 1:
        return
    if any(not 0 <= int(j) < n_features for j in parsed["split_feature"]):
        raise ValueError(f"tree {index}: split on an unknown feature")
    if any(not 0 <= int(d) < 16 or int(d) & 1 for d in parsed["decision_type"]):
        raise ValueError(f"tree {index}: unsupported decision type")
    children = [int(c) for c in parsed["left_child"] + parsed["right_child"]]
    nodes = sorted(c for c in children if c >= 0)
    leafs = sorted(~c for c in children if c < 0)
    if nodes != list(range(1, leaves - 1)) or leafs != list(range(leaves)):
        raise ValueError(f"tree {index}: children do not form a tree")


def _check_header(head: str, n_features: int, n_trees: int) -> list[int]:
    h = _fields(head, _HEADER_KEYS)
    expected = {"num_class": "1", "num_tree_per_iteration": "1", "label_index": "0",
                "max_feature_idx": str(n_features - 1)}
    wrong = [k for k, v in expected.items() if h.get(k) != v]
    if wrong or h.get("version", "") not in {"v3", "v4"}:
        raise ValueError(f"unsupported model header ({wrong or 'version'})")
    if not _OBJECTIVE.fullmatch(h.get("objective", "")):
        raise ValueError("unsupported objective")
    _tokens(h.get("feature_names", ""), n_features, _NAME, "feature_names")
    _tokens(h.get("feature_infos", ""), n_features, _INFO, "feature_infos")
    if "monotone_constraints" in h:
        _tokens(h["monotone_constraints"], n_features, _INT, "monotone_constraints")
    return [int(t) for t in _tokens(h.get("tree_sizes", ""), n_trees, _INT, "tree_sizes")]


def validate_model_text(text: str, n_features: int, n_trees: int) -> None:
    """Raise ``ValueError`` unless ``text`` is a well-formed single-output LightGBM tree model."""
    if not text.startswith("tree\n") or "\r" in text:
        raise ValueError("not a LightGBM text model")
    end = text.find("\nend of trees")
    start = text.find("\nTree=")
    if end < 0 or not 0 < start < end:
        raise ValueError("no trees or missing 'end of trees'")
    sizes = _check_header(text[len("tree\n"):start], n_features, n_trees)
    body = text[start + 1:end + 1]
    starts = [m.start() for m in _TREE_START.finditer(body)]
    if len(starts) != n_trees or starts[0] != 0:
        raise ValueError(f"expected {n_trees} trees, found {len(starts)}")
    spans = list(zip(starts, starts[1:] + [len(body)]))
    if [len(body[a:b].encode()) for a, b in spans] != sizes:
        raise ValueError("tree sizes disagree with the header")
    for i, (a, b) in enumerate(spans):
        _check_tree(i, body[a:b], n_features)


def trees_only(text: str) -> str:
    """The header and trees of a validated model, without the informational tail
    (feature importances, training parameters) that serving does not need."""
    return text[: text.index("\nend of trees") + len("\nend of trees")] + "\n"
