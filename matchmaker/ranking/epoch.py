"""The track-record epoch: one number that moves whenever a serving track record could have changed.

Serving sums every maker's track record (:class:`.data.Snapshot`) once and keeps it per process; to know
the sums are still current it reads the row of :class:`.records.TrackRecordEpoch` by primary key (the
pattern of ``tokens.cache`` for ``auth_epochs``) instead of aggregating the tables on every ranking.

The epoch is bumped (``UPDATE … SET value = value + 1``: a row lock on PostgreSQL until the commit,
SQLite serialises writers anyway) inside the same transaction as every change made through SQLAlchemy to
a table the track records are read from (:data:`COVERED`): objects flushed (one bump per flush, after
it) and bulk ``insert``/``update``/``delete`` statements run through a session (bumped before the
statement, in its transaction). An outcome event that is not a track-record kind (``shown``, ``profile_opened``,
``shortlisted``) bumps nothing, so logging impressions keeps the cache. A session that bumped the
epoch and has not committed yet must not cache what it reads (it could be rolled back):
:func:`pending`. A database without the table (not yet upgraded to 0027), or whose row was deleted,
keeps working through the old aggregate key (``.data``); a bump on an emptied table creates the row
again at a random value, so it never lands back on an epoch some process cached.
"""
from __future__ import annotations

import logging
import secrets
import time

from sqlalchemy import Connection, event, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, attributes

from ..records import Base

log = logging.getLogger(__name__)

#: the outcome events a track record counts (the others, ``shown`` first of all, change no track record)
TRACK_EVENTS = ("order_placed", "repeat_order", "dispute", "contacted", "meeting_held", "sample_requested",
                "sample_approved")
#: every table a serving track record is summed from: orders (their terms and origin decide which
#: deliveries count), deliveries, agreed dates, ratings and their scores, buyers' standings (clearance
#: makes their orders evidence) and the outcome log (its track-record events only). By name, so this
#: module imports no concern's records (each concern's ``records`` may import it).
COVERED = ("orders", "order_deliveries", "order_agreed_dates", "ratings", "rating_scores", "vetting_standings",
           "outcome_events")
OUTCOMES = "outcome_events"
FLUSH_KEY = "mm_track_record_flush"      # in Session.info: a covered row was written in the current flush
PENDING_KEY = "mm_track_record_pending"  # in Session.info: bumped in the open transaction

_READ = text("SELECT value FROM track_record_epochs WHERE id = 1")
_BUMP = text("UPDATE track_record_epochs SET value = value + 1 WHERE id = 1")
_CREATE = text("INSERT INTO track_record_epochs (id, value) VALUES (1, :v) ON CONFLICT (id) DO NOTHING")

#: engine -> (has the table, monotonic time checked); a missing table is looked for again after _RECHECK s
_TABLE: dict[Engine, tuple[bool, float]] = {}
_RECHECK = 60.0


def has_table(connection: Connection) -> bool:
    """Whether the table exists, looked up on ``connection`` itself: a second connection would wait on
    the write lock ``connection`` may hold (SQLite) inside the very transaction that wants to bump."""
    engine = connection.engine
    known = _TABLE.get(engine)
    if known is not None and (known[0] or time.monotonic() - known[1] < _RECHECK):
        return known[0]
    present = inspect(connection).has_table("track_record_epochs")
    if not present:
        log.warning("ranking: no track_record_epochs table (run `flask db upgrade`); track records use the "
                    "aggregate key")
    _TABLE[engine] = (present, time.monotonic())
    return present


def current(session: Session) -> int | None:
    """The epoch on the session's connection, or ``None`` without the table or its row."""
    connection = session.connection()
    if not has_table(connection):
        return None
    value = connection.execute(_READ).scalar()
    return None if value is None else int(value)


def pending(session: Session) -> bool:
    """Whether this session bumped the epoch in its open transaction (what it reads is not committed)."""
    return bool(session.info.get(PENDING_KEY))


def bump(connection: Connection, session: Session | None = None) -> None:
    """Move the epoch inside ``connection``'s transaction (creating the row of an emptied table)."""
    if not has_table(connection):
        return
    if connection.execute(_BUMP).rowcount == 0:
        if connection.execute(_CREATE, {"v": secrets.randbits(62)}).rowcount == 0:
            connection.execute(_BUMP)  # created meanwhile by another transaction
    if session is not None:
        session.info[PENDING_KEY] = True


def _track_event(target) -> bool:
    if target.event in TRACK_EVENTS:
        return True
    return any(kind in TRACK_EVENTS for kind in attributes.get_history(target, "event").deleted or ())


def _row_written(mapper, _connection, target) -> None:
    name = mapper.local_table.name
    if name not in COVERED or (name == OUTCOMES and not _track_event(target)):
        return
    session = inspect(target).session
    if session is not None:
        session.info[FLUSH_KEY] = True


for _name in ("after_insert", "after_update", "after_delete"):
    event.listen(Base, _name, _row_written, propagate=True)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context) -> None:
    if session.info.pop(FLUSH_KEY, False):
        bump(session.connection(), session)


def _untracked_insert(state) -> bool:
    """A bulk insert of outcome events none of which is a track-record kind (impressions)."""
    params = state.parameters
    rows = params if isinstance(params, list) else [params] if params else []
    return bool(rows) and all(isinstance(r, dict) and r.get("event", "?") not in TRACK_EVENTS for r in rows)


@event.listens_for(Session, "do_orm_execute")
def _bulk_change(state) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) not in COVERED:
        return
    if state.is_insert and table.name == OUTCOMES and _untracked_insert(state):
        return
    bump(state.session.connection(), state.session)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    session.info.pop(PENDING_KEY, None)


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, previous) -> None:
    session.info.pop(FLUSH_KEY, None)
    if previous.parent is None:  # the whole transaction (a savepoint's rollback leaves the outer bump pending)
        session.info.pop(PENDING_KEY, None)
