"""Training from the outcome log: time split, baselines, PNG, promotion rule, cold start, and the CLI reports."""
from __future__ import annotations

import numpy as np
import pytest

from matchmaker import db
from matchmaker.demo import generate
from matchmaker.ranking import training
from matchmaker.ranking.data import History, training_set
from matchmaker.ranking.features import FEATURE_NAMES
from matchmaker.ranking.serving import load_model
from models.ranker import InsufficientData, LambdaRanker
from models.registry import ModelRegistry


@pytest.fixture
def demo_log(app, monkeypatch):
    monkeypatch.setattr(training, "GRID", training.GRID[:2])   # tuning itself runs; the full grid is for real data
    with app.app_context():
        generate(db.session(), makers=150, buyers=40, seed=3)
    return app


def quiet(*_):
    pass


def test_train_prints_baselines_draws_png_and_the_promoted_model_serves(demo_log):
    app = demo_log
    lines = []
    with app.app_context():
        registry = ModelRegistry(app.config["MODEL_DIR"])
        report = training.train_ranker(db.session(), registry, echo=lines.append, min_queries=10)
        assert report["promoted"] and registry.promoted("ranker") == report["version"]
        table = report["table"]
        assert list(table.index) == ["learned ranker", "rule score", "text relevance", "random"]
        assert {"NDCG@5", "NDCG@10", "MRR", "NDCG@10 business", "MRR business"} <= set(table.columns)
        out = "\n".join(lines)
        assert "rule score" in out and "text relevance" in out and "random" in out and "exposure" in out
        assert "validation" in out and "position bias" in out
        artifact = registry.load("ranker")
        assert artifact.files["metrics.png"].startswith(b"\x89PNG")
        meta = artifact.metadata
        assert meta["features"] == FEATURE_NAMES and meta["training_window"][1] <= meta["test_window"][0]
        assert set(meta["metrics_business"]) == set(meta["metrics"]) and meta["versions"]["lightgbm"]
        model, version = load_model(registry)
        assert isinstance(model, LambdaRanker) and version == report["version"]


def test_a_new_model_is_promoted_only_if_not_worse_on_the_same_held_out_data(demo_log, monkeypatch):
    app = demo_log
    with app.app_context():
        registry = ModelRegistry(app.config["MODEL_DIR"])
        first = training.train_ranker(db.session(), registry, echo=quiet, min_queries=10, tune_settings=False)
        assert first["promoted"] and first["current_ndcg"] is None
        # same data, deterministic settings: the current model is scored on the same held-out rows
        again = training.train_ranker(db.session(), registry, echo=quiet, min_queries=10, tune_settings=False)
        assert again["current_ndcg"] == pytest.approx(first["new_ndcg"]) and again["promoted"]
        # a weaker candidate (one tree on shuffled labels) is saved but not promoted
        real_fit = LambdaRanker.fit

        def shuffled_fit(self, X, y, groups, sample_weight=None):
            return real_fit(self, X, np.random.default_rng(0).permutation(y), groups)
        monkeypatch.setattr(LambdaRanker, "fit", shuffled_fit)
        worse = training.train_ranker(db.session(), registry, echo=quiet, min_queries=10, n_estimators=3,
                                      tune_settings=False)
        assert worse["new_ndcg"] < worse["current_ndcg"]
        assert not worse["promoted"] and registry.promoted("ranker") == again["version"]
        assert worse["version"] in registry.versions("ranker")


def test_too_few_outcomes_is_insufficient_data(app):
    with app.app_context():
        registry = ModelRegistry(app.config["MODEL_DIR"])
        with pytest.raises(InsufficientData):
            training.train_ranker(db.session(), registry, echo=quiet)
        generate(db.session(), makers=40, buyers=3, seed=2)
        with pytest.raises(InsufficientData):
            training.train_ranker(db.session(), registry, echo=quiet)
        assert registry.promoted("ranker") is None


def test_track_records_never_see_the_future(demo_log):
    """Every feature row is computed from events strictly before its requirement was posted."""
    app = demo_log
    from datetime import timedelta

    from sqlalchemy import select

    from matchmaker.ranking.records import OutcomeEvent
    from matchmaker.requirements.records import Requirement
    with app.app_context():
        s = db.session()
        history = History.from_db(s)
        req = s.scalars(select(Requirement).order_by(Requirement.created_at.desc())).first()
        maker_id = s.scalar(select(OutcomeEvent.maker_id).where(OutcomeEvent.event == "order_placed"))
        t = s.scalar(select(OutcomeEvent.occurred_at).where(OutcomeEvent.event == "order_placed",
                                                           OutcomeEvent.maker_id == maker_id)
                     .order_by(OutcomeEvent.occurred_at))
        assert history.record(maker_id, t).orders == 0          # the order itself is not "before"
        assert history.record(maker_id, t + timedelta(seconds=1)).orders >= 1
        before, after = history.priors_at(t), history.priors_at(req.created_at)
        assert before is not after
        X, y, qid, when, pos, band = training_set(s)
        assert X.shape[1] == len(FEATURE_NAMES) and len(y) == len(qid) == len(pos) and (pos >= 1).all()


def test_position_eta_is_estimated_from_the_log(demo_log):
    with demo_log.app_context():
        X, y, qid, when, pos, band = training_set(db.session())
    eta = training.estimate_position_eta(X, y, pos)
    assert eta is not None and 0.2 < eta < 1.4   # the demo's buyers look at rank r with probability r ** -0.7


def test_cli_train_and_evaluate_ranker(demo_log):
    runner = demo_log.test_cli_runner()
    result = runner.invoke(args=["train", "ranker", "--min-queries", "10"])
    assert result.exit_code == 0, result.output
    assert "learned ranker" in result.output and "metrics chart" in result.output
    result = runner.invoke(args=["evaluate", "ranker"])
    assert result.exit_code == 0, result.output
    for band in ("micro", "small", "medium", "large"):
        assert band in result.output
    assert "rule score" in result.output
    online = runner.invoke(args=["evaluate", "ranker", "--online"])
    assert online.exit_code == 0, online.output
    assert online.output.startswith(result.output)          # the offline report and exposure stay
    assert "win rate of A" in online.output and "95 % CI" in online.output
    assert "demo-fit-v1" in online.output and "randomised-pair rankings" in online.output


def test_serving_snapshot_counts_equal_the_history_as_of_now(demo_log):
    from datetime import datetime, timezone

    from matchmaker.ranking.data import Snapshot, load_makers, load_makers_cached

    with demo_log.app_context():
        s = db.session()
        makers = load_makers(s)
        history, snapshot = History.from_db(s), Snapshot.from_db(s, list(makers))
        now = datetime.now(timezone.utc)
        for maker_id in makers:
            assert snapshot.record(maker_id) == history.record(maker_id, now)
        assert snapshot.priors == history.priors_at(now)
        ids = list(makers)[:30]
        cached = load_makers_cached(s, ids)
        assert {i: {k: v for k, v in m.items() if k != "_vec"} for i, m in cached.items()} == \
            {i: makers[i] for i in ids}
        from matchmaker.ranking.features import feature_rows, maker_vector
        for i in ids:   # the held vector is the maker's numeric facts, and features agree with and without it
            np.testing.assert_array_equal(cached[i]["_vec"], maker_vector(makers[i]))
        req = {"text": "denim", "processes": ["sewing"], "product_line": None, "quantity": 500, "monthly_volume": None,
               "lead_time_days": 30, "unit_price_min": None, "unit_price_max": 5.0, "min_quality_tier": "basic",
               "certificates": [], "niches": [], "created_at": now, "buyer_lat": 20.6, "buyer_lon": -103.3,
               "buyer_type": "brand"}
        with_vec = feature_rows(req, [cached[i] for i in ids], snapshot.records_array(ids), snapshot.priors)
        plain = feature_rows(req, [makers[i] for i in ids], [snapshot.record(i) for i in ids], snapshot.priors)
        np.testing.assert_array_equal(with_vec, plain)
