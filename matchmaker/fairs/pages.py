"""Fair pages: the organizer runs a whole fair from the browser; participants mark requests and
download their own agendas. Same services and schemas as the JSON API (``fairs.api``)."""
from __future__ import annotations

import re
from datetime import datetime

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from pydantic import ValidationError
from sqlalchemy import select

from .. import db
from .. import permissions as perm
from ..auth import current_actor
from ..forms import Problems
from ..i18n import gettext as _
from ..i18n import locale
from ..schema import Membership, Organization
from . import schemas as fs
from . import services as svc
from .api import fair_field_errors
from .i18n_es import register as _register_spanish
from .records import Fair

bp = Blueprint("fairs", __name__)
_register_spanish()

MARKS = ("must", "would_like", "no")
MEETING_ACTIONS = ("lock", "unlock", "cancel", "no_show", "held", "not_held", "sample_requested", "order_placed")


STATUS_LABELS = {"scheduled": "Scheduled", "held": "Held", "no_show": "No-show", "cancelled": "Cancelled",
                 "sample_requested": "Sample requested", "order_placed": "Order placed"}
ACTION_LABELS = {"lock": "Lock", "unlock": "Unlock", "cancel": "Cancel and repair", "no_show": "No-show and repair",
                 "held": "Mark held", "not_held": "Mark not held", "sample_requested": "Sample requested",
                 "order_placed": "Order placed"}
PUBLICATION_LABELS = {"draft": "Draft", "preliminary": "Preliminary", "final": "Final"}


@bp.context_processor
def _labels():
    return {"status_label": lambda code: _(STATUS_LABELS.get(code, code)),
            "action_label": lambda code: _(ACTION_LABELS.get(code, code)),
            "publication_label": lambda code: _(PUBLICATION_LABELS.get(code, code or "Draft"))}


def _fair(fair_id: int) -> Fair:
    fair = db.session().get(Fair, fair_id)
    if fair is None:
        abort(404)
    return fair


def _runner(fair: Fair) -> bool:
    return perm.can_run_fair(current_actor(), fair.association_id)


def _require_runner(fair: Fair) -> None:
    if not _runner(fair):
        abort(403)


def _participant(fair: Fair, participant_id: int):
    p = svc.get_participant(db.session(), fair, participant_id)
    if p is None or not perm.can_view_fair_participant(current_actor(), fair.association_id, p.organization_id):
        abort(404)  # never confirm another firm's registration details
    return p


def _fail(exc: svc.FairError) -> str:
    return f"{exc.field}: {exc.message}"


# -- list and create ---------------------------------------------------------------------------------

@bp.get("/fairs")
def index():
    actor = current_actor()
    fairs = db.session().scalars(select(Fair).order_by(Fair.id.desc()).limit(200)).all()
    return render_template("fairs/index.html", fairs=fairs, days=svc.fair_days,
                           can_create=actor.role in perm.FAIR_RUNNERS)


_SESSION_LINE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s+(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})\s*(.*)$")


def _periods(text: str, name: str, problems: Problems) -> list[dict]:
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        match = _SESSION_LINE.match(line)
        if not match:
            problems.add(name, _("Line {n}: write YYYY-MM-DD HH:MM-HH:MM and an optional label.", n=number))
            continue
        day, start, end, label = match.groups()
        out.append({"start": f"{day}T{start.zfill(5)}", "end": f"{day}T{end.zfill(5)}", "label": label.strip()})
    return out


def _fair_payload(form, problems: Problems) -> dict:
    payload: dict = {"name": form.get("name", ""), "venue": form.get("venue", ""),
                     "sessions": _periods(form.get("sessions", ""), "sessions", problems),
                     "breaks": _periods(form.get("breaks", ""), "breaks", problems)}
    for key in ("slot_minutes", "default_min_meetings", "default_max_meetings"):
        if form.get(key, "").strip():
            payload[key] = form[key].strip()
    if form.get("request_deadline", "").strip():
        payload["request_deadline"] = form["request_deadline"].strip()
    labels = [x.strip() for x in form.get("table_labels", "").split(",") if x.strip()]
    count = form.get("table_count", "").strip()
    if not labels and count:
        if not count.isdigit() or int(count) > 2000:
            problems.add("table_count", _("Enter a whole number."))
        else:
            labels = [_("Table {n}", n=i + 1) for i in range(int(count))]
    payload["tables"] = [{"label": x} for x in labels]
    return payload


@bp.route("/fairs/new", methods=["GET", "POST"])
def new():
    actor = current_actor()
    form = request.form if request.method == "POST" else {
        "slot_minutes": "30", "table_count": "10", "default_min_meetings": "0",
        "sessions": "2026-03-12 09:00-13:00 " + _("Morning") + "\n2026-03-12 15:00-18:00 " + _("Afternoon")}
    problems = Problems()
    if request.method == "GET":
        return render_template("fairs/new.html", form=form, problems=problems)
    if actor.association_id is None and not perm.is_admin(actor):
        abort(403)
    payload = _fair_payload(request.form, problems)
    association_id = actor.association_id or (int(request.form["association_id"])
                                              if request.form.get("association_id", "").isdigit() else None)
    if association_id is None:
        problems.add("association_id", _("Choose the hosting association."))
    data = None
    try:
        data = fs.FairIn.model_validate(payload)
    except ValidationError as exc:
        for item in fair_field_errors(exc):
            name = item["field"].split(".")[0]
            problems.add(name if name in _NEW_FIELDS else "top", item["problem"])
    if problems or data is None:
        problems.top.extend(problems.fields.pop("top", []))
        return render_template("fairs/new.html", form=request.form, problems=problems), 422
    if not perm.can_run_fair(actor, association_id):
        abort(403)
    try:
        fair = svc.create_fair(db.session(), data, association_id, actor.id)
    except svc.FairError as exc:
        problems.add(exc.field if exc.field in _NEW_FIELDS else "sessions", exc.message)
        return render_template("fairs/new.html", form=request.form, problems=problems), 422
    flash(_("Fair created."), "success")
    return redirect(url_for("fairs.view", fair_id=fair.id))


_NEW_FIELDS = {"name", "venue", "slot_minutes", "request_deadline", "sessions", "breaks", "tables", "table_count",
               "default_min_meetings", "default_max_meetings", "association_id"}


# -- one fair ------------------------------------------------------------------------------------

@bp.get("/fairs/<int:fair_id>")
def view(fair_id: int):
    fair, actor, sess = _fair(fair_id), current_actor(), db.session()
    runner = _runner(fair)
    mine = svc.participant_for_org(sess, fair, actor.organization_id)
    run = svc.current_run(sess, fair)
    context = {"fair": fair, "runner": runner, "mine": mine, "run": run, "slots": svc.fair_slots(fair),
               "days": svc.fair_days(fair), "requests_open": svc.requests_open(fair)}
    if runner:
        people = svc.participants(sess, fair)
        registered = {p.organization_id for p in people}
        members = sess.scalars(select(Organization).join(Membership, Membership.organization_id == Organization.id)
                               .where(Membership.association_id == fair.association_id,
                                      Organization.kind.in_(svc.MAKER_KINDS))
                               .order_by(Organization.name)).all()
        buyers = sess.scalars(select(Organization).where(Organization.kind.in_(svc.BUYER_KINDS))
                              .order_by(Organization.name).limit(1000)).all()
        context.update(people=people, tables={t.id: t.label for t in fair.tables},
                       member_makers=[o for o in members if o.id not in registered],
                       buyers=[o for o in buyers if o.id not in registered])
    context["can_self_register"] = (mine is None and actor.organization_id is not None
                                    and actor.role in {"buyer_user", "maker_user"})
    return render_template("fairs/view.html", **context)


@bp.post("/fairs/<int:fair_id>/register")
def register(fair_id: int):
    fair, actor = _fair(fair_id), current_actor()
    raw = request.form.get("organization_id", "") or request.form.get("other_organization_id", "")
    org_id = int(raw) if raw.strip().isdigit() else actor.organization_id
    if org_id is None or not perm.can_register_at_fair(actor, fair.association_id, org_id):
        abort(403)
    try:
        data = fs.ParticipantIn(organization_id=org_id)
        svc.register(db.session(), fair, data, actor.id, by_organizer=_runner(fair))
        flash(_("Registered."), "success")
    except svc.FairError as exc:
        db.session().rollback()
        flash(_fail(exc), "error")
    return redirect(url_for("fairs.view", fair_id=fair.id))


@bp.route("/fairs/<int:fair_id>/participants/<int:participant_id>", methods=["GET", "POST"])
def participant(fair_id: int, participant_id: int):
    fair = _fair(fair_id)
    _require_runner(fair)
    p = _participant(fair, participant_id)
    problems = Problems()
    status = 200
    if request.method == "POST":
        payload = {"unavailable": request.form.getlist("unavailable")}
        for key in ("min_meetings", "max_meetings"):
            value = request.form.get(key, "").strip()
            payload[key] = value if value else None
        fixed = request.form.get("fixed_table_id", "").strip()
        payload["fixed_table_id"] = fixed if fixed else None
        if payload["min_meetings"] is None:
            payload.pop("min_meetings")
        try:
            svc.update_participant(db.session(), fair, p, fs.ParticipantPatch.model_validate(payload))
            flash(_("Saved."), "success")
            return redirect(url_for("fairs.view", fair_id=fair.id))
        except ValidationError as exc:
            for item in fair_field_errors(exc):
                problems.add(item["field"].split(".")[0], item["problem"])
        except svc.FairError as exc:
            problems.add(exc.field, exc.message)
        db.session().rollback()
        status = 422
    return render_template("fairs/participant.html", fair=fair, p=p, slots=svc.fair_slots(fair),
                           problems=problems), status


# -- requests ----------------------------------------------------------------------------------------

@bp.route("/fairs/<int:fair_id>/requests", methods=["GET", "POST"])
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
        errors = 0
        given, _received = svc.marks_of(sess, fair, me)
        for key, value in request.form.items():
            if not key.startswith("mark-") or not key[5:].isdigit():
                continue
            other, mark = int(key[5:]), (value if value in MARKS else None)
            if given.get(other) == mark:
                continue
            try:
                svc.set_request(sess, fair, me, other, mark, by_organizer=runner)
            except svc.FairError as exc:
                sess.rollback()
                flash(_fail(exc), "error")
                errors += 1
                break
        if not errors:
            flash(_("Saved."), "success")
        return redirect(url_for("fairs.requests", fair_id=fair.id, **({"as": me.id} if as_raw else {})))
    given, received = svc.marks_of(sess, fair, me)
    other_side = "maker" if me.side == "buyer" else "buyer"
    open_ = svc.requests_open(fair)
    recs = {r["participant_id"]: r for r in svc.recommendations(sess, fair, me, limit=1000, lang=locale())} \
        if open_ else {}
    others = svc.participants(sess, fair, other_side)
    others.sort(key=lambda o: (-(recs[o.id]["score"] if o.id in recs else -1), o.organization.name))
    return render_template("fairs/requests.html", fair=fair, me=me, others=others, given=given,
                           received=received, recs=recs, requests_open=open_, runner=runner, marks=MARKS,
                           as_param=as_raw)


# -- scheduling, grid, publication ------------------------------------------------------------------

@bp.post("/fairs/<int:fair_id>/schedule")
def schedule(fair_id: int):
    fair = _fair(fair_id)
    _require_runner(fair)
    raw = request.form.get("time_limit", "20")
    try:
        time_limit = fs.ScheduleIn(time_limit=raw or 20).time_limit
    except ValidationError:
        flash(_("The time limit must be between 1 and 600 seconds."), "error")
        return redirect(url_for("fairs.view", fair_id=fair.id))
    try:
        svc.run_schedule(db.session(), fair, time_limit, current_actor().id)
        flash(_("Schedule computed."), "success")
    except svc.FairError as exc:
        db.session().rollback()
        flash(_fail(exc), "error")
        return redirect(url_for("fairs.view", fair_id=fair.id))
    return redirect(url_for("fairs.grid", fair_id=fair.id))


@bp.get("/fairs/<int:fair_id>/grid")
def grid(fair_id: int):
    fair = _fair(fair_id)
    _require_runner(fair)
    sess = db.session()
    run = svc.current_run(sess, fair)
    return render_template("fairs/grid.html", fair=fair, run=run, grid=svc.grid(sess, fair),
                           actions=MEETING_ACTIONS)


@bp.post("/fairs/<int:fair_id>/publish")
def publish(fair_id: int):
    fair = _fair(fair_id)
    _require_runner(fair)
    level = request.form.get("level", "")
    try:
        svc.publish(db.session(), fair, fs.PublishIn(level=level).level)
        flash(_("Publication updated."), "success")
    except (ValidationError, svc.FairError):
        db.session().rollback()
        flash(_("Choose draft, preliminary or final, after a schedule exists."), "error")
    return redirect(url_for("fairs.grid", fair_id=fair.id))


@bp.post("/fairs/<int:fair_id>/meetings/<int:meeting_id>")
def meeting(fair_id: int, meeting_id: int):
    fair, actor, sess = _fair(fair_id), current_actor(), db.session()
    m = svc.get_meeting(sess, fair, meeting_id)
    runner = _runner(fair)
    party = m is not None and (perm.acts_for(actor, m.buyer.organization_id)
                               or perm.acts_for(actor, m.maker.organization_id))
    if m is None or not (runner or party):
        abort(404)
    action = request.form.get("action", "")
    if action not in MEETING_ACTIONS:
        abort(400)
    if not runner and action not in {"sample_requested", "order_placed"}:
        abort(403)
    try:
        if action in {"lock", "unlock"}:
            svc.update_meeting(sess, m, fs.MeetingPatch(locked=action == "lock"))
        elif action in {"held", "not_held"}:
            svc.update_meeting(sess, m, fs.MeetingPatch(status="held" if action == "held" else "no_show"))
        elif action in {"cancel", "no_show"}:
            absent = request.form.get("absent", "")
            run = svc.disrupt(sess, fair, m, fs.DisruptionIn(
                kind="cancellation" if action == "cancel" else "no_show",
                absent_participant_id=int(absent) if absent.isdigit() else None), actor.id)
            flash(run.note, "success")
        else:
            svc.record_follow_up(sess, m, action)
        if action not in {"cancel", "no_show"}:
            flash(_("Saved."), "success")
    except svc.FairError as exc:
        sess.rollback()
        flash(_fail(exc), "error")
    if runner and request.form.get("back") != "agenda":
        return redirect(url_for("fairs.grid", fair_id=fair.id))
    me = m.buyer if perm.acts_for(actor, m.buyer.organization_id) else m.maker
    return redirect(url_for("fairs.agenda", fair_id=fair.id, participant_id=me.id))


# -- agendas and exports ----------------------------------------------------------------------------

@bp.get("/fairs/<int:fair_id>/agenda/<int:participant_id>")
def agenda(fair_id: int, participant_id: int):
    fair = _fair(fair_id)
    p = _participant(fair, participant_id)
    runner = _runner(fair)
    data = svc.agenda(db.session(), fair, p, runner)
    return render_template("fairs/agenda.html", fair=fair, p=p, agenda=data, runner=runner,
                           slot_time=lambda key: datetime.strptime(key, "%Y%m%dT%H%M"))


def _downloadable(fair: Fair, participant_id: int):
    p = _participant(fair, participant_id)
    run = svc.current_run(db.session(), fair)
    if run is None or (run.publication == "draft" and not _runner(fair)):
        abort(404)
    return p


@bp.get("/fairs/<int:fair_id>/agenda/<int:participant_id>.pdf")
def agenda_pdf(fair_id: int, participant_id: int):
    fair = _fair(fair_id)
    p = _downloadable(fair, participant_id)
    return Response(svc.agenda_pdf(db.session(), fair, p), mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="agenda-{fair.id}-{p.id}.pdf"'})


@bp.get("/fairs/<int:fair_id>/agenda/<int:participant_id>.ics")
def agenda_ics(fair_id: int, participant_id: int):
    fair = _fair(fair_id)
    p = _downloadable(fair, participant_id)
    return Response(svc.agenda_ics(db.session(), fair, p), mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="agenda-{fair.id}-{p.id}.ics"'})


@bp.get("/fairs/<int:fair_id>/schedule.csv")
def csv(fair_id: int):
    fair = _fair(fair_id)
    _require_runner(fair)
    return Response(svc.schedule_csv(db.session(), fair), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="fair-{fair.id}-schedule.csv"'})
