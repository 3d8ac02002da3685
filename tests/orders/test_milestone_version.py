"""Changing a stage that already has dates needs the ``version`` last read: without it the answer is a 409
naming ``version`` and saying what to send (the stage was set by someone else, or read without its version),
never the bare "changed since you read it" of a stale version."""
from __future__ import annotations

from datetime import date

from tests.orders.conftest import fields_of, maker_order

TODAY = date.today().isoformat()  # an actual date lies between the order's placing and today


def test_a_milestone_change_without_version_names_the_field(client, world):
    oid = maker_order(client, world, "maker1", buyer=world.buyer)["id"]
    maker = world.tokens["maker1"]
    first = client.put(f"/api/v1/orders/{oid}/milestones/cut", json={"planned_on": "2030-02-01"}, headers=maker)
    assert first.status_code == 200
    r = client.put(f"/api/v1/orders/{oid}/milestones/cut", json={"actual_on": TODAY}, headers=maker)
    assert r.status_code == 409, r.get_json()
    assert fields_of(r) == {"version"}
    assert r.get_json()["error"]["message"] == ("this stage already has dates: send the version you last read to "
                                                "change them")
    es = client.put(f"/api/v1/orders/{oid}/milestones/cut", json={"actual_on": TODAY},
                    headers={**maker, "Accept-Language": "es"})
    assert es.status_code == 409
    assert es.get_json()["error"]["message"] == ("esta etapa ya tiene fechas: envíe la versión que leyó por última "
                                                 "vez para cambiarlas")
    # nothing was written; a stale version is still the 409 of a lost race
    stale = client.put(f"/api/v1/orders/{oid}/milestones/cut", json={"actual_on": TODAY, "version": 99},
                       headers=maker)
    assert stale.status_code == 409
    ok = client.put(f"/api/v1/orders/{oid}/milestones/cut",
                    json={"actual_on": TODAY, "version": first.get_json()["version"]}, headers=maker)
    assert ok.status_code == 200 and ok.get_json()["planned_on"] == "2030-02-01"
