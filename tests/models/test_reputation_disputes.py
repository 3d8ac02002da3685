"""Order disputes as screener features: which disputes speak of the buyer, and only what was known at the
as-of time (opened, answered, withdrawn before it; open days up to it)."""
from __future__ import annotations

import pandas as pd
import pytest

from matchmaker.catalog import translate
from models.reputation_features import FEATURE_NAMES, reputation_features
from models.reputation_reasons import make_reason, render_reason

FX = {"USD": 1.0}
NaT = pd.NaT


def _payments(buyer=1):
    return pd.DataFrame({"buyer_id": [buyer] * 3, "reporter_id": [10, 11, 12],
                         "invoice_date": pd.to_datetime(["2026-01-01", "2026-02-01", "2026-03-01"]),
                         "amount": [100.0] * 3, "currency": ["USD"] * 3, "terms_days": [30] * 3})


def _disputes(rows):
    frame = pd.DataFrame(rows, columns=["buyer_id", "reporter_id", "raised_by", "subject", "opened_at",
                                        "answered_at", "withdrawn_at"])
    for col in ("opened_at", "answered_at", "withdrawn_at"):
        frame[col] = pd.to_datetime(frame[col])
    return frame


def _features(disputes, as_of):
    buyers = pd.DataFrame({"buyer_id": [1, 2], "first_seen": pd.to_datetime(["2025-12-01", "2025-12-01"])})
    return reputation_features(_payments(), None, None, buyers, pd.Timestamp(as_of), FX, disputes=disputes)


ROWS = [
    (1, 10, "buyer", "invoice", "2026-03-10 09:00", "2026-03-20 09:00", None),   # answered after 10 days
    (1, 11, "buyer", "delivery", "2026-04-01 09:00", None, "2026-04-04 09:00"),  # withdrawn after 3 days
    (1, 12, "maker", "payment", "2026-04-10 09:00", None, None),                 # still open
    (1, 10, "buyer", "payment", "2026-03-01 09:00", None, None),   # the buyer disputing its own payment: not counted
    (1, 10, "maker", "delivery", "2026-03-01 09:00", None, None),  # the maker disputing a buyer's count: not counted
    (1, 10, "buyer", "order", "2026-03-01 09:00", None, None),     # terms: the normal back-and-forth, not counted
    (2, 10, "maker", "payment", "2026-03-05 09:00", "2026-03-06 09:00", None),
]


def test_the_features_are_in_the_one_definition():
    assert {"disputes_by_buyer", "disputes_by_makers", "disputes_unsettled", "dispute_open_days"} <= set(FEATURE_NAMES)


@pytest.mark.parametrize("as_of,by_buyer,by_makers,unsettled,open_days", [
    ("2026-03-01", 0, 0, 0, 0.0),                    # before any dispute: nothing leaks from later
    ("2026-03-15", 1, 0, 1, 4.625),                  # the invoice dispute open 4 days 15 h so far, its answer unknown
    ("2026-04-03", 2, 0, 1, (10 + 1.625) / 2),       # answered after 10 days; the delivery one open since Apr 1
    ("2026-05-10", 2, 1, 1, (10 + 3 + 29.625) / 3),  # withdrawn after 3 days; the payment one open 29 days on
])
def test_only_what_was_known_at_the_as_of_time_counts(as_of, by_buyer, by_makers, unsettled, open_days):
    f = _features(_disputes(ROWS), as_of).loc[1]
    assert (f["disputes_by_buyer"], f["disputes_by_makers"], f["disputes_unsettled"]) == (by_buyer, by_makers,
                                                                                        unsettled)
    assert f["dispute_open_days"] == pytest.approx(open_days)


def test_buyers_without_disputes_and_no_frame_at_all_are_zero():
    f = _features(_disputes(ROWS), "2026-05-10")
    assert f.loc[2, ["disputes_by_makers", "disputes_unsettled"]].tolist() == [1.0, 0.0]
    assert f.loc[2, "dispute_open_days"] == pytest.approx(1.0)
    none = _features(None, "2026-05-10").loc[1]
    assert none[["disputes_by_buyer", "disputes_by_makers", "disputes_unsettled", "dispute_open_days"]].sum() == 0
    with pytest.raises(ValueError, match="subject"):
        _features(pd.DataFrame({"buyer_id": [1], "reporter_id": [2], "raised_by": ["buyer"],
                                "opened_at": pd.to_datetime(["2026-01-01"])}), "2026-05-10")


def test_the_reasons_word_them_in_both_languages():
    row = _features(_disputes(ROWS), "2026-05-10").loc[1]
    reason = make_reason("disputes_by_buyer", 0.4, row)
    assert render_reason(reason) == "Raises risk: raised 2 disputes against makers' invoices or deliveries"
    assert "disputas contra facturas o entregas" in render_reason(reason, lambda m: translate(m, "es"))
    days = make_reason("dispute_open_days", 0.2, row)
    assert render_reason(days, with_direction=False) == "those disputes stayed open on average 14 days"
