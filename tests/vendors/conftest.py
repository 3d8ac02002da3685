"""A small vendor world: one association with three member makers and a board, an input vendor with
its vendor_user, a second vendor, a buyer, and a second association with its own board."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from matchmaker import db
from matchmaker.organizations.records import Association, Membership

from tests.vetting.conftest import csrf_from, login  # noqa: F401  (re-exported for the tests here)

BUYING_FIRM = "Pantalones Secretos de Zapotlanejo"
REPORTER_EMAIL = "compras@pantalones-secretos.mx"


@dataclass
class World:
    assoc: int
    other_assoc: int
    vendor_org: int
    other_vendor_org: int
    member_orgs: list[int]
    vendor: int              # vendor_user of vendor_org
    other_vendor: int
    reporter: int            # maker_user of member_orgs[0] (BUYING_FIRM)
    member_2: int
    member_3: int
    board: int
    staff: int
    other_board: int         # board member of the other association
    buyer: int
    h: dict


def _association(sess, name: str) -> int:
    a = Association(name=f"{name} {uuid.uuid4().hex[:4]}", slug=f"a-{uuid.uuid4().hex[:8]}")
    sess.add(a)
    sess.flush()
    return a.id


@pytest.fixture
def world(app, factory) -> World:
    members = [factory.org("maker", BUYING_FIRM), factory.org("maker", "Confecciones Vecinas"),
               factory.org("maker", "Lavandería del Consejo")]
    board_org = factory.org("maker", "Mezclilla Consejo")
    other_member = factory.org("maker", "Taller de Otra Asociación")
    with app.app_context():
        sess = db.session()
        assoc, other = _association(sess, "Jeans GDL"), _association(sess, "Niños GDL")
        for org in members:
            sess.add(Membership(association_id=assoc, organization_id=org))
        sess.add(Membership(association_id=assoc, organization_id=board_org, role="board"))
        sess.add(Membership(association_id=other, organization_id=other_member, role="board"))
        sess.commit()
    vendor_org = factory.org("input_vendor", "Telas del Bajío", city="León", state="Guanajuato")
    other_vendor_org = factory.org("input_vendor", "Máquinas y Refacciones Jalisco")
    ids = dict(
        vendor=factory.user("vendor_user", vendor_org), other_vendor=factory.user("vendor_user", other_vendor_org),
        reporter=factory.user("maker_user", members[0], assoc, email=REPORTER_EMAIL),
        member_2=factory.user("maker_user", members[1], assoc), member_3=factory.user("maker_user", members[2], assoc),
        board=factory.user("board_member", board_org, assoc), staff=factory.user("association_staff", None, assoc),
        other_board=factory.user("board_member", other_member, other),
        buyer=factory.user("buyer_user", factory.org("buyer", "Denim Co", country="US")))
    return World(assoc=assoc, other_assoc=other, vendor_org=vendor_org, other_vendor_org=other_vendor_org,
                 member_orgs=members, h={uid: factory.token(uid) for uid in ids.values()}, **ids)


def days_ago(n: int) -> str:
    return (date.today() - timedelta(days=n)).isoformat()


def purchase(vendor: int, **over) -> dict:
    body = {"vendor_id": vendor, "purchased_on": days_ago(60), "promised_on": days_ago(45),
            "delivered_on": days_ago(46), "lot": "Denim 12 oz indigo, 1,200 m", "amount": 84000, "currency": "MXN",
            "quality_vs_sample": "as_sample", "note": f"Ask {REPORTER_EMAIL} for the invoice"}
    body.update(over)
    return body


PROFILE = {"supplies": ["denim_fabric", "trims"], "denim_oz_min": 8, "denim_oz_max": 14.5,
           "denim_finishes": ["stretch", "rigid"], "trims": ["rivets", "buttons"], "min_lot": 500,
           "min_lot_unit": "metros", "delivery_days": 10, "credit_terms_days": 30, "about": "Mezclilla de León."}
