"""Edits of a firm's records land in the append-only audit log: who changed which fields, nothing more.

Read back through the association's CSV export, the way the association reads it.
"""
from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import select

from matchmaker import db
from matchmaker.vetting.records import AuditEntry, AuditLogIsAppendOnly

from tests.support.access_world import build_access_world
from tests.support.world import BUYER_BODY, MAKER_BODY


@pytest.fixture
def w(app, factory):
    return build_access_world(app, factory)


def _log(client, factory, staff_user) -> list[dict]:
    r = client.get("/api/v1/vetting/audit.csv", headers=factory.token(staff_user))
    assert r.status_code == 200
    return list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))


def test_staff_edit_of_a_member_organization_is_logged_with_old_and_new_values(client, factory, w):
    org = w.ids["maker_a"]
    version = client.get(f"/api/v1/organizations/{org}", headers=factory.token(w.users["staff"])).json["version"]
    r = client.patch(f"/api/v1/organizations/{org}", json={"version": version, "name": "Taller A Renombrado",
                                                            "website": "https://taller-a.example", "city": None},
                     headers=factory.token(w.users["staff"]))
    assert r.status_code == 200, r.json
    rows = [row for row in _log(client, factory, w.users["staff"]) if row["action"] == "organization_edited"]
    assert len(rows) == 1
    row = rows[0]
    assert (row["actor_id"], row["actor_role"], row["subject_id"]) == (
        str(w.users["staff"]), "association_staff", str(org))
    detail = json.loads(row["detail"])
    # city was None and stays None: not a change
    assert detail["fields"] == ["name", "website"]
    assert detail["before"] == {"name": "Taller A", "website": None}
    assert detail["after"] == {"name": "Taller A Renombrado", "website": "https://taller-a.example"}


def test_a_makers_profile_edit_names_the_changed_fields_only(client, factory, w):
    org = w.ids["maker_a"]
    headers = factory.token(w.users["maker"])
    version = client.get(f"/api/v1/makers/{org}", headers=headers).json["version"]
    body = dict(MAKER_BODY, version=version, monthly_capacity=25000, processes=["cutting", "sewing"])
    assert client.put(f"/api/v1/makers/{org}", json=body, headers=headers).status_code == 200
    rows = [row for row in _log(client, factory, w.users["staff"]) if row["action"] == "maker_profile_edited"]
    assert len(rows) == 1
    assert rows[0]["actor_id"] == str(w.users["maker"])
    detail = json.loads(rows[0]["detail"])
    assert detail == {"fields": ["monthly_capacity", "processes"]}  # names only: no prices, no values


def test_a_buyers_profile_edit_is_logged_without_an_association(app, client, factory, w):
    org = w.ids["buyer_x"]
    headers = factory.token(w.users["buyer"])
    version = client.get(f"/api/v1/buyers/{org}", headers=headers).json["version"]
    r = client.put(f"/api/v1/buyers/{org}", json=dict(BUYER_BODY, version=version, typical_order_qty=5000),
                   headers=headers)
    assert r.status_code == 200, r.json
    with app.app_context():
        rows = db.session().scalars(select(AuditEntry).where(AuditEntry.action == "buyer_profile_edited")).all()
        assert [(e.actor_id, e.subject_id, e.association_id, e.detail) for e in rows] == [
            (w.users["buyer"], org, None, {"fields": ["typical_order_qty"]})]
    # a buyer belongs to no association: no association's export shows its edits
    assert not [row for row in _log(client, factory, w.users["staff"]) if row["action"] == "buyer_profile_edited"]


def test_a_refused_edit_leaves_no_trace(client, factory, w):
    org = w.ids["maker_b"]  # another association's maker
    headers = factory.token(w.users["staff"])
    version = client.get(f"/api/v1/organizations/{org}", headers=headers).json["version"]
    r = client.patch(f"/api/v1/organizations/{org}", json={"version": version, "name": "Hijacked"}, headers=headers)
    assert r.status_code == 403
    assert client.get(f"/api/v1/organizations/{org}", headers=headers).json["name"] == "Taller B"
    assert not [row for row in _log(client, factory, w.users["staff"]) if row["action"] == "organization_edited"]


def test_logged_edits_cannot_be_rewritten(app, client, factory, w):
    org = w.ids["maker_a"]
    headers = factory.token(w.users["maker"])
    version = client.get(f"/api/v1/organizations/{org}", headers=headers).json["version"]
    assert client.patch(f"/api/v1/organizations/{org}", json={"version": version, "name": "Nuevo"},
                        headers=headers).status_code == 200
    with app.app_context():
        sess = db.session()
        entry = sess.scalars(select(AuditEntry).where(AuditEntry.action == "organization_edited")).one()
        entry.detail = {"fields": []}
        with pytest.raises(AuditLogIsAppendOnly):
            sess.flush()
