"""Schedule runs: optimizing the whole fair as a job, storing a run and its meetings, publication."""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from datetime import timedelta, timezone

from sqlalchemy.orm import Session

import scheduling as sch

from .. import events as signals
from ..records import utcnow
from .agendas import sync_calendar
from .core import _num, current_run, is_over, participants, run_meetings
from .problem import Built, _names_in, build_problem
from .records import Fair, FairMeeting, FairScheduleRun
from ..catalog import N_
from ..errors import DomainError

def _metrics_dict(metrics: sch.Metrics) -> dict:
    return {"meetings": metrics.meetings, "requests": metrics.requests,
            "requests_fulfilled": metrics.requests_fulfilled, "must": metrics.must,
            "must_fulfilled": metrics.must_fulfilled, "mutual_must": metrics.mutual_must,
            "mutual_must_fulfilled": metrics.mutual_must_fulfilled, "below_min": len(metrics.below_min),
            "value": metrics.value, "idle_gaps": metrics.idle_gaps}


def _findings(result: sch.SolveResult, built: Built, fair: Fair) -> list[dict]:
    out = [{"constraint": f.constraint, "subject": _names_in(f.subject, built.people, fair),
            "message": _names_in(f.message, built.people, fair)} for f in result.report.findings]
    for m in result.dropped_locked:
        out.append({"constraint": "locked_dropped", "subject": _names_in(m.buyer, built.people, fair),
                    "message": _names_in(f"locked meeting {m.buyer} / {m.maker} in slot {m.slot} could not be "
                                         "kept", built.people, fair)})
    return out


FAIR_OVER = N_("the fair is over: its schedule stays as it was held, with its meetings' outcomes")


def check_schedulable(session: Session, fair: Fair) -> None:
    """The cheap checks done in the request before a scheduling job is queued. A fair that is over is
    never recomputed: a new run would replace the held schedule (held, no-show, samples, orders) with an
    unpublished draft of meetings that can no longer take place."""
    if is_over(fair):
        raise DomainError("conflict", FAIR_OVER, field="schedule", status=409)
    sides = {p.side for p in participants(session, fair)}
    if not {"buyer", "maker"} <= sides:
        raise DomainError("invalid", "register at least one buyer and one maker before scheduling",
                          field="participants")


def run_schedule(session: Session, fair: Fair, time_limit: float, user_id: int | None,
                 report=None) -> FairScheduleRun:
    """Optimize the whole fair; locked meetings of the current schedule are kept (if they still fit).

    ``report(fraction, code)`` hears the progress (codes: preparing, solving, baseline, saving)."""
    report = report or (lambda fraction, code: None)
    report(0.02, "preparing")
    previous = current_run(session, fair)
    locked = [m for m in run_meetings(session, previous, active_only=True) if m.locked]
    built = build_problem(session, fair, locked=locked)
    if not built.problem.buyers or not built.problem.makers:
        raise DomainError("invalid", "register at least one buyer and one maker before scheduling",
                          field="participants")
    options = sch.SolveOptions(time_limit=time_limit, workers=2, fill_minimums=bool(fair.fill_minimums))
    try:
        with _ticking(report, time_limit):
            result = sch.solve(built.problem, options)
        report(0.92, "baseline")
        base = sch.baseline(built.problem)
    except sch.ProblemError as exc:
        raise DomainError("invalid", _names_in(exc.message, built.people, fair), field=exc.field) from None
    report(0.96, "saving")
    run = _new_run(session, fair, "optimize", result, user_id, time_limit, built)
    run.baseline = _metrics_dict(base.metrics) | {"wall_time": round(base.wall_time, 4)}
    lock_keys = {(m.buyer_participant_id, m.maker_participant_id, m.slot_id) for m in locked}
    for m in result.schedule.meetings:
        _store_meeting(session, fair, run, built, m,
                       locked=(_num(m.buyer), _num(m.maker), m.slot) in lock_keys)
    session.flush()
    sync_calendar(session, fair)
    session.commit()
    return run


@contextmanager
def _ticking(report, seconds: float):
    """Report the solver's share of its time limit every half second while it runs."""
    stop = threading.Event()
    start = time.monotonic()

    def tick():
        while not stop.wait(0.5):
            report(0.05 + 0.85 * min(1.0, (time.monotonic() - start) / max(seconds, 0.1)), "solving")
    ticker = threading.Thread(target=tick, daemon=True)
    ticker.start()
    try:
        yield
    finally:
        stop.set()
        ticker.join()


SCHEDULE_JOB = "fair_schedule"


def schedule_job(fair_id: int, time_limit: float, user_id: int | None = None) -> dict:
    """The job function (``matchmaker.jobs``): one optimizer run of a fair, with progress."""
    from flask import current_app

    from .. import db, jobs

    me, app = jobs.current_job_id(), current_app._get_current_object()

    def report(fraction: float, code: str) -> None:
        with app.app_context():
            jobs.progress(me, fraction, code)
    session = db.session()
    fair = session.get(Fair, fair_id)
    if fair is None:
        raise jobs.JobError(f"fair {fair_id} no longer exists")
    try:
        run = run_schedule(session, fair, time_limit, user_id, report=report)
    except DomainError:
        session.rollback()
        raise
    return {"run_id": run.id, "status": run.solver_status, "wall_time": run.wall_time, "time_limit": time_limit}


def submit_schedule(session: Session, fair: Fair, time_limit: float, user_id: int | None) -> str:
    """Queue one scheduling job for the fair (or return the one already queued or running)."""
    from .. import jobs

    check_schedulable(session, fair)
    busy = jobs.latest(f"fair:{fair.id}", SCHEDULE_JOB)
    if busy is not None and busy.status in ("queued", "running"):
        limit = float((busy.kwargs or {}).get("time_limit", 600))
        created = busy.created_at if busy.created_at.tzinfo else busy.created_at.replace(tzinfo=timezone.utc)
        if utcnow() - created < timedelta(seconds=limit * 3 + 120):
            return busy.id  # one run at a time; a job older than that died with its process
    return jobs.submit(SCHEDULE_JOB, "matchmaker.fairs.runs:schedule_job",
                       {"fair_id": fair.id, "time_limit": time_limit, "user_id": user_id},
                       subject=f"fair:{fair.id}", user_id=user_id, timeout=time_limit * 3 + 60)


def _new_run(session: Session, fair: Fair, kind: str, result: sch.SolveResult, user_id, time_limit,
             built: Built, publication: str = "draft") -> FairScheduleRun:
    session.execute(FairScheduleRun.__table__.update().where(FairScheduleRun.fair_id == fair.id)
                    .values(current=False))
    run = FairScheduleRun(fair_id=fair.id, kind=kind, current=True, publication=publication,
                          solver_status=result.status, objective=result.objective, bound=result.bound,
                          gap=result.gap, wall_time=round(result.wall_time, 4), time_limit=time_limit,
                          metrics=_metrics_dict(result.metrics), baseline={},
                          findings=_findings(result, built, fair), created_by_id=user_id)
    session.add(run)
    session.flush()
    return run


def _store_meeting(session: Session, fair: Fair, run: FairScheduleRun, built: Built, m: sch.Meeting,
                   **fields) -> FairMeeting:
    slot = built.slots[m.slot]
    row = FairMeeting(fair_id=fair.id, run_id=run.id, buyer_participant_id=_num(m.buyer),
                      maker_participant_id=_num(m.maker), slot_id=m.slot, starts_at=slot.start, ends_at=slot.end,
                      table_id=_num(m.table), **fields)
    session.add(row)
    return row


def run_dict(run: FairScheduleRun | None) -> dict | None:
    if run is None:
        return None
    return {"id": run.id, "kind": run.kind, "publication": run.publication, "status": run.solver_status,
            "objective": run.objective, "bound": run.bound, "gap": run.gap, "wall_time": run.wall_time,
            "time_limit": run.time_limit, "metrics": run.metrics, "baseline": run.baseline,
            "findings": run.findings, "created_at": run.created_at.isoformat() if run.created_at else None}


def meeting_dict(m: FairMeeting) -> dict:
    return {"id": m.id, "buyer_participant_id": m.buyer_participant_id, "buyer": m.buyer.organization.name,
            "maker_participant_id": m.maker_participant_id, "maker": m.maker.organization.name,
            "slot": m.slot_id, "start": m.starts_at.isoformat(), "end": m.ends_at.isoformat(),
            "table_id": m.table_id, "table": m.table.label, "status": m.status, "locked": m.locked,
            "sample_requested": m.sample_requested, "order_placed": m.order_placed}


def publish(session: Session, fair: Fair, level: str, as_history: bool = False) -> FairScheduleRun:
    """Set the current schedule's publication. Refused (409) once the fair is over, unless ``as_history``
    (only the demo generator, building a past fair as it was held): withdrawing the held schedule would hide
    the agendas its meetings and outcomes belong to."""
    if is_over(fair) and not as_history:
        raise DomainError("conflict", FAIR_OVER, field="level", status=409)
    run = current_run(session, fair)
    if run is None:
        raise DomainError("conflict", "there is no schedule to publish yet; run the scheduler first",
                          field="level", status=409)
    if level == "draft" and run.publication == "draft":  # nothing to withdraw: say so, never "updated"
        raise DomainError("conflict", "the schedule is already a draft; there is nothing to withdraw",
                          field="level", status=409)
    run.publication = level
    signals.agenda_published.send(session, fair=fair, run=run, level=level)
    session.commit()
    return run
