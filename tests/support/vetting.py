"""For other concerns' tests and fixtures: mark a buyer as cleared without walking the workflow.

Test code, so it lives with the tests, not in the app (issue 11)."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.organizations.records import Association
from matchmaker.vetting.records import Decision, VettingCase
from matchmaker.vetting.services import set_standing


def clear_buyer(session: Session, buyer_id: int, association_id: int | None = None,
                outcome: str = "approved") -> None:
    """Record a decided case and an ``outcome`` standing for ``buyer_id`` (creating an association if none)."""
    if association_id is None:
        association_id = session.scalar(select(Association.id).order_by(Association.id))
    if association_id is None:
        assoc = Association(name="Test association", slug="test-association")
        session.add(assoc)
        session.flush()
        association_id = assoc.id
    case = VettingCase(association_id=association_id, subject_id=buyer_id, origin="proposal", status="decided")
    session.add(case)
    session.flush()
    decision = Decision(case_id=case.id, association_id=association_id, subject_id=buyer_id, outcome=outcome,
                        conditions=[], rationale="cleared for a test", review_date=date.today() + timedelta(days=365))
    session.add(decision)
    session.flush()
    case.decision_id = decision.id
    set_standing(session, association_id, buyer_id, decision)
    session.commit()
