"""Members find vendors: by kind and by what they supply, with the standing badge, over several pages."""
from __future__ import annotations

import re

from matchmaker import db
from matchmaker.vendors.records import VendorProfile
from tests.support.vetting import clear_buyer

from tests.vendors.conftest import login


def _vendors(app, factory, n: int, supplies: list[str], prefix: str) -> list[int]:
    ids = [factory.org("input_vendor", f"{prefix} {i:02d}") for i in range(n)]
    with app.app_context():
        sess = db.session()
        sess.add_all(VendorProfile(organization_id=i, supplies=supplies) for i in ids)
        sess.commit()
    return ids


def _names(html: str) -> list[str]:
    return re.findall(r'<a href="/vendors/\d+">([^<]+)</a>', html)


def test_members_filter_vendors_by_supply_and_page_through_them(app, client, factory, world):
    denim = _vendors(app, factory, 23, ["denim_fabric"], "Denim Vendor")
    _vendors(app, factory, 3, ["sewing_machines"], "Machine Vendor")
    with app.app_context():
        clear_buyer(db.session(), denim[4], world.assoc)
    login(client, factory, world.member_2)
    first = client.get("/organizations?kind=input_vendor&supplies=denim_fabric").get_data(as_text=True)
    assert "23 organizations" in first
    assert _names(first) == [f"Denim Vendor {i:02d}" for i in range(20)]
    assert first.count('data-vetting-status="approved"') == 1 and first.count('data-vetting-status="not_vetted"') == 19
    assert 'rel="next" href="/organizations?page=2' in first and "supplies=denim_fabric" in first
    second = client.get("/organizations?kind=input_vendor&supplies=denim_fabric&page=2").get_data(as_text=True)
    assert _names(second) == [f"Denim Vendor {i:02d}" for i in range(20, 23)]
    machines = client.get("/organizations?supplies=sewing_machines").get_data(as_text=True)
    assert _names(machines) == [f"Machine Vendor {i:02d}" for i in range(3)]
    # an unknown supply code is ignored, never an error
    assert client.get("/organizations?supplies=%27%3B--").status_code == 200


def test_the_vendor_list_api_filters_and_paginates(app, client, factory, world):
    denim = _vendors(app, factory, 25, ["denim_fabric", "thread"], "Hilos")
    with app.app_context():
        clear_buyer(db.session(), denim[0], world.assoc)
    h = world.h[world.member_2]
    page = client.get("/api/v1/vendors?supplies=thread&per_page=10&page=3", headers=h).get_json()
    assert page["total"] == 25 and page["pages"] == 3 and len(page["items"]) == 5
    assert page["items"][0]["name"] == "Hilos 20"
    vetted = client.get("/api/v1/vendors?supplies=thread&vetted=true", headers=h).get_json()
    assert [v["organization_id"] for v in vetted["items"]] == [denim[0]]
    assert vetted["items"][0]["standing"]["status"] == "approved"
    for bad, field in (("supplies=unicorn", "supplies"), ("vetted=maybe", "vetted"), ("colour=blue", "colour")):
        r = client.get(f"/api/v1/vendors?{bad}", headers=h)
        assert r.status_code == 400 and r.get_json()["error"]["fields"][0]["field"] == field


def test_buyers_do_not_see_the_standing_column(client, factory, world):
    _vendors(client.application, factory, 1, ["thread"], "Hilos")
    login(client, factory, world.buyer)
    html = client.get("/organizations?kind=input_vendor").get_data(as_text=True)
    assert "data-vetting-status" not in html and "Hilos 00" in html
