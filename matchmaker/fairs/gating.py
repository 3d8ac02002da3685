"""Who may attend a fair as a buyer: the one place fairs ask vetting.

A buyer attends only when the hosting association's board approved it (or approved
it with conditions); see :func:`matchmaker.vetting.services.is_cleared`. When it may not,
:func:`standings` says why in a word the pages translate.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from ..vetting import services as vetting
from ..vetting.clearance import is_cleared
from ..catalog import N_

# why a buyer is not offered: standing outcome or case state -> English phrase (translated on pages)
NOT_CLEARED = {"under_review": N_("under review"), "rejected": N_("rejected by the board"),
               "watchlist": N_("on the watchlist"), "not_vetted": N_("not yet vetted")}


def buyer_may_attend(session: Session, buyer_id: int, association_id: int) -> bool:
    return is_cleared(session, buyer_id, association_id=association_id)


def standings(session: Session, buyer_ids, association_id: int) -> dict[int, str]:
    """``cleared`` or a reason key of :data:`NOT_CLEARED` for each buyer, in the hosting association."""
    ids = list(buyer_ids)
    cleared = vetting.cleared_subjects(session, ids, association_id)
    reviewing = vetting.under_review(session, ids, association_id)
    decided = vetting.standings(session, ids, association_id)
    out = {}
    for b in ids:
        if b in cleared:
            out[b] = "cleared"
        elif b in reviewing:
            out[b] = "under_review"
        elif b in decided:
            out[b] = decided[b].outcome if decided[b].outcome in NOT_CLEARED else "rejected"
        else:
            out[b] = "not_vetted"
    return out
