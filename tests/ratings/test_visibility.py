"""Who sees which figure: the rated firm and everyone else see aggregates only, never who rated, a single
rating or a comment; comments reach only the board of the association they were given in.

Every expectation is written here by hand, from the policy as users rely on it (not read from the code):

* a buyer's purchasing practices are read by makers, the association's people, the admin and the buyer
  itself; never by another buyer (a competitor);
* a maker's performance is read by buyers, the association's people, the admin and the maker itself;
  never by another maker;
* a vendor's performance is read by makers (members), the association's people, the admin and the vendor.
"""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

from matchmaker.ratings.records import Rating

from tests.ratings.conftest import FIRMS, TODAY, all_scores
from tests.vetting.conftest import login

MAKER = ("quality", "on_time_delivery", "communication")
SECRETS = ["COMMENT-ALPHA pays late", "COMMENT-BETA changed the order", "COMMENT-GAMMA fine"]


@pytest.fixture
def rated(client, w):
    """acme rated by m1, m2, m3 (with comments); m1 rated by acme, zeta, lone; the vendor by m1, m2, m3."""
    for maker, comment in zip(("m1", "m2", "m3"), SECRETS):
        assert w.rate(client, maker, "order", w.order("acme", maker), all_scores(4), comment).status_code == 201
    for buyer in ("acme", "zeta", "lone"):
        assert w.rate(client, buyer, "order", w.order(buyer, "m1"), all_scores(3, MAKER), "BUYER-SECRET"
                      ).status_code == 201
    for maker in ("m1", "m2", "m3"):
        basis = w.purchase(maker, purchased_on=TODAY - timedelta(days=90))
        assert w.rate(client, maker, "vendor_purchase", basis, all_scores(2, MAKER)).status_code == 201
    return w


def _leaks(text: str, w, own: str = "") -> list[str]:
    """Raters' names and comments found in ``text`` (``own``: the name of the firm the page is about)."""
    names = [n for n in list(FIRMS.values()) + ["Acme Jeans", "Zeta Retail", "Lone Buyer"]
             if n in text and not own.startswith(n)]
    return names + [s for s in SECRETS + ["BUYER-SECRET"] if s in text]


def _keys(value, found=None) -> set[str]:
    found = set() if found is None else found
    if isinstance(value, dict):
        for key, item in value.items():
            found.add(key)
            _keys(item, found)
    elif isinstance(value, list):
        for item in value:
            _keys(item, found)
    return found


ALLOWED_KEYS = {"organization_id", "directions", "direction", "association_id", "categories", "category", "shown",
                "score", "ratings", "cluster_median", "answers", "body", "published_at"}

# reader -> directions it reads, for each rated firm (written by hand)
DIRECTIONS = {
    "acme": {"acme": ["buyer_practices"], "m1": ["maker_performance"], "vendor": []},
    "zeta": {"acme": [], "m1": ["maker_performance"], "vendor": []},
    "m1": {"acme": ["buyer_practices"], "m1": ["maker_performance"], "vendor": ["vendor_performance"]},
    "m2": {"acme": ["buyer_practices"], "m1": [], "vendor": ["vendor_performance"]},
    "vendor": {"acme": ["buyer_practices"], "m1": [], "vendor": ["vendor_performance"]},
    "board_a": {"acme": ["buyer_practices"], "m1": ["maker_performance"], "vendor": ["vendor_performance"]},
    "staff_a": {"acme": ["buyer_practices"], "m1": ["maker_performance"], "vendor": ["vendor_performance"]},
    "organizer_a": {"acme": ["buyer_practices"], "m1": ["maker_performance"], "vendor": ["vendor_performance"]},
    "admin": {"acme": ["buyer_practices"], "m1": ["maker_performance"], "vendor": ["vendor_performance"]},
}


def test_each_reader_gets_only_its_directions_and_only_aggregates(client, rated):
    w = rated
    wrong = []
    for reader, targets in DIRECTIONS.items():
        for target, expected in targets.items():
            response = client.get(f"/api/v1/organizations/{w.orgs[target]}/ratings", headers=w.h(reader))
            body = response.get_json()
            got = [d["direction"] for d in body["directions"]]
            if got != expected:
                wrong.append(f"{reader} reads {target}: {got}, expected {expected}")
            extra, leaks = _keys(body) - ALLOWED_KEYS, _leaks(json.dumps(body), w)
            if extra or leaks:
                wrong.append(f"{reader} reads {target}: leaks {extra} {leaks}")
            shown = [c for d in body["directions"] for c in d["categories"]]
            if expected and not all(c["shown"] for c in shown):
                wrong.append(f"{reader} reads {target}: three firms rated, yet hidden")
    assert wrong == []
    assert client.get(f"/api/v1/organizations/{w.orgs['acme']}/ratings").status_code == 401
    assert client.get("/api/v1/organizations/999999/ratings", headers=w.h("m1")).status_code == 404


def test_the_buyer_never_sees_who_rated_on_its_pages(app, rated):
    w = rated
    browser = login(app.test_client(), w.factory, w.users["acme"])
    for path in ("/ratings/received", f"/organizations/{w.orgs['acme']}"):
        page = browser.get(path)
        text = page.get_data(as_text=True)
        assert page.status_code == 200 and 'data-testid="ratings-buyer_practices"' in text, path
        assert _leaks(text, w, "Acme Jeans Inc") == [], path
        assert "4.0" in text  # the score itself is shown
    # the maker rated by buyers: same on its page
    maker = login(app.test_client(), w.factory, w.users["m1"])
    text = maker.get("/ratings/received").get_data(as_text=True)
    assert 'data-testid="ratings-maker_performance"' in text and _leaks(text, w) == []


def test_members_and_buyers_read_the_summary_on_the_directory_page(app, rated):
    w = rated
    member = login(app.test_client(), w.factory, w.users["m4"])
    text = member.get(f"/organizations/{w.orgs['acme']}").get_data(as_text=True)
    assert 'data-testid="ratings-summary"' in text and "Payment and terms" in text
    assert _leaks(text, w, "Acme Jeans Inc") == []
    text = member.get(f"/organizations/{w.orgs['vendor']}").get_data(as_text=True)
    assert 'data-testid="ratings-vendor_performance"' in text
    buyer = login(app.test_client(), w.factory, w.users["zeta"])
    text = buyer.get(f"/organizations/{w.orgs['m1']}").get_data(as_text=True)
    assert 'data-testid="ratings-maker_performance"' in text and _leaks(text, w, "Taller Uno") == []
    assert 'data-testid="ratings-summary"' not in buyer.get(f"/organizations/{w.orgs['acme']}").get_data(as_text=True)


def test_the_board_reads_comments_of_its_own_association_without_raters(app, rated):
    w = rated
    board = login(app.test_client(), w.factory, w.users["board_a"])
    listing = board.get("/ratings/board").get_data(as_text=True)
    # the firms rated (acme, m1 rated by buyers, the vendor), never the members who only rated
    assert all(n in listing for n in ("Acme Jeans Inc", "Taller Uno", "Telas del Bajío"))
    assert [n for n in FIRMS.values() if n in listing] == ["Taller Uno"]
    page = board.get(f"/ratings/board/{w.orgs['acme']}").get_data(as_text=True)
    assert all(s in page for s in SECRETS)
    assert [n for n in FIRMS.values() if n in page] == []
    staff = login(app.test_client(), w.factory, w.users["staff_a"])
    page = staff.get(f"/ratings/board/{w.orgs['acme']}").get_data(as_text=True)
    assert 'data-testid="ratings-buyer_practices"' in page and _leaks(page, w, "Acme Jeans Inc") == []
    other = login(app.test_client(), w.factory, w.users["board_b"])
    page = other.get(f"/ratings/board/{w.orgs['acme']}").get_data(as_text=True)
    assert _leaks(page, w, "Acme Jeans Inc") == [] and 'data-testid="ratings-hidden-buyer_practices"' in page
    assert "Acme" not in other.get("/ratings/board").get_data(as_text=True)


def test_the_boards_list_moves_with_the_published_snapshots_never_live(app, client, w):
    """A live list or exact count would tell the board when one more rating came in, and from whom by
    elimination: a firm appears once its first snapshot (three firms) closes, with a band, and the band moves
    only with the next snapshot."""
    board = login(app.test_client(), w.factory, w.users["board_a"])
    w.rate(client, "m1", "order", w.order("acme", "m1"), all_scores(2))
    w.rate(client, "m2", "order", w.order("acme", "m2"), all_scores(3))
    assert "Acme Jeans Inc" not in board.get("/ratings/board").get_data(as_text=True)  # two firms: nothing yet
    w.rate(client, "m3", "order", w.order("acme", "m3"), all_scores(4))
    listing = board.get("/ratings/board").get_data(as_text=True)
    assert "Acme Jeans Inc" in listing and '<td data-testid="ratings-band">3-9</td>' in listing
    assert "<td>3</td>" not in listing


def test_comments_wait_for_three_firms_even_for_the_board(app, client, w):
    w.rate(client, "m1", "order", w.order("acme", "m1"), all_scores(2), SECRETS[0])
    w.rate(client, "g1", "order", w.order("acme", "g1"), all_scores(2), SECRETS[1])
    w.rate(client, "g2", "order", w.order("acme", "g2"), all_scores(2), SECRETS[2])
    board = login(app.test_client(), w.factory, w.users["board_a"])
    page = board.get(f"/ratings/board/{w.orgs['acme']}").get_data(as_text=True)
    assert not any(s in page for s in SECRETS)


OK, MISSING, FORBIDDEN = 200, 404, 403
# page -> actor -> status; the order is acme's with m1, the purchase m1's
PAGES = {
    "rate order": dict(m1=OK, acme=OK, m2=MISSING, zeta=MISSING, board_a=FORBIDDEN, staff_a=FORBIDDEN,
                       admin=FORBIDDEN, organizer_a=FORBIDDEN),
    "rate purchase": dict(m1=OK, acme=FORBIDDEN, m2=MISSING, zeta=FORBIDDEN, board_a=FORBIDDEN, staff_a=FORBIDDEN,
                          admin=FORBIDDEN, organizer_a=FORBIDDEN),
    "received": dict(m1=OK, acme=OK, m2=OK, zeta=OK, board_a=FORBIDDEN, staff_a=FORBIDDEN, admin=FORBIDDEN,
                     organizer_a=FORBIDDEN),
    "board list": dict(m1=FORBIDDEN, acme=FORBIDDEN, m2=FORBIDDEN, zeta=FORBIDDEN, board_a=OK, staff_a=OK,
                       admin=FORBIDDEN, organizer_a=FORBIDDEN),
    "board firm": dict(m1=FORBIDDEN, acme=FORBIDDEN, m2=FORBIDDEN, zeta=FORBIDDEN, board_a=OK, staff_a=OK,
                       admin=FORBIDDEN, organizer_a=FORBIDDEN),
}


def test_page_permission_table(app, w):
    order, purchase = w.order("acme", "m1"), w.purchase("m1")
    paths = {"rate order": f"/ratings/orders/{order}", "rate purchase": f"/ratings/vendor-purchases/{purchase}",
             "received": "/ratings/received", "board list": "/ratings/board",
             "board firm": f"/ratings/board/{w.orgs['acme']}"}
    wrong = []
    for actor in PAGES["received"]:
        browser = login(app.test_client(), w.factory, w.users[actor])
        for page, expected in PAGES.items():
            status = browser.get(paths[page]).status_code
            if status != expected[actor]:
                wrong.append(f"{actor} {page}: {status}, expected {expected[actor]}")
    anonymous = app.test_client()
    for page, path in paths.items():
        r = anonymous.get(path)
        if r.status_code != 302 or "/login" not in r.headers["Location"]:
            wrong.append(f"anonymous {page}: {r.status_code}")
    assert wrong == []


def test_a_rating_is_stored_with_its_rater_for_the_uniqueness_rule_only(app, rated):
    from matchmaker import db
    with app.app_context():
        raters = {r.rater_org_id for r in db.session().query(Rating).filter_by(direction="buyer_practices")}
    assert raters == {rated.orgs["m1"], rated.orgs["m2"], rated.orgs["m3"]}


def test_the_boards_comments_arrive_with_the_snapshot_never_one_by_one(app, client, w):
    """A comment shown the moment it is written would be told apart by when it appeared (and so by who just
    traded with the firm): comments come with the published snapshots, three firms at a time."""
    for maker, secret in zip(("m1", "m2", "m3"), SECRETS):
        w.rate(client, maker, "order", w.order("acme", maker), all_scores(2), secret)
    board = login(app.test_client(), w.factory, w.users["board_a"])
    page = board.get(f"/ratings/board/{w.orgs['acme']}").get_data(as_text=True)
    assert all(s in page for s in SECRETS)
    w.rate(client, "m4", "order", w.order("acme", "m4"), all_scores(5), "COMMENT-DELTA the newest one")
    page = board.get(f"/ratings/board/{w.orgs['acme']}").get_data(as_text=True)
    assert all(s in page for s in SECRETS) and "COMMENT-DELTA" not in page
