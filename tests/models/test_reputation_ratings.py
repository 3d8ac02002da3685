"""Makers' ratings of a buyer as screener features: the cut-off and the 3-ratings-from-3-firms rule."""
from __future__ import annotations

import pandas as pd
import pytest

from matchmaker.ratings import records as rating_records
from models import reputation_ratings
from models.reputation_features import FEATURE_NAMES, reputation_features
from matchmaker.catalog import translate
from models.reputation_reasons import make_reason, render_reason

FX = {"USD": 1.0}


def _payments(buyer=1):
    return pd.DataFrame({"buyer_id": [buyer] * 3, "reporter_id": [10, 11, 12],
                         "invoice_date": pd.to_datetime(["2026-01-01", "2026-02-01", "2026-03-01"]),
                         "amount": [100.0] * 3, "currency": ["USD"] * 3, "terms_days": [30] * 3})


def _ratings(rows):
    return pd.DataFrame(rows, columns=["buyer_id", "reporter_id", "date", "category", "score"]).assign(
        date=lambda f: pd.to_datetime(f["date"]))


def _features(ratings, as_of="2026-06-01"):
    buyers = pd.DataFrame({"buyer_id": [1], "first_seen": pd.to_datetime(["2025-12-01"])})
    return reputation_features(_payments(), None, None, buyers, pd.Timestamp(as_of), FX, ratings=ratings).loc[1]


def test_same_evidence_rule_as_the_ratings_pages():
    assert reputation_ratings.MIN_RATINGS == rating_records.MIN_RATINGS
    assert reputation_ratings.MIN_FIRMS == rating_records.MIN_FIRMS
    assert {"rating_payment_terms", "rating_overall", "n_rating_firms"} <= set(FEATURE_NAMES)


def test_ratings_after_the_cut_off_are_ignored():
    rows = [(1, 20, "2026-02-01 10:00", "payment_terms", 2), (1, 21, "2026-03-01 10:00", "payment_terms", 1),
            (1, 22, "2026-05-31 23:00", "payment_terms", 3),
            # made on the as-of day and later: not known when scoring as of 2026-06-01
            (1, 23, "2026-06-01 09:00", "payment_terms", 5), (1, 24, "2026-07-01 09:00", "payment_terms", 5)]
    row = _features(_ratings(rows))
    assert row["rating_payment_terms"] == pytest.approx(2.0)       # (2 + 1 + 3) / 3
    assert row["n_rating_firms"] == 3 and row["n_buyer_ratings"] == 3
    assert _features(_ratings(rows), "2026-08-01")["rating_payment_terms"] == pytest.approx(16 / 5)


def test_below_three_ratings_from_three_firms_there_is_no_rating():
    two_firms = [(1, 20, "2026-02-01", "overall_partnership", 4), (1, 20, "2026-03-01", "overall_partnership", 4),
                 (1, 21, "2026-04-01", "overall_partnership", 2)]
    row = _features(_ratings(two_firms))
    assert row["rating_overall"] == 0.0 and row["n_rating_firms"] == 2
    reason = make_reason("rating_overall", 0.3, row)
    assert "too few" in render_reason(reason) and "muy pocas" in render_reason(reason, lambda m: translate(m, "es"))
    three = two_firms + [(1, 22, "2026-05-01", "overall_partnership", 3)]
    row = _features(_ratings(three))
    assert row["rating_overall"] == pytest.approx(13 / 4)
    assert "3.2 of 5" in render_reason(make_reason("rating_overall", -0.3, row))


def test_no_ratings_and_bad_ratings():
    row = _features(None)
    assert row["rating_payment_terms"] == 0.0 and row["n_rating_firms"] == 0.0
    with pytest.raises(ValueError, match="score"):
        _features(_ratings([(1, 20, "2026-02-01", "payment_terms", 9)]))
    with pytest.raises(ValueError, match="category"):
        _features(pd.DataFrame({"buyer_id": [1], "reporter_id": [2], "date": pd.to_datetime(["2026-01-01"]),
                                "score": [3]}))
