"""The jeans board's decisions on the demo input vendors (``matchmaker/demo/vendors.py`` writes them):
kept beside the vendor concern, since it writes vetting records through the vetting services."""
from __future__ import annotations

from datetime import date, timedelta

from ..demo.community import JEANS
from ..demo.vendors import VENDORS


def vet_demo_vendors(session, today: date | None = None) -> dict[str, int]:
    """The jeans board's decisions on four demo vendors and one open application (vetting tables)."""
    from sqlalchemy import select

    from ..accounts.records import User
    from ..organizations.records import Organization
    from ..vetting.records import Decision, VettingCase
    from ..vetting.services import set_standing

    today = today or date.today()
    names = [v[0] for v in VENDORS]
    orgs = {o.name: o.id for o in session.scalars(select(Organization).where(Organization.kind == "input_vendor",
                                                                              Organization.name.in_(names)))}
    board = session.scalar(select(User.id).where(User.role == "board_member", User.association_id == JEANS["id"])
                           .order_by(User.id))
    decided = [(names[0], "approved", [], "Ten member firms report lots on time and as the sample."),
               (names[2], "approved", [], "Reliable thread deliveries reported by several members."),
               (names[3], "approved_with_conditions", ["deposit"],
                "Repairs are fast but machines arrive late and warranty claims were refused; deposit only."),
               (names[5], "watchlist", [], "Half the lots came late and a third deviated from the sample.")]
    for name, outcome, conditions, rationale in decided:
        case = VettingCase(association_id=JEANS["id"], subject_id=orgs[name], origin="proposal", status="decided",
                           note="", opened_by_id=board)
        session.add(case)
        session.flush()
        decision = Decision(case_id=case.id, association_id=JEANS["id"], subject_id=orgs[name], outcome=outcome,
                            conditions=conditions, deposit_share=0.3 if conditions else None, rationale=rationale,
                            review_date=today + timedelta(days=180), decided_by_id=board)
        session.add(decision)
        session.flush()
        case.decision_id = decision.id
        set_standing(session, JEANS["id"], orgs[name], decision)
    session.add(VettingCase(association_id=JEANS["id"], subject_id=orgs[names[1]], origin="application",
                            status="open", note="Solicitamos la evaluación de la asociación."))
    session.commit()
    return {"vendor decisions": len(decided), "open vendor applications": 1}
