"""Who reads which monitoring figures: actor × route → status, written out by hand (not read from the role table).

The world (``mworld``): the buyer has an order with member maker 0 ("maker"); maker 1 ("maker2") trades
with the buyer on another order; the other buyer has no order with maker 0; "outsider" is a maker of
another association; staff and board belong to the makers' association, "other_staff" to the other one.
"""
from __future__ import annotations

from datetime import date

from tests.monitoring.conftest import add_order
from tests.vetting.conftest import login

OK, FORBIDDEN, MISSING, UNAUTH = 200, 403, 404, 401
ACTORS = ["buyer", "other_buyer", "maker", "maker2", "outsider", "staff", "board", "other_staff", "admin", "organizer"]


def _table(w, order_a: int) -> dict:
    m0 = w.makers[0]
    return {
        "/api/v1/monitoring/relationships": dict(
            buyer=OK, other_buyer=OK, maker=OK, maker2=OK, outsider=OK, staff=FORBIDDEN, board=FORBIDDEN,
            other_staff=FORBIDDEN, admin=FORBIDDEN, organizer=FORBIDDEN),
        f"/api/v1/monitoring/relationships/{m0}": dict(  # the buyer's maker: only the buyer has this relationship
            buyer=OK, other_buyer=MISSING, maker=MISSING, maker2=MISSING, outsider=MISSING, staff=FORBIDDEN,
            board=FORBIDDEN, other_staff=FORBIDDEN, admin=FORBIDDEN, organizer=FORBIDDEN),
        f"/api/v1/monitoring/relationships/{w.buyer}": dict(  # the maker's buyer
            buyer=MISSING, other_buyer=MISSING, maker=OK, maker2=OK, outsider=MISSING, staff=FORBIDDEN,
            board=FORBIDDEN, other_staff=FORBIDDEN, admin=FORBIDDEN, organizer=FORBIDDEN),
        f"/api/v1/monitoring/orders/{order_a}": dict(  # the order of the buyer and maker 0
            buyer=OK, other_buyer=MISSING, maker=OK, maker2=MISSING, outsider=MISSING, staff=FORBIDDEN,
            board=FORBIDDEN, other_staff=FORBIDDEN, admin=FORBIDDEN, organizer=FORBIDDEN),
        "/api/v1/monitoring/association/buyers": dict(
            buyer=FORBIDDEN, other_buyer=FORBIDDEN, maker=FORBIDDEN, maker2=FORBIDDEN, outsider=FORBIDDEN, staff=OK,
            board=OK, other_staff=OK, admin=FORBIDDEN, organizer=FORBIDDEN),
        f"/api/v1/monitoring/association/buyers/{w.buyer}": dict(  # traded with the association's members only
            buyer=FORBIDDEN, other_buyer=FORBIDDEN, maker=FORBIDDEN, maker2=FORBIDDEN, outsider=FORBIDDEN, staff=OK,
            board=OK, other_staff=MISSING, admin=FORBIDDEN, organizer=FORBIDDEN),
    }


PAGES = {
    "/monitoring/buyer": dict(buyer=OK, other_buyer=OK, maker=FORBIDDEN, maker2=FORBIDDEN, outsider=FORBIDDEN,
                              staff=FORBIDDEN, board=FORBIDDEN, other_staff=FORBIDDEN, admin=FORBIDDEN,
                              organizer=FORBIDDEN),
    "/monitoring/maker": dict(buyer=FORBIDDEN, other_buyer=FORBIDDEN, maker=OK, maker2=OK, outsider=OK,
                              staff=FORBIDDEN, board=FORBIDDEN, other_staff=FORBIDDEN, admin=FORBIDDEN,
                              organizer=FORBIDDEN),
    "/monitoring/association": dict(buyer=FORBIDDEN, other_buyer=FORBIDDEN, maker=FORBIDDEN, maker2=FORBIDDEN,
                                    outsider=FORBIDDEN, staff=OK, board=OK, other_staff=OK, admin=FORBIDDEN,
                                    organizer=FORBIDDEN),
}


def _pages(w) -> dict:
    return {
        **PAGES,
        f"/monitoring/buyer/makers/{w.makers[0]}": dict(
            buyer=OK, other_buyer=MISSING, maker=FORBIDDEN, maker2=FORBIDDEN, outsider=FORBIDDEN, staff=FORBIDDEN,
            board=FORBIDDEN, other_staff=FORBIDDEN, admin=FORBIDDEN, organizer=FORBIDDEN),
        f"/monitoring/maker/buyers/{w.buyer}": dict(
            buyer=FORBIDDEN, other_buyer=FORBIDDEN, maker=OK, maker2=OK, outsider=MISSING, staff=FORBIDDEN,
            board=FORBIDDEN, other_staff=FORBIDDEN, admin=FORBIDDEN, organizer=FORBIDDEN),
        f"/monitoring/association/buyers/{w.buyer}": dict(
            buyer=FORBIDDEN, other_buyer=FORBIDDEN, maker=FORBIDDEN, maker2=FORBIDDEN, outsider=FORBIDDEN, staff=OK,
            board=OK, other_staff=MISSING, admin=FORBIDDEN, organizer=FORBIDDEN),
    }


def test_api_access_table(app, client, factory, mworld):
    order_a = add_order(app, mworld.buyer, mworld.makers[0], deliveries=[(date(2026, 3, 6), 1000, 0)])
    add_order(app, mworld.buyer, mworld.makers[1])
    tokens = {actor: factory.token(mworld.users[actor]) for actor in ACTORS}
    wrong = []
    for path, expected in _table(mworld, order_a).items():
        for actor in ACTORS:
            r = client.get(path, headers=tokens[actor])
            if r.status_code != expected[actor]:
                wrong.append(f"{actor} {path}: {r.status_code}, expected {expected[actor]}")
        if client.get(path).status_code != UNAUTH:
            wrong.append(f"anonymous {path}: expected 401")
    assert wrong == []


def test_page_access_table(app, factory, mworld):
    add_order(app, mworld.buyer, mworld.makers[0], deliveries=[(date(2026, 3, 6), 1000, 0)])
    add_order(app, mworld.buyer, mworld.makers[1])
    wrong = []
    table = _pages(mworld)
    for actor in ACTORS:
        browser = login(app.test_client(), factory, mworld.users[actor])
        for path, expected in table.items():
            r = browser.get(path)
            if r.status_code != expected[actor]:
                wrong.append(f"{actor} {path}: {r.status_code}, expected {expected[actor]}")
    anonymous = app.test_client()
    for path in table:
        r = anonymous.get(path)
        if not (r.status_code == 302 and "/login" in r.headers["Location"]):
            wrong.append(f"anonymous {path}: {r.status_code}, expected a redirect to the sign-in page")
    assert wrong == []
