"""Who may edit and read whose records: role × route × ownership → status, written out by hand.

Like ``test_permission_matrix`` (whose table of roles by route is ``route_roles.py``), every
expected status here is written in this file, from the policy as users rely on it:

* a firm edits its own organization and profile, never another firm's;
* association staff edit the organizations of their own association's members only; a buyer
  (never a member) and another association's maker are not theirs;
* board and staff see and decide only their own association's cases; another association's case
  is not confirmed to exist (404);
* a buyer sees only its own vetting status (another's is not confirmed to exist: 404);
* a firm rates only the other side of its own order, in that side's categories, and answers only
  its own ratings; the members' ratings page is the association's (issue 15);
* an order is its buyer's and its maker's only: another firm is not told it exists (404), and
  association staff, board, organizers and the platform admin do not see individual orders (403).

The world (``_world``): associations A and B; makers ``maker_a`` (member of A) and ``maker_b``
(member of B); buyers ``buyer_x`` and ``buyer_y``, each with a profile and an open requirement;
a vetting case about ``buyer_x`` in A and one in B, each with a vote; an order between ``buyer_x`` and
``maker_a`` (``order_xa``) and one between ``buyer_y`` and ``maker_b`` (``order_yb``). Actors: the maker user of
``maker_a``, the buyer user of ``buyer_x``, staff of A, a board member of A, the platform admin,
A's fair organizer, and anonymous.
"""
from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from matchmaker import db
from matchmaker.buyers.records import BuyerProfile
from matchmaker.makers.records import MakerProfile
from matchmaker.organizations.records import Organization
from matchmaker.requirements.records import Requirement
from matchmaker.orders.records import Order
from matchmaker.vetting.records import VettingCase, Vote

from tests.support.access_world import AccessWorld, build_access_world
from tests.support.world import BUYER_BODY, MAKER_BODY, REQUIREMENT_BODY

OK, CREATED, UNAUTH, FORBIDDEN, MISSING, UNPROCESSABLE = 200, 201, 401, 403, 404, 422

ACTORS = ["maker", "buyer", "staff", "board", "admin", "organizer", "anonymous"]

# (route, target) -> expected status for each actor; the comment says how the target relates to the actors
TABLE = {
    ("edit organization", "maker_a"):  # maker's own firm; a member of the staff's association
        dict(maker=OK, buyer=FORBIDDEN, staff=OK, board=FORBIDDEN, admin=OK, organizer=FORBIDDEN, anonymous=UNAUTH),
    ("edit organization", "maker_b"):  # another firm, of another association
        dict(maker=FORBIDDEN, buyer=FORBIDDEN, staff=FORBIDDEN, board=FORBIDDEN, admin=OK, organizer=FORBIDDEN,
             anonymous=UNAUTH),
    ("edit organization", "buyer_x"):  # the buyer's own firm; no association's member
        dict(maker=FORBIDDEN, buyer=OK, staff=FORBIDDEN, board=FORBIDDEN, admin=OK, organizer=FORBIDDEN,
             anonymous=UNAUTH),
    ("edit organization", "buyer_y"):  # another buyer
        dict(maker=FORBIDDEN, buyer=FORBIDDEN, staff=FORBIDDEN, board=FORBIDDEN, admin=OK, organizer=FORBIDDEN,
             anonymous=UNAUTH),
    ("edit maker profile", "maker_a"):  # the maker's own profile
        dict(maker=OK, buyer=FORBIDDEN, staff=FORBIDDEN, board=FORBIDDEN, admin=OK, organizer=FORBIDDEN,
             anonymous=UNAUTH),
    ("edit maker profile", "maker_b"):  # another association's maker
        dict(maker=FORBIDDEN, buyer=FORBIDDEN, staff=FORBIDDEN, board=FORBIDDEN, admin=OK, organizer=FORBIDDEN,
             anonymous=UNAUTH),
    ("edit buyer profile", "buyer_x"):  # the buyer's own profile
        dict(maker=FORBIDDEN, buyer=OK, staff=FORBIDDEN, board=FORBIDDEN, admin=OK, organizer=FORBIDDEN,
             anonymous=UNAUTH),
    ("edit buyer profile", "buyer_y"):  # another buyer's
        dict(maker=FORBIDDEN, buyer=FORBIDDEN, staff=FORBIDDEN, board=FORBIDDEN, admin=OK, organizer=FORBIDDEN,
             anonymous=UNAUTH),
    ("edit requirement", "buyer_x"):  # the buyer's own requirement
        dict(maker=FORBIDDEN, buyer=OK, staff=FORBIDDEN, board=FORBIDDEN, admin=OK, organizer=FORBIDDEN,
             anonymous=UNAUTH),
    ("edit requirement", "buyer_y"):  # a competitor's: not even confirmed to exist
        dict(maker=FORBIDDEN, buyer=MISSING, staff=FORBIDDEN, board=FORBIDDEN, admin=OK, organizer=FORBIDDEN,
             anonymous=UNAUTH),
    ("vetting status", "buyer_x"):  # the buyer's own status; a subject of A's case
        dict(maker=FORBIDDEN, buyer=OK, staff=OK, board=OK, admin=OK, organizer=FORBIDDEN, anonymous=UNAUTH),
    ("vetting status", "buyer_y"):  # another buyer's status: not confirmed to exist, as on the status page
        dict(maker=FORBIDDEN, buyer=MISSING, staff=OK, board=OK, admin=OK, organizer=FORBIDDEN, anonymous=UNAUTH),
    ("vetting case", "case_a"):  # a case of the staff's and board member's own association
        dict(maker=FORBIDDEN, buyer=FORBIDDEN, staff=OK, board=OK, admin=OK, organizer=FORBIDDEN, anonymous=UNAUTH),
    ("vetting case", "case_b"):  # another association's case
        dict(maker=FORBIDDEN, buyer=FORBIDDEN, staff=MISSING, board=MISSING, admin=OK, organizer=FORBIDDEN,
             anonymous=UNAUTH),
    ("vetting decision", "case_a"):  # only the board decides, and only its own association's cases
        dict(maker=FORBIDDEN, buyer=FORBIDDEN, staff=FORBIDDEN, board=CREATED, admin=FORBIDDEN, organizer=FORBIDDEN,
             anonymous=UNAUTH),
    ("vetting decision", "case_b"):
        dict(maker=FORBIDDEN, buyer=FORBIDDEN, staff=FORBIDDEN, board=MISSING, admin=FORBIDDEN, organizer=FORBIDDEN,
             anonymous=UNAUTH),
    # ratings (issue 15): a firm rates only its own order's other side; the rated firm answers only its own
    ("rate the buyer", "order_x"):  # buyer_x's closed order with maker_a: its maker rates the buyer, once
        dict(maker=CREATED, buyer=UNPROCESSABLE, staff=FORBIDDEN, board=FORBIDDEN, admin=FORBIDDEN,
             organizer=FORBIDDEN, anonymous=UNAUTH),  # the buyer's side rates the maker: not its categories
    ("rate the maker", "order_x2"):  # another such order: its buyer rates the maker
        dict(maker=UNPROCESSABLE, buyer=CREATED, staff=FORBIDDEN, board=FORBIDDEN, admin=FORBIDDEN,
             organizer=FORBIDDEN, anonymous=UNAUTH),
    ("rate the buyer", "order_y"):  # buyer_y's order with maker_b: neither actor's firm is a side
        dict(maker=MISSING, buyer=MISSING, staff=FORBIDDEN, board=FORBIDDEN, admin=FORBIDDEN, organizer=FORBIDDEN,
             anonymous=UNAUTH),
    ("answer ratings", "buyer_x"):  # the buyer's own firm
        dict(maker=MISSING, buyer=OK, staff=FORBIDDEN, board=FORBIDDEN, admin=FORBIDDEN, organizer=FORBIDDEN,
             anonymous=UNAUTH),
    ("answer ratings", "buyer_y"):  # another buyer's ratings
        dict(maker=MISSING, buyer=MISSING, staff=FORBIDDEN, board=FORBIDDEN, admin=FORBIDDEN, organizer=FORBIDDEN,
             anonymous=UNAUTH),
    ("view order", "order_xa"):  # the actors' own firms' order
        dict(maker=OK, buyer=OK, staff=FORBIDDEN, board=FORBIDDEN, admin=FORBIDDEN, organizer=FORBIDDEN,
             anonymous=UNAUTH),
    ("view order", "order_yb"):  # other firms' order: not confirmed to exist
        dict(maker=MISSING, buyer=MISSING, staff=FORBIDDEN, board=FORBIDDEN, admin=FORBIDDEN, organizer=FORBIDDEN,
             anonymous=UNAUTH),
    ("edit order terms", "order_xa"):
        dict(maker=OK, buyer=OK, staff=FORBIDDEN, board=FORBIDDEN, admin=FORBIDDEN, organizer=FORBIDDEN,
             anonymous=UNAUTH),
    ("edit order terms", "order_yb"):
        dict(maker=MISSING, buyer=MISSING, staff=FORBIDDEN, board=FORBIDDEN, admin=FORBIDDEN, organizer=FORBIDDEN,
             anonymous=UNAUTH),
}

# the same policy on the pages (signed in through the form); anonymous is sent to the sign-in page
PAGE_TABLE = {
    ("maker edit page", "maker_a"):
        dict(maker=OK, buyer=FORBIDDEN, staff=FORBIDDEN, board=FORBIDDEN, admin=OK, organizer=FORBIDDEN),
    ("maker edit page", "maker_b"):
        dict(maker=FORBIDDEN, buyer=FORBIDDEN, staff=FORBIDDEN, board=FORBIDDEN, admin=OK, organizer=FORBIDDEN),
    ("requirement edit page", "buyer_x"):
        dict(maker=FORBIDDEN, buyer=OK, staff=FORBIDDEN, board=FORBIDDEN, admin=OK, organizer=FORBIDDEN),
    ("requirement edit page", "buyer_y"):
        dict(maker=FORBIDDEN, buyer=MISSING, staff=FORBIDDEN, board=FORBIDDEN, admin=OK, organizer=FORBIDDEN),
    ("status page", "buyer_x"):
        dict(maker=FORBIDDEN, buyer=OK, staff=OK, board=OK, admin=OK, organizer=FORBIDDEN),
    ("status page", "buyer_y"):  # never confirm another firm's status to a buyer
        dict(maker=FORBIDDEN, buyer=MISSING, staff=OK, board=OK, admin=OK, organizer=FORBIDDEN),
    ("case page", "case_a"):
        dict(maker=FORBIDDEN, buyer=FORBIDDEN, staff=OK, board=OK, admin=OK, organizer=FORBIDDEN),
    ("case page", "case_b"):
        dict(maker=FORBIDDEN, buyer=FORBIDDEN, staff=MISSING, board=MISSING, admin=OK, organizer=FORBIDDEN),
    ("ratings received page", "own"):  # a firm's own aggregates: buyers and makers, nobody else's
        dict(maker=OK, buyer=OK, staff=FORBIDDEN, board=FORBIDDEN, admin=FORBIDDEN, organizer=FORBIDDEN),
    ("members' ratings page", "buyer_x"):  # the association's view of its members' ratings
        dict(maker=FORBIDDEN, buyer=FORBIDDEN, staff=OK, board=OK, admin=FORBIDDEN, organizer=FORBIDDEN),
    ("order page", "order_xa"):
        dict(maker=OK, buyer=OK, staff=FORBIDDEN, board=FORBIDDEN, admin=FORBIDDEN, organizer=FORBIDDEN),
    ("order page", "order_yb"):
        dict(maker=MISSING, buyer=MISSING, staff=FORBIDDEN, board=FORBIDDEN, admin=FORBIDDEN, organizer=FORBIDDEN),
    ("buyer suggestions", "buyer_x"):  # the maker's new-order form finds buyer firms as it types; nobody else
        dict(maker=OK, buyer=FORBIDDEN, staff=FORBIDDEN, board=FORBIDDEN, admin=FORBIDDEN, organizer=FORBIDDEN),
}


def _case(app, w: AccessWorld, assoc: int) -> int:
    """The open case about buyer_x in ``assoc`` (a new one, with a vote, once the last was decided)."""
    with app.app_context():
        sess = db.session()
        case = sess.query(VettingCase).filter_by(association_id=assoc, subject_id=w.ids["buyer_x"],
                                                 status="open").one_or_none()
        if case is None:
            case = VettingCase(association_id=assoc, subject_id=w.ids["buyer_x"], origin="application")
            sess.add(case)
            sess.flush()
            voter = w.users["board"] if assoc == w.assoc_a else w.board_b
            sess.add(Vote(case_id=case.id, voter_id=voter, vote="approved"))
            sess.commit()
        return case.id


def _version(app, model, ident) -> int:
    with app.app_context():
        return db.session().get(model, ident).version


DECISION = {"outcome": "approved", "rationale": "Three member firms report payment on time.",
            "review_date": (date.today() + timedelta(days=365)).isoformat()}


def _api_request(app, w: AccessWorld, route: str, target: str):
    """(method, path, body) for one cell, with the record's current version."""
    if route == "edit organization":
        org = w.ids[target]
        return "PATCH", f"/api/v1/organizations/{org}", {"version": _version(app, Organization, org),
                                                         "website": f"https://{uuid.uuid4().hex[:6]}.example"}
    if route == "edit maker profile":
        org = w.ids[target]
        return "PUT", f"/api/v1/makers/{org}", dict(MAKER_BODY, version=_version(app, MakerProfile, org),
                                                   about=uuid.uuid4().hex)
    if route == "edit buyer profile":
        org = w.ids[target]
        return "PUT", f"/api/v1/buyers/{org}", dict(BUYER_BODY, version=_version(app, BuyerProfile, org),
                                                   typical_order_qty=3000 + len(uuid.uuid4().hex))
    if route == "edit requirement":
        req = w.req[target]
        return "PUT", f"/api/v1/requirements/{req}", dict(REQUIREMENT_BODY, version=_version(app, Requirement, req))
    if route in {"rate the buyer", "rate the maker"}:
        scores = {"payment_terms": 2} if route == "rate the buyer" else {"quality": 4}
        return "POST", "/api/v1/ratings", {"basis": "order", "basis_id": _order(app, w, target), "scores": scores}
    if route == "answer ratings":
        return "PUT", f"/api/v1/organizations/{w.ids[target]}/ratings/answer", {"direction": "buyer_practices",
                                                                               "body": "Our answer."}
    if route == "view order":
        return "GET", f"/api/v1/orders/{w.orders[target]}", None
    if route == "edit order terms":
        order = w.orders[target]
        return "PATCH", f"/api/v1/orders/{order}", {"version": _version(app, Order, order),
                                                    "reference": uuid.uuid4().hex[:12]}
    if route == "vetting status":
        return "GET", f"/api/v1/vetting/subjects/{w.ids[target]}/status", None
    assoc = w.assoc_a if target == "case_a" else w.assoc_b
    case = _case(app, w, assoc)
    if route == "vetting case":
        return "GET", f"/api/v1/vetting/cases/{case}", None
    return "POST", f"/api/v1/vetting/cases/{case}/decision", DECISION


def _order(app, w: AccessWorld, target: str) -> int:
    """A closed order both sides confirmed: buyer_x with maker_a (order_x, order_x2), buyer_y with maker_b."""
    from datetime import datetime, timezone

    from matchmaker.orders.records import Order

    if target not in w.ids:
        buyer, maker = ("buyer_y", "maker_b") if target == "order_y" else ("buyer_x", "maker_a")
        now = datetime.now(timezone.utc)
        with app.app_context():
            sess = db.session()
            order = Order(buyer_id=w.ids[buyer], maker_id=w.ids[maker], origin="maker", quantity=500, unit_price=9.0,
                          currency="USD", delivery_date=date.today(), started_on=date.today() - timedelta(days=30),
                          status="closed", closed_at=now, buyer_confirmed_at=now, maker_confirmed_at=now)
            sess.add(order)
            sess.commit()
            w.ids[target] = order.id
    return w.ids[target]


@pytest.fixture
def access_world(app, factory) -> AccessWorld:
    return build_access_world(app, factory)


def test_api_access_table(app, client, factory, access_world):
    w = access_world
    tokens = {actor: factory.token(uid) for actor, uid in w.users.items()}
    tokens["anonymous"] = {}
    wrong = []
    for (route, target), expected in TABLE.items():
        for actor in ACTORS:
            method, path, body = _api_request(app, w, route, target)
            r = client.open(path, method=method, json=body, headers=tokens[actor])
            if r.status_code != expected[actor]:
                wrong.append(f"{actor} {route} {target}: {r.status_code}, expected {expected[actor]} "
                             f"({(r.json or {}).get('error', {}).get('message')})")
    assert wrong == []


def test_page_access_table(app, factory, access_world):
    from tests.vetting.conftest import login

    w = access_world
    paths = {
        "maker edit page": lambda t: f"/makers/{w.ids[t]}/edit",
        "requirement edit page": lambda t: f"/requirements/{w.req[t]}/edit",
        "status page": lambda t: f"/vetting/status/{w.ids[t]}",
        "order page": lambda t: f"/orders/{w.orders[t]}",
        "buyer suggestions": lambda t: "/orders/buyers?q=bu",
        "case page": lambda t: f"/vetting/cases/{_case(app, w, w.assoc_a if t == 'case_a' else w.assoc_b)}",
        "ratings received page": lambda t: "/ratings/received",
        "members' ratings page": lambda t: f"/ratings/board/{w.ids[t]}",
    }
    wrong = []
    anonymous = app.test_client()
    for actor in ACTORS[:-1]:
        browser = login(app.test_client(), factory, w.users[actor])
        for (route, target), expected in PAGE_TABLE.items():
            r = browser.get(paths[route](target))
            if r.status_code != expected[actor]:
                wrong.append(f"{actor} {route} {target}: {r.status_code}, expected {expected[actor]}")
    for (route, target) in PAGE_TABLE:
        r = anonymous.get(paths[route](target))
        if not (r.status_code == 302 and "/login" in r.headers["Location"]):
            wrong.append(f"anonymous {route} {target}: {r.status_code}, expected a redirect to the sign-in page")
    assert wrong == []
