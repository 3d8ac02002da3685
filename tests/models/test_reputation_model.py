"""Reputation screener: signal, calibration, honest reasons, bilingual text, safe persistence."""
import json

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.pipeline import Pipeline
from threadpoolctl import threadpool_limits

from models.registry import ModelRegistry
from models.reputation import (
    INSUFFICIENT, META_FILE, MODEL_FILE, POINTS_FILE, SCORED, TRUSTED_TYPES, Assessment, FeatureVersionError,
    PointsScore, ReputationScreener, UntrustedModelError, load_screener)
from models.reputation_eval import evaluate_screener, format_evaluation, plot_calibration
from models.reputation_features import FEATURE_NAMES, FEATURE_VERSION, build_training_set, reputation_features
from matchmaker.catalog import translate
from models.reputation_reasons import LOWERS, RAISES, render_reason
from models.reputation_synth import make_history

CUTOFFS = ["2023-01-01", "2023-04-01", "2023-07-01", "2023-10-01"]


@pytest.fixture(scope="module")
def data():
    h = make_history(2500, seed=3)
    X, y, cutoff = build_training_set(h["payments"], h["incidents"], h["references"], h["buyers"], h["fx"], CUTOFFS)
    train = (cutoff < cutoff.max()).to_numpy()          # time-aware: the latest cutoff is the test set
    with threadpool_limits(limits=1, user_api="openmp"):     # OpenMP threads only slow small fits down
        model = ReputationScreener().fit(X[train], y[train])
    baseline = PointsScore().fit(X[train], y[train])
    return {"h": h, "X_train": X[train], "y_train": y[train], "X_test": X[~train], "y_test": y[~train],
            "model": model, "baseline": baseline}


@pytest.fixture(scope="module")
def bases(data):
    """One fitted screener per base model, sigmoid calibration (strictly monotone)."""
    with threadpool_limits(limits=1, user_api="openmp"):
        return {b: ReputationScreener(base=b).fit(data["X_train"], data["y_train"])
                for b in ("logistic", "hgb", "stacked")}


def _with_buyer(h, buyer, payments, references=()):
    pays = pd.DataFrame(payments)
    pays["buyer_id"] = buyer
    refs = pd.DataFrame([{"buyer_id": buyer, "reporter_id": f, "type": "long_contract", "date": pd.Timestamp(d)}
                         for f, d in references], columns=h["references"].columns)
    buyers = pd.concat([h["buyers"], pd.DataFrame({"buyer_id": [buyer], "first_seen": [pd.Timestamp("2022-02-01")]})])
    return (pd.concat([h["payments"], pays], ignore_index=True), h["incidents"],
            pd.concat([h["references"], refs], ignore_index=True), buyers)


def _invoices(n, days_late, firms=("F001", "F002", "F003")):
    rows = []
    for i in range(n):
        invoice = pd.Timestamp("2023-01-05") + pd.Timedelta(days=30 * i)
        due = invoice + pd.Timedelta(days=30)
        rows.append({"reporter_id": firms[i % len(firms)], "invoice_date": invoice, "amount": 5000.0,
                     "currency": "USD", "terms_days": 30, "due_date": due,
                     "paid_date": due + pd.Timedelta(days=days_late[i]), "paid_amount": 5000.0, "deposit_share": 0.3})
    return rows


def test_model_has_signal_and_beats_baseline_and_base_rate(data, tmp_path):
    res = evaluate_screener(data["model"], data["baseline"], data["X_test"], data["y_test"])
    print(format_evaluation(res))
    assert res["model"]["auc"] > 0.7
    assert res["model"]["auc"] > res["baseline"]["auc"]
    assert res["model"]["brier"] < res["brier_base_rate"]
    assert res["model"]["brier"] < res["baseline"]["brier"]
    assert 0 < res["base_rate"] < 1 and res["n"] == len(data["y_test"])
    path = tmp_path / "calibration.png"
    plot_calibration(res, path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_probabilities_are_calibrated_probabilities(data):
    for est in (data["model"], data["baseline"]):
        p = est.predict_proba(data["X_test"])
        assert p.shape == (len(data["X_test"]), 2) and np.allclose(p.sum(axis=1), 1)
        assert (p >= 0).all() and (p <= 1).all()
        assert set(np.unique(est.predict(data["X_test"]))) <= {0, 1}
    assert data["model"].calibration_ == "sigmoid"
    auto = ReputationScreener(base="logistic", calibration="auto").fit(data["X_train"], data["y_train"])
    assert auto.calibration_ in ("sigmoid", "isotonic")
    assert set(auto.calibration_brier_) == {"sigmoid", "isotonic"}
    assert auto.calibration_ == min(auto.calibration_brier_, key=auto.calibration_brier_.get)


def test_default_is_the_measured_choice(data):
    """bench/bench_issue13_screener.py chose boosted trees with sigmoid calibration (BENCHMARKS.md)."""
    est = ReputationScreener()
    assert (est.base, est.calibration) == ("hgb", "sigmoid")
    pm = data["model"].predict_proba(data["X_test"])[:, 1]
    pl = ReputationScreener(base="logistic").fit(data["X_train"], data["y_train"]).predict_proba(data["X_test"])[:, 1]
    from sklearn.metrics import brier_score_loss, roc_auc_score
    y = data["y_test"]
    assert roc_auc_score(y, pm) > roc_auc_score(y, pl) and brier_score_loss(y, pm) < brier_score_loss(y, pl)


def test_minimum_evidence_in_assess(data):
    h = data["h"]
    two_from_one = [dict(r, reporter_id="F001") for r in _invoices(2, [0, 0])]
    three_from_two = _invoices(3, [0, 0, 0], firms=("F001", "F002"))
    frames = _with_buyer(h, "THIN", two_from_one)
    frames = _with_buyer({**h, "payments": frames[0], "references": frames[2], "buyers": frames[3]}, "OK", three_from_two)
    f = reputation_features(*frames, "2023-12-31", h["fx"]).loc[["THIN", "OK"]]
    thin, ok = data["model"].assess(f)
    assert isinstance(thin, Assessment)
    assert (thin.buyer_id, thin.status, thin.probability, thin.risk_band, thin.reasons) == ("THIN", INSUFFICIENT, None, None, [])
    assert ok.status == SCORED and 0 <= ok.probability <= 1 and ok.risk_band in ("low", "medium", "high")
    assert len(ok.reasons) == 3


def test_reasons_point_the_right_way_and_render_in_spanish(data):
    h, model = data["h"], data["model"]
    late = _with_buyer(h, "LATE", _invoices(9, [40, 35, 0, 50, 45, 30, 0, 60, 38]))
    f = reputation_features(*late, "2023-12-31", h["fx"]).loc[["LATE"]]
    (a,) = model.assess(f)
    late_reasons = [r for r in a.reasons if r.feature in ("late_share", "days_beyond_terms", "worst_delay_days")]
    assert late_reasons and all(r.direction == RAISES for r in late_reasons)
    assert a.risk_band in ("medium", "high")
    # honesty: moving the strongest "raises risk" feature back to a typical training buyer's value (the
    # median: delays are heavy-tailed, and trees are explained against the typical buyer) lowers the probability
    top = late_reasons[0]
    calmer = f.copy()
    calmer[top.feature] = data["X_train"][top.feature].median()
    assert model.predict_proba(calmer)[0, 1] < a.probability
    late_share = next((r for r in a.reasons if r.feature == "late_share"), None)
    if late_share is not None:
        assert late_share.sentence.startswith("paid 7 of 9 invoices late")
    es = render_reason(top, lambda message: translate(message, "es"))
    assert es.startswith("Aumenta el riesgo: ") and "días" in es
    assert render_reason(top).startswith("Raises risk: ")


def test_clean_trusted_buyer_gets_lowering_reasons(data):
    h = data["h"]
    good = _with_buyer(h, "GOOD", _invoices(10, [0] * 10),
                       references=[("F001", "2022-06-01"), ("F002", "2022-09-01"), ("F003", "2023-01-01"),
                                   ("F004", "2023-03-01"), ("F005", "2023-05-01")])
    (a,) = data["model"].assess(reputation_features(*good, "2023-12-31", h["fx"]).loc[["GOOD"]])
    assert a.risk_band == "low" and a.reasons
    assert all(r.direction == LOWERS for r in a.reasons if r.feature in ("late_share", "worst_delay_days"))
    for r in a.reasons:   # direction always agrees with the contribution's sign
        assert (r.contribution > 0) == (r.direction == RAISES)
        feature, direction, sentence, value = r[:4]
        assert feature in FEATURE_NAMES and isinstance(sentence, str) and value == r.value


def test_points_baseline_reasons_only_raise(data):
    feats = data["X_test"].head(200)
    for a in data["baseline"].assess(feats):
        assert all(r.direction == RAISES and r.contribution > 0 for r in a.reasons)


def test_round_trip_through_the_registry(data, tmp_path):
    reg = ModelRegistry(tmp_path)
    X = data["X_test"]
    for est in (data["model"], data["baseline"]):
        files = est.to_files()
        assert all(not name.endswith((".pkl", ".pickle")) for name in files)
        version = reg.save("reputation", files, {"feature_version": FEATURE_VERSION, "points": POINTS_FILE in files})
        reg.promote("reputation", version)
        loaded = load_screener(reg.load("reputation").files)
        assert type(loaded) is type(est)
        assert np.array_equal(loaded.predict_proba(X), est.predict_proba(X))
        assert loaded.get_params() == est.get_params()


def test_every_base_round_trips_and_its_reasons_add_up_to_its_own_ranking(data, bases):
    X = data["X_test"]
    for name, est in bases.items():
        loaded = ReputationScreener.from_files(est.to_files())
        assert loaded.base == name
        assert np.array_equal(loaded.predict_proba(X), est.predict_proba(X))
        assert np.allclose(loaded.contributions(X), est.contributions(X))
        # the contributions are the model's own (not a surrogate's): a larger total push on the
        # log-odds always means a higher probability, because the calibration is strictly monotone
        total = est.contributions(X).sum(axis=1).to_numpy()
        p = est.predict_proba(X)[:, 1]
        order = np.argsort(total, kind="stable")
        assert (np.diff(p[order]) >= -1e-12).all(), name
        (a,) = est.assess(X.head(1))
        assert len(a.reasons) == 3 and all(render_reason(r, lambda m: translate(m, "es")) for r in a.reasons)


def test_loading_refuses_untrusted_types(data):
    import skops.io as sio

    files = data["model"].to_files()
    state = sio.loads(files[MODEL_FILE], trusted=TRUSTED_TYPES)
    state["calibrator"] = _Untrusted()
    with pytest.raises(UntrustedModelError, match="_Untrusted"):     # a ValueError: the app logs it
        ReputationScreener.from_files({**files, MODEL_FILE: sio.dumps(state)})


def test_other_feature_version_is_refused(data):
    files = data["model"].to_files()
    meta = json.loads(files[META_FILE])
    meta["feature_version"] = "reputation-features-0"
    with pytest.raises(FeatureVersionError, match="retrain"):
        ReputationScreener.from_files({**files, META_FILE: json.dumps(meta).encode()})
    meta = json.loads(files[META_FILE])
    meta["features"] = meta["features"][:-1]
    with pytest.raises(FeatureVersionError):
        ReputationScreener.from_files({**files, META_FILE: json.dumps(meta).encode()})


class _Untrusted:
    """Stands for any type a tampered model file could smuggle in."""


def test_sklearn_conventions(data):
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        ReputationScreener().predict_proba(data["X_test"])
    est = ReputationScreener(base="logistic", C=0.5, calibration="sigmoid", band_edges=(0.05, 0.2))
    twin = clone(est)
    assert twin.get_params() == est.get_params() and not hasattr(twin, "calibrated_")
    assert clone(PointsScore(band_edges=(0.2, 0.4))).get_params() == {"band_edges": (0.2, 0.4)}
    X, y = data["X_train"], data["y_train"]
    pipe = Pipeline([("screen", est)]).fit(X, y)
    assert pipe.predict_proba(X[FEATURE_NAMES].to_numpy()).shape == (len(X), 2)     # arrays work too
    with pytest.raises(ValueError, match="missing"):
        pipe.predict_proba(X.drop(columns=["late_share"]))
    assert pipe.named_steps["screen"] is est and hasattr(est, "calibrator_")     # fit returns self
    with pytest.raises(ValueError, match="base"):
        ReputationScreener(base="svm").fit(X, y)
    with pytest.raises(ValueError, match="cv"):
        ReputationScreener(cv=1).fit(X, y)
