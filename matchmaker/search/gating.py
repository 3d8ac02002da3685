"""Which buyers' requirements may be shown to makers, checked against the database at query time.

Only buyers an association's board has approved (or approved with conditions) are
cleared. The index carries ``status`` and ``buyer_cleared`` per requirement, and the
vetting workflow re-queues a buyer's requirements in the outbox, in the decision's own
transaction, whenever its standing changes (``matchmaker.vetting.services.set_standing``).

The index may lag: the drain can be busy, the index locked or down. So every requirement
search also asks the database (:func:`hidden_requirements`): an index document can differ
from the database only while an outbox row for it is pending (a row is deleted only after
the index accepted a document rebuilt from the database after that row was written). Of
those pending requirements, the ones the database now forbids (closed, deleted, buyer no
longer cleared) are excluded *inside* the index query (a ``NoneOf`` filter on the id), so
the page, the total and the facets agree, and a rejection takes effect for every maker at
once, index busy or not. The cost is one look-up of the pending requirement rows per search;
the list is empty when the index is in step.

A buyer cleared while the index lags shows up once the drain catches up (nothing is shown
that the database forbids; something allowed may appear a moment late).
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..requirements.records import Requirement
from .records import IndexOutbox
from .documents import REQUIREMENTS


def cleared_buyers(session: Session, buyer_ids: set[int]) -> set[int]:
    from ..vetting.clearance import cleared_subjects

    return cleared_subjects(session, buyer_ids)


def showable_requirements(session: Session, ids) -> set[int]:
    """Of ``ids``, the requirements the database lets makers see now: open, of a cleared buyer."""
    ids = list(ids)
    if not ids:
        return set()
    rows = session.execute(select(Requirement.id, Requirement.buyer_id)
                           .where(Requirement.id.in_(ids), Requirement.status == "open")).all()
    cleared = cleared_buyers(session, {buyer for _, buyer in rows})
    return {rid for rid, buyer in rows if buyer in cleared}


def hidden_requirements(session: Session) -> list[str]:
    """Ids of requirements the index may still show but the database forbids (see the module note)."""
    pending = {int(d) for d in session.scalars(select(IndexOutbox.doc_id).distinct()
                                               .where(IndexOutbox.index_name == REQUIREMENTS))}
    return sorted(str(i) for i in pending - showable_requirements(session, pending))
