"""Train, evaluate and promote the supplier ranker from the outcome log.

The split is by time: the latest 20 % of requirements are held out (the test set,
never looked at before the final evaluation). Inside the training window the
latest 20 % of requirements are a validation set that picks the LightGBM settings
(objective, tree count, leaf size, bagging) from a small grid; the
chosen settings are then refitted on the whole training window.

The learned model is printed and drawn beside three baselines on the same held-out
queries (text relevance alone, the hand-weighted rule score, random) in two label
views: every graded outcome (profile opened = 1 ... order = 5), and business outcomes
only (contacted or better, grade >= 2: what the association cares about). A new model
is promoted only if its NDCG@10 on that held-out set is not worse than the promoted
model's; running workers notice the new version on their next ranking.

Position bias: profile opens (and everything after them) happen only for makers the
buyer looked at, and buyers look less far down the list. The examination curve
``rank ** -eta`` comes from the randomised adjacent pairs served online
(:mod:`.online`) once they hold enough clicks, and the validation grid then also tries
inverse-propensity weights with it; before that it is estimated from the log itself
(:func:`estimate_position_eta`: the logging ranker had random noise, so similar makers
were shown at different ranks) and IPS is only tried with ``ips=True``.
See ``bench/RESULTS_ranking.md`` for what was measured.
"""
from __future__ import annotations

import io
import platform
from datetime import datetime, timezone

import lightgbm
import numpy as np
import pandas as pd
import sklearn

from models.ranker import InsufficientData, LambdaRanker, position_propensity
from models.ranking_baselines import random_scores, text_only_scores
from models.ranking_eval import evaluate_rankers, exposure_by_group, ndcg_at_k, time_split
from models.ranking_plots import plot_ranking_metrics
from models.registry import ArtifactError, ModelRegistry

from .data import training_set
from .features import FEATURE_NAMES, FEATURE_VERSION
from . import online
from .store import KIND, load_model, rule_scorer
from ..catalog import N_

MIN_QUERIES = 50
BUSINESS_MIN_GRADE = 2  # contacted, meeting, sample, order
IPS_CLIP = 20.0
# The validation grid (measured in bench/RESULTS_ranking.md): small trees, as the labels are noisy.
GRID = tuple(dict(objective=objective, num_leaves=7, max_depth=3, learning_rate=0.05, min_child_samples=leaf,
                  n_estimators=trees, subsample=bag, colsample_bytree=bag)
             for objective, bag in (("lambdarank", 1.0), ("rank_xendcg", 1.0), ("rank_xendcg", 0.7))
             for leaf in (50, 200) for trees in (150, 300))


def business_labels(y) -> np.ndarray:
    """The business view of the labels: grades below 'contacted' count as not relevant."""
    y = np.asarray(y)
    return np.where(y >= BUSINESS_MIN_GRADE, y, 0)


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).date().isoformat()


def estimate_position_eta(X, y, position) -> float | None:
    """Exponent of the examination curve ``P(look at rank r) ~ r ** -eta``, from the log itself.

    A log-linear (Poisson) model of "profile opened" on the standardised features plus
    ``log(rank)``: because the logging ranker shuffled similar makers (its noise), the
    coefficient of ``log(rank)`` separates where a maker was shown from how good it looked.
    Returns ``None`` when the log has too few opens to say.
    """
    from sklearn.linear_model import PoissonRegressor
    from sklearn.preprocessing import StandardScaler

    pos = np.asarray(position, dtype=float)
    ok = pos >= 1
    opened = (np.asarray(y)[ok] >= 1).astype(float)
    if opened.sum() < 100 or len(np.unique(pos[ok])) < 3:
        return None
    Z = StandardScaler().fit_transform(np.nan_to_num(np.asarray(X, dtype=float)[ok]))
    model = PoissonRegressor(alpha=1e-4, max_iter=500).fit(np.column_stack([Z, np.log(pos[ok])]), opened)
    return float(min(2.0, max(0.0, -model.coef_[-1])))


def position_eta(session, X, y, position, echo=print) -> tuple[float | None, str | None]:
    """``(eta, source)`` of the examination curve used for inverse-propensity weights.

    From the randomised adjacent pairs served online (:func:`.online.position_bias`) when they
    hold enough clicks; otherwise from the log itself (:func:`estimate_position_eta`); never a
    fixed ``1/rank``.
    """
    bias = online.position_bias(session)
    if bias is not None:
        echo(f"position bias: examination ~ rank ** -{bias.eta:.2f} (95 % CI {bias.ci_low:.2f} .. "
             f"{bias.ci_high:.2f}) from {bias.n_impressions} randomised-pair rankings, {bias.n_clicks} clicks")
        return bias.eta, "randomised pairs"
    eta = estimate_position_eta(X, y, position)
    echo(f"position bias: examination ~ rank ** -{eta:.2f} (estimated from the training window; no "
         "randomised pairs logged yet)" if eta is not None else "position bias: too few opens to estimate")
    return eta, None if eta is None else "log regression"


def ips_weights(position, eta: float | None) -> np.ndarray | None:
    if not eta:
        return None
    return np.minimum(1.0 / position_propensity(np.maximum(position, 1), eta), IPS_CLIP)


def tune(X, y, qid, when, position, eta, min_queries: int, echo=print, grid=None,
         try_ips: bool = False, progress=None) -> tuple[dict, pd.DataFrame]:
    """Pick settings on a validation split inside the training window (the latest 20 % of its queries).

    With ``try_ips`` the best setting is also tried with inverse-propensity weights (``eta``),
    one fit more rather than a second grid.
    """
    grid = GRID if grid is None else grid
    fit, val = time_split(when, 0.2, groups=qid)
    rows = []
    say = progress or (lambda *_: None)
    ips_too = bool(eta and try_ips)
    total = len(grid) + ips_too
    say("validate settings", 0, total)

    def trial(params, weighting, w_eta):
        model = LambdaRanker(feature_names=FEATURE_NAMES, feature_version=FEATURE_VERSION, n_jobs=2,
                             min_queries=min(min_queries, 10), **params)
        model.fit(X[fit], y[fit], qid[fit], sample_weight=ips_weights(position[fit], w_eta))
        s = model.predict(X[val])
        rows.append({**params, "weighting": weighting, "val NDCG@10": ndcg_at_k(y[val], s, qid[val], 10),
                     "val NDCG@10 business": ndcg_at_k(business_labels(y[val]), s, qid[val], 10)})
        say("validate settings", len(rows), total)
    for params in grid:
        trial(params, "none", None)
    if ips_too:
        top = max(rows, key=lambda r: r["val NDCG@10"])
        trial({k: top[k] for k in grid[0]}, "ips", eta)
    table = pd.DataFrame(rows).sort_values("val NDCG@10", ascending=False, kind="stable")
    best = table.iloc[0].to_dict()
    echo(f"validation ({len(set(qid[val]))} latest training requirements): best of {len(rows)} settings "
         f"NDCG@10 {best['val NDCG@10']:.4f} with {best['objective']}, {best['n_estimators']} trees, "
         f"min {best['min_child_samples']} per leaf, weighting {best['weighting']}")
    chosen = {k: best[k] for k in grid[0]}
    chosen["n_estimators"], chosen["num_leaves"] = int(chosen["n_estimators"]), int(chosen["num_leaves"])
    chosen["max_depth"], chosen["min_child_samples"] = int(chosen["max_depth"]), int(chosen["min_child_samples"])
    chosen["subsample"], chosen["colsample_bytree"] = float(chosen["subsample"]), float(chosen["colsample_bytree"])
    chosen["weighting"] = best["weighting"]
    return chosen, table


def comparison_table(scores: dict, y, qid) -> pd.DataFrame:
    """NDCG@5/10 and MRR per ranker in both label views (all outcomes; business outcomes >= contacted)."""
    everything = evaluate_rankers(scores, y, qid, show=False)
    business = evaluate_rankers(scores, business_labels(y), qid, show=False)
    business.columns = [f"{c} business" for c in business.columns]
    return pd.concat([everything, business], axis=1)


def train_ranker(session, registry: ModelRegistry, echo=print, progress=None, min_queries: int = MIN_QUERIES,
                 n_estimators: int | None = None, tune_settings: bool = True, ips: bool = False) -> dict:
    """Train on the log, print the comparison, save the artifact, promote if not worse. Returns the report.

    ``n_estimators`` fixes the tree count; ``tune_settings=False`` skips the validation grid
    (e.g. in tests). ``ips=True`` also offers inverse-propensity weighting to the validation
    grid (off by default: it optimises relevance as if every candidate had been looked at,
    while promotion is judged on the logged outcomes, where it measured worse; see
    ``bench/RESULTS_ranking.md``).
    """
    X, y, qid, when, position, band = training_set(session, progress)
    if len(y) == 0:
        raise InsufficientData("the outcome log has no ranked impressions yet")
    if len(set(qid)) < 10:
        raise InsufficientData(f"only {len(set(qid))} ranked requirements in the outcome log")
    train, test = time_split(when, 0.2, groups=qid)
    positives = len({q for q, g in zip(qid[train], y[train]) if g >= 1})
    if positives < min_queries:
        raise InsufficientData(f"only {positives} requirements have a positive outcome; need at least "
                               f"{min_queries} to learn a ranker (use the rule score until then)")
    echo(f"training on {len(train)} impressions of {len(set(qid[train]))} requirements "
         f"({_iso(when[train].min())} .. {_iso(when[train].max())}); "
         f"held out {len(set(qid[test]))} later requirements ({_iso(when[test].min())} .. {_iso(when[test].max())})")
    eta, bias_source = position_eta(session, X[train], y[train], position[train], echo)
    ips = ips or bias_source == "randomised pairs"   # measured propensities: the validation grid weighs IPS too
    validation = None
    if tune_settings and len(set(qid[train])) >= 5 * min(min_queries, 10):
        params, validation = tune(X[train], y[train], qid[train], when[train], position[train], eta, min_queries,
                                  echo, try_ips=ips, progress=progress)
    else:
        params = dict(GRID[0], weighting="none")
    if n_estimators is not None:
        params["n_estimators"] = n_estimators
    weighting = params.pop("weighting")
    say = progress or (lambda *_: None)
    say("fit and evaluate", 0, 2)
    model = LambdaRanker(feature_names=FEATURE_NAMES, feature_version=FEATURE_VERSION, min_queries=min_queries,
                         n_jobs=2, **params)
    model.fit(X[train], y[train], qid[train],
              sample_weight=ips_weights(position[train], eta if weighting == "ips" else None))
    say("fit and evaluate", 1, 2)
    scores = {
        N_("learned ranker"): model.predict(X[test]),
        N_("rule score"): rule_scorer().fit(X[train]).predict(X[test]),
        N_("text relevance"): text_only_scores(X[test], FEATURE_NAMES.index("text_match")),
        N_("random"): random_scores(len(test), seed=0),
    }
    table = comparison_table(scores, y[test], qid[test])
    say("fit and evaluate", 2, 2)
    echo("held-out NDCG / MRR (all graded outcomes | business outcomes: contacted or better):")
    echo(table.round(4).to_string())
    fairness = exposure_by_group(qid[test], scores["learned ranker"], band[test], k=10)
    echo("top-10 exposure by size band (learned ranker, held-out):")
    echo(fairness.round(3).to_string())
    fairness_rule = exposure_by_group(qid[test], scores["rule score"], band[test], k=10)
    echo("exposure ratio by size band, learned vs rule score: " + ", ".join(
        f"{b} {fairness.loc[b, 'exposure_ratio']:.2f} vs {fairness_rule.loc[b, 'exposure_ratio']:.2f}"
        for b in fairness.index))

    png = io.BytesIO()
    plot_ranking_metrics(table, png)
    new_ndcg = float(table.loc["learned ranker", "NDCG@10"])
    current = _current_ndcg(registry, X[test], y[test], qid[test])
    metadata = {
        "feature_version": FEATURE_VERSION, "features": FEATURE_NAMES,
        "training_window": [_iso(when[train].min()), _iso(when[train].max())],
        "test_window": [_iso(when[test].min()), _iso(when[test].max())],
        "n_train_impressions": int(len(train)), "n_test_queries": int(len(set(qid[test]))),
        "params": {**params, "weighting": weighting}, "position_eta": eta, "position_bias_source": bias_source,
        "previous_promoted": registry.promoted(KIND),
        "validation": None if validation is None else validation.round(4).to_dict(orient="records"),
        "metrics": {name: {k: round(float(v), 4) for k, v in row.items() if "business" not in k}
                    for name, row in table.iterrows()},
        "metrics_business": {name: {k.replace(" business", ""): round(float(v), 4) for k, v in row.items()
                                    if "business" in k} for name, row in table.iterrows()},
        "exposure": {str(k): {c: round(float(v), 4) for c, v in row.items()} for k, row in fairness.iterrows()},
        "exposure_rule": {str(k): {c: round(float(v), 4) for c, v in row.items()}
                          for k, row in fairness_rule.iterrows()},
        "versions": {"python": platform.python_version(), "lightgbm": lightgbm.__version__,
                     "scikit-learn": sklearn.__version__},
        "trained_at": datetime.now(timezone.utc).isoformat(),
    }
    files = model.to_files()
    files["metrics.png"] = png.getvalue()
    version = registry.save(KIND, files, metadata)
    promoted = current is None or new_ndcg >= current
    if promoted:
        registry.promote(KIND, version)
        echo(f"saved and promoted ranker {version} (NDCG@10 {new_ndcg:.4f}"
             + (f" vs current {current:.4f})" if current is not None else ")"))
    else:
        echo(f"saved ranker {version} but kept the current one: NDCG@10 {new_ndcg:.4f} < {current:.4f}")
    return {"version": version, "promoted": promoted, "table": table, "fairness": fairness, "metadata": metadata,
            "current_ndcg": current, "new_ndcg": new_ndcg}


def _current_ndcg(registry: ModelRegistry, X, y, qid) -> float | None:
    """The promoted model's NDCG@10 on the same held-out rows; None when there is none usable."""
    try:
        current = load_model(registry)
    except ArtifactError:
        return None
    if current is None:
        return None
    return ndcg_at_k(y, current[0].predict(X), qid, 10)
