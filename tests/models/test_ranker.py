"""The learned ranker and the rule scorer: sklearn API, quality, explanations, safe persistence."""
import json

import lightgbm as lgb
import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.datasets import load_svmlight_file
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from models.ranker import (CorruptModel, InsufficientData, LambdaRanker, ModelMismatch, load_scorer,
                           position_propensity)
from models.ranking_baselines import RuleScorer, random_scores, text_only_scores
from models.ranking_eval import ndcg_at_k, time_split
from models.ranking_synth import make_rfq_candidates
from models.registry import ArtifactError, ModelRegistry

FAST = dict(n_estimators=60, n_jobs=1, min_queries=20)


@pytest.fixture(scope="module")
def data():
    X, y, g, t = make_rfq_candidates(n_queries=260, min_size=10, max_size=30, seed=3)
    train, test = time_split(t, 0.25, groups=g)
    return X, y, g, train, test


@pytest.fixture(scope="module")
def fitted(data):
    X, y, g, train, _ = data
    return LambdaRanker(feature_version="rfq-v1", **FAST).fit(X.iloc[train], y[train], g[train])


def test_sklearn_api_basics():
    est = LambdaRanker(num_leaves=7, feature_names=["a", "b"])
    assert est.get_params()["num_leaves"] == 7
    twin = clone(est)
    assert twin is not est and twin.get_params() == est.get_params()
    twin.set_params(num_leaves=31, objective="rank_xendcg")
    assert twin.num_leaves == 31 and est.num_leaves == 7
    assert clone(RuleScorer(weights={"a": 1.0})).weights == {"a": 1.0}
    with pytest.raises(Exception):  # not fitted
        est.predict(np.zeros((2, 2)))


def test_numpy_input_and_unsorted_groups(data):
    X, y, g, train, test = data
    M = X.to_numpy()
    rng = np.random.default_rng(0)
    shuffled = rng.permutation(train)  # queries interleaved: must be regrouped internally
    a = LambdaRanker(**FAST).fit(M[train], y[train], g[train])
    b = LambdaRanker(**FAST).fit(M[shuffled], y[shuffled], g[shuffled])
    assert list(a.feature_names_in_) == [f"f{i}" for i in range(M.shape[1])]
    assert a.predict(M[test]).shape == (len(test),)
    assert ndcg_at_k(y[test], b.predict(M[test]), g[test]) == pytest.approx(
        ndcg_at_k(y[test], a.predict(M[test]), g[test]), abs=0.03)


def test_dataframe_names_and_column_order(fitted, data):
    X, _, _, _, test = data
    assert list(fitted.feature_names_in_) == list(X.columns)
    reordered = X.iloc[test][list(reversed(X.columns))]
    np.testing.assert_allclose(fitted.predict(reordered), fitted.predict(X.iloc[test]))
    with pytest.raises(ModelMismatch, match="lacks"):
        fitted.predict(X.iloc[test].drop(columns="reputation"))


def test_pipeline_with_scaler(data):
    X, y, g, train, test = data
    pipe = Pipeline([("scale", StandardScaler()), ("rank", LambdaRanker(**FAST))])
    pipe.fit(X.iloc[train], y[train], rank__groups=g[train])
    scores = pipe.predict(X.iloc[test])
    assert ndcg_at_k(y[test], scores, g[test]) > ndcg_at_k(y[test], random_scores(len(test)), g[test])
    assert clone(pipe).get_params()["rank__n_estimators"] == FAST["n_estimators"]


def test_learned_ranker_beats_baselines(fitted, data):
    X, y, g, _, test = data
    ndcg = lambda s: ndcg_at_k(y[test], s, g[test], k=10)  # noqa: E731
    model = ndcg(fitted.predict(X.iloc[test]))
    assert model > ndcg(random_scores(len(test), seed=1)) + 0.2
    assert model > ndcg(text_only_scores(X.iloc[test], "text_relevance")) + 0.1


def test_explain_sums_to_prediction_and_reasons(fitted, data):
    X, _, _, _, test = data
    rows = X.iloc[test[:25]]
    contrib, bias = fitted.explain(rows, return_bias=True)
    assert contrib.shape == (25, X.shape[1])
    np.testing.assert_allclose(contrib.sum(axis=1) + bias, fitted.predict(rows), atol=1e-9)
    reasons = fitted.top_reasons(rows, n=3)
    assert len(reasons) == 25 and all(len(r) <= 3 for r in reasons)
    for r in reasons:
        assert all(name in X.columns and value > 0 for name, value in r)
        assert [v for _, v in r] == sorted((v for _, v in r), reverse=True)


def test_round_trip_through_registry(fitted, data, tmp_path):
    X, _, _, _, test = data
    reg = ModelRegistry(tmp_path)
    version = reg.save("ranker", fitted.to_files(), {"feature_version": "rfq-v1"})
    reg.promote("ranker", version)
    loaded = LambdaRanker.from_files(reg.load("ranker").files, feature_names=list(X.columns),
                                     feature_version="rfq-v1")
    np.testing.assert_array_equal(loaded.predict(X.iloc[test]), fitted.predict(X.iloc[test]))
    np.testing.assert_allclose(loaded.explain(X.iloc[test[:5]]), fitted.explain(X.iloc[test[:5]]))
    assert loaded.get_params() == fitted.get_params()
    assert isinstance(load_scorer(fitted.to_files()), LambdaRanker)


def test_mismatched_features_are_refused(fitted, data):
    X = data[0]
    files = fitted.to_files()
    with pytest.raises(ModelMismatch, match="feature_version"):
        LambdaRanker.from_files(files, feature_version="rfq-v2")
    with pytest.raises(ModelMismatch, match="extra_feature"):
        LambdaRanker.from_files(files, feature_names=list(X.columns) + ["extra_feature"])
    with pytest.raises(ModelMismatch, match="order"):
        LambdaRanker.from_files(files, feature_names=list(reversed(X.columns)))
    with pytest.raises(ModelMismatch):
        RuleScorer.from_files(files)
    assert issubclass(ModelMismatch, ArtifactError)


@pytest.mark.parametrize("damage", ["truncate", "edit_number", "garbage", "bad_json", "missing"])
def test_corrupt_model_files_are_refused(fitted, damage):
    files = dict(fitted.to_files())
    text = files["model.txt"]
    if damage == "truncate":
        files["model.txt"] = text[: len(text) // 2]
    elif damage == "edit_number":
        files["model.txt"] = text.replace(b"leaf_value=", b"leaf_value=9", 1)
    elif damage == "garbage":
        files["model.txt"] = b"\x00\xff not a model"
    elif damage == "bad_json":
        files["ranker.json"] = b"{not json"
    else:
        del files["model.txt"]
    with pytest.raises(CorruptModel):
        LambdaRanker.from_files(files)


def _rechecksum(files, text):
    import hashlib

    meta = json.loads(files["ranker.json"])
    meta["model_sha256"] = hashlib.sha256(text).hexdigest()
    return {"model.txt": text, "ranker.json": json.dumps(meta).encode()}


def test_malformed_model_with_matching_checksum_fails_cleanly(fitted):
    """A tree whose size disagrees with the header aborts LightGBM's C++ parser; we refuse it first."""
    text = fitted.to_files()["model.txt"].replace(b"leaf_value=", b"leaf_value=9", 1)
    with pytest.raises(CorruptModel, match="tree sizes"):
        LambdaRanker.from_files(_rechecksum(fitted.to_files(), text))


def test_wrong_values_with_matching_checksum_are_refused(fitted):
    """Same-length edits parse fine but change scores: the stored probe scores catch them."""
    text = fitted.to_files()["model.txt"]
    start = text.index(b"leaf_value=")
    end = text.index(b"\n", start)
    edited = text[:start] + text[start:end].replace(b"1", b"2") + text[end:]
    with pytest.raises(CorruptModel, match="inconsistent"):
        LambdaRanker.from_files(_rechecksum(fitted.to_files(), edited))


def test_svmlight_with_qid(tmp_path):
    rng = np.random.default_rng(7)
    lines = []
    for qid in range(1, 41):
        for _ in range(12):
            x = rng.random(5)
            grade = int(np.digitize(2 * x[0] + x[3] + rng.normal(0, 0.3), [1.3, 2.1]))
            feats = " ".join(f"{j + 1}:{v:.4f}" for j, v in enumerate(x))
            lines.append(f"{grade} qid:{qid} {feats} # doc")
    path = tmp_path / "tiny.svmlight"
    path.write_text("\n".join(lines) + "\n")
    X, y, qid = load_svmlight_file(str(path), query_id=True)
    assert X.shape == (480, 5)
    est = LambdaRanker(n_estimators=40, min_child_samples=5, n_jobs=1, min_queries=10).fit(X, y, qid)
    scores = est.predict(X)
    assert ndcg_at_k(y, scores, qid) > ndcg_at_k(y, random_scores(len(y)), qid) + 0.2
    assert est.explain(X[:3]).shape == (3, 5)


def test_insufficient_data(data):
    X, y, g, _, _ = data
    first = np.isin(g, np.unique(g)[:30])
    with pytest.raises(InsufficientData, match="RuleScorer"):
        LambdaRanker(n_jobs=1).fit(X[first], y[first], g[first])  # default min_queries=50
    no_positive = np.zeros_like(y)
    with pytest.raises(InsufficientData, match="only 0 queries"):
        LambdaRanker(n_jobs=1).fit(X, no_positive, g)


def test_bad_inputs_are_rejected(data):
    X, y, g, _, _ = data
    with pytest.raises(ValueError, match="non-negative integers"):
        LambdaRanker(**FAST).fit(X, y - 1, g)
    with pytest.raises(ValueError, match="one query id per row"):
        LambdaRanker(**FAST).fit(X, y, g[:-1])
    with pytest.raises(ValueError, match="objective"):
        LambdaRanker(objective="nope", **FAST).fit(X, y, g)


def test_position_propensity_and_sample_weight(data):
    np.testing.assert_allclose(position_propensity([1, 2, 4]), [1, 0.5, 0.25])
    np.testing.assert_allclose(position_propensity([1, 4], eta=0.5), [1, 0.5])
    with pytest.raises(ValueError):
        position_propensity([0, 1])
    X, y, g, train, test = data
    pos = pd.Series(np.ones(len(train))).groupby(g[train]).cumsum().to_numpy()
    w = np.minimum(1 / position_propensity(pos), 20)
    plain = LambdaRanker(**FAST).fit(X.iloc[train], y[train], g[train])
    weighted = LambdaRanker(**FAST).fit(X.iloc[train], y[train], g[train], sample_weight=w)
    assert not np.allclose(plain.predict(X.iloc[test]), weighted.predict(X.iloc[test]))


def test_rule_scorer(data, tmp_path):
    X, y, g, _, test = data
    weights = {"process_coverage": 2.0, "response_rate": 1.0, "reputation": 0.3}
    rule = RuleScorer(weights=weights, feature_version="rfq-v1").fit(X)
    rows = X.iloc[test[:4]]
    expected = sum(w * np.nan_to_num(rows[n].to_numpy()) for n, w in weights.items())
    np.testing.assert_allclose(rule.predict(rows), expected)
    np.testing.assert_allclose(rule.explain(rows).sum(axis=1), expected)
    assert rule.top_reasons(rows)[0][0][0] in weights
    assert ndcg_at_k(y[test], rule.predict(X.iloc[test]), g[test]) > ndcg_at_k(
        y[test], random_scores(len(test)), g[test])
    again = load_scorer(rule.to_files(), feature_names=list(X.columns), feature_version="rfq-v1")
    assert isinstance(again, RuleScorer)
    np.testing.assert_allclose(again.predict(X.iloc[test]), rule.predict(X.iloc[test]))
    with pytest.raises(ValueError, match="typo"):
        RuleScorer(weights={"typo": 1.0}).fit(X)
    with pytest.raises(ModelMismatch):
        RuleScorer.from_files(rule.to_files(), feature_version="rfq-v0")


def test_path_explanations_sum_to_prediction(fitted, data):
    X, _, _, _, test = data
    rows = X.iloc[test[:40]]
    contrib, bias = fitted.explain(rows, return_bias=True, method="path")
    np.testing.assert_allclose(contrib.sum(axis=1) + bias, fitted.predict(rows), atol=1e-9)
    shap = fitted.explain(rows)
    assert np.mean(contrib.argmax(axis=1) == shap.argmax(axis=1)) > 0.5  # mostly the same top reason
    with pytest.raises(ValueError, match="method"):
        fitted.explain(rows, method="lime")


@pytest.mark.parametrize("missing", ["nan", "zero_as_missing", "none"])
def test_serving_scores_and_leaves_match_lightgbm_exactly(missing):
    """predict_with_leaves (numpy tree arrays) gives LightGBM's scores, and its leaves give explain('path')."""
    rng = np.random.default_rng(4)
    X = rng.normal(size=(2000, 8))
    X[rng.random(X.shape) < 0.2] = np.nan if missing != "zero_as_missing" else 0.0
    y = np.clip(np.round(np.nan_to_num(X[:, 0]) + rng.normal(0, 1, 2000)), 0, 4).astype(int)
    model = LambdaRanker(min_queries=1, n_jobs=1, n_estimators=40, num_leaves=7, max_depth=3, random_state=0)
    if missing == "zero_as_missing":
        model.fit(X, y, np.repeat(np.arange(200), 10))
        model.booster_ = lgb.train({**model._lgb_params(), "zero_as_missing": True},
                                   lgb.Dataset(X, y, group=[10] * 200), num_boost_round=40)
    else:
        model.fit(np.nan_to_num(X) if missing == "none" else X, y, np.repeat(np.arange(200), 10))
    probe = X[:300].copy()
    probe[::5, 2] = np.nan
    scores, leaves = model.predict_with_leaves(probe)
    assert model._arrays() is not None
    np.testing.assert_allclose(scores, model.booster_.predict(probe, num_threads=1), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(model.path_contributions(leaves[:25]), model.explain(probe[:25], method="path"),
                               atol=1e-12)


@pytest.mark.parametrize("leaves_depth", [(7, 3), (3, 2), (2, 1), (15, 4)])
def test_shallow_trees_give_lightgbm_scores_and_leaves(leaves_depth):
    """Trees of depth <= 3 without missing values are scored by their 7-split codes (ShallowTrees), padded
    when a tree is shallower; deeper ones by the walk. Either way: LightGBM's scores and leaves."""
    num_leaves, depth = leaves_depth
    rng = np.random.default_rng(5)
    X = rng.normal(size=(2000, 6))
    y = np.clip(np.round(X[:, 0] - X[:, 3] + rng.normal(0, 1, 2000)), 0, 4).astype(int)
    model = LambdaRanker(min_queries=1, n_jobs=1, n_estimators=30, num_leaves=num_leaves, max_depth=depth,
                         random_state=0).fit(X, y, np.repeat(np.arange(200), 10))
    probe = np.vstack([X[:200], np.zeros((1, 6)), np.full((1, 6), np.nan)])
    scores, leaves = model.predict_with_leaves(probe)
    assert (model._arrays().shallow is not None) == (depth <= 3)
    np.testing.assert_allclose(scores, model.booster_.predict(probe, num_threads=1), rtol=1e-12, atol=1e-12)
    model._path_table()
    lgb_leaves = model.booster_.predict(probe, pred_leaf=True, num_threads=1).astype(np.intp) + model._leaf_offsets
    np.testing.assert_array_equal(leaves, lgb_leaves)
