"""Finding new slips and announcing each once.

:func:`check` computes the slips of the given orders (or of all) as of a day with
``metrics.slips``, stores the ones not seen before in ``monitoring_slips`` (INSERT ... ON CONFLICT
DO NOTHING on the unique key, so two checkers racing store each once and only the winner
announces it) and sends one ``events.orders_slipped`` with all the new ones (set-based: the first
check of a whole cluster announces 15,000 slips in seconds). The contact package listens and
notifies both sides of each order; this module never imports it. The caller commits.

It runs daily (``flask orders check-slips``, or ``--job`` through ``matchmaker.jobs``) for slips
that come with time (a milestone passing its planned date, an invoice its due date), and right
after a figure is recorded (``events.order_figure_recorded``) for the ones a figure makes.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import events
from ..records import utcnow
from ..orders.records import Order
from . import metrics, rows
from .records import MonitoringSlip

CHECK_JOB = "orders-check-slips"
CHUNK = 500


def _insert(session: Session, found: list[metrics.Slip]) -> set[str]:
    """Store ``found`` (a chunk at a time); the keys this call stored (not those another checker stored first)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stored: set[str] = set()
    now = utcnow()
    table = MonitoringSlip.__table__
    # one compiled statement run as executemany (SQLAlchemy batches it into multi-row INSERTs with RETURNING)
    stmt = insert(table).on_conflict_do_nothing(index_elements=["key"]).returning(table.c.key)
    for start in range(0, len(found), CHUNK):
        values = [dict(key=s.key, kind=s.kind, order_id=s.order_id, subject_id=s.subject_id, missed_on=s.on,
                       amount=s.amount, found_at=now) for s in found[start:start + CHUNK]]
        stored.update(session.execute(stmt, values).scalars())
    return stored


def _known(session: Session, keys: list[str]) -> set[str]:
    known: set[str] = set()
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start:start + CHUNK]
        known.update(session.scalars(select(MonitoringSlip.key).where(MonitoringSlip.key.in_(chunk))))
    return known


def _announced(slip: metrics.Slip, order: Order, stages: dict[int, str]) -> dict:
    """What ``events.orders_slipped`` says of one slip (the keys of ``events.order_slipped``); a missed
    milestone also names its ``stage`` and ``planned_on`` (ISO), so its notice says which one."""
    out = dict(order_id=order.id, buyer_id=order.buyer_id, maker_id=order.maker_id, kind=slip.kind, key=slip.key,
               amount=slip.amount, reference=order.reference or order.product or f"#{order.id}")
    if slip.kind == "milestone_overdue" and slip.subject_id in stages:
        out.update(stage=stages[slip.subject_id], planned_on=slip.on.isoformat())
    return out


def check(session: Session, today: date | None = None, order_ids: list[int] | None = None) -> list[metrics.Slip]:
    """Store and announce the slips not seen before; returns them (not committed)."""
    today = today or date.today()
    facts = rows.load(session, Order.id.in_(order_ids)) if order_ids is not None else rows.load(session)
    by_id = {f.order.id: f.order for f in facts}
    found = metrics.slips(facts, today)
    known = _known(session, [s.key for s in found])
    stored = _insert(session, [s for s in found if s.key not in known])
    new = [slip for slip in found if slip.key in stored]
    if new:  # one signal for the whole check: the subscriber writes its notices in bulk
        stages = {m.id: m.stage for f in facts for m in f.milestones}
        events.orders_slipped.send(session, slips=[_announced(s, by_id[s.order_id], stages) for s in new])
    return new


def run_check(day: str | None = None) -> dict:
    """The job (inside an application context): check every order and commit."""
    from .. import db, jobs

    sess = db.session()
    jobs.progress(jobs.current_job_id(), 0.1, "looking for slips")
    new = check(sess, date.fromisoformat(day) if day else None)
    sess.commit()
    counts: dict[str, int] = {}
    for slip in new:
        counts[slip.kind] = counts.get(slip.kind, 0) + 1
    return {"new": len(new), "by_kind": counts}


def on_figure_recorded(session, order=None, order_id: int | None = None, **_) -> None:
    """A figure or a term of an order was recorded (``order`` from the orders concern, or ``order_id``):
    announce what it made slip, in the sender's transaction."""
    order_id = order_id if order_id is not None else getattr(order, "id", None)
    if isinstance(session, Session) and order_id is not None:
        session.flush()
        check(session, order_ids=[order_id])


def connect() -> None:
    events.order_figure_recorded.connect(on_figure_recorded, weak=False)
    events.order_terms_changed.connect(on_figure_recorded, weak=False)  # a price changed after agreement
