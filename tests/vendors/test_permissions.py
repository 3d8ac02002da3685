"""Who reaches which vendor route and which figure, written out by hand (not read from the role table).

Actors: the vendor itself, another vendor, a member maker that reported, another member, a board
member and staff of the association, a board member of another association, a buyer, the admin and
anonymous. ``figure`` columns say what each one reads of the purchases: none, counts, or who bought.
"""
from __future__ import annotations

import pytest

from tests.vendors.conftest import BUYING_FIRM, PROFILE, purchase

OK, CREATED, UNAUTH, FORBIDDEN, MISSING = 200, 201, 401, 403, 404
ACTORS = ["vendor", "other_vendor", "reporter", "member_2", "board", "staff", "other_board", "buyer", "admin",
          "anonymous"]

# route -> status per actor, in ACTORS order
TABLE = {
    "GET /api/v1/vendors":                    (OK, OK, OK, OK, OK, OK, OK, FORBIDDEN, OK, UNAUTH),
    "GET /api/v1/vendors/{v}/profile":        (OK, OK, OK, OK, OK, OK, OK, FORBIDDEN, OK, UNAUTH),
    "PUT /api/v1/vendors/{v}/profile":        (OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,
                                               FORBIDDEN, FORBIDDEN, OK, UNAUTH),
    "GET /api/v1/vendors/{v}/purchases":      (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK, OK, FORBIDDEN,
                                               OK, UNAUTH),
    "POST /api/v1/vendors/purchases":         (FORBIDDEN, FORBIDDEN, CREATED, CREATED, CREATED, FORBIDDEN,
                                               CREATED, FORBIDDEN, FORBIDDEN, UNAUTH),
    "GET /api/v1/vendors/purchases/mine":     (FORBIDDEN, FORBIDDEN, OK, OK, OK, FORBIDDEN, OK, FORBIDDEN,
                                               FORBIDDEN, UNAUTH),
    "GET /vendors/{v}":                       (OK, OK, OK, OK, OK, OK, OK, FORBIDDEN, OK, 302),
    "GET /vendors/{v}/profile":               (OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,
                                               FORBIDDEN, FORBIDDEN, OK, 302),
    "GET /vendors/{v}/purchases":             (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK, OK, FORBIDDEN,
                                               OK, 302),
    "GET /vendors/purchases/new":             (FORBIDDEN, FORBIDDEN, OK, OK, OK, FORBIDDEN, OK, FORBIDDEN,
                                               FORBIDDEN, 302),
}

# what each actor reads of the purchases recorded by the reporter and member_2 (2 firms):
# "who" = the buying firm's name; "counts" = aggregates; None = nothing
FIGURES = {"vendor": "counts", "other_vendor": "counts", "reporter": "counts", "member_2": "counts",
           "board": "who", "staff": "who", "other_board": None, "buyer": None, "admin": "who",
           "anonymous": None}


def _headers(factory, world, actor, admin):
    if actor == "anonymous":
        return {}
    if actor == "admin":
        return factory.token(admin)
    return world.h[getattr(world, actor)]


@pytest.mark.parametrize("route", list(TABLE))
def test_vendor_routes_by_actor(app, client, factory, world, route):
    from tests.vetting.conftest import login

    admin = factory.user("platform_admin")
    method, path = route.split(" ")
    path = path.replace("{v}", str(world.vendor_org))
    problems = []
    for actor, expected in zip(ACTORS, TABLE[route]):
        if path.startswith("/api/"):
            version = (client.get(path, headers=world.h[world.vendor]).get_json().get("version")
                       if method == "PUT" else 0)
            body = {"PUT": {**PROFILE, "version": version or None}, "POST": purchase(world.vendor_org)}.get(method)
            r = client.open(path, method=method, json=body, headers=_headers(factory, world, actor, admin))
        else:
            browser = app.test_client()
            if actor != "anonymous":
                login(browser, factory, admin if actor == "admin" else getattr(world, actor))
            r = browser.open(path, method=method)
        if r.status_code != expected:
            problems.append(f"{actor}: expected {expected}, got {r.status_code}")
    assert problems == []


def test_who_reads_which_purchase_figure(app, client, factory, world):
    admin = factory.user("platform_admin")
    for who in (world.reporter, world.member_2):
        assert client.post("/api/v1/vendors/purchases", json=purchase(world.vendor_org),
                           headers=world.h[who]).status_code == 201
    for actor, figure in FIGURES.items():
        h = _headers(factory, world, actor, admin)
        counts = client.get(f"/api/v1/vendors/{world.vendor_org}/profile", headers=h)
        rows = client.get(f"/api/v1/vendors/{world.vendor_org}/purchases", headers=h)
        sees_counts = counts.status_code == 200 and counts.get_json()["purchase_summary"]["shown"] \
            and counts.get_json()["purchase_summary"]["purchases"] == 2
        sees_who = rows.status_code == 200 and BUYING_FIRM in rows.get_data(as_text=True)
        assert (sees_who, sees_counts or sees_who) == (figure == "who", figure is not None), actor
        assert BUYING_FIRM not in counts.get_data(as_text=True), actor
