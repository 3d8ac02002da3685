"""A cluster where no single maker covers a four-stage requirement: specialists per stage, one
coordinator firm, a cleared buyer with the open requirement, an uncleared buyer."""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from matchmaker import db
from matchmaker.makers.services import create_maker_profile
from matchmaker.requirements.services import create_requirement
from matchmaker.makers.schemas import MakerProfileIn
from matchmaker.requirements.schemas import RequirementIn
from matchmaker.organizations.records import Association, Membership, Organization
from tests.support.vetting import clear_buyer

BASE = {"headcount": 40, "service_tier": "half_package", "peak_spare_capacity": 0, "sample_lead_days": 5,
        "quality_tier": "standard", "product_lines": ["jeans_western"]}
#: name, processes, monthly capacity, minimum order, lead days, headcount
SPECIALISTS = [
    ("Corte Fino", ["cutting"], 6000, 500, 5, 30),
    ("Corte Rápido", ["cutting"], 2500, 200, 3, 12),
    ("Costura Uno", ["sewing"], 3000, 500, 10, 60),
    ("Costura Dos", ["sewing"], 3000, 500, 12, 14),
    ("Lavados Altos", ["laundry"], 8000, 1000, 6, 80),
    ("Acabados Finos", ["finishing"], 5000, 300, 4, 25),
    ("Acabados Dos", ["finishing"], 6000, 300, 7, 90),
]
#: public price bands (USD per piece for what each shop does); Acabados Dos publishes none
BANDS = {"Corte Fino": (1.0, 1.4), "Corte Rápido": (0.8, 1.0), "Costura Uno": (3.0, 4.0), "Costura Dos": (2.5, 3.5),
         "Lavados Altos": (1.5, 2.5), "Acabados Finos": (0.8, 1.2)}
REQUIREMENT = {"title": "Stretch jeans, full package", "product_line": "jeans_western", "quantity": 5000,
               "lead_time_days": 30, "processes": ["finishing", "sewing", "cutting", "laundry"], "status": "open"}


@dataclass
class World:
    makers: dict[str, int]
    coordinator: int
    buyer: int
    req: int
    users: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)

    def h(self, who: str) -> dict:
        return self.tokens[who]


@pytest.fixture
def world(app, factory) -> World:
    makers = {}
    for i, (name, *_figures) in enumerate(SPECIALISTS):
        makers[name] = factory.org("maker", name=name, city="Guadalajara", state="Jalisco",
                                   lat=20.6 + 0.01 * i, lon=-103.3)
    coordinator = factory.org("coordinator", name="Maestro Coordina", city="Guadalajara", lat=20.65, lon=-103.35)
    buyer = factory.org("buyer", name="Lone Star Denim", country="US", city="Dallas", lat=32.78, lon=-96.80)
    other = factory.org("buyer", name="Unvetted Jeans", country="US", city="Houston")
    with app.app_context():
        sess = db.session()
        assoc = Association(name="Jeans makers of Guadalajara", slug="jeans-gdl", sector="denim")
        sess.add(assoc)
        sess.flush()
        sess.add_all([Membership(association_id=assoc.id, organization_id=m) for m in makers.values()])
        for name, processes, cap, moq, lead, heads in SPECIALISTS:
            low, high = BANDS.get(name, (None, None))
            body = dict(BASE, processes=processes, monthly_capacity=cap, min_order_qty=moq, order_lead_days=lead,
                        headcount=heads, unit_price_min=low, unit_price_max=high)
            create_maker_profile(sess, sess.get(Organization, makers[name]), MakerProfileIn(**body))
        sess.commit()
        clear_buyer(sess, buyer, assoc.id)
    users = {"buyer": factory.user("buyer_user", buyer), "other_buyer": factory.user("buyer_user", other),
             "coordinator": factory.user("maker_user", coordinator), "staff": factory.user("association_staff"),
             "admin": factory.user("platform_admin")}
    for name, mid in makers.items():
        users[name] = factory.user("maker_user", mid)
    with app.app_context():
        sess = db.session()
        req = create_requirement(sess, buyer, users["buyer"], RequirementIn(**REQUIREMENT)).id
        other_req = create_requirement(sess, other, users["other_buyer"], RequirementIn(**REQUIREMENT)).id
    w = World(makers, coordinator, buyer, req, users)
    w.tokens = {name: factory.token(uid) for name, uid in users.items()}
    w.other_req = other_req
    return w
