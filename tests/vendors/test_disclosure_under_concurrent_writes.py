"""Pages that log a disclosure while they read (the vendor's purchases, the members' buyer directory) must not
fail when another user commits between their reads and their audit row.

On SQLite a result left unread keeps its read snapshot open; the audit INSERT after another connection's
commit then fails at once with "database is locked" (the busy timeout cannot help a stale snapshot), which
the walk of the demo met as blank 500s. Here the other user's commit is made to land exactly there: just
before the page's audit INSERT, from a second connection. On PostgreSQL the same test checks that nothing
else blocks.
"""
from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from tests.vetting.conftest import login

from .conftest import BUYING_FIRM, purchase


@contextmanager
def another_user_commits_before_the_audit_row(app):
    url = app.config["DATABASE_URL"]
    other = create_engine(url, connect_args={"timeout": 5} if url.startswith("sqlite") else {})
    engine = app.extensions["matchmaker.engine"]
    fired = []

    def before(conn, cursor, statement, params, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO VETTING_AUDIT") and not fired:
            fired.append(True)
            with other.begin() as c:  # a write by someone else, committed now
                c.execute(text("UPDATE organizations SET name = name WHERE id = (SELECT MIN(id) FROM organizations)"))

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield fired
    finally:
        event.remove(engine, "before_cursor_execute", before)
        other.dispose()


def test_the_board_reads_a_vendors_purchases_while_another_user_writes(app, client, factory, world):
    assert client.post("/api/v1/vendors/purchases", json=purchase(world.vendor_org),
                       headers=world.h[world.reporter]).status_code == 201
    login(client, factory, world.board)
    with another_user_commits_before_the_audit_row(app) as fired:
        r = client.get(f"/vendors/{world.vendor_org}/purchases")
    assert fired, "the page logged no disclosure"
    assert r.status_code == 200 and BUYING_FIRM in r.get_data(as_text=True)


def test_a_member_reads_the_buyer_directory_while_another_user_writes(app, client, factory, world):
    factory.org("buyer", "Denim Co", country="US")
    login(client, factory, world.member_2)
    with another_user_commits_before_the_audit_row(app) as fired:
        r = client.get("/vetting/buyers")
    assert fired, "the page logged no disclosure"
    assert r.status_code == 200 and "Denim Co" in r.get_data(as_text=True)


@pytest.mark.parametrize("refusal, status", [
    (RuntimeError("the disk is full"), 500),
    (IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed: vetting_audit.id")), 409),  # a lost race
    (StaleDataError("UPDATE statement on table expected to update 1 row(s); 0 were matched."), 409),
])
def test_a_failed_write_still_shows_the_error_page_with_its_menu(app, client, factory, world, refusal, status):
    # the database refusing the audit row (a full disk, a lock, a parallel request's key or version) fails
    # the flush; the 500 or 409 page must still render for the signed-in user, not a blank body
    login(client, factory, world.board)
    engine = app.extensions["matchmaker.engine"]

    def refuse(conn, cursor, statement, params, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO VETTING_AUDIT"):
            raise refusal

    event.listen(engine, "before_cursor_execute", refuse)
    try:
        r = client.get(f"/vendors/{world.vendor_org}/purchases")
    finally:
        event.remove(engine, "before_cursor_execute", refuse)
    body = r.get_data(as_text=True)
    assert r.status_code == status
    assert 'id="main-nav"' in body and "Trade fairs" in body
