"""Where the ranker lives: the registry kind, the rule score, and the promoted model per process.

Serving, training and the online evaluation all read models through this module, so none of
them imports another (serving and training used to import each other).
"""
from __future__ import annotations

import threading

from models.ranker import load_scorer
from models.ranking_baselines import RuleScorer
from models.registry import ModelRegistry

from .features import FEATURE_NAMES, FEATURE_VERSION, RULE_WEIGHTS

KIND = "ranker"

_cache_lock = threading.Lock()
_cache: dict[tuple[str, str], object] = {}


def rule_scorer() -> RuleScorer:
    """The transparent hand-weighted score (cold start, fallback, and a baseline)."""
    return RuleScorer(weights=RULE_WEIGHTS, feature_names=FEATURE_NAMES, feature_version=FEATURE_VERSION)


def load_version(registry: ModelRegistry, version: str):
    """The stored scorer ``version``, loaded once per process (artifacts never change once saved)."""
    key = (str(registry.root), version)
    with _cache_lock:
        model = _cache.get(key)
        if model is None:
            artifact = registry.load(KIND, version)
            model = load_scorer(artifact.files, feature_names=FEATURE_NAMES, feature_version=FEATURE_VERSION)
            if len(_cache) > 16:
                _cache.clear()
            _cache[key] = model
        return model


def load_model(registry: ModelRegistry):
    """``(model, version)`` of the promoted ranker, or None; a newly promoted version is picked up at once."""
    version = registry.promoted(KIND)
    if version is None:
        return None
    return load_version(registry, version), version


_previous: dict[tuple[str, str], str | None] = {}


def previous_version(registry: ModelRegistry) -> str | None:
    """The version promoted before the current one (training records it at promotion), if any."""
    version = registry.promoted(KIND)
    if version is None:
        return None
    key = (str(registry.root), version)
    if key not in _previous:
        _previous[key] = registry.load(KIND, version).metadata.get("previous_promoted")
    return _previous[key]
