"""Which orders are evidence about the firms in them: ratings and deliveries count only for these.

A maker may enter an order for a deal made elsewhere and name any buyer firm; a buyer firm that
nobody vetted could be the maker's own creature, rating it well and entering deliveries. So an
order is evidence when it came from an accepted quote (``origin`` ``quote``) or a fair meeting's
follow-up (``followup``): both sides met through the platform; or when its buyer is cleared
(approved, or approved with conditions) by an association. :func:`is_evidence` answers for one
order, :func:`evidence_condition` is the same rule as a SQL condition on ``orders``.
"""
from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..vetting.clearance import CLEARED, is_cleared
from ..vetting.records import Standing
from .records import Order

MET_ON_PLATFORM = ("quote", "followup")


def is_evidence(session: Session, order: Order) -> bool:
    return order.origin in MET_ON_PLATFORM or is_cleared(session, order.buyer_id)


def evidence_condition():
    """SQL condition on ``orders``: the order is evidence (see the module notes)."""
    cleared = select(Standing.subject_id).where(Standing.outcome.in_(CLEARED))
    return or_(Order.origin.in_(MET_ON_PLATFORM), Order.buyer_id.in_(cleared))
