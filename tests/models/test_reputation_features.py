"""Reputation features: hand-computed values, no leakage, labels and the minimum-evidence rule."""
import numpy as np
import pandas as pd
import pytest

from models.reputation_features import (
    CONTEXT_COLUMNS, FEATURE_NAMES, FEATURES, MIN_PAYMENT_EXPERIENCES, MIN_REPORTING_FIRMS,
    build_training_set, has_minimum_evidence, reputation_features, serious_problem_labels)
from models.reputation_synth import make_history

FX = {"USD": 1.0, "MXN": 0.05, "EUR": 1.1}
AS_OF = pd.Timestamp("2024-03-31")


def pay(buyer, firm, invoice, amount, currency, terms, paid=None, paid_amount=np.nan, deposit=0.3):
    invoice = pd.Timestamp(invoice)
    return {"buyer_id": buyer, "reporter_id": firm, "invoice_date": invoice, "amount": amount,
            "currency": currency, "terms_days": terms, "due_date": invoice + pd.Timedelta(days=terms),
            "paid_date": pd.Timestamp(paid) if paid else pd.NaT, "paid_amount": paid_amount,
            "deposit_share": deposit}


def frames(payments, incidents=(), references=(), buyers=("B1",)):
    inc_cols = ["buyer_id", "reporter_id", "type", "severity", "date", "status"]
    ref_cols = ["buyer_id", "reporter_id", "type", "date"]
    return (pd.DataFrame(payments), pd.DataFrame(list(incidents), columns=inc_cols),
            pd.DataFrame(list(references), columns=ref_cols),
            pd.DataFrame({"buyer_id": list(buyers), "first_seen": pd.Timestamp("2023-01-01")}))


def test_registry_documents_every_feature():
    assert FEATURE_NAMES == list(FEATURES)
    assert all(len(meaning) > 5 and len(formula) > 5 for meaning, formula in FEATURES.values())
    assert {"n_payment_experiences", "n_reporting_firms"} <= set(FEATURE_NAMES)


def test_amount_weighted_days_beyond_terms_by_hand():
    p = [pay("B1", "F1", "2024-01-01", 1000, "USD", 30, paid="2024-02-10"),          # 10 days late, $1000
         pay("B1", "F2", "2024-01-30", 3000, "USD", 30, paid="2024-02-25"),          # early, $3000
         pay("B1", "F1", "2024-02-01", 100, "EUR", 29),                              # due 03-01, open: 30 days, $110
         pay("B1", "F2", "2024-03-20", 500, "MXN", 30)]                              # not yet due: ignored
    f = reputation_features(*frames(p), AS_OF, FX).loc["B1"]
    assert f["days_beyond_terms"] == pytest.approx((1000 * 10 + 110 * 30) / 4110)
    assert f["late_share"] == pytest.approx(2 / 3)
    assert f["worst_delay_days"] == 30
    assert f["unpaid_past_due_share"] == pytest.approx(110 / 4110)
    assert f["n_payment_experiences"] == 4 and f["n_reporting_firms"] == 2
    assert f["n_late_invoices"] == 2 and f["n_matured_invoices"] == 3
    amounts = np.array([1000, 3000, 110, 25.0])
    assert f["order_size_cv"] == pytest.approx(amounts.std() / amounts.mean())


def test_partial_payment_counts_the_open_remainder():
    p = [pay("B1", "F1", "2024-01-01", 1000, "USD", 30, paid="2024-02-10", paid_amount=600)]
    f = reputation_features(*frames(p), AS_OF, FX).loc["B1"]
    # 60 % paid 10 days late, 40 % still open 60 days after the due date (2024-01-31 -> 03-31)
    assert f["days_beyond_terms"] == pytest.approx(0.6 * 10 + 0.4 * 60)
    assert f["unpaid_past_due_share"] == pytest.approx(0.4)
    assert f["worst_delay_days"] == 60 and f["late_share"] == 1


def test_withdrawn_incidents_are_ignored_and_hearsay_down_weighted():
    p = [pay("B1", "F1", "2024-01-01", 1000, "USD", 30, paid="2024-01-20")]
    base = reputation_features(*frames(p), AS_OF, FX)
    withdrawn = [("B1", "F1", "unjust_clause", 3, AS_OF, "withdrawn")]
    assert reputation_features(*frames(p, withdrawn), AS_OF, FX).equals(base)
    mixed = [("B1", "F1", "bullying", 3, AS_OF, "verified"), ("B1", "F2", "bullying", 3, AS_OF, "hearsay"),
             ("B1", "F2", "unjust_clause", 2, AS_OF - pd.Timedelta(days=365), "disputed")]
    f = reputation_features(*frames(p, mixed), AS_OF, FX).loc["B1"]
    assert f["incidents_grave"] == pytest.approx(1.25)
    assert f["incidents_serious"] == pytest.approx(0.5 * 0.5)       # disputed, one half-life old
    assert f["red_flags"] == pytest.approx(0.5)
    assert (f["n_grave_verified"], f["n_grave_unverified"]) == (1, 1)


def test_unknown_currency_is_a_clear_error():
    p = [pay("B1", "F1", "2024-01-01", 1000, "XAU", 30)]
    with pytest.raises(ValueError, match="XAU"):
        reputation_features(*frames(p), AS_OF, FX)


def test_records_after_as_of_change_nothing():
    h = make_history(400, seed=5)
    args = [h["payments"], h["incidents"], h["references"], h["buyers"]]
    as_of = pd.Timestamp("2023-09-30")
    before = reputation_features(*args, as_of, h["fx"])
    pay_ = h["payments"].copy()
    later = pay_["paid_date"] > as_of
    pay_.loc[later, "paid_date"] = pay_.loc[later, "paid_date"] + pd.Timedelta(days=200)   # rewrite the future
    pay_.loc[later, "paid_amount"] = 1.0
    future_inc = h["incidents"].assign(date=as_of + pd.Timedelta(days=1), status="verified", severity=3)
    future_ref = h["references"].assign(date=as_of + pd.Timedelta(days=3))
    future_pay = h["payments"].assign(invoice_date=as_of + pd.Timedelta(days=2), currency="XAU")
    new_buyer = pd.DataFrame({"buyer_id": ["NEW"], "first_seen": [as_of + pd.Timedelta(days=1)], "risk": [0.5]})
    after = reputation_features(pd.concat([pay_, future_pay]), pd.concat([h["incidents"], future_inc]),
                                pd.concat([h["references"], future_ref]), pd.concat([h["buyers"], new_buyer]),
                                as_of, h["fx"])
    pd.testing.assert_frame_equal(before, after)
    assert list(before.columns) == FEATURE_NAMES + CONTEXT_COLUMNS


def test_records_learned_after_as_of_change_nothing():
    """An invoice counts from the day the platform learned of it (``known_date``), however early it is
    dated, and a payment from the day it was recorded (``paid_known_date``): as of any earlier day the
    features are those without it."""
    h = make_history(400, seed=5)
    args = [h["incidents"], h["references"], h["buyers"]]
    as_of = pd.Timestamp("2023-09-30")
    before = reputation_features(h["payments"], *args, as_of, h["fx"])
    pay_ = h["payments"].copy()
    pay_["known_date"] = pd.NaT
    pay_["paid_known_date"] = pd.NaT
    learned = pay_["paid_date"] <= as_of
    pay_.loc[learned, "paid_known_date"] = as_of + pd.Timedelta(days=1)    # recorded the day after
    late = h["payments"].assign(invoice_date=as_of - pd.Timedelta(days=100), known_date=as_of + pd.Timedelta(days=1),
                                currency="XAU")                            # dated long ago, confirmed tomorrow
    after = reputation_features(pd.concat([pay_.loc[~learned], late]), *args, as_of, h["fx"])
    unpaid = reputation_features(pd.concat([h["payments"].loc[~learned],
                                            h["payments"].loc[learned].assign(paid_date=pd.NaT)]), *args, as_of,
                                 h["fx"])
    pd.testing.assert_frame_equal(after, reputation_features(h["payments"].loc[~learned], *args, as_of, h["fx"]))
    with_late_payments = reputation_features(pay_, *args, as_of, h["fx"])
    pd.testing.assert_frame_equal(with_late_payments, unpaid)                # paid, but nobody knew yet
    assert not with_late_payments.equals(before)
    tomorrow = as_of + pd.Timedelta(days=1)
    pd.testing.assert_frame_equal(reputation_features(pay_, *args, tomorrow, h["fx"]),
                                  reputation_features(h["payments"], *args, tomorrow, h["fx"]))


def test_minimum_evidence_rule():
    assert (MIN_PAYMENT_EXPERIENCES, MIN_REPORTING_FIRMS) == (3, 2)
    p = [pay("THIN", "F1", "2024-01-01", 100, "USD", 30, paid="2024-01-31"),
         pay("THIN", "F1", "2024-02-01", 100, "USD", 30, paid="2024-03-01"),
         pay("TWOFIRMS", "F1", "2024-01-01", 100, "USD", 30), pay("TWOFIRMS", "F2", "2024-01-02", 100, "USD", 30)]
    p += [pay("ONEFIRM", "F1", f"2024-02-0{i}", 100, "USD", 3) for i in (1, 2, 3)]
    p += [pay("OK", f, "2024-01-0" + str(i + 1), 100, "USD", 3) for i, f in enumerate(["F1", "F2", "F1"])]
    f = reputation_features(*frames(p, buyers=("THIN", "TWOFIRMS", "ONEFIRM", "OK")), AS_OF, FX)
    assert has_minimum_evidence(f).to_dict() == {"THIN": False, "TWOFIRMS": False, "ONEFIRM": False, "OK": True}


def test_labels_cover_late_unpaid_and_verified_incidents_only_inside_the_window():
    start, end = pd.Timestamp("2024-01-01"), pd.Timestamp("2024-12-31")
    p = pd.DataFrame([
        pay("LATE", "F1", "2024-02-01", 100, "USD", 30, paid="2024-05-15"),        # 73 days late, in window
        pay("OPEN", "F1", "2024-09-01", 100, "USD", 30),                           # unpaid 91 days at horizon
        pay("PART", "F1", "2024-03-01", 100, "USD", 30, paid="2024-03-31", paid_amount=50),  # half unpaid
        pay("OLD", "F1", "2023-06-01", 100, "USD", 30),                            # 60 days late before start
        pay("FINE", "F1", "2024-02-01", 100, "USD", 30, paid="2024-04-01"),        # 30 days late only
        pay("EDGE", "F1", "2024-11-20", 100, "USD", 30)])                          # crosses 60 days after end
    inc = pd.DataFrame([("INC", "F1", "bullying", 2, "2024-06-01", "verified"),
                        ("HEAR", "F1", "bullying", 3, "2024-06-01", "hearsay"),
                        ("MINOR", "F1", "bullying", 1, "2024-06-01", "verified")],
                       columns=["buyer_id", "reporter_id", "type", "severity", "date", "status"])
    ids = pd.Index(["LATE", "OPEN", "PART", "OLD", "FINE", "EDGE", "INC", "HEAR", "MINOR"])
    y = serious_problem_labels(p, inc, ids, start, end)
    assert y.to_dict() == {"LATE": 1, "OPEN": 1, "PART": 1, "OLD": 0, "FINE": 0, "EDGE": 0,
                           "INC": 1, "HEAR": 0, "MINOR": 0}


def test_training_set_is_time_ordered_and_excludes_thin_history():
    h = make_history(500, seed=2)
    args = [h["payments"], h["incidents"], h["references"], h["buyers"], h["fx"]]
    X, y, cutoff = build_training_set(*args, ["2023-06-30", "2023-03-31"])
    assert list(cutoff.drop_duplicates()) == [pd.Timestamp("2023-03-31"), pd.Timestamp("2023-06-30")]
    assert cutoff.is_monotonic_increasing and len(X) == len(y) == len(cutoff)
    assert has_minimum_evidence(X).all() and set(y.unique()) == {0, 1}
    with pytest.raises(ValueError, match="ends after the data"):
        build_training_set(*args, ["2024-06-30"])


def test_buyer_without_records_gets_zeros_and_no_evidence():
    empty = frames(pd.DataFrame(columns=list(pay("B1", "F1", "2024-01-01", 1, "USD", 3))))
    f = reputation_features(*empty, AS_OF, FX)
    assert list(f.index) == ["B1"] and f.drop(columns="tenure_months").eq(0).all(axis=None)
    assert not has_minimum_evidence(f).any()


def statement(buyer, due, amount, carried=0.0, since=None, paid=None, paid_amount=np.nan, rolled=None):
    """One monthly bill as a credit department keeps it: part of it may be last bill's remainder."""
    row = pay(buyer, "F1", pd.Timestamp(due) - pd.Timedelta(days=20), amount, "USD", 20, paid=paid,
              paid_amount=paid_amount)
    row.update(carried_amount=carried, carried_since=pd.Timestamp(since) if since else pd.NaT,
               rolled_date=pd.Timestamp(rolled) if rolled else pd.NaT)
    return row


def test_newest_bill_keeps_the_age_of_the_debt_it_carries():
    # Both newest bills fell due yesterday and are open; one carries debt 1 month old, one 8 months.
    yesterday = AS_OF - pd.Timedelta(days=1)
    p = [statement("ONE", yesterday, 500, carried=400, since=AS_OF - pd.Timedelta(days=31)),
         statement("EIGHT", yesterday, 500, carried=400, since=AS_OF - pd.Timedelta(days=243))]
    f = reputation_features(*frames(p, buyers=("ONE", "EIGHT")), AS_OF, FX)
    assert f.loc["ONE", "latest_delay_days"] == 31 and f.loc["EIGHT", "latest_delay_days"] == 243
    assert f.loc["ONE", "days_beyond_terms"] == pytest.approx(0.8 * 31 + 0.2 * 1)
    assert f.loc["EIGHT", "days_beyond_terms"] == pytest.approx(0.8 * 243 + 0.2 * 1)


def test_a_remainder_carried_into_the_next_bill_is_not_past_due_twice():
    # January's bill: 600 of 1000 paid; the 400 left is rolled into February's bill, which is
    # paid in full 5 days late. Nothing is owed on 31 March.
    p = [statement("B1", "2024-01-31", 1000, paid="2024-01-31", paid_amount=600, rolled="2024-02-10"),
         statement("B1", "2024-02-29", 900, carried=400, since="2024-01-31", paid="2024-03-05")]
    f = reputation_features(*frames(p), AS_OF, FX).loc["B1"]
    assert f["unpaid_past_due_share"] == 0
    assert f["worst_delay_days"] == 34                     # the January debt, paid on 5 March
    assert f["latest_delay_days"] == 34
    # Read as plain invoices (no carry columns), January's 400 would look open for 60 days.
    plain = [pay("B1", "F1", "2024-01-11", 1000, "USD", 20, paid="2024-01-31", paid_amount=600)]
    assert reputation_features(*frames(plain), AS_OF, FX).loc["B1", "worst_delay_days"] == 60


def test_delay_trend_works_inside_one_six_month_window():
    dues = pd.to_datetime(["2024-01-10", "2024-02-09", "2024-03-10"])     # 30 days apart
    delays = [0, 10, 20]
    p = [pay("B1", "F1", d - pd.Timedelta(days=30), 100, "USD", 30, paid=d + pd.Timedelta(days=k))
         for d, k in zip(dues, delays)]
    f = reputation_features(*frames(p), AS_OF + pd.Timedelta(days=30), FX).loc["B1"]
    per_day = np.polyfit((dues - dues[0]).days.to_numpy(float), delays, 1)[0]
    assert f["delay_trend_days"] == pytest.approx(per_day * 182)        # 10 days per 30 -> 60.7 per 182
    flat = [pay("B1", "F1", d - pd.Timedelta(days=30), 100, "USD", 30, paid=d) for d in dues]
    assert reputation_features(*frames(flat), AS_OF, FX).loc["B1", "delay_trend_days"] == 0


def test_recent_delay_weights_the_newest_invoices():
    # six invoices 90..10 days late, oldest first, then three paid on time
    p = [pay("B1", "F1", f"2023-0{m}-01", 100, "USD", 30,
             paid=(pd.Timestamp(f"2023-0{m}-01") + pd.Timedelta(days=30 + d)).date().isoformat())
         for m, d in zip(range(1, 7), (90, 70, 50, 30, 20, 10))]
    p += [pay("B1", "F2", f"2023-{m}-01", 100, "USD", 30, paid=f"2023-{m}-20") for m in (10, 11, 12)]
    f = reputation_features(*frames(p), AS_OF, FX).loc["B1"]
    assert f["latest_delay_days"] == 0 and f["delay_last_3"] == 0
    assert f["delay_last_6"] == pytest.approx((30 + 20 + 10) / 6)
    assert f["days_beyond_terms"] == pytest.approx(270 / 9)


def test_empty_or_missing_optional_records_are_none_and_missing_columns_are_named():
    p = [pay("B1", "F1", "2024-01-01", 1000, "USD", 30, paid="2024-02-10")]
    payments, incidents, references, buyers = frames(p)
    base = reputation_features(payments, incidents, references, buyers, AS_OF, FX)
    for empty in (pd.DataFrame(), None):
        pd.testing.assert_frame_equal(
            reputation_features(payments, empty, empty, buyers, AS_OF, FX), base)
    no_deposit = reputation_features(payments.drop(columns="deposit_share"), incidents, references,
                                     buyers, AS_OF, FX)
    assert no_deposit.loc["B1", "mean_deposit_share"] == 0
    assert no_deposit.drop(columns="mean_deposit_share").equals(base.drop(columns="mean_deposit_share"))
    bad = pd.DataFrame([("B1", "F1", "bullying", 2, AS_OF)],
                       columns=["buyer_id", "reporter_id", "type", "severity", "date"])
    with pytest.raises(ValueError, match="incidents has no column 'status'"):
        reputation_features(payments, bad, references, buyers, AS_OF, FX)
    with pytest.raises(ValueError, match="payments has no column 'currency'"):
        reputation_features(payments.drop(columns="currency"), incidents, references, buyers, AS_OF, FX)


def test_only_required_payment_columns_and_no_other_records_still_give_features_and_labels():
    """A member's export with just the required columns, no incidents, no references: all optional."""
    full = pd.DataFrame([pay("B1", f, f"2023-{m:02d}-01", 100, "USD", 30, paid=f"2023-{m:02d}-{10 + m}")
                         for m, f in zip(range(1, 10), ["F1", "F2", "F3"] * 3)])
    bare = full[["buyer_id", "reporter_id", "invoice_date", "amount", "currency", "terms_days"]]
    buyers = pd.DataFrame({"buyer_id": ["B1"]})                       # no first_seen: tenure 0
    f = reputation_features(bare, None, pd.DataFrame(), buyers, AS_OF, FX).loc["B1"]
    # nothing paid on record: every matured invoice is open since its due date (invoice + 30 days)
    assert f["latest_delay_days"] == (AS_OF - pd.Timestamp("2023-09-01") - pd.Timedelta(days=30)).days
    assert f["unpaid_past_due_share"] == 1 and f["mean_deposit_share"] == 0 and f["tenure_months"] == 0
    assert f[["incidents_minor", "incidents_serious", "incidents_grave", "red_flags", "n_referring_firms"]].eq(0).all()
    X, y, _ = build_training_set(full, None, None, buyers.assign(first_seen=pd.Timestamp("2022-12-01")),
                                      FX, ["2023-05-31"], horizon_days=90)
    assert list(X.index) == ["B1"] and y.tolist() == [0]
    with pytest.raises(ValueError, match="payments has no column 'terms_days'"):
        reputation_features(bare.drop(columns="terms_days"), None, None, buyers, AS_OF, FX)
    with pytest.raises(ValueError, match="references has no column 'date'"):
        reputation_features(bare, None, pd.DataFrame({"buyer_id": ["B1"], "reporter_id": ["F1"], "type": ["x"]}),
                            buyers, AS_OF, FX)
