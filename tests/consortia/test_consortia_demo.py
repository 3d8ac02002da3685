"""The demo's consortium requirements: on the default cluster (1,400 makers, 300 buyers, seed 7)
each is a seasonal quantity that no single maker can serve and a team can, the first with a
proposal already optimised (what a visitor signing in as the demo coordinator meets)."""
from __future__ import annotations

from sqlalchemy import select

from matchmaker import db
from matchmaker.consortia.problem import build, single_firm_can_serve
from matchmaker.consortia.records import Proposal
from matchmaker.demo import generate
from matchmaker.demo.consortia import COORDINATOR_EMAIL, ORDERS, generate_demo_consortia
from matchmaker.accounts.records import User
from matchmaker.requirements.records import Requirement
from matchmaker.vetting.demo import generate_vetting_history
from scheduling.consortia import shortfalls


def test_every_demo_consortium_requirement_needs_a_team_at_a_realistic_quantity(app):
    with app.app_context():
        sess = db.session()
        summary = generate(sess, makers=1400, buyers=300, seed=7)
        generate_vetting_history(sess, seed=7, today=summary.today)
        counts, logins = generate_demo_consortia(sess, seed=7)
        assert counts["requirements"] == len(ORDERS) and counts["proposals"] == 1
        coordinator = sess.scalar(select(User).where(User.email == COORDINATOR_EMAIL))
        titles = [title for title, *_ in ORDERS]
        reqs = sess.scalars(select(Requirement).where(Requirement.title.in_(titles))).all()
        assert sorted(r.title for r in reqs) == sorted(titles)
        for req in reqs:
            assert 5000 <= req.quantity <= 20000, (req.title, req.quantity)
            built = build(sess, req, coordinator.organization_id)
            assert not single_firm_can_serve(built), req.title
            assert shortfalls(built.problem) == {}, req.title
        proposal = sess.scalar(select(Proposal))
        assert len(proposal.alternatives) == 3 and proposal.note != "single_firm_possible"
        assert all(alt["unit_cost"] for alt in proposal.alternatives)  # the demo makers publish price bands
