"""Orders are payment experiences for the screener: one source of truth, each deal counted once."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pandas as pd
import pytest

from matchmaker import db
from matchmaker.orders.records import Order, OrderInvoice, OrderPayment
from matchmaker.ratings.records import Rating, RatingScore
from matchmaker.organizations.records import Association, Membership
from matchmaker.vetting.records import PaymentExperience
from matchmaker.vetting.screening import FX, _fingerprints, record_frames
from models.reputation_features import reputation_features

from tests.support.vetting import clear_buyer


@pytest.fixture
def deal(app, factory):
    """A member maker's order to a buyer: 1,000 USD invoiced 2026-01-10 on 30-day terms (due 2026-02-09),
    an invoice the buyer confirmed. The order was entered by the maker (not met on the platform) and the
    association cleared the buyer, so the order is evidence (``orders.evidence``)."""
    with app.app_context():
        s = db.session()
        assoc = Association(name="Jeans test", slug="jeans-test-orders")
        s.add(assoc)
        s.commit()
        ids = {"assoc": assoc.id}
    ids["buyer"] = factory.org("buyer", "Late Payer Inc", country="US")
    ids["maker"] = factory.org("maker", "Taller Miembro")
    ids["other"] = factory.org("maker", "Taller Vecino")
    ids["outsider"] = factory.org("maker", "Taller Sin Asociación")
    with app.app_context():
        s = db.session()
        for org in (ids["maker"], ids["other"]):
            s.add(Membership(association_id=ids["assoc"], organization_id=org, role="member"))
        order = Order(buyer_id=ids["buyer"], maker_id=ids["maker"], origin="maker", quantity=500, unit_price=2.0,
                      currency="USD", delivery_date=date(2026, 1, 5), payment_terms_days=30, deposit_share=0.0,
                      started_on=date(2025, 11, 20))
        s.add(order)
        s.flush()
        invoice = OrderInvoice(order_id=order.id, number="F-1", issued_on=date(2026, 1, 10), due_on=date(2026, 2, 9),
                               amount=1000.0, currency="USD", entered_by="maker",
                               created_at=datetime(2026, 1, 10, 15, tzinfo=timezone.utc),
                               confirmed_at=datetime(2026, 1, 11, tzinfo=timezone.utc))  # the buyer confirmed it
        s.add(invoice)
        s.commit()
        ids["order"], ids["invoice"] = order.id, invoice.id
        clear_buyer(s, ids["buyer"], ids["assoc"])
    return ids


def _pay(app, deal, day: date, amount: float, recorded: date | None = None):
    """A payment made on ``day``, recorded that day (or on ``recorded``)."""
    at = datetime.combine(recorded or day, datetime.min.time(), timezone.utc).replace(hour=17)
    with app.app_context():
        s = db.session()
        s.add(OrderPayment(invoice_id=deal["invoice"], order_id=deal["order"], paid_on=day, amount=amount,
                           entered_by="buyer", created_at=at))
        s.commit()


def _hand(app, deal, reporter: int, invoice_date: date, amount: float, paid: date | None,
          recorded: date | None = None):
    """A hand-entered experience, recorded on ``recorded`` (default: the day it was paid, or invoiced)."""
    at = datetime.combine(recorded or paid or invoice_date, datetime.min.time(), timezone.utc).replace(hour=11)
    with app.app_context():
        s = db.session()
        s.add(PaymentExperience(subject_id=deal["buyer"], association_id=deal["assoc"], reporter_org_id=reporter,
                                invoice_date=invoice_date, amount=amount, currency="USD", terms_days=30,
                                due_date=invoice_date + pd.Timedelta(days=30), paid_date=paid, paid_amount=None,
                                deposit_share=0.0, created_at=at))
        s.commit()


def _features(app, deal, as_of: str, association_id=None):
    with app.app_context():
        f = record_frames(db.session(), [deal["buyer"]], association_id)
        feats = reputation_features(f["payments"], f["incidents"], f["references"], f["buyers"],
                                    pd.Timestamp(as_of), FX, ratings=f["ratings"])
        return f, feats.loc[deal["buyer"]]


def test_an_order_invoice_paid_20_days_late_is_a_late_payment(app, deal):
    # two payments: 400 on 2026-02-01 (inside terms), the remaining 600 on 2026-03-01, 20 days beyond terms
    _pay(app, deal, date(2026, 2, 1), 400.0)
    _pay(app, deal, date(2026, 3, 1), 600.0)
    frames, row = _features(app, deal, "2026-06-01", deal["assoc"])
    pay = frames["payments"]
    assert len(pay) == 1
    got = pay.iloc[0]
    assert (got.buyer_id, got.reporter_id) == (deal["buyer"], deal["maker"])
    assert (got.invoice_date, got.due_date, got.paid_date) == (
        pd.Timestamp("2026-01-10"), pd.Timestamp("2026-02-09"), pd.Timestamp("2026-03-01"))
    assert got.terms_days == 30 and got.paid_amount == 1000.0
    assert row["late_share"] == 1.0 and row["worst_delay_days"] == 20.0 and row["days_beyond_terms"] == 20.0

    # a hand-entered deal of another member, paid on time, halves the late share; amount-weighted
    # days beyond terms: (1000 * 20 + 1000 * 0) / 2000 = 10
    _hand(app, deal, deal["other"], date(2026, 1, 15), 1000.0, date(2026, 2, 10))
    _, row = _features(app, deal, "2026-06-01", deal["assoc"])
    assert row["n_payment_experiences"] == 2 and row["n_reporting_firms"] == 2
    assert row["late_share"] == 0.5 and row["days_beyond_terms"] == 10.0

    # as of 2026-02-20 the invoice is not settled: it counts as open (a part payment counts once the
    # invoice is settled, the frame's one paid date), 11 days past due; the hand entry was paid:
    # unpaid share of the past-due amount 1000 / 2000
    _, row = _features(app, deal, "2026-02-20", deal["assoc"])
    assert row["unpaid_past_due_share"] == pytest.approx(0.5)
    assert row["worst_delay_days"] == 11.0 and row["late_share"] == 0.5


def test_a_hand_entry_repeating_an_order_invoice_counts_once(app, deal):
    _pay(app, deal, date(2026, 3, 1), 1000.0)
    _hand(app, deal, deal["maker"], date(2026, 1, 10), 1000.0, date(2026, 3, 1))
    frames, row = _features(app, deal, "2026-06-01", deal["assoc"])
    assert len(frames["payments"]) == 1 and row["n_payment_experiences"] == 1
    # an unrelated hand entry of the same firm (another date) is its own deal
    _hand(app, deal, deal["maker"], date(2026, 4, 1), 250.0, date(2026, 5, 1))
    frames, row = _features(app, deal, "2026-06-01", deal["assoc"])
    assert len(frames["payments"]) == 2 and row["n_payment_experiences"] == 2


def test_unpaid_invoice_has_no_paid_date_and_others_orders_stay_in_their_association(app, deal):
    frames, row = _features(app, deal, "2026-06-01", deal["assoc"])
    assert pd.isna(frames["payments"].iloc[0].paid_date)
    assert row["unpaid_past_due_share"] == 1.0
    with app.app_context():
        s = db.session()
        order = Order(buyer_id=deal["buyer"], maker_id=deal["outsider"], origin="maker", quantity=100,
                      unit_price=3.0, currency="USD", delivery_date=date(2026, 2, 1), payment_terms_days=15,
                      started_on=date(2026, 1, 2))
        s.add(order)
        s.flush()
        s.add(OrderInvoice(order_id=order.id, number="X-1", issued_on=date(2026, 2, 1), due_on=date(2026, 2, 16),
                           amount=300.0, currency="USD", entered_by="maker", confirmed_at=datetime.now(timezone.utc)))
        s.commit()
    frames, _ = _features(app, deal, "2026-06-01", deal["assoc"])
    assert set(frames["payments"].reporter_id) == {deal["maker"]}          # not a member: not this board's evidence
    frames, _ = _features(app, deal, "2026-06-01", None)
    assert set(frames["payments"].reporter_id) == {deal["maker"], deal["outsider"]}


def test_the_score_cache_sees_a_new_payment_and_a_new_rating(app, deal):
    with app.app_context():
        clear_buyer(db.session(), deal["buyer"], deal["assoc"])  # the hand-entered order is evidence: ratable
        before = _fingerprints(db.session(), [deal["buyer"]], deal["assoc"])
    _pay(app, deal, date(2026, 3, 1), 1000.0)
    with app.app_context():
        paid = _fingerprints(db.session(), [deal["buyer"]], deal["assoc"])
        assert paid != before
        s = db.session()
        r = Rating(basis="order", basis_id=deal["order"], direction="buyer_practices", rater_org_id=deal["maker"],
                   ratee_org_id=deal["buyer"], association_id=deal["assoc"],
                   created_at=datetime(2026, 3, 20, tzinfo=timezone.utc))
        r.scores = [RatingScore(category="payment_terms", score=2)]
        s.add(r)
        s.commit()
        assert _fingerprints(db.session(), [deal["buyer"]], deal["assoc"]) != paid
        frames = record_frames(db.session(), [deal["buyer"]], deal["assoc"])
        assert list(frames["ratings"][["reporter_id", "category", "score"]].itertuples(index=False, name=None)) == [
            (deal["maker"], "payment_terms", 2.0)]
        rated = _fingerprints(db.session(), [deal["buyer"]], deal["assoc"])
        # the association withdraws the buyer's clearance: the order is no evidence, its rating stops counting
        # in the screener (and the cached score is recomputed); the rating itself stays stored
        clear_buyer(db.session(), deal["buyer"], deal["assoc"], outcome="watchlist")
        assert _fingerprints(db.session(), [deal["buyer"]], deal["assoc"]) != rated
        assert record_frames(db.session(), [deal["buyer"]], deal["assoc"])["ratings"].empty
        assert db.session().get(Rating, r.id) is not None
        clear_buyer(db.session(), deal["buyer"], deal["assoc"])  # cleared again: it counts again
        assert len(record_frames(db.session(), [deal["buyer"]], deal["assoc"])["ratings"]) == 1


def test_an_invoice_the_buyer_never_confirmed_is_no_evidence_until_it_does(app, deal):
    """A maker alone cannot put a payment record on a buyer: its invoice counts once the buyer confirmed it."""
    from matchmaker.orders.figures import confirm_figure

    with app.app_context():
        s = db.session()
        claim = OrderInvoice(order_id=deal["order"], number="F-2", issued_on=date(2026, 1, 20),
                             due_on=date(2026, 2, 19), amount=5000.0, currency="USD", entered_by="maker",
                             created_at=datetime(2026, 1, 20, 12, tzinfo=timezone.utc))
        s.add(claim)
        s.commit()
        claim_id = claim.id
        before = _fingerprints(s, [deal["buyer"]], deal["assoc"])
    frames, row = _features(app, deal, "2026-06-01", deal["assoc"])
    assert list(frames["payments"].amount) == [1000.0] and row["n_payment_experiences"] == 1
    with app.app_context():
        s = db.session()
        confirm_figure(s, s.get(Order, deal["order"]), "buyer", "invoice", claim_id)
        assert _fingerprints(db.session(), [deal["buyer"]], deal["assoc"]) != before
    today = datetime.now(timezone.utc).date()
    frames, row = _features(app, deal, today.isoformat(), deal["assoc"])
    assert sorted(frames["payments"].amount) == [1000.0, 5000.0] and row["n_payment_experiences"] == 2
    assert frames["payments"].known_date.max() == pd.Timestamp(today)
    # confirmed today, it is evidence from today on: a screening as of an earlier day never saw it
    _, row = _features(app, deal, (today - pd.Timedelta(days=1)).isoformat(), deal["assoc"])
    assert row["n_payment_experiences"] == 1


def test_an_order_invoice_and_its_payment_count_from_when_the_platform_learned_of_them(app, deal):
    """Time-aware screening: the maker dates its invoice (``issued_on``), the buyer confirms it later; the
    payment's day is what its author says, its recording is when the platform knew. Each counts from the
    later of the two, so training at a past cutoff sees only what was known then (no future leak)."""
    with app.app_context():
        s = db.session()
        late = OrderInvoice(order_id=deal["order"], number="F-3", issued_on=date(2026, 1, 12),
                            due_on=date(2026, 2, 11), amount=3000.0, currency="USD", entered_by="maker",
                            created_at=datetime(2026, 4, 30, 9, tzinfo=timezone.utc),
                            confirmed_at=datetime(2026, 5, 2, 20, tzinfo=timezone.utc))  # entered and confirmed late
        s.add(late)
        s.commit()
    _pay(app, deal, date(2026, 2, 1), 1000.0, recorded=date(2026, 3, 15))   # on time, recorded six weeks later
    frames, _ = _features(app, deal, "2026-06-01", deal["assoc"])
    got = frames["payments"].sort_values("amount")
    assert list(got.known_date) == [pd.Timestamp("2026-01-11"), pd.Timestamp("2026-05-02")]
    assert got.iloc[0].paid_known_date == pd.Timestamp("2026-03-15")
    _, april = _features(app, deal, "2026-04-01", deal["assoc"])
    assert april["n_payment_experiences"] == 1 and april["late_share"] == 0.0  # F-3 unknown; F-1 paid on time
    _, march = _features(app, deal, "2026-03-01", deal["assoc"])
    # as of March 1st nobody knew F-1 was paid: open, 20 days past its due date (2026-02-09)
    assert march["n_payment_experiences"] == 1 and march["worst_delay_days"] == 20.0
    _, june = _features(app, deal, "2026-06-01", deal["assoc"])
    assert june["n_payment_experiences"] == 2 and june["unpaid_past_due_share"] == pytest.approx(0.75)


def test_a_hand_entered_experience_counts_from_the_day_it_was_recorded(app, deal):
    """A member enters a deal made outside the platform months after its invoice date: a screening (or a
    training cutoff) before that day never sees it, though its invoice is dated long before."""
    _pay(app, deal, date(2026, 2, 1), 1000.0)                       # the order invoice, paid on time
    _hand(app, deal, deal["other"], date(2026, 1, 5), 2000.0, None, recorded=date(2026, 4, 20))  # unpaid
    frames, _ = _features(app, deal, "2026-06-01", deal["assoc"])
    hand = frames["payments"][frames["payments"].reporter_id == deal["other"]].iloc[0]
    assert (hand.known_date, hand.paid_known_date) == (pd.Timestamp("2026-04-20"), pd.Timestamp("2026-04-20"))
    _, before = _features(app, deal, "2026-04-19", deal["assoc"])
    assert before["n_payment_experiences"] == 1 and before["n_reporting_firms"] == 1
    assert before["unpaid_past_due_share"] == 0.0
    _, after = _features(app, deal, "2026-04-20", deal["assoc"])
    assert after["n_payment_experiences"] == 2 and after["n_reporting_firms"] == 2
    assert after["unpaid_past_due_share"] == pytest.approx(2 / 3)
    # the buyer is first seen on the platform's record when something about it became known
    assert frames["buyers"].first_seen.iloc[0] <= pd.Timestamp("2026-01-11")


def test_an_invoice_on_an_order_that_is_not_evidence_changes_no_payment_feature(app, deal, factory):
    """A maker may enter an order naming any buyer: until the buyer is cleared (or they met on the platform)
    its invoices, even confirmed and paid late, put nothing on the buyer; once it is evidence they count."""
    buyer = factory.org("buyer", "Unvetted Buyer SA", country="US")
    _hand(app, {**deal, "buyer": buyer}, deal["other"], date(2026, 1, 5), 800.0, date(2026, 2, 4))
    with app.app_context():
        s = db.session()
        order = Order(buyer_id=buyer, maker_id=deal["maker"], origin="maker", quantity=100, unit_price=5.0,
                      currency="USD", delivery_date=date(2026, 1, 20), payment_terms_days=30,
                      started_on=date(2026, 1, 2))
        s.add(order)
        s.flush()
        invoice = OrderInvoice(order_id=order.id, number="U-1", issued_on=date(2026, 1, 25), due_on=date(2026, 2, 24),
                               amount=500.0, currency="USD", entered_by="maker",
                               created_at=datetime(2026, 1, 25, 10, tzinfo=timezone.utc),
                               confirmed_at=datetime(2026, 1, 26, 10, tzinfo=timezone.utc))
        s.add(invoice)
        s.flush()
        s.add(OrderPayment(invoice_id=invoice.id, order_id=order.id, paid_on=date(2026, 4, 30), amount=500.0,
                           entered_by="maker", created_at=datetime(2026, 4, 30, 12, tzinfo=timezone.utc)))
        s.commit()
        order_id = order.id
    subject = {**deal, "buyer": buyer}
    payment_features = ["n_payment_experiences", "n_reporting_firms", "late_share", "worst_delay_days",
                        "days_beyond_terms", "unpaid_past_due_share"]
    frames, row = _features(app, subject, "2026-06-01", deal["assoc"])
    assert set(frames["payments"].reporter_id) == {deal["other"]}   # only the member's own hand entry
    assert row["n_payment_experiences"] == 1 and row["late_share"] == 0.0
    for association in (deal["assoc"], None):
        with app.app_context():
            prints = _fingerprints(db.session(), [buyer], association)
        _, without = _features(app, subject, "2026-06-01", association)
        assert without["worst_delay_days"] == 0.0
        with app.app_context():
            clear_buyer(db.session(), buyer, deal["assoc"])          # the association clears the buyer
            assert _fingerprints(db.session(), [buyer], association) != prints   # cached scores recomputed
        _, cleared = _features(app, subject, "2026-06-01", association)
        assert cleared["n_payment_experiences"] == 2 and cleared["n_reporting_firms"] == 2
        assert cleared["late_share"] == 0.5 and cleared["worst_delay_days"] == 65.0     # paid 65 days late
        assert not cleared[payment_features].equals(without[payment_features])
        with app.app_context():
            clear_buyer(db.session(), buyer, deal["assoc"], outcome="rejected")   # clearance withdrawn
        _, withdrawn = _features(app, subject, "2026-06-01", association)
        pd.testing.assert_series_equal(withdrawn[payment_features], without[payment_features])
    with app.app_context():
        s = db.session()
        s.get(Order, order_id).origin = "quote"                         # met on the platform: evidence as such
        s.commit()
    _, met = _features(app, subject, "2026-06-01", deal["assoc"])
    assert met["n_payment_experiences"] == 2 and met["worst_delay_days"] == 65.0
