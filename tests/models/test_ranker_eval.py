"""Ranking metrics, time-aware splits, exposure fairness and the metrics chart, on hand-checked cases."""
import math

import numpy as np
import pandas as pd
import pytest

from models.ranking_eval import evaluate_rankers, exposure_by_group, mrr, ndcg_at_k, time_split
from models.ranking_plots import plot_ranking_metrics


def test_ndcg_hand_computed():
    # one query: grades in score order are [0, 2, 1]
    y, s, g = [0, 2, 1], [3.0, 2.0, 1.0], ["q"] * 3
    dcg = 0 / math.log2(2) + 3 / math.log2(3) + 1 / math.log2(4)
    idcg = 3 / math.log2(2) + 1 / math.log2(3)
    assert ndcg_at_k(y, s, g, k=3) == pytest.approx(dcg / idcg)
    assert ndcg_at_k(y, s, g, k=1) == 0.0
    assert ndcg_at_k(y, [1.0, 3.0, 2.0], g, k=3) == pytest.approx(1.0)


def test_ndcg_averages_queries_and_skips_empty_ones():
    y = [1, 0, 0, 1, 0, 0]
    s = [2, 1, 2, 1, 5, 4]
    g = [1, 1, 2, 2, 3, 3]  # q1 perfect, q2 relevant at rank 2, q3 has nothing relevant
    q2 = 1 / math.log2(3)
    assert ndcg_at_k(y, s, g, k=10) == pytest.approx((1 + q2) / 2)
    assert ndcg_at_k(y, s, g, k=10, no_relevant="zero") == pytest.approx((1 + q2) / 3)
    assert math.isnan(ndcg_at_k([0, 0], [1, 2], [1, 1]))


def test_ties_are_pessimistic():
    assert ndcg_at_k([1, 0, 0], [0, 0, 0], [1, 1, 1], k=1) == 0.0
    assert mrr([1, 0, 0], [0, 0, 0], [1, 1, 1]) == pytest.approx(1 / 3)


def test_mrr_hand_computed():
    y = [0, 1, 0, 0, 0, 3, 0, 0]
    s = [3, 2, 1, 9, 8, 7, 1, 2]
    g = ["a", "a", "a", "b", "b", "b", "c", "c"]
    assert mrr(y, s, g) == pytest.approx((1 / 2 + 1 / 3) / 2)  # "c" has no relevant item: skipped
    assert mrr(y, s, g, no_relevant="zero") == pytest.approx((1 / 2 + 1 / 3) / 3)
    assert mrr(y, s, g, relevant_min=2) == pytest.approx(1 / 3)


def test_time_split_keeps_queries_whole_and_latest_in_test():
    rng = np.random.default_rng(0)
    groups = np.repeat(np.arange(50), rng.integers(1, 8, 50))
    qtime = rng.permutation(50).astype(float)  # posting time per query, not sorted by id
    times = qtime[groups]
    perm = rng.permutation(len(groups))  # rows in arbitrary order
    train, test = time_split(times[perm], 0.2, groups=groups[perm])
    assert len(train) + len(test) == len(groups) and not set(train) & set(test)
    tr_q, te_q = set(groups[perm][train]), set(groups[perm][test])
    assert not tr_q & te_q and len(te_q) == 10
    assert min(qtime[list(te_q)]) > max(qtime[list(tr_q)])
    dates = pd.to_datetime("2025-01-01") + pd.to_timedelta(times, unit="D")
    tr2, te2 = time_split(dates, 0.2, groups=groups)
    assert set(groups[te2]) == {q for q in range(50) if qtime[q] >= 40}
    with pytest.raises(ValueError):
        time_split(times, 1.5, groups=groups)


def test_evaluate_rankers_table(capsys):
    y = np.array([2, 0, 1, 0, 0, 1])
    g = np.array([1, 1, 1, 2, 2, 2])
    table = evaluate_rankers({"model": y.astype(float), "random": np.array([0, 2, 1, 0, 1, 2.0])}, y, g)
    assert list(table.columns) == ["NDCG@5", "NDCG@10", "MRR"]
    assert table.loc["model"].tolist() == pytest.approx([1.0, 1.0, 1.0])
    assert table.loc["random", "MRR"] < 1
    assert "NDCG@5" in capsys.readouterr().out


def test_exposure_by_group_sums_to_one():
    g = np.repeat([1, 2], 4)
    scores = np.array([4, 3, 2, 1, 4, 3, 2, 1.0])
    labels = np.array(["large", "large", "micro", "micro", "large", "micro", "micro", "micro"])
    table = exposure_by_group(g, scores, labels, k=2)
    for col in ["candidate_share", "topk_share", "exposure_share"]:
        assert table[col].sum() == pytest.approx(1.0)
    assert table.loc["large", "candidate_share"] == pytest.approx(3 / 8)
    assert table.loc["large", "topk_share"] == pytest.approx(3 / 4)
    d2 = 1 / math.log2(3)
    assert table.loc["large", "exposure_share"] == pytest.approx((2 + d2) / (2 + 2 * d2))
    assert table.loc["micro", "exposure_ratio"] < 1 < table.loc["large", "exposure_ratio"]


def test_plot_writes_png(tmp_path):
    table = pd.DataFrame({"NDCG@5": [0.8, 0.5, 0.2], "NDCG@10": [0.82, 0.55, 0.25], "MRR": [0.9, 0.7, 0.4]},
                         index=["LambdaRanker", "rule score", "random"])
    path = plot_ranking_metrics(table, tmp_path / "metrics.png")
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000
