"""Fair pages: the organizer runs a whole fair from the browser; participants mark requests and
download their own agendas. Same services and schemas as the JSON API (``fairs.api``)."""
from __future__ import annotations

import csv as csvlib
import io
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from pydantic import ValidationError
from sqlalchemy import select

from .. import db, jobs
from .access import can_register_at_fair, can_run_fair, can_view_fair_participant
from ..auth import current_actor
from ..forms import Problems
from ..i18n import gettext as _
from ..i18n import format_number, locale
from ..security import small_int
from . import followups
from . import formatting as fmt
from . import messages
from . import schemas as fs
from . import services as svc
from .api import fair_field_errors
from .core import has_started
from .forms import NewFairForm, ParticipantForm, RegisterForm, ScheduleForm
from .records import Fair
from ..access import allow, FAIR_PEOPLE, FAIR_RUNNERS, SIGNED_IN, acts_for, is_admin
from ..errors import DomainError
from ..catalog import N_
from .registration import SEARCH_MIN

bp = Blueprint("fairs", __name__)

MARKS = ("must", "would_like", "no")
MEETING_ACTIONS = ("lock", "unlock", "cancel", "no_show", "held", "not_held", "sample_requested", "order_placed",
                   "virtual", "in_person")
# what a meeting's slot must have started for (``meetings.require_started``): not offered before then
LATER_ACTIONS = ("no_show", "held", "not_held", "sample_requested", "order_placed")


STATUS_LABELS = {"scheduled": N_("Scheduled"), "held": N_("Held"), "no_show": N_("No-show"), "cancelled": N_("Cancelled"),
                 "sample_requested": N_("Sample requested"), "order_placed": N_("Order placed")}
ACTION_LABELS = {"lock": N_("Lock"), "unlock": N_("Unlock"), "cancel": N_("Cancel and repair"), "no_show": N_("No-show and repair"),
                 "held": N_("Mark held"), "not_held": N_("Mark not held"), "sample_requested": N_("Sample requested"),
                 "order_placed": N_("Order placed"), "virtual": N_("Make it a video meeting"), "in_person": N_("Meet in person")}
NEXT_STEP_LABELS = {"none": N_("No next step"), "negotiation": N_("Negotiation started"), "sample": N_("Sample"),
                    "order": N_("Order")}
PUBLICATION_LABELS = {"draft": N_("Draft"), "preliminary": N_("Preliminary"), "final": N_("Final")}
#: every ``SolveResult.status`` the scheduling package gives (scheduling/options.py), as the reader reads it
SOLVER_STATUS_LABELS = {"optimal": N_("optimal"), "feasible": N_("feasible"),
                        "fallback": N_("fallback (the solver found no solution in time: a quick schedule is kept)")}


@bp.context_processor
def _labels():
    return {"status_label": lambda code: _(STATUS_LABELS.get(code, code)),
            "action_label": lambda code: _(ACTION_LABELS.get(code, code)),
            "publication_label": lambda code: _(PUBLICATION_LABELS.get(code, code or "Draft")),
            "solver_status_label": lambda code: (_(SOLVER_STATUS_LABELS[(code or "").lower()])
                                                 if (code or "").lower() in SOLVER_STATUS_LABELS else code),
            "when": lambda moment: fmt.when(moment, locale()),
            "short_when": lambda moment: fmt.short(moment, locale()),
            "span": lambda start, end: fmt.span(start, end, locale()),
            "num": lambda value, digits=0: fmt.number(value, locale(), digits),
            "pct": lambda value, digits=0: fmt.percent(value, locale(), digits),
            "table_name": lambda label: fmt.table_label(label, locale()),
            "run_note": run_note,
            "has_started": has_started, "later_actions": LATER_ACTIONS,
            "step_label": lambda code: _(NEXT_STEP_LABELS.get(code, code)),
            "not_cleared": lambda reason: _("not cleared: {reason}", reason=_(reason))}


def _fair(fair_id: int) -> Fair:
    fair = db.session().get(Fair, fair_id)
    if fair is None:
        abort(404)
    return fair


def _runner(fair: Fair) -> bool:
    return can_run_fair(current_actor(), fair.association_id)


def _require_runner(fair: Fair) -> None:
    if not _runner(fair):
        abort(403)


def _participant(fair: Fair, participant_id: int):
    p = svc.get_participant(db.session(), fair, participant_id)
    if p is None or not can_view_fair_participant(current_actor(), fair.association_id, p.organization_id):
        abort(404)  # never confirm another firm's registration details
    return p


def fair_message(exc: DomainError) -> str:
    """A service's refusal as a sentence in the reader's language, naming its field."""
    return messages.fair_error(exc, locale())


_fail = fair_message


def job_error(job) -> str:
    if job.error == jobs.UNEXPECTED:
        return _(jobs.UNEXPECTED)
    return messages.stored_error(job.result, job.error or "", locale())


def _field_problems(exc: ValidationError) -> list[dict]:
    return fair_field_errors(exc, locale())


REPAIR_KINDS = {"cancellation": N_("Cancellation"), "no_show": N_("No-show")}


def run_note(run) -> str:
    """A repair run's note in the reader's language (the stored note is English, for the API)."""
    repair = (run.metrics or {}).get("repair")
    if not repair:
        return run.note or ""
    lang = locale()
    return _("{kind}: {buyer} / {maker} at {time}; kept {kept}, moved {moved}, removed {removed}, added {added}",
             kind=_(REPAIR_KINDS.get(repair["kind"], repair["kind"])), buyer=repair["buyer"], maker=repair["maker"],
             time=fmt.short(datetime.fromisoformat(repair["at"]), lang),
             **{k: fmt.number(repair[k], lang) for k in ("kept", "moved", "removed", "added")})


def upcoming_day(today: date | None = None) -> date:
    """The default first day of a new fair: the first weekday at least three weeks ahead."""
    day = (today or date.today()) + timedelta(days=21)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


# -- list and create ---------------------------------------------------------------------------------

@bp.get("/fairs")
@allow(SIGNED_IN)
def index():
    actor = current_actor()
    fairs = db.session().scalars(select(Fair).order_by(Fair.id.desc()).limit(200)).all()
    return render_template("fairs/index.html", fairs=fairs, days=svc.fair_days,
                           can_create=actor.role in FAIR_RUNNERS)


_SESSION_LINE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s+(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})\s*(.*)$")


def _periods(text: str, name: str, problems: Problems) -> list[dict]:
    out = []
    label = _("Sessions") if name == "sessions" else _("Breaks")
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        match = _SESSION_LINE.match(line)
        if not match:
            problems.add(name, _("{field}, line {n}: write YYYY-MM-DD HH:MM-HH:MM and an optional label.",
                                 field=label, n=number))
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
        negative = count.startswith("-") and count[1:].isascii() and count[1:].isdigit()
        label, digits = _("Number of tables") + ": ", count.lstrip("0")
        if negative or (count.isascii() and count.isdigit() and not digits):  # 0, 000, -3: no table at all
            problems.add("table_count", label + _("enter a number of at least {ge}.", ge=format_number(1)))
        elif not (count.isascii() and count.isdigit()):
            problems.add("table_count", label + _("enter a whole number."))
        elif len(digits) > 4 or int(digits or 0) > fs.MAX_TABLES:  # a whole number, but more than a hall holds
            problems.add("table_count", label + _("enter a number of at most {le}.", le=format_number(fs.MAX_TABLES)))
        else:
            labels = [_("Table {n}", n=i + 1) for i in range(int(digits))]
    payload["tables"] = [{"label": x} for x in labels]
    return payload


@bp.route("/fairs/new", methods=["GET", "POST"])
@allow(FAIR_RUNNERS)
def new():
    actor = current_actor()
    form = NewFairForm().values() if request.method == "POST" else {
        "slot_minutes": "30", "table_count": "10", "default_min_meetings": "0",
        "sessions": f"{upcoming_day():%Y-%m-%d} 09:00-13:00 " + _("Morning")
                    + f"\n{upcoming_day():%Y-%m-%d} 15:00-18:00 " + _("Afternoon")}
    problems = Problems()
    if request.method == "GET":
        return render_template("fairs/new.html", form=form, problems=problems)
    if actor.association_id is None and not is_admin(actor):
        abort(403)
    payload = _fair_payload(form, problems)
    required = _missing_required(form)
    for name in required:
        problems.add(name, _("This field is required."))
    association_id = actor.association_id or small_int(form.get("association_id"))
    if association_id is None:
        problems.add("association_id", _("Choose the hosting association."))
    data = None
    try:
        data = fs.FairIn.model_validate(payload)
    except ValidationError as exc:
        for item in _field_problems(exc):
            name = item["field"].split(".")[0]
            if name in required or (name == "tables" and "table_count" in required):
                continue  # already said: this field is required
            if name == "tables" and "table_count" in problems.fields:
                continue  # "zero tables given" would contradict the number typed; its own message says why
            problems.add(name if name in _NEW_FIELDS else "top", item["problem"])
    if data is not None and data.request_deadline is not None \
            and data.request_deadline < datetime.now(ZoneInfo(data.timezone)).replace(tzinfo=None):
        # a fair created with its requests already closed: nobody could ask for a meeting (the API still
        # allows it, for organizers who place every request themselves)
        problems.add("request_deadline", messages.field_label("request_deadline", locale()) + ": "
                     + _("the request deadline has already passed; choose a later time, or leave it empty to keep "
                         "requests open."))
    if problems or data is None:
        problems.top.extend(problems.fields.pop("top", []))
        return render_template("fairs/new.html", form=form, problems=problems), 422
    if not can_run_fair(actor, association_id):
        abort(403)
    try:
        fair = svc.create_fair(db.session(), data, association_id, actor.id)
    except DomainError as exc:
        problems.add(exc.field if exc.field in _NEW_FIELDS else "sessions", fair_message(exc))
        return render_template("fairs/new.html", form=form, problems=problems), 422
    flash(_("Fair created."), "success")
    return redirect(url_for("fairs.view", fair_id=fair.id))


def _missing_required(form) -> set[str]:
    """The new-fair fields left empty that a fair cannot do without (the tables: a number or labels)."""
    missing = {name for name in ("name", "sessions") if not form.get(name, "").strip()}
    if not form.get("table_count", "").strip() and not form.get("table_labels", "").strip(", \t"):
        missing.add("table_count")
    return missing


_NEW_FIELDS = {"name", "venue", "slot_minutes", "request_deadline", "sessions", "breaks", "tables", "table_count",
               "default_min_meetings", "default_max_meetings", "association_id"}


# -- one fair ------------------------------------------------------------------------------------

@bp.get("/fairs/<int:fair_id>")
@allow(SIGNED_IN)
def view(fair_id: int):
    return _render_view(_fair(fair_id), Problems())


def _render_view(fair: Fair, problems: Problems, **extra) -> str:
    actor, sess = current_actor(), db.session()
    runner = _runner(fair)
    mine = svc.participant_for_org(sess, fair, actor.organization_id)
    run = svc.current_run(sess, fair)
    context = {"fair": fair, "runner": runner, "mine": mine, "run": run, "slots": svc.fair_slots(fair),
               "days": svc.fair_days(fair), "requests_open": svc.requests_open(fair), "problems": problems,
               "query": "", "query_too_short": False, "candidates": None, "job": None, "fair_over": svc.is_over(fair),
               "schedule_form": ScheduleForm(formdata=None)}  # the schedule view passes the one it read
    if runner:
        query = request.args.get("q", "").strip()
        too_short = 0 < len(" ".join(query.split())) < SEARCH_MIN  # the search would look for nothing
        context.update(people=svc.participants(sess, fair), tables={t.id: t.label for t in fair.tables},
                       query=query, query_too_short=too_short,
                       candidates=svc.registration_candidates(sess, fair, query) if query and not too_short
                       else None)
        job = jobs.latest(f"fair:{fair.id}", svc.SCHEDULE_JOB)
        if job is not None and job.status in ("queued", "running"):
            context["job"] = job
    own = mine is not None and acts_for(actor, mine.organization_id) and actor.role in {"buyer_user",
                                                                                             "maker_user"}
    context["follow_ups"] = followups.due_asks(sess, fair, mine) if own else []
    context["order_offers"] = followups.order_offers(sess, fair, mine) if own else []
    context["next_steps"] = followups.NEXT_STEPS
    context["can_self_register"] = (mine is None and actor.organization_id is not None
                                    and actor.role in {"buyer_user", "maker_user"})
    context.update(extra)
    return render_template("fairs/view.html", **context)


@bp.post("/fairs/<int:fair_id>/register")
@allow(FAIR_PEOPLE)
def register(fair_id: int):
    fair, actor = _fair(fair_id), current_actor()
    runner = _runner(fair)
    raw = RegisterForm().text("organization_id")
    problems = Problems()
    if runner and not raw:
        problems.add("organization_id", messages.field_label("organization_id", locale()) + ": "
                     + _("search for a firm by name and choose one."))
        return _render_view(fair, problems), 422
    if raw and not raw.isdigit():
        problems.add("organization_id", messages.field_label("organization_id", locale()) + ": "
                     + _("enter a whole number."))
        return _render_view(fair, problems), 422
    org_id = small_int(raw) if raw else actor.organization_id
    if org_id is None or not can_register_at_fair(actor, fair.association_id, org_id):
        abort(403)
    try:
        data = fs.ParticipantIn(organization_id=org_id)
        p = svc.register(db.session(), fair, data, actor.id, by_organizer=runner)
        flash(_("Registered: {name}.", name=p.organization.name), "success")
    except DomainError as exc:
        db.session().rollback()
        if exc.field == "participants":  # the fair is over: said where the registering controls were
            problems.add("participants", fair_message(exc))
            return _render_view(fair, problems), exc.status
        if not runner:
            flash(fair_message(exc), "error")
            return redirect(url_for("fairs.view", fair_id=fair.id))
        problems.add("organization_id", fair_message(exc))
        return _render_view(fair, problems), 422
    return redirect(url_for("fairs.view", fair_id=fair.id))


CSV_MAX_ROWS = 2000


@bp.post("/fairs/<int:fair_id>/register.csv")
@allow(FAIR_RUNNERS)
def register_csv(fair_id: int):
    """Bulk registration: a CSV with an ``organization_id`` (or ``name``) column; a report per row."""
    fair = _fair(fair_id)
    _require_runner(fair)
    problems = Problems()
    upload = request.files.get("csv")
    label = messages.field_label("csv", locale())
    if upload is None or not upload.filename:
        problems.add("csv", label + ": " + _("choose a CSV file."))
        return _render_view(fair, problems), 422
    try:
        text = upload.read().decode("utf-8-sig")
        rows = list(csvlib.DictReader(io.StringIO(text)))
    except (UnicodeDecodeError, csvlib.Error):
        problems.add("csv", label + ": " + _("the file is not UTF-8 CSV text."))
        return _render_view(fair, problems), 422
    columns = {c.strip().lower() for c in (rows[0].keys() if rows else []) if c}
    if not rows or not columns & {"organization_id", "name"}:
        problems.add("csv", label + ": " + _("the file needs a header row with an organization_id or a name column."))
        return _render_view(fair, problems), 422
    if len(rows) > CSV_MAX_ROWS:
        problems.add("csv", label + ": " + _("at most {n} rows per file.", n=CSV_MAX_ROWS))
        return _render_view(fair, problems), 422
    try:
        report = svc.register_rows(db.session(), fair, rows, current_actor().id)
    except DomainError as exc:  # the fair is over: no row is registered
        db.session().rollback()
        problems.add(exc.field or "participants", fair_message(exc))
        return _render_view(fair, problems), exc.status
    for line in report:
        if line["error"] is not None:
            line["reason"] = fair_message(line.pop("error"))
        else:
            line.pop("error")
    return _render_view(fair, problems, report=report)


@bp.post("/fairs/<int:fair_id>/participants/<int:participant_id>/remove")
@allow(FAIR_RUNNERS)
def remove_participant(fair_id: int, participant_id: int):
    fair = _fair(fair_id)
    _require_runner(fair)
    p = _participant(fair, participant_id)
    name = p.organization.name
    try:
        released = svc.remove_participant(db.session(), fair, p)
    except DomainError as exc:
        db.session().rollback()
        problems = Problems()
        problems.add(exc.field or "participants", fair_message(exc))
        return _render_view(fair, problems), exc.status
    flash(_("{name} is no longer registered; {n} meeting(s) released.", name=name,
            n=fmt.number(released, locale())), "success")
    return redirect(url_for("fairs.view", fair_id=fair.id))


@bp.route("/fairs/<int:fair_id>/participants/<int:participant_id>", methods=["GET", "POST"])
@allow(FAIR_RUNNERS)
def participant(fair_id: int, participant_id: int):
    fair = _fair(fair_id)
    _require_runner(fair)
    p = _participant(fair, participant_id)
    problems = Problems()
    status = 200
    sent = None  # what a refused form said, shown again as typed (the rollback expired ``p``'s changes)
    if request.method == "POST":
        form = ParticipantForm()
        payload = {"unavailable": form.unavailable_slots()}
        for key in ("min_meetings", "max_meetings"):
            value = form.text(key)
            payload[key] = value if value else None
        fixed = form.text("fixed_table_id")
        payload["fixed_table_id"] = fixed if fixed else None
        if payload["min_meetings"] is None:
            payload.pop("min_meetings")
        try:
            svc.update_participant(db.session(), fair, p, fs.ParticipantPatch.model_validate(payload))
            flash(_("Saved."), "success")
            return redirect(url_for("fairs.view", fair_id=fair.id))
        except ValidationError as exc:
            for item in _field_problems(exc):
                problems.add(item["field"].split(".")[0], item["problem"])
        except DomainError as exc:
            if exc.field == "settings":  # the fair is over: said at the top, the form is no longer shown
                problems.top.append(fair_message(exc))
                status = exc.status
            else:
                problems.add(exc.field, fair_message(exc))
        db.session().rollback()
        status = status if status == 409 else 422
        sent = {"min_meetings": form.text("min_meetings"), "max_meetings": form.text("max_meetings"),
                "fixed_table_id": fixed or "", "unavailable": set(form.unavailable_slots())}
    return render_template("fairs/participant.html", fair=fair, p=p, slots=svc.fair_slots(fair),
                           problems=problems, sent=sent, fair_over=svc.is_over(fair)), status

