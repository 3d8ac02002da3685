"""Which buyers' requirements may be shown to makers.

Only buyers an association's board has approved (or approved with conditions) are
cleared; the vetting workflow re-queues a buyer's requirements for the index whenever
a decision about it changes (``matchmaker.vetting.services.set_standing``).
"""
from __future__ import annotations

from sqlalchemy.orm import Session


def cleared_buyers(session: Session, buyer_ids: set[int]) -> set[int]:
    from ..vetting.services import cleared_subjects

    return cleared_subjects(session, buyer_ids)
