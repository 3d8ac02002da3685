"""Demo consortia: a coordinator firm of the jeans association, and open requirements of
cleared buyers that no single maker of the cluster can serve (no one certified shop does every
stage at that quantity) while a team can, at realistic quantities; the first of them with a
proposal already optimised.
"""
from __future__ import annotations

import random
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..requirements.services import create_requirement
from ..requirements.schemas import RequirementIn
from ..accounts.records import User
from ..organizations.records import Membership, Organization
from ..vetting.clearance import cleared_subjects
from .community import DEMO_PASSWORD, password_hash

COORDINATOR_EMAIL = "coordinator@jeans-gdl.demo"
#: Full-package requests: title, stages in the form's order (the builder sorts them), product line,
#: and the variants tried in order: (quantity, certificates, subcontracting rule). Quantities are
#: what a foreign brand orders for a season (6,000–15,000 pieces over 45 days); the certificates
#: are what such a buyer asks of its whole supply chain (social compliance, chemicals, quality).
#: The first variant that no single maker can serve, and a team can, is written (``_variant``),
#: so the demo keeps showing what only a consortium can do when the generated cluster changes.
ORDERS = [
    ("Denim jackets with patches, design included", ["design", "cutting", "sewing", "laundry", "embellishment",
                                                     "finishing"], "denim_separates",
     [(12000, ["wrap"], "allowed"), (12000, ["oeko_tex"], "allowed"), (9000, ["bsci"], "allowed"),
      (9000, ["iso9001"], "allowed"), (6000, ["nmx_cc"], "allowed")]),
    ("Stretch jeans with laser finish and studs", ["cutting", "sewing", "laundry", "laser", "embellishment",
                                                   "finishing"], "jeans_stretch_women",
     [(15000, ["oeko_tex"], "allowed"), (12000, ["wrap"], "allowed"), (9000, ["ctpat"], "allowed"),
      (9000, ["iso9001"], "allowed"), (6000, ["nmx_cc"], "allowed")]),
    ("Western jeans, export ready", ["design", "cutting", "sewing", "finishing", "labeling_packaging",
                                     "export_paperwork"], "jeans_western",
     [(12000, ["iso9001"], "declared"), (9000, ["iso9001"], "declared"), (9000, ["ctpat"], "declared"),
      (6000, ["oeko_tex"], "declared"), (6000, ["wrap"], "allowed")]),
]
LEAD_TIME_DAYS = 45


def _variant(session: Session, buyer_id: int, stages: list[str], line: str, variants, coordinator_id: int):
    """The first ``(quantity, certificates, rule)`` for which no single maker can serve the order
    but a team can (every stage covered within capacity), or None."""
    from datetime import datetime, timezone

    from scheduling.consortia import shortfalls

    from ..consortia.problem import build, single_firm_can_serve
    from ..requirements.records import Requirement

    for quantity, certificates, rule in variants:
        probe = Requirement(id=0, buyer_id=buyer_id, title="probe", product_line=line, quantity=quantity,
                            lead_time_days=LEAD_TIME_DAYS, processes=stages, certificates=certificates,
                            subcontracting=rule, min_quality_tier="basic", niches=[], hard_constraints=[],
                            currency="USD", style_text="", created_at=datetime.now(timezone.utc))
        probe.buyer = session.get(Organization, buyer_id)
        built = build(session, probe, coordinator_id)
        if probe in session:
            session.expunge(probe)
        if not shortfalls(built.problem) and not single_firm_can_serve(built):
            return quantity, certificates, rule
    return None


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
    for title, stages, line, variants in ORDERS:
        buyer = rng.choice(buyers)
        chosen = _variant(session, buyer, stages, line, variants, coordinator.id)
        if chosen is None:  # the cluster has a single maker for every variant: no consortium to show
            continue
        quantity, certificates, rule = chosen
        buyer_user = session.scalar(select(User.id).where(User.organization_id == buyer).order_by(User.id))
        data = RequirementIn(title=title, product_line=line, quantity=quantity, lead_time_days=LEAD_TIME_DAYS,
                             processes=stages, certificates=certificates, subcontracting=rule, status="open",
                             style_text="Full package through a coordinator.")
        created.append(create_requirement(session, buyer, buyer_user, data))
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
