"""A cluster with real orders and vendor purchases to rate, made directly in the tables.

Association A (jeans) has makers ``m1``..``m4`` and ``g1``/``g2``, two legal units of one owner
(one ownership group: one firm for the threshold); association B has maker ``b1``. Buyers
``acme`` (the one rated), ``zeta`` (another buyer of the same cluster) and ``lone`` (without
orders); ``vendor`` is an input vendor. A user per firm, A's board member and staff, B's board
member, the platform admin. ``w.order(...)`` and ``w.purchase(...)`` add the bases.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

import pytest

from matchmaker import db
from matchmaker.orders.records import Order
from matchmaker.organizations.records import Association, Membership, OwnershipGroup
from matchmaker.vendors.records import VendorPurchase

TODAY = datetime.now(timezone.utc).date()
LONG_AGO = TODAY - timedelta(days=120)
FIRMS = {"m1": "Taller Uno", "m2": "Mezclilla Dos", "m3": "Costura Tres", "m4": "Lavados Cuatro",
         "g1": "Grupo Norte Planta A", "g2": "Grupo Norte Planta B", "b1": "Otra Asociación SA"}
BUYER_PRACTICES = ("planning_forecasting", "design_development", "cost_negotiation", "order_placement",
                   "payment_terms", "relationship_management", "overall_partnership")


@dataclass
class World:
    app: object
    factory: object
    orgs: dict[str, int]
    assoc_a: int
    assoc_b: int
    users: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, dict] = field(default_factory=dict)

    def h(self, who: str) -> dict:
        if who not in self.tokens:
            self.tokens[who] = self.factory.token(self.users[who])
        return self.tokens[who]

    def order(self, buyer: str, maker: str, started_on: date = LONG_AGO, status: str = "open",
              closed_at: datetime | None = None, confirmed: bool = True, origin: str = "quote") -> int:
        """An order from a quote (a deal met on the platform), entered the day it started."""
        with self.app.app_context():
            sess = db.session()
            now = datetime.now(timezone.utc)
            row = Order(buyer_id=self.orgs[buyer], maker_id=self.orgs[maker], origin=origin, quantity=1000,
                        created_at=datetime.combine(started_on, datetime.min.time(), timezone.utc),
                        unit_price=9.5, currency="USD", delivery_date=started_on + timedelta(days=45),
                        started_on=started_on, status=status, closed_at=closed_at,
                        buyer_confirmed_at=now if confirmed else None, maker_confirmed_at=now if confirmed else None)
            sess.add(row)
            sess.commit()
            return row.id

    def purchase(self, member: str, purchased_on: date = LONG_AGO, delivered_on: date | None = None,
                 vendor: str = "vendor") -> int:
        with self.app.app_context():
            sess = db.session()
            assoc = self.assoc_b if member == "b1" else self.assoc_a
            row = VendorPurchase(vendor_id=self.orgs[vendor], member_org_id=self.orgs[member], association_id=assoc,
                                 purchased_on=purchased_on, promised_on=purchased_on + timedelta(days=10),
                                 delivered_on=delivered_on, lot="Denim 12 oz",
                                 created_at=datetime.combine(purchased_on, datetime.min.time(), timezone.utc))
            sess.add(row)
            sess.commit()
            return row.id

    def rate(self, client, who: str, basis: str, basis_id: int, scores: dict, comment: str = ""):
        return client.post("/api/v1/ratings", headers=self.h(who),
                           json={"basis": basis, "basis_id": basis_id, "scores": scores, "comment": comment})


def all_scores(value: int, categories=BUYER_PRACTICES) -> dict:
    return {c: value for c in categories}


@pytest.fixture
def w(app, factory) -> World:
    with app.app_context():
        sess = db.session()
        group = OwnershipGroup(name="Grupo Norte")
        a = Association(name="Jeans makers of Guadalajara", slug="jeans-gdl", sector="denim")
        b = Association(name="Children's wear makers", slug="ninos-gdl", sector="children")
        sess.add_all([group, a, b])
        sess.commit()
        group_id, assoc_a, assoc_b = group.id, a.id, b.id
    orgs = {}
    for key, name in FIRMS.items():
        orgs[key] = factory.org("maker", name=name, ownership_group_id=group_id if key.startswith("g") else None)
    orgs["acme"] = factory.org("buyer", name="Acme Jeans Inc", country="US")
    orgs["zeta"] = factory.org("buyer", name="Zeta Retail LLC", country="US")
    orgs["lone"] = factory.org("buyer", name="Lone Buyer Co", country="US")
    orgs["vendor"] = factory.org("input_vendor", name="Telas del Bajío")
    with app.app_context():
        sess = db.session()
        for key in FIRMS:
            sess.add(Membership(association_id=assoc_b if key == "b1" else assoc_a, organization_id=orgs[key]))
        sess.commit()
    world = World(app, factory, orgs, assoc_a, assoc_b)
    for key in orgs:
        world.users[key] = factory.user("buyer_user" if key in {"acme", "zeta", "lone"} else "maker_user", orgs[key])
    world.users["board_a"] = factory.user("board_member", association_id=assoc_a)
    world.users["staff_a"] = factory.user("association_staff", association_id=assoc_a)
    world.users["board_b"] = factory.user("board_member", association_id=assoc_b)
    world.users["organizer_a"] = factory.user("fair_organizer", association_id=assoc_a)
    world.users["admin"] = factory.user("platform_admin")
    return world
