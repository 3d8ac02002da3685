"""A small cluster for contact tests: a cleared buyer, an uncleared buyer, three makers with
profiles (one with a track record), open requirements, a user per firm and the association's staff."""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from matchmaker import db
from matchmaker.makers.services import create_maker_profile
from matchmaker.requirements.services import create_requirement
from matchmaker.makers.schemas import MakerProfileIn
from matchmaker.requirements.schemas import RequirementIn
from matchmaker.organizations.records import Association, Membership, Organization
from matchmaker.ranking.records import OutcomeEvent
from tests.support.vetting import clear_buyer
from tests.support.dates import years_ahead

MAKER = {
    "headcount": 40, "service_tier": "full_package", "monthly_capacity": 20000, "peak_spare_capacity": 2500,
    "min_order_qty": 500, "sample_lead_days": 6, "order_lead_days": 21, "quality_tier": "standard",
    "processes": ["cutting", "sewing", "laundry"], "product_lines": ["jeans_western"],
    "certificates": [{"kind": "iso9001", "issuer": "IMNC", "number": "MX-1", "valid_until": years_ahead(8, 1, 1).isoformat()}],
}
REQUIREMENT = {"title": "Western jeans for spring", "product_line": "jeans_western", "quantity": 3000,
               "lead_time_days": 30, "processes": ["sewing", "laundry"], "status": "open"}


@dataclass
class World:
    association: int
    buyer: int                 # cleared by the association's board
    other_buyer: int           # never vetted
    makers: list[int]
    req: int                   # the cleared buyer's open requirement
    draft_req: int
    other_req: int             # the other buyer's open requirement
    users: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)


class _LazyTokens(dict):
    def __init__(self, factory, users):
        super().__init__()
        self.factory, self.users = factory, users

    def __missing__(self, name):
        self[name] = self.factory.token(self.users[name])
        return self[name]


@pytest.fixture
def world(app, factory) -> World:
    makers = [factory.org("maker", name=n, city="Guadalajara", state="Jalisco", lat=20.67, lon=-103.35)
              for n in ("Taller Azul", "Mezclilla Norte", "Lavados Altos")]
    buyer = factory.org("buyer", name="Lone Star Denim", country="US", city="Dallas", lat=32.78, lon=-96.80)
    other = factory.org("buyer", name="Pacific Boutique", country="US", city="Los Angeles")
    with app.app_context():
        sess = db.session()
        assoc = Association(name="Jeans makers of Guadalajara", slug="jeans-gdl", sector="denim")
        sess.add(assoc)
        sess.flush()
        sess.add_all([Membership(association_id=assoc.id, organization_id=m) for m in makers])
        sess.commit()
        association = assoc.id
        for i, m in enumerate(makers):
            body = dict(MAKER, monthly_capacity=20000 - 5000 * i, min_order_qty=500 * (i + 1),
                        order_lead_days=21 + 7 * i)
            create_maker_profile(sess, sess.get(Organization, m), MakerProfileIn(**body))
        # maker 0's record: two orders from another buyer, one of them late
        sess.add_all([OutcomeEvent(buyer_id=other, maker_id=makers[0], event="order_placed", on_time=True),
                      OutcomeEvent(buyer_id=other, maker_id=makers[0], event="order_placed", on_time=False)])
        sess.commit()
        clear_buyer(sess, buyer, association)
    users = {"buyer": factory.user("buyer_user", buyer), "other_buyer": factory.user("buyer_user", other),
             "staff": factory.user("association_staff", association_id=association),
             "admin": factory.user("platform_admin")}
    for i, m in enumerate(makers):
        users[f"maker{i}"] = factory.user("maker_user", m)
    with app.app_context():
        sess = db.session()
        req = create_requirement(sess, buyer, users["buyer"], RequirementIn(**REQUIREMENT)).id
        draft = create_requirement(sess, buyer, users["buyer"],
                                   RequirementIn(**{**REQUIREMENT, "status": "draft"})).id
        other_req = create_requirement(sess, other, users["other_buyer"],
                                       RequirementIn(**REQUIREMENT)).id
    w = World(association, buyer, other, makers, req, draft, other_req, users)
    w.tokens = _LazyTokens(factory, users)
    return w


def outcome_events(app, **where) -> list[tuple]:
    """(event, maker_id, rank, model_version) of the outcome log, oldest first."""
    from sqlalchemy import select

    with app.app_context():
        stmt = select(OutcomeEvent).order_by(OutcomeEvent.id)
        for key, value in where.items():
            stmt = stmt.where(getattr(OutcomeEvent, key) == value)
        return [(e.event, e.maker_id, e.rank, e.model_version) for e in db.session().scalars(stmt)]


@pytest.fixture
def smtp():
    """A real SMTP server on a free loopback port (aiosmtpd), stopped after the test."""
    from tests.contact.smtp_sink import SmtpSink

    sink = SmtpSink().start()
    yield sink
    sink.stop()


def send_mail(app, url: str) -> str:
    """Run ``flask notify send --once`` against ``url``; returns its "sent N, failed M" line."""
    app.config["SMTP_URL"] = url
    result = app.test_cli_runner().invoke(args=["notify", "send", "--once"])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def send_from_shortlist(client, factory, world, makers: list[int], message: str = "Hola", lang: str | None = None):
    """The buyer shortlists ``makers`` (API), signs in on ``client`` (then reads in ``lang``, if given) and
    sends them the requirement from its shortlist page, as a browser would; returns that POST's response."""
    from tests.support.world import login_as, post_form, set_language

    for maker in makers:
        r = client.post(f"/api/v1/requirements/{world.req}/shortlist", json={"maker_id": maker},
                        headers=world.tokens["buyer"])
        assert r.status_code == 201
    login_as(client, factory, world.users["buyer"])
    if lang:
        set_language(client, lang)
    return post_form(client, f"/requirements/{world.req}/inquiries",
                     {"maker_ids": [str(m) for m in makers], "message": message},
                     token_page=f"/requirements/{world.req}/shortlist")
