"""Which orders are evidence about the firms in them: ratings and deliveries count only for these.

A maker may enter an order for a deal made elsewhere and name any buyer firm; a buyer firm that
nobody vetted could be the maker's own creature, rating it well and entering deliveries. So an
order is evidence when it came from an accepted quote (``origin`` ``quote``) or a fair meeting's
follow-up (``followup``): both sides met through the platform; or when its buyer is cleared
(approved, or approved with conditions) by an association. :func:`is_evidence` answers for one
order, :func:`evidence_condition` is the same rule as a SQL condition on ``orders``.

A rating on an order counts only *while* its order is evidence (:func:`counted_ratings`, the one SQL
condition every reader of ratings applies: the ratings aggregates and the board's lists, the ranker's
track record, the screener's buyer-practice ratings). The order's origin never changes, but the buyer's
clearance can: an association that withdraws it (a standing moved to rejected, suspended ...) takes the
ratings on that buyer's off-platform orders out of every figure, and clearing the buyer again brings them
back. The rating stays stored, and its author's order page says it does not count for now. (Cancelling
an order does not stop it being evidence: a cancelled order is part of a buyer's practices, see
:mod:`matchmaker.ratings.eligibility`.) Ratings on another basis (vendor purchases) always count.
"""
from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..ratings.records import Rating
from ..vetting.clearance import CLEARED, is_cleared
from ..vetting.records import Standing
from .records import Order

MET_ON_PLATFORM = ("quote", "followup")


def is_evidence(session: Session, order: Order) -> bool:
    return order.origin in MET_ON_PLATFORM or is_cleared(session, order.buyer_id)


def evidence_condition(order=Order):
    """SQL condition on ``orders`` (or an alias's columns): the order is evidence (see the module notes)."""
    cleared = select(Standing.subject_id).where(Standing.outcome.in_(CLEARED))
    return or_(order.origin.in_(MET_ON_PLATFORM), order.buyer_id.in_(cleared))


def counted_ratings():
    """SQL condition on ``ratings``: the rating counts now (its order is evidence; any other basis counts)."""
    order = Order.__table__.alias("counted_order")  # never correlated with an ``orders`` the query reads
    evidence = select(order.c.id).where(evidence_condition(order.c))
    return or_(Rating.basis != "order", Rating.basis_id.in_(evidence))
