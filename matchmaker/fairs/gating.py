"""Who may attend a fair as a buyer: the one place fairs ask vetting.

A buyer attends only when the hosting association's board approved it (or approved
it with conditions); see :func:`matchmaker.vetting.services.is_cleared`.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from ..vetting.services import is_cleared


def buyer_may_attend(session: Session, buyer_id: int, association_id: int) -> bool:
    return is_cleared(session, buyer_id, association_id=association_id)
