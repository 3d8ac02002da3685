"""The access table's world: two associations, makers and buyers in them, their requirements and orders, a
user per role. Built for ``tests/web/test_access_table.py``; other concerns' tests reuse it."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from matchmaker import db
from matchmaker.buyers.schemas import BuyerProfileIn
from matchmaker.buyers.services import create_buyer_profile
from matchmaker.makers.schemas import MakerProfileIn
from matchmaker.makers.services import create_maker_profile
from matchmaker.orders.records import Order
from matchmaker.organizations.records import Association, Membership, Organization
from matchmaker.requirements.schemas import RequirementIn
from matchmaker.requirements.services import create_requirement

from tests.support.world import BUYER_BODY, MAKER_BODY, REQUIREMENT_BODY


@dataclass
class AccessWorld:
    assoc_a: int
    assoc_b: int
    ids: dict = field(default_factory=dict)      # target name -> organization id
    req: dict = field(default_factory=dict)      # buyer name -> its requirement id
    users: dict = field(default_factory=dict)    # actor -> user id
    board_b: int = 0
    orders: dict = field(default_factory=dict)   # order name -> id


def _assoc(sess, name: str) -> int:
    a = Association(name=f"{name} {uuid.uuid4().hex[:4]}", slug=f"a-{uuid.uuid4().hex[:8]}")
    sess.add(a)
    sess.flush()
    return a.id


def build_access_world(app, factory) -> AccessWorld:
    with app.app_context():
        sess = db.session()
        w = AccessWorld(assoc_a=_assoc(sess, "Jeans A"), assoc_b=_assoc(sess, "Niños B"))
        sess.commit()
    ids = {"maker_a": factory.org("maker", "Taller A"), "maker_a_board": factory.org("maker", "Consejo A"),
           "maker_b": factory.org("maker", "Taller B"),
           "buyer_x": factory.org("buyer", "Buyer X", country="US"),
           "buyer_y": factory.org("buyer", "Buyer Y", country="US")}
    w.ids = ids
    with app.app_context():
        sess = db.session()
        sess.add_all([Membership(association_id=w.assoc_a, organization_id=ids["maker_a"]),
                      Membership(association_id=w.assoc_a, organization_id=ids["maker_a_board"], role="board"),
                      Membership(association_id=w.assoc_b, organization_id=ids["maker_b"], role="board")])
        sess.commit()
        for name in ("maker_a", "maker_b"):
            create_maker_profile(sess, sess.get(Organization, ids[name]), MakerProfileIn(**MAKER_BODY))
        for name in ("buyer_x", "buyer_y"):
            create_buyer_profile(sess, sess.get(Organization, ids[name]), BuyerProfileIn(**BUYER_BODY))
    w.users = {
        "maker": factory.user("maker_user", ids["maker_a"], w.assoc_a),
        "buyer": factory.user("buyer_user", ids["buyer_x"]),
        "staff": factory.user("association_staff", None, w.assoc_a),
        "board": factory.user("board_member", ids["maker_a_board"], w.assoc_a),
        "admin": factory.user("platform_admin"),
        "organizer": factory.user("fair_organizer", None, w.assoc_a),
    }
    w.board_b = factory.user("board_member", ids["maker_b"], w.assoc_b)
    buyer_y_user = factory.user("buyer_user", ids["buyer_y"])
    with app.app_context():
        sess = db.session()
        for name, uid in (("buyer_x", w.users["buyer"]), ("buyer_y", buyer_y_user)):
            req = create_requirement(sess, ids[name], uid, RequirementIn(**REQUIREMENT_BODY))
            w.req[name] = req.id
        for name, buyer, maker in (("order_xa", "buyer_x", "maker_a"), ("order_yb", "buyer_y", "maker_b")):
            order = Order(origin="maker", buyer_id=ids[buyer], maker_id=ids[maker], quantity=1000, unit_price=9.5,
                          currency="USD", delivery_date=date.today() + timedelta(days=60), started_on=date.today())
            sess.add(order)
            sess.commit()
            w.orders[name] = order.id
    return w
