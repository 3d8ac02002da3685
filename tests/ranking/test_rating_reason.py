"""The ranker's worded reason about buyers' ratings shows only what ``ratings`` publishes: the batch
aggregate with a banded count, never the live mean and exact count (one more rating would then give
its score away by differencing), and nothing under the 3-ratings-from-3-firms threshold."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np

from matchmaker import db
from matchmaker.orders.records import Order
from matchmaker.ranking.features import FEATURE_NAMES, TrackRecord
from matchmaker.ranking.reasons import reasons_for
from matchmaker.ratings.records import Rating, RatingScore

START = datetime(2026, 5, 1, 12, tzinfo=timezone.utc)


def _rating_reason(app, maker: int, lang: str = "en") -> str | None:
    """The reason worded when the buyers' rating is the only feature in the maker's favour; the live
    record counts every rating stored (what ``Snapshot`` gives the ranker)."""
    with app.app_context():
        s = db.session()
        rows = s.query(Rating).filter_by(ratee_org_id=maker, direction="maker_performance").all()
        scores = [sc.score for r in rows for sc in r.scores]
        rec = TrackRecord(ratings=len(rows), rating_scores=len(scores), rating_sum=sum(scores))
        contributions = np.zeros(len(FEATURE_NAMES))
        contributions[FEATURE_NAMES.index("maker_rating")] = 1.0
        out = reasons_for(contributions, contributions, {}, {"id": maker, "record": rec}, lang, session=s)
    return out[0]["text"] if out else None


def _rate(app, buyer: int, maker: int, i: int, score: int) -> None:
    """A buyer's rating on an order that met through the platform (from a quote: evidence, so it counts)."""
    with app.app_context():
        s = db.session()
        order = Order(buyer_id=buyer, maker_id=maker, origin="quote", quantity=100, unit_price=9.5, currency="USD",
                      delivery_date=(START + timedelta(days=30)).date(), started_on=START.date())
        s.add(order)
        s.flush()
        r = Rating(basis="order", basis_id=order.id, direction="maker_performance", rater_org_id=buyer,
                   ratee_org_id=maker, created_at=START + timedelta(days=i))
        r.scores = [RatingScore(category=c, score=score) for c in ("quality", "on_time_delivery", "communication")]
        s.add(r)
        s.commit()


def test_the_rating_reason_moves_only_when_ratings_publish(app, factory):
    maker = factory.org("maker", "Taller Calificado")
    buyers = [factory.org("buyer", f"Buyer {i}", country="US") for i in range(6)]
    # three ratings, but from two firms: live mean and count exist, nothing is published
    _rate(app, buyers[0], maker, 0, 5)
    _rate(app, buyers[1], maker, 1, 3)
    _rate(app, buyers[1], maker, 2, 4)
    assert _rating_reason(app, maker) is None
    _rate(app, buyers[2], maker, 3, 4)              # the third firm closes the first snapshot
    first = _rating_reason(app, maker)
    assert first == "buyers rate it 4.0 of 5 (3-9 ratings)"
    assert _rating_reason(app, maker, "es") == "los compradores la califican con 4.0 de 5 (3-9 calificaciones)"
    _rate(app, buyers[3], maker, 4, 1)              # a fourth firm's 1: the text does not move
    assert _rating_reason(app, maker) == first
    _rate(app, buyers[4], maker, 5, 1)
    assert _rating_reason(app, maker) == first
    _rate(app, buyers[5], maker, 6, 1)              # three more firms: the next batch is published
    assert _rating_reason(app, maker) == f"buyers rate it {(5 + 3 + 4 + 4 + 1 + 1 + 1) / 7:.1f} of 5 (3-9 ratings)"
