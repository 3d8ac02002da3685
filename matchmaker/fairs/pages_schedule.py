"""Fair pages: meeting requests, scheduling (as a job), the organizer's grid, publication and the
per-meeting actions (routes on the ``fairs`` blueprint of ``fairs.pages``)."""
from __future__ import annotations

from datetime import datetime

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from pydantic import ValidationError

from .. import db, jobs
from ..auth import current_actor
from ..forms import Problems
from ..i18n import gettext as _
from ..i18n import locale
from ..security import small_int
from . import attendance
from . import formatting as fmt
from . import messages
from . import schemas as fs
from .forms import MeetingActionForm, PublishForm, ScheduleForm, requests_form
from . import services as svc
from .pages import (MARKS, MEETING_ACTIONS, _fail, _fair, _participant, _render_view, _require_runner, _runner, bp,
                    fair_message, job_error, run_note)
from .core import has_started
from .marks import MARKS_KEPT
from .records import Fair
from .video import virtual_pairs
from ..access import allow, FAIR_PEOPLE, FAIR_RUNNERS, acts_for
from ..errors import DomainError
from ..catalog import N_

# -- requests ----------------------------------------------------------------------------------------

@bp.route("/fairs/<int:fair_id>/requests", methods=["GET", "POST"])
@allow(FAIR_PEOPLE)
def requests(fair_id: int):
    fair, actor, sess = _fair(fair_id), current_actor(), db.session()
    runner = _runner(fair)
    as_raw = request.args.get("as", "")
    if as_raw.isdigit():
        me = _participant(fair, int(as_raw))
    else:
        me = svc.participant_for_org(sess, fair, actor.organization_id)
        if me is None:
            flash(_("Your firm is not registered for this fair."), "error")
            return redirect(url_for("fairs.view", fair_id=fair.id))
    if request.method == "POST":
        problems = Problems()
        if svc.is_over(fair):
            # over: the marks stay, the organizer's too (a direct POST bypasses the hidden fields) and say why
            problems.top.append(fair_message(DomainError("conflict", MARKS_KEPT, field="mark")))
            return _render_requests(fair, me, runner, as_raw, problems), 409
        if not runner and not svc.requests_open(fair):
            # closed: refuse the whole save (a direct POST bypasses the disabled fields) and say why
            problems.top.append(fair_message(DomainError(
                "deadline_passed", "the request deadline ({deadline}) has passed; requests are closed", field="mark",
                params={"deadline": f"{fair.request_deadline:%Y-%m-%d %H:%M}"})))
            return _render_requests(fair, me, runner, as_raw, problems), 409
        given, _received = svc.marks_of(sess, fair, me)
        expiries = svc.expiries_of(sess, fair, me)
        for other, value, raw_expiry in requests_form().marks():
            mark = value if value in MARKS else None
            try:
                expires_at = datetime.strptime(raw_expiry, "%Y-%m-%d").replace(hour=23, minute=59) \
                    if raw_expiry else None
            except ValueError:
                problems.add(f"expires-{other}", messages.field_label("expires_at", locale()) + ": "
                             + _("enter a date as YYYY-MM-DD."))
                continue
            if given.get(other) == mark and expiries.get(other) == expires_at:
                continue
            try:
                svc.set_request(sess, fair, me, other, mark, by_organizer=runner,
                                expires_at=expires_at if mark else None)
            except DomainError as exc:
                sess.rollback()
                problems.add(f"expires-{other}" if exc.field == "expires_at" else "top", fair_message(exc))
        if not problems:
            flash(_("Saved."), "success")
            return redirect(url_for("fairs.requests", fair_id=fair.id, **({"as": me.id} if as_raw else {})))
        problems.top.extend(problems.fields.pop("top", []))
        return _render_requests(fair, me, runner, as_raw, problems), 422
    return _render_requests(fair, me, runner, as_raw, Problems())


def _render_requests(fair: Fair, me, runner: bool, as_raw: str, problems: Problems) -> str:
    sess = db.session()
    given, received = svc.marks_of(sess, fair, me)
    other_side = "maker" if me.side == "buyer" else "buyer"
    open_, over = svc.requests_open(fair), svc.is_over(fair)
    recs = {r["participant_id"]: r for r in svc.recommendations(sess, fair, me, limit=1000, lang=locale())} \
        if open_ and not over else {}
    others = svc.participants(sess, fair, other_side)
    others.sort(key=lambda o: (-(recs[o.id]["score"] if o.id in recs else -1), o.organization.name))
    return render_template("fairs/requests.html", fair=fair, me=me, others=others, given=given,
                           received=received, recs=recs, requests_open=open_, fair_over=over, runner=runner, marks=MARKS,
                           as_param=as_raw, problems=problems, expiries=svc.expiries_of(sess, fair, me),
                           now=svc.now_local(fair))


# -- scheduling, grid, publication ------------------------------------------------------------------

@bp.post("/fairs/<int:fair_id>/schedule")
@allow(FAIR_RUNNERS)
def schedule(fair_id: int):
    fair = _fair(fair_id)
    _require_runner(fair)
    form = ScheduleForm()
    raw = form.text("time_limit") or "20"
    problems = Problems()
    try:
        time_limit = fs.ScheduleIn(time_limit=raw).time_limit
    except ValidationError:
        problems.add("time_limit", _("The time limit must be between 1 and 600 seconds."))
        return _render_view(fair, problems, schedule_form=form), 422
    try:
        job_id = svc.submit_schedule(db.session(), fair, time_limit, current_actor().id)
    except DomainError as exc:
        db.session().rollback()
        problems.add("schedule", fair_message(exc))
        return _render_view(fair, problems, schedule_form=form), exc.status
    return redirect(url_for("fairs.schedule_job", fair_id=fair.id, job_id=job_id))


JOB_STEPS = {"": N_("Waiting to start…"), "preparing": N_("Preparing the problem…"), "solving": N_("Optimizing…"),
             "baseline": N_("Computing the round-robin baseline…"), "saving": N_("Saving the schedule…")}


def _fair_job(fair: Fair, job_id: str):
    job = jobs.get(job_id)
    if job is None or job.subject != f"fair:{fair.id}":
        abort(404)
    return job


def _job_view(fair: Fair, job) -> dict:
    done = job.status == "done"
    return {"id": job.id, "status": job.status, "progress": round(job.progress or 0.0, 3),
            "percent": fmt.percent(job.progress or 0.0, locale()),
            "message": _(JOB_STEPS.get(job.message or "", job.message or "")) if job.status in ("queued", "running")
            else (_("Schedule computed.") if done else _("The schedule could not be computed: {reason}",
                                                         reason=job_error(job))),
            "done_url": url_for("fairs.grid", fair_id=fair.id) if done else None,
            "failed": job.status == "failed"}


@bp.get("/fairs/<int:fair_id>/schedule/jobs/<job_id>")
@allow(FAIR_RUNNERS)
def schedule_job(fair_id: int, job_id: str):
    fair = _fair(fair_id)
    _require_runner(fair)
    job = _fair_job(fair, job_id)
    return render_template("fairs/job.html", fair=fair, job=_job_view(fair, job),
                           status_url=url_for("fairs.schedule_job_status", fair_id=fair.id, job_id=job.id))


@bp.get("/fairs/<int:fair_id>/schedule/jobs/<job_id>.json")
@allow(FAIR_RUNNERS)
def schedule_job_status(fair_id: int, job_id: str):
    fair = _fair(fair_id)
    _require_runner(fair)
    return jsonify(_job_view(fair, _fair_job(fair, job_id)))


@bp.get("/fairs/<int:fair_id>/grid")
@allow(FAIR_RUNNERS)
def grid(fair_id: int):
    fair = _fair(fair_id)
    _require_runner(fair)
    return _render_grid(fair)


def _render_grid(fair: Fair) -> str:
    sess = db.session()
    run = svc.current_run(sess, fair)
    table = svc.grid(sess, fair)
    upcoming = any(m is not None and not has_started(fair, m.starts_at) for _slot, row in table["rows"] for m in row)
    return render_template("fairs/grid.html", fair=fair, run=run, grid=table, upcoming=upcoming,
                           actions=MEETING_ACTIONS, virtual=virtual_pairs(sess, fair), fair_over=svc.is_over(fair))


@bp.post("/fairs/<int:fair_id>/publish")
@allow(FAIR_RUNNERS)
def publish(fair_id: int):
    fair = _fair(fair_id)
    _require_runner(fair)
    level = PublishForm().text("level")
    try:
        svc.publish(db.session(), fair, fs.PublishIn(level=level).level)
        flash(_("Publication updated."), "success")
    except ValidationError:
        db.session().rollback()
        flash(_("Choose draft, preliminary or final, after a schedule exists."), "error")
    except DomainError as exc:
        db.session().rollback()
        flash(fair_message(exc), "error")
        return _render_grid(fair), exc.status
    return redirect(url_for("fairs.grid", fair_id=fair.id))


@bp.post("/fairs/<int:fair_id>/meetings/<int:meeting_id>")
@allow(FAIR_PEOPLE)
def meeting(fair_id: int, meeting_id: int):
    fair, actor, sess = _fair(fair_id), current_actor(), db.session()
    m = svc.get_meeting(sess, fair, meeting_id)
    runner = _runner(fair)
    party = m is not None and (acts_for(actor, m.buyer.organization_id)
                               or acts_for(actor, m.maker.organization_id))
    if m is None or not (runner or party):
        abort(404)
    form = MeetingActionForm()
    action = form.text("action")
    if action not in MEETING_ACTIONS:
        abort(400)
    buyer_side = acts_for(actor, m.buyer.organization_id)
    if not runner and action not in {"sample_requested", "order_placed"} and not (
            buyer_side and action in {"virtual", "in_person"}):
        abort(403)
    try:
        if action in {"virtual", "in_person"}:
            attendance.set_virtual(sess, fair, m, action == "virtual", "organizer" if runner else "buyer")
        elif action in {"lock", "unlock"}:
            svc.update_meeting(sess, m, fs.MeetingPatch(locked=action == "lock"))
        elif action in {"held", "not_held"}:
            svc.update_meeting(sess, m, fs.MeetingPatch(status="held" if action == "held" else "no_show"))
        elif action in {"cancel", "no_show"}:
            absent = form.text("absent")
            run = svc.disrupt(sess, fair, m, fs.DisruptionIn(
                kind="cancellation" if action == "cancel" else "no_show",
                absent_participant_id=small_int(absent)), actor.id)
            flash(run_note(run), "success")
        else:
            svc.record_follow_up(sess, m, action)
        if action not in {"cancel", "no_show"}:
            flash(_("Saved."), "success")
    except DomainError as exc:
        sess.rollback()
        flash(_fail(exc), "error")
    if runner and form.text("back") != "agenda":
        return redirect(url_for("fairs.grid", fair_id=fair.id))
    me = m.buyer if acts_for(actor, m.buyer.organization_id) else m.maker
    return redirect(url_for("fairs.agenda", fair_id=fair.id, participant_id=me.id))
