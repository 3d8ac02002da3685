"""Which buyers' requirements may be shown to makers.

Until the vetting workflow lands, every buyer is cleared; the vetting module
replaces this answer with the association board's decisions, and every change
of a decision re-queues that buyer's requirements for the index.
"""
from __future__ import annotations

from sqlalchemy.orm import Session


def cleared_buyers(session: Session, buyer_ids: set[int]) -> set[int]:
    return set(buyer_ids)
