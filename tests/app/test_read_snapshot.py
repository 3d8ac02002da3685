"""A request that is still reading a result can write after another user committed, on the project's engine.

On SQLite a SELECT whose rows are not all read keeps its statement, and with it a read snapshot, open on the
connection. A write on that connection after another connection committed must then turn a stale snapshot
into a writer, which SQLite refuses at once with "database is locked" (SQLITE_BUSY_SNAPSHOT in WAL mode), busy
timeout or not: the error page ``/vetting/buyers`` once answered under load. The engine (``db.make_engine``)
reads each SQLite result whole when it is executed, so no result holds a snapshot, however the code reads it
(an iterator left half-read, ``next()``, a loop that writes as it goes). On PostgreSQL (read committed) the
same steps never conflicted; the tests run there too.

Races between users keep one winner: the first write of a transaction still takes the database's write lock
before anything is checked (the conditional UPDATE of a vetting case), so the loser sees the winner's commit.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select, text, update

from sqlalchemy.orm import Session

from matchmaker.db import make_engine
from matchmaker.organizations.records import Association
from matchmaker.vetting.records import VettingCase


@pytest.fixture
def sessions(app):
    """Two users' sessions on the app's own engine, and the ids of three associations committed before."""
    maker = app.extensions["matchmaker.sessionmaker"]
    with maker() as setup:
        setup.add_all([Association(name=f"Assoc {i}", slug=f"assoc-{i}") for i in range(3)])
        setup.commit()
        ids = list(setup.scalars(select(Association.id).order_by(Association.id)))
    mine, theirs = maker(), maker()
    yield mine, theirs, ids
    mine.close()
    theirs.close()


def test_a_write_after_another_users_commit_before_a_result_is_read(sessions):
    mine, theirs, ids = sessions
    result = mine.execute(select(Association.id).order_by(Association.id))  # read after the write, as a page
    theirs.add(Association(name="Theirs", slug="theirs"))                    # that logs what it shows may do
    theirs.commit()
    mine.add(Association(name="Mine", slug="mine"))
    mine.commit()  # before the fix, on SQLite: OperationalError "database is locked", at once
    assert list(result.scalars()) == ids  # the result is still there, as it was when executed
    assert {"Theirs", "Mine"} <= set(theirs.scalars(select(Association.name)))


def test_a_result_left_unread_does_not_hold_the_pooled_connection_for_the_next_request(app, sessions):
    # a request that never read a result gives its connection back to the pool with the statement open;
    # the next request there (any page: the member directory's audit row) inherited the stale snapshot
    engine = make_engine(app.config["DATABASE_URL"])  # its own pool: the next session gets that connection
    try:
        with engine.connect() as other:
            first = Session(engine)
            left = first.execute(select(Association.id).order_by(Association.id))  # never read in the request
            first.close()
            other.execute(update(Association).where(Association.id == sessions[2][0]).values(name="Renamed"))
            other.commit()
            nxt = Session(engine)
            nxt.add(Association(name="Next", slug="next"))
            nxt.commit()  # before the fix, on SQLite: "database is locked", at once
            nxt.close()
            del left
    finally:
        engine.dispose()


def test_a_loop_that_writes_as_it_reads_after_another_users_commit(app, sessions):
    mine, theirs, ids = sessions
    with app.extensions["matchmaker.engine"].connect() as conn:
        seen = []
        for i, (assoc_id,) in enumerate(conn.execute(text("SELECT id FROM associations ORDER BY id"))):
            if i == 0:
                theirs.add(Association(name="Theirs", slug="theirs"))
                theirs.commit()
            conn.execute(update(Association).where(Association.id == assoc_id).values(name=f"Seen {i}"))
            seen.append(assoc_id)
        conn.commit()
    assert seen == ids
    assert sorted(theirs.scalars(select(Association.name).where(Association.id.in_(ids)))) == \
        ["Seen 0", "Seen 1", "Seen 2"]


def test_two_users_claiming_one_case_still_make_one_winner(app, sessions, factory):
    mine, theirs, _ = sessions
    buyer = factory.org("buyer", "Buyer")
    assoc = mine.scalar(select(Association.id).order_by(Association.id))
    with app.extensions["matchmaker.sessionmaker"]() as setup:
        case = VettingCase(association_id=assoc, subject_id=buyer, origin="member_proposal", status="open")
        setup.add(case)
        setup.commit()
        case_id = case.id

    def claim(sess):  # what a board's decision does first (vetting.decisions._claim_open_case)
        return sess.execute(update(VettingCase).where(VettingCase.id == case_id, VettingCase.status == "open")
                            .values(status="decided")).rowcount

    # both read the case as open, with a result left half-read as well
    for sess in (mine, theirs):
        assert sess.scalar(select(VettingCase.status).where(VettingCase.id == case_id)) == "open"
    rows = iter(mine.scalars(select(Association.id)))
    next(rows)
    assert claim(theirs) == 1
    theirs.commit()
    assert claim(mine) == 0  # the loser sees the winner's commit: refused (409), not a second decision
    mine.rollback()
