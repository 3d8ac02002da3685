"""A firm's vetting standing is read by the makers, the association, the admin and the firm itself only.

Vendors compete with vendors and buyers with buyers: a rejected vendor's outcome, conditions and review
date must not reach a rival vendor's token (list and profile), nor a buyer's page as a badge.
"""
from __future__ import annotations

import pytest

from matchmaker import db
from tests.support.vetting import clear_buyer
from tests.vendors.conftest import login


@pytest.fixture
def rejected(app, world):
    with app.app_context():
        clear_buyer(db.session(), world.other_vendor_org, world.assoc, outcome="rejected")
    return world.other_vendor_org


def _listed(client, world, who):
    r = client.get("/api/v1/vendors", headers=world.h[who])
    assert r.status_code == 200
    return {i["organization_id"]: i["standing"] for i in r.get_json()["items"]}


def test_a_rival_vendor_reads_no_standing_in_list_or_profile(client, world, rejected):
    assert _listed(client, world, world.vendor)[rejected] is None
    r = client.get(f"/api/v1/vendors/{rejected}/profile", headers=world.h[world.vendor])
    assert r.status_code == 200
    assert r.get_json()["standing"] is None
    assert "rejected" not in r.get_data(as_text=True)


@pytest.mark.parametrize("who", ["other_vendor", "reporter", "board", "staff", "admin"])
def test_the_vendor_itself_makers_and_the_association_read_it(client, factory, world, rejected, who):
    if who == "admin":
        uid = factory.user("platform_admin")
        world.h[uid] = factory.token(uid)
    else:
        uid = getattr(world, who)
    assert _listed(client, world, uid)[rejected]["status"] == "rejected"
    r = client.get(f"/api/v1/vendors/{rejected}/profile", headers=world.h[uid])
    assert r.get_json()["standing"]["outcome"] == "rejected"


def _page(app, factory, user, path):
    c = app.test_client()
    login(c, factory, user)
    r = c.get(path)
    assert r.status_code == 200
    return r.get_data(as_text=True)


def test_a_rival_vendor_sees_no_badge_on_the_vendor_or_directory_page(app, factory, world, rejected):
    for path in (f"/vendors/{rejected}", f"/organizations/{rejected}"):
        assert "data-vetting-status" not in _page(app, factory, world.vendor, path)
    assert 'data-vetting-status="rejected"' in _page(app, factory, world.other_vendor, f"/vendors/{rejected}")
    assert 'data-vetting-status="rejected"' in _page(app, factory, world.reporter, f"/organizations/{rejected}")


def test_a_buyer_sees_no_badge_of_another_buyer_or_a_vendor(app, factory, world, rejected):
    rival = factory.org("buyer", "Rival Jeans Inc", country="US")
    with app.app_context():
        clear_buyer(db.session(), rival, world.assoc, outcome="rejected")
    for path in (f"/organizations/{rival}", f"/organizations/{rejected}"):
        assert "data-vetting-status" not in _page(app, factory, world.buyer, path)
    assert 'data-vetting-status="rejected"' in _page(app, factory, world.board, f"/organizations/{rival}")
