"""The directory page is served by the index with exact totals and pages longer than one page, merged with
the organizations the maker index does not hold, in name order; the database answers when the index is down."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import event

from matchmaker import db
from tests.support.api_bodies import MAKER
from tests.support.world import login_as

ROW = re.compile(r'<td><a href="/organizations/(\d+)">')


def _ids(html: str) -> list[int]:
    return [int(m) for m in ROW.findall(html)]


@pytest.fixture
def directory(client, factory):
    """27 makers with profiles (indexed through the API), 6 buyers and 1 maker without a profile, names
    interleaved so that pages mix both sources."""
    admin = factory.token(factory.user("platform_admin"))
    names = {}
    for i in range(27):
        org = factory.org("maker", f"Taller {chr(65 + i % 26)}{i:02d}", state="Puebla" if i % 3 else "Jalisco")
        r = client.post(f"/api/v1/organizations/{org}/maker-profile", json=MAKER, headers=admin)
        assert r.status_code == 201, r.json
        names[org] = f"Taller {chr(65 + i % 26)}{i:02d}"
    for i in range(6):
        org = factory.org("buyer", f"taller {chr(66 + 4 * i)}-compras", state="Puebla", country="MX")
        names[org] = f"taller {chr(66 + 4 * i)}-compras"
    lone = factory.org("maker", "Taller Sin Perfil", state="Puebla")
    names[lone] = "Taller Sin Perfil"
    user = factory.user("buyer_user", factory.org("buyer", "Zeta Denim", country="US"))
    return names, user


def _expected(app, state: str | None = None) -> list[int]:
    from matchmaker.organizations.records import Organization
    with app.app_context():
        rows = db.session().query(Organization).all()
        return [o.id for o in sorted(rows, key=lambda o: (o.name.lower(), o.id)) if state in (None, o.state)]


def _sql(app):
    seen: list[str] = []
    with app.app_context():
        engine = db.engine()

    def record(_c, _cur, statement, *_a):
        seen.append(statement.lower())

    event.listen(engine, "before_cursor_execute", record)
    return seen, lambda: event.remove(engine, "before_cursor_execute", record)


def test_directory_pages_come_from_the_index_in_name_order_with_exact_totals(app, client, factory, directory):
    _, user = directory
    login_as(client, factory, user)
    everyone = _expected(app)
    seen, stop = _sql(app)
    try:
        pages = [client.get(f"/organizations?page={p}").get_data(as_text=True) for p in (1, 2)]
    finally:
        stop()
    assert f"{len(everyone)} organizations" in pages[0] and "Page 1 of 2" in pages[0]
    assert _ids(pages[0]) + _ids(pages[1]) == everyone
    assert not [s for s in seen if "order by" in s and "organizations" in s], "a page was read with SQL"
    puebla = _expected(app, "Puebla")
    first = client.get("/organizations?state=Puebla").get_data(as_text=True)
    second = client.get("/organizations?state=Puebla&page=2").get_data(as_text=True)
    assert f"{len(puebla)} organizations" in first
    assert _ids(first) + _ids(second) == puebla
    makers = client.get("/organizations?kind=maker&page=2").get_data(as_text=True)
    assert "28 organizations" in makers and "Page 2 of 2" in makers
    assert "Taller Sin Perfil" in (client.get("/organizations?kind=maker").get_data(as_text=True)
                                   + makers)
    beyond = client.get("/organizations?page=99", follow_redirects=True).get_data(as_text=True)  # the last page
    assert _ids(beyond) == everyone[20:]
    options = re.findall(r"<option(?: selected)?>([^<]+)</option>", first)
    assert "Jalisco" in options and "Puebla" in options


def test_the_directory_is_read_from_the_database_when_the_index_is_down(app, client, factory, directory):
    _, user = directory
    login_as(client, factory, user)
    everyone = _expected(app)
    app.config.update(SEARCH_URL="http://127.0.0.1:9", SEARCH_CLIENT_OPTIONS={
        "request_timeout": 1, "max_retries": 0})
    app.extensions.pop("matchmaker.search", None)
    first = client.get("/organizations").get_data(as_text=True)
    second = client.get("/organizations?page=2").get_data(as_text=True)
    assert f"{len(everyone)} organizations" in first
    assert _ids(first) + _ids(second) == everyone
