"""Demo consortia: a coordinator firm of the jeans association, and open requirements of
cleared buyers that no single maker of the cluster can serve (too many stages for one shop at
that quantity), the first of them with a proposal already optimised.
"""
from __future__ import annotations

import random
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import services
from .. import validation as v
from ..schema import Membership, Organization, User
from ..vetting.clearance import cleared_subjects
from .community import DEMO_PASSWORD, password_hash

COORDINATOR_EMAIL = "coordinator@jeans-gdl.demo"
#: Full-package requests: stages in the form's order (the builder sorts them), product line, quantity.
ORDERS = [
    ("Denim jackets with patches, design included", ["design", "cutting", "sewing", "laundry", "embellishment",
                                                     "finishing"], "denim_separates", 20000),
    ("Stretch jeans with laser finish and studs", ["cutting", "sewing", "laundry", "laser", "embellishment",
                                                   "finishing"], "jeans_stretch_women", 20000),
    ("Western jeans, export ready", ["design", "cutting", "sewing", "finishing", "labeling_packaging",
                                     "export_paperwork"], "jeans_western", 20000),
]


def _beyond_any_single_maker(session: Session, req, coordinator_id: int) -> None:
    """Raise the quantity until no one maker can serve every stage, while every stage can
    still be covered by a team (so the demo shows what only a consortium can do)."""
    from ..consortia.problem import build, single_firm_can_serve
    from scheduling.consortia import shortfalls

    for _ in range(12):
        built = build(session, req, coordinator_id)
        if shortfalls(built.problem):
            req.quantity = max(1000, int(req.quantity / 1.25) // 100 * 100)
            return
        if not single_firm_can_serve(built):
            return
        req.quantity = int(req.quantity * 1.25) // 100 * 100
        session.flush()


def generate_demo_consortia(session: Session, seed: int = 7, association_id: int = 1,
                            solve_first: bool = True) -> tuple[dict[str, int], list[tuple[str, str, str]]]:
    """Write the coordinator, its login and the requirements; returns counts and the new login."""
    rng = random.Random(seed * 104729 + 16)
    if session.scalar(select(User.id).where(User.email == COORDINATOR_EMAIL)):
        raise ValueError("the demo coordinator exists already")
    coordinator = Organization(kind="coordinator", name="Coordinadora Textil de Jalisco", country="MX",
                               city="Guadalajara", state="Jalisco", lat=20.6597, lon=-103.3496,
                               description="Neutral coordinator: splits full-package orders among member workshops.")
    session.add(coordinator)
    session.flush()
    session.add(Membership(association_id=association_id, organization_id=coordinator.id, role="member"))
    user = User(email=COORDINATOR_EMAIL, name="Coordinación Textil", password_hash=password_hash(),
                role="maker_user", organization_id=coordinator.id, association_id=association_id, locale="es")
    session.add(user)
    session.flush()
    buyers = sorted(cleared_subjects(session, session.scalars(
        select(Organization.id).where(Organization.kind == "buyer")).all()))
    counts = {"coordinators": 1, "requirements": 0, "proposals": 0}
    if not buyers:
        session.commit()
        return counts, [("coordinator", COORDINATOR_EMAIL, DEMO_PASSWORD)]
    created = []
    for title, stages, line, quantity in ORDERS:
        buyer = rng.choice(buyers)
        buyer_user = session.scalar(select(User.id).where(User.organization_id == buyer).order_by(User.id))
        data = v.RequirementIn(title=title, product_line=line, quantity=quantity, lead_time_days=45,
                               processes=stages, status="open", style_text="Full package through a coordinator.")
        req = services.create_requirement(session, buyer, buyer_user, data)
        _beyond_any_single_maker(session, req, coordinator.id)
        created.append(req)
        counts["requirements"] += 1
    session.commit()
    if solve_first and created:
        from ..consortia import services as consortia
        from ..consortia.records import Proposal

        proposal = Proposal(requirement_id=created[0].id, coordinator_id=coordinator.id,
                                      created_by_id=user.id, locks={})
        session.add(proposal)
        session.flush()
        consortia.solve(session, proposal)
        session.commit()
        counts["proposals"] = 1
    return counts, [("coordinator", COORDINATOR_EMAIL, DEMO_PASSWORD)]
