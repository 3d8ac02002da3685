"""The vendor block of the one reputation feature function, on rows worked out by hand.

Vendor V bought from by firms F1 and F2, as of 2025-06-30:

* L1 purchased 01-10, promised 01-20, delivered 01-30: 10 days late, as the sample;
* L2 purchased 02-01, promised 02-15, delivered 02-14: on time, major deviation, warranty claimed and
  refused;
* L3 purchased 05-01, promised 06-10, not delivered: 20 days late at the cut-off, no quality yet;
* L4 purchased 06-01, promised 07-15: not due yet;
* L5 purchased 07-05 (after the cut-off): ignored; so is a delivery of L4 dated after the cut-off.

Due lots: L1, L2, L3 (3); late: L1, L3 (2); late_lot_share 2/3; mean_days_late (10 + 0 + 20) / 3 = 10;
judged lots (delivered with a quality): L1, L2; major_deviation_share 1/2; warranty refusals 1;
evidence 4 purchases from 2 firms.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from models.reputation_features import (
    FEATURE_NAMES, has_minimum_evidence, reputation_features, serious_problem_labels,
)
from matchmaker.catalog import translate
from models.reputation_reasons import TEMPLATES, make_reason, render_reason

AS_OF = pd.Timestamp("2025-06-30")
FX = {"USD": 1.0, "MXN": 0.055}
NaT = pd.NaT


def _lots(extra=()):
    rows = [
        ("V", "F1", "2025-01-10", "2025-01-20", "2025-01-30", "as_sample", False, None),
        ("V", "F2", "2025-02-01", "2025-02-15", "2025-02-14", "major_deviation", True, False),
        ("V", "F1", "2025-05-01", "2025-06-10", NaT, None, False, None),
        ("V", "F2", "2025-06-01", "2025-07-15", "2025-07-20", "as_sample", True, True),
        ("V", "F1", "2025-07-05", "2025-07-06", "2025-07-30", "major_deviation", True, False),
        *extra,
    ]
    frame = pd.DataFrame(rows, columns=["vendor_id", "reporter_id", "purchased_on", "promised_on", "delivered_on",
                                        "quality_vs_sample", "warranty_claimed", "warranty_honoured"])
    for col in ("purchased_on", "promised_on", "delivered_on"):
        frame[col] = pd.to_datetime(frame[col])
    return frame


def _features(purchases, subjects=("V", "B")):
    subjects = pd.DataFrame({"buyer_id": list(subjects), "first_seen": pd.Timestamp("2024-01-01")})
    return reputation_features(None, None, None, subjects, AS_OF, FX, purchases=purchases)


def test_vendor_features_on_hand_worked_rows():
    f = _features(_lots()).loc["V"]
    assert f["late_lot_share"] == pytest.approx(2 / 3)
    assert f["mean_days_late"] == pytest.approx(10.0)
    assert f["major_deviation_share"] == pytest.approx(0.5)
    assert f["warranty_refusals"] == 1
    assert f["n_purchase_records"] == 4 and f["n_purchasing_firms"] == 2
    assert (f["n_due_lots"], f["n_late_lots"], f["n_judged_lots"], f["n_major_lots"]) == (3, 2, 2, 1)
    assert math.isclose(f["tenure_months"], (AS_OF - pd.Timestamp("2024-01-01")).days / 30.44)


def test_nothing_after_the_cut_off_is_used():
    base = _features(_lots())
    later = ("V", "F2", "2025-06-29", "2025-06-29", "2025-08-01", "major_deviation", True, False)
    f = _features(_lots([later])).loc["V"]
    # a lot bought before the cut-off and delivered after it: due and 1 day late so far, not yet judged
    assert f["n_purchase_records"] == 5 and f["n_due_lots"] == 4 and f["n_late_lots"] == 3
    assert f["mean_days_late"] == pytest.approx((10 + 0 + 20 + 1) / 4)
    assert f["n_judged_lots"] == 2 and f["warranty_refusals"] == 1
    # a lot bought after the cut-off changes nothing at all
    after = ("V", "F3", "2025-07-01", "2025-07-02", "2025-07-02", "major_deviation", True, False)
    assert _features(_lots([after])).equals(base)


def test_buyers_get_zeros_and_the_evidence_rule_counts_purchases():
    f = _features(_lots())
    assert (f.loc["B", ["late_lot_share", "mean_days_late", "warranty_refusals", "n_purchase_records"]] == 0).all()
    enough = has_minimum_evidence(f)
    assert bool(enough["V"]) and not bool(enough["B"])
    # three lots from one firm are not enough (the payment rule: 3 records from 2 firms)
    one_firm = _lots()
    one_firm["reporter_id"] = "F1"
    assert not bool(has_minimum_evidence(_features(one_firm))["V"])
    assert list(f.columns[:len(FEATURE_NAMES)]) == FEATURE_NAMES


def test_without_purchases_the_function_answers_as_before():
    f = _features(None)
    assert (f[["late_lot_share", "n_purchase_records"]] == 0).all().all()
    bad = _lots()
    bad.loc[0, "quality_vs_sample"] = "so-so"
    with pytest.raises(ValueError, match="so-so"):
        _features(bad)
    with pytest.raises(ValueError, match="promised_on"):
        _features(_lots().drop(columns=["promised_on"]))


def test_labels_count_serious_vendor_problems_inside_the_window():
    lots = _lots()
    ids = pd.Index(["V", "B"])
    # (2025-01-01, 2025-03-31]: L2's major deviation (delivered 02-14) is a serious problem
    y = serious_problem_labels(None, None, ids, "2025-01-01", "2025-03-31", purchases=lots)
    assert y.to_dict() == {"V": 1, "B": 0}
    # (2025-03-01, 2025-06-30]: nothing delivered badly, L3's promise + 30 days (07-10) is after the window
    assert serious_problem_labels(None, None, ids, "2025-03-01", "2025-06-30", purchases=lots)["V"] == 0
    # (2025-06-30, 2025-07-31]: L3 still missing 30 days after its promise, and L5 deviates
    assert serious_problem_labels(None, None, ids, "2025-06-30", "2025-07-31", purchases=lots)["V"] == 1


@pytest.mark.parametrize("lang, text", [
    ("en", "Raises risk: delivered 2 of 3 due lots late, on average 10 days"),
    ("es", "Aumenta el riesgo: entregó tarde 2 de 3 lotes vencidos, en promedio 10 días"),
])
def test_vendor_reasons_are_worded_in_both_languages(lang, text):
    row = _features(_lots()).loc["V"]
    reason = make_reason("late_lot_share", 0.8, row)
    assert render_reason(reason, lambda message: translate(message, lang)) == text
    assert set(FEATURE_NAMES) <= set(TEMPLATES)
    assert np.isfinite(row[FEATURE_NAMES].to_numpy(dtype=float)).all()
