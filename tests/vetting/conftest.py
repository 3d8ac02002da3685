"""A small vetting world: one association, a reporting member, two board members, staff, two buyers."""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from matchmaker import db
from matchmaker.organizations.records import Association, Membership

REPORTER_FIRM = "Taller Secreto Reportador"
REPORTER_EMAIL = "whistle@secreto-reportador.mx"


@pytest.fixture(autouse=True)
def _evidence_dir(app, tmp_path):
    app.config["VETTING_EVIDENCE_DIR"] = str(tmp_path / "evidence")


@dataclass
class World:
    assoc: int
    reporter_org: int
    board_org_1: int
    board_org_2: int
    buyer_org: int
    other_buyer_org: int
    reporter: int          # maker_user of the reporting firm
    member: int            # maker_user of another member firm (sees aggregates)
    member_org: int
    board_1: int
    board_2: int
    staff: int
    buyer: int
    other_buyer: int
    h: dict                # user id -> auth headers


def _association(app, name="Jeans GDL", shares=False) -> int:
    with app.app_context():
        sess = db.session()
        a = Association(name=f"{name} {uuid.uuid4().hex[:4]}", slug=f"a-{uuid.uuid4().hex[:8]}",
                        shares_incidents=shares)
        sess.add(a)
        sess.commit()
        return a.id


def _member(app, assoc: int, org: int, role="member") -> None:
    with app.app_context():
        sess = db.session()
        sess.add(Membership(association_id=assoc, organization_id=org, role=role))
        sess.commit()


@pytest.fixture
def world(app, factory) -> World:
    assoc = _association(app)
    reporter_org = factory.org("maker", REPORTER_FIRM)
    member_org = factory.org("maker", "Confecciones Vecinas")
    board_org_1 = factory.org("maker", "Mezclilla Consejo Uno")
    board_org_2 = factory.org("maker", "Lavandería Consejo Dos")
    for org, role in ((reporter_org, "member"), (member_org, "member"), (board_org_1, "board"),
                      (board_org_2, "board")):
        _member(app, assoc, org, role)
    buyer_org = factory.org("buyer", "Denim Co", country="US")
    other_buyer_org = factory.org("buyer", "Other Brand", country="US")
    ids = dict(
        reporter=factory.user("maker_user", reporter_org, assoc, email=REPORTER_EMAIL),
        member=factory.user("maker_user", member_org, assoc),
        board_1=factory.user("board_member", board_org_1, assoc),
        board_2=factory.user("board_member", board_org_2, assoc),
        staff=factory.user("association_staff", None, assoc),
        buyer=factory.user("buyer_user", buyer_org),
        other_buyer=factory.user("buyer_user", other_buyer_org),
    )
    h = {uid: factory.token(uid) for uid in ids.values()}
    return World(assoc=assoc, reporter_org=reporter_org, board_org_1=board_org_1, board_org_2=board_org_2,
                 buyer_org=buyer_org, other_buyer_org=other_buyer_org, member_org=member_org, h=h, **ids)


def payment(subject: int, **over) -> dict:
    body = {"subject_id": subject, "invoice_date": (date.today() - timedelta(days=90)).isoformat(),
            "amount": 12000.0, "currency": "USD", "terms_days": 30,
            "paid_date": (date.today() - timedelta(days=50)).isoformat(), "deposit_share": 0.3}
    body.update(over)
    return body


def incident(subject: int, **over) -> dict:
    body = {"subject_id": subject, "type": "late_payment", "severity": "2",
            "occurred_on": (date.today() - timedelta(days=20)).isoformat(),
            "description": f"Paid 70 days late and blamed us; contact {REPORTER_EMAIL}"}
    body.update(over)
    return body


def decision(**over) -> dict:
    body = {"outcome": "approved", "rationale": "Pays on time according to three member firms.",
            "review_date": (date.today() + timedelta(days=365)).isoformat()}
    body.update(over)
    return body


def open_case(client, w: World) -> int:
    r = client.post("/api/v1/vetting/applications", json={"association_id": w.assoc}, headers=w.h[w.buyer])
    assert r.status_code == 201, r.json
    return r.json["id"]


def approve(client, w: World, case_id: int, outcome="approved", **over) -> dict:
    r = client.post(f"/api/v1/vetting/cases/{case_id}/votes", json={"vote": outcome}, headers=w.h[w.board_2])
    assert r.status_code == 201, r.json
    r = client.post(f"/api/v1/vetting/cases/{case_id}/decision", json=decision(outcome=outcome, **over),
                    headers=w.h[w.board_2])
    assert r.status_code == 201, r.json
    return r.json


_CSRF = re.compile(r'name="csrf_token"[^>]*\bvalue="([^"]+)"')


def csrf_from(html: str) -> str:
    m = _CSRF.search(html)
    assert m, "no csrf token on the page"
    return m.group(1)


def login(client, factory, user_id: int):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    r = client.post("/login", data={"csrf_token": token, "email": factory.email(user_id),
                                    "password": factory.PASSWORD})
    assert r.status_code == 302, r.get_data(as_text=True)[:300]
    return client
