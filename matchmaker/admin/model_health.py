"""The learned models in words: which version serves, when it was trained, on what, and how well.

Reads only the registry's ``manifest.json`` of a version (the metadata written by
``ranking.training.train_ranker`` and ``vetting.screening.train_screener``), never the model
files, so a page can describe a model without loading it. Manifests never change once written,
so they are cached per (kind, version).
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from flask import current_app

from ..i18n import format_date, gettext as _

RANKER, SCREENER = "ranker", "reputation"   # the registry kinds (ranking.training.KIND, vetting.screening.KIND)
KINDS = (RANKER, SCREENER)
PLOTS = {RANKER: "metrics.png", SCREENER: "calibration.png"}

_manifests: dict[tuple[str, str, str], dict | None] = {}


def model_dir() -> Path:
    return Path(current_app.config["MODEL_DIR"])


def versions(kind: str) -> list[str]:
    directory = model_dir() / kind
    if not directory.is_dir():
        return []
    return sorted((p.name for p in directory.iterdir() if p.is_dir() and not p.name.startswith(".")), reverse=True)


def promoted(kind: str) -> str | None:
    try:
        return (model_dir() / kind / "PROMOTED").read_text().strip() or None
    except OSError:
        return None


def manifest(kind: str, version: str | None) -> dict | None:
    """The manifest of one version, or ``None`` when there is no such readable version."""
    if not version or kind not in KINDS or version not in versions(kind):
        return None
    key = (str(model_dir()), kind, version)
    if key not in _manifests:
        try:
            _manifests[key] = json.loads((model_dir() / kind / version / "manifest.json").read_text())
        except (OSError, ValueError):
            return None
    return _manifests[key]


def trained_at(version: str, metadata: dict) -> datetime | None:
    """When a version was trained: its metadata, else the UTC time its id is made of."""
    if metadata.get("trained_at"):
        try:
            return datetime.fromisoformat(metadata["trained_at"])
        except ValueError:
            pass
    try:
        return datetime.strptime(version, "%Y%m%dT%H%M%S%fZ").replace(tzinfo=timezone.utc)
    except ValueError:
        return None


def window(kind: str, metadata: dict) -> tuple[str | None, str | None]:
    """The span of history a version learned from (first, last day)."""
    if kind == RANKER:
        span = metadata.get("training_window") or [None, None]
        return span[0], span[-1]
    cutoffs = metadata.get("cutoffs") or []
    return (cutoffs[0], cutoffs[-1]) if cutoffs else (None, None)


def describe(kind: str, version: str | None) -> str:
    """One sentence for a reader: "learned model trained 1 Dec 2026 on outcomes up to 20 May 2026"."""
    if not version:
        return ""
    data = manifest(kind, version)
    metadata = (data or {}).get("metadata", {})
    when = trained_at(version, metadata)
    trained = format_date(when) if when else "—"
    first, last = window(kind, metadata)
    if kind == RANKER:
        if last:
            return _("learned model trained {trained} on outcomes from {first} to {last}",
                     trained=trained, first=format_date(first), last=format_date(last))
        return _("learned model trained {trained}", trained=trained)
    if last:
        return _("reputation model trained {trained} on payment and incident history up to {last}",
                 trained=trained, last=format_date(last))
    return _("reputation model trained {trained}", trained=trained)


def summary(kind: str) -> dict:
    """What the model page shows of one kind: the promoted version in words, metrics, baselines, plot."""
    version = promoted(kind)
    data = manifest(kind, version)
    metadata = (data or {}).get("metadata", {})
    plot = PLOTS[kind] if data and PLOTS[kind] in data.get("files", {}) else None
    out = {"kind": kind, "version": version, "words": describe(kind, version), "readable": data is not None,
           "plot": plot, "versions": versions(kind), "metadata": metadata}
    first, last = window(kind, metadata)
    out["window"] = (first, last)
    if kind == RANKER:
        out["test_window"] = metadata.get("test_window")
        out["n_train"] = metadata.get("n_train_impressions")
        out["n_test"] = metadata.get("n_test_queries")
        out["tables"] = [(_("All recorded outcomes"), metadata.get("metrics") or {}),
                         (_("Business outcomes (contacted or better)"), metadata.get("metrics_business") or {})]
        out["columns"] = ["NDCG@5", "NDCG@10", "MRR"]
    else:
        metrics = metadata.get("metrics") or {}
        out["n_train"] = metadata.get("n_train")
        out["n_test"] = metadata.get("n_test")
        out["base_rate"] = metrics.get("base_rate")
        rows = {}
        if metrics.get("model"):
            rows[_("calibrated screener")] = metrics["model"]
        if metrics.get("baseline"):
            rows[_("points baseline")] = metrics["baseline"]
        if metrics.get("brier_base_rate") is not None:
            rows[_("base rate only")] = {"brier": metrics["brier_base_rate"]}
        out["tables"] = [(_("Held-out buyers"), rows)]
        out["columns"] = ["auc", "brier", "log_loss"]
    return out


def plot_path(kind: str, version: str, name: str) -> Path | None:
    """The file of a plot of a stored version, only if it is one of the known plot names."""
    if kind not in KINDS or name != PLOTS[kind] or manifest(kind, version) is None:
        return None
    path = model_dir() / kind / version / name
    return path if path.is_file() else None
