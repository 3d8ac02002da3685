"""JSON endpoints of the fairs concern: a child blueprint of ``api`` (``/api/v1/fairs...``), nested by ``create_app``.

Route rules are each view's ``@allow``; object rules (which association's organizer,
which firm's agenda) are checked here with ``fairs.access.can_*`` after loading the record.
"""
from __future__ import annotations

from flask import Response, jsonify, request, url_for
from pydantic import ValidationError
from sqlalchemy import select

from .. import db, jobs
from .access import can_register_at_fair, can_run_fair, can_view_fair_participant
from ..api.common import ApiRoutes, forbidden, int_arg, not_found, parse_body, reject_unknown_args
from ..auth import current_actor
from ..security import small_int
from . import messages
from . import schemas as fs
from . import services as svc
from .records import Fair, FairParticipant, FairScheduleRun
from ..api.openapi import operation
from ..access import allow, FAIR_PEOPLE, FAIR_RUNNERS, SIGNED_IN, acts_for
from ..errors import DomainError
from ..i18n import N_, locale

bp = ApiRoutes("fairs", __name__)


def fair_field_errors(exc: ValidationError, lang: str = "en") -> list[dict]:
    """Pydantic's errors as ``[{"field", "problem"}]``, each problem a sentence naming its field
    (mapped by error type in ``fairs.messages``; a model-level rule names its own field)."""
    return [{"field": p["field"], "problem": p["problem"]} for p in messages.problems(exc, lang)]


# the API's headline when several fields are wrong: a translated sentence around the per-field list
SEVERAL_INVALID = N_("{count} fields are not valid: {problems}")


def _parse(schema):
    """The body as ``schema``; a refusal names each field with its problem in the reader's language."""
    try:
        return parse_body(schema)
    except ValidationError as exc:
        fields = fair_field_errors(exc, locale())
        listed = "; ".join(f"{f['field']}: {f['problem']}" for f in fields)
        if len(fields) == 1:  # the one problem is the headline, already worded
            raise DomainError("invalid", listed, status=422, fields=fields) from None
        raise DomainError("invalid", SEVERAL_INVALID, status=422, fields=fields,
                          params={"count": len(fields), "problems": listed}) from None


def _fair(fair_id: int) -> Fair:
    fair = db.session().get(Fair, fair_id)
    if fair is None:
        raise not_found("fair", fair_id)
    return fair


def _runner_fair(fair_id: int) -> Fair:
    fair = _fair(fair_id)
    if not can_run_fair(current_actor(), fair.association_id):
        raise forbidden("only the hosting association's fair organizer may do this")
    return fair


def _participant(fair: Fair, participant_id: int) -> FairParticipant:
    p = svc.get_participant(db.session(), fair, participant_id)
    if p is None:
        raise not_found("participant", participant_id)
    return p


def _own_or_run(fair: Fair, p: FairParticipant) -> None:
    if not can_view_fair_participant(current_actor(), fair.association_id, p.organization_id):
        raise not_found("participant", p.id)  # do not confirm someone else's registration details


def _acting_participant(fair: Fair, participant_id: int | None) -> FairParticipant:
    """The participant the caller acts as: its own firm's, or any one for the organizer."""
    actor, sess = current_actor(), db.session()
    if participant_id is not None:
        p = _participant(fair, participant_id)
        _own_or_run(fair, p)
        return p
    p = svc.participant_for_org(sess, fair, actor.organization_id)
    if p is None:
        raise DomainError("not_registered", "your firm is not registered for this fair", status=409)
    return p


# -- fairs ---------------------------------------------------------------------------------------

@bp.get("/fairs")
@allow(SIGNED_IN)
@operation("List fairs", query=fs.FairQuery, responses={200: fs.FairList}, errors=(400,))
def list_fairs():
    reject_unknown_args({"association_id"})
    stmt = select(Fair).order_by(Fair.id.desc())
    if (assoc := int_arg("association_id", minimum=1)) is not None:  # bounded: 2**63 is a 400, not a 500
        stmt = stmt.where(Fair.association_id == assoc)
    items = [svc.fair_dict(f, with_slots=False) for f in db.session().scalars(stmt.limit(200))]
    return jsonify({"items": items, "total": len(items)})


@bp.post("/fairs")
@allow(FAIR_RUNNERS)
@operation("Create a fair: sessions, breaks, slot length, tables (organizer)", json=fs.FairIn,
           responses={201: fs.FairOut})
def create_fair():
    actor = current_actor()
    data = _parse(fs.FairIn)
    association_id = data.association_id or actor.association_id
    if association_id is None:
        raise DomainError("invalid", "association_id: name the hosting association", status=422,
                          fields=[{"field": "association_id", "problem": "required for a user without an association"}])
    if not can_run_fair(actor, association_id):
        raise forbidden("you may create fairs only for your own association")
    fair = svc.create_fair(db.session(), data, association_id, actor.id)
    return jsonify(svc.fair_dict(fair)), 201


@bp.get("/fairs/<int:fair_id>")
@allow(SIGNED_IN)
@operation("Read a fair with its slots and tables", responses={200: fs.FairOut}, errors=(404,))
def get_fair(fair_id: int):
    return jsonify(svc.fair_dict(_fair(fair_id)))


# -- participants --------------------------------------------------------------------------------

@bp.get("/fairs/<int:fair_id>/participants")
@allow(FAIR_PEOPLE)
@operation("Registered participants", responses={200: fs.ParticipantList}, errors=(404,),
           description="Organizer: all settings; participants: the other side's names.")
def list_fair_participants(fair_id: int):
    fair, actor, sess = _fair(fair_id), current_actor(), db.session()
    runner = can_run_fair(actor, fair.association_id)
    mine = svc.participant_for_org(sess, fair, actor.organization_id)
    if not runner and mine is None:
        raise forbidden("only the organizer and registered participants see who attends")
    items = []
    for p in svc.participants(sess, fair):
        if runner or p.id == mine.id:
            items.append(svc.participant_dict(p))
        elif p.side != mine.side:  # the other side: names only, never their settings
            items.append({"id": p.id, "organization_id": p.organization_id, "name": p.organization.name,
                          "side": p.side})
    return jsonify({"items": items, "total": len(items)})


@bp.post("/fairs/<int:fair_id>/participants")
@allow(FAIR_PEOPLE)
@operation("Register a buyer (cleared by the hosting association only) or a maker",
           json=fs.ParticipantIn, responses={201: fs.ParticipantOut}, errors=(404, 409))
def register_fair_participant(fair_id: int):
    fair, actor = _fair(fair_id), current_actor()
    data = _parse(fs.ParticipantIn)
    runner = can_run_fair(actor, fair.association_id)
    if not can_register_at_fair(actor, fair.association_id, data.organization_id):
        raise forbidden("you may register only your own firm")
    p = svc.register(db.session(), fair, data, actor.id, by_organizer=runner)
    return jsonify(svc.participant_dict(p)), 201


@bp.get("/fairs/<int:fair_id>/registration-candidates")
@allow(FAIR_RUNNERS)
@operation("Firms the organizer may register, matching q, and why a buyer may not",
           query=fs.CandidateQuery, responses={200: fs.CandidateList}, errors=(400, 404, 422))
def fair_registration_candidates(fair_id: int):
    """Autocomplete for the organizer: firms matching ``q`` (2+ characters), whether they may be
    registered and, for a buyer who may not, why (``not cleared: under review``)."""
    reject_unknown_args({"q", "limit"})
    fair = _runner_fair(fair_id)
    query = request.args.get("q", "")
    if len(query.strip()) < 2:
        raise DomainError("invalid", "q: give at least 2 characters of the firm's name", status=422,
                          fields=[{"field": "q", "problem": "give at least 2 characters of the firm's name"}])
    limit = min(small_int(request.args.get("limit"), 20), 50)
    items = svc.registration_candidates(db.session(), fair, query, limit=limit)
    return jsonify({"items": items, "total": len(items)})


@bp.delete("/fairs/<int:fair_id>/participants/<int:participant_id>")
@allow(FAIR_RUNNERS)
@operation("Unregister a firm; its meetings in the current schedule are released",
           responses={200: fs.RemovedOut}, errors=(404, 409))
def remove_fair_participant(fair_id: int, participant_id: int):
    fair = _runner_fair(fair_id)
    p = _participant(fair, participant_id)
    released = svc.remove_participant(db.session(), fair, p)
    return jsonify({"removed": participant_id, "meetings_released": released})


@bp.patch("/fairs/<int:fair_id>/participants/<int:participant_id>")
@allow(FAIR_PEOPLE)
@operation("Change meeting targets, fixed table or unavailable slots", json=fs.ParticipantPatch,
           responses={200: fs.ParticipantOut}, errors=(404, 409))
def update_fair_participant(fair_id: int, participant_id: int):
    fair, actor = _fair(fair_id), current_actor()
    p = _participant(fair, participant_id)
    _own_or_run(fair, p)
    data = _parse(fs.ParticipantPatch)
    if not can_run_fair(actor, fair.association_id) and data.model_fields_set - {"unavailable"}:
        raise forbidden("participants may change only their own unavailable slots")
    try:
        p = svc.update_participant(db.session(), fair, p, data)
    except DomainError:  # nothing half-written; errors.init_app words the refusal
        db.session().rollback()
        raise
    return jsonify(svc.participant_dict(p))


# -- requests and recommendations ----------------------------------------------------------------

@bp.get("/fairs/<int:fair_id>/requests")
@allow(FAIR_PEOPLE)
@operation("Meeting requests", responses={200: fs.RequestList}, errors=(404, 409),
           description="Organizer: all; participant: the marks it gave and the must/would-like marks it received.")
def list_fair_requests(fair_id: int):
    fair, actor, sess = _fair(fair_id), current_actor(), db.session()
    if can_run_fair(actor, fair.association_id):
        items = [svc.request_dict(r) for r in svc.all_requests(sess, fair)]
        return jsonify({"items": items, "requests_open": svc.requests_open(fair)})
    me = _acting_participant(fair, None)
    given, received = svc.marks_of(sess, fair, me)
    return jsonify({"participant_id": me.id, "requests_open": svc.requests_open(fair),
                    "given": [{"to_participant_id": k, "mark": v} for k, v in given.items()],
                    "received": [{"from_participant_id": k, "mark": v} for k, v in received.items()]})


@bp.put("/fairs/<int:fair_id>/requests")
@allow(FAIR_PEOPLE)
@operation("Mark a counterpart must / would_like / no (null withdraws)", json=fs.RequestIn,
           responses={200: fs.RequestOut}, errors=(404, 409), description="Closed after the request deadline.")
def set_fair_request(fair_id: int):
    fair, actor = _fair(fair_id), current_actor()
    data = _parse(fs.RequestIn)
    runner = can_run_fair(actor, fair.association_id)
    if data.from_participant_id is not None and not runner:
        raise forbidden("only the organizer enters marks on someone else's behalf")
    source = _acting_participant(fair, data.from_participant_id)
    row = svc.set_request(db.session(), fair, source, data.to_participant_id, data.mark, by_organizer=runner,
                          expires_at=data.expires_at)
    return jsonify(svc.request_dict(row) if row else {"from_participant_id": source.id,
                                                      "to_participant_id": data.to_participant_id, "mark": None})


@bp.get("/fairs/<int:fair_id>/recommendations")
@allow(FAIR_PEOPLE)
@operation("Recommended counterparts with reasons, before the request deadline",
           query=fs.RecommendationQuery, responses={200: fs.RecommendationList}, errors=(400, 404, 409))
def fair_recommendations(fair_id: int):
    reject_unknown_args({"participant_id", "limit"})
    fair = _fair(fair_id)
    raw = request.args.get("participant_id", "")
    me = _acting_participant(fair, small_int(raw))
    limit = min(small_int(request.args.get("limit"), 10), 50)
    closed = not svc.requests_open(fair) or svc.is_over(fair)  # after the fair nothing more is marked
    items = [] if closed else svc.recommendations(db.session(), fair, me, limit=limit)
    return jsonify({"participant_id": me.id, "requests_open": svc.requests_open(fair), "items": items})


# -- scheduling ------------------------------------------------------------------------------------

@bp.post("/fairs/<int:fair_id>/schedule")
@allow(FAIR_RUNNERS)
@operation("Queue the optimal schedule as a job (202, Location: the job)", json=fs.ScheduleIn,
           responses={202: fs.JobOut}, errors=(404, 409), description="Poll the job for progress; when done it "
           "carries the run: bound, gap and the round-robin baseline.")
def run_fair_schedule(fair_id: int):
    """Queue the optimizer as a job (202); poll ``.../schedule/jobs/<id>`` for progress and the run."""
    fair = _runner_fair(fair_id)
    data = _parse(fs.ScheduleIn) if request.content_length else fs.ScheduleIn()
    job_id = svc.submit_schedule(db.session(), fair, data.time_limit, current_actor().id)
    body = _job_body(fair, jobs.get(job_id))
    return jsonify(body), 202, {"Location": body["url"]}


def _job_body(fair: Fair, job) -> dict:
    body = jobs.job_dict(job) | {"url": url_for("api.get_fair_schedule_job", fair_id=fair.id, job_id=job.id)}
    if job.status == "done" and job.result and "run_id" in job.result:
        run = db.session().get(FairScheduleRun, job.result["run_id"])
        body["schedule"] = _schedule_body(fair, run)
    return body


@bp.get("/fairs/<int:fair_id>/schedule/jobs/<job_id>")
@allow(FAIR_RUNNERS)
@operation("A schedule job's progress, and the schedule once done", responses={200: fs.JobOut},
           errors=(404,))
def get_fair_schedule_job(fair_id: int, job_id: str):
    fair = _runner_fair(fair_id)
    job = jobs.get(job_id)
    if job is None or job.subject != f"fair:{fair.id}":
        raise not_found("job", job_id)
    return jsonify(_job_body(fair, job))


def _schedule_body(fair: Fair, run) -> dict:
    return {"run": svc.run_dict(run),
            "meetings": [svc.meeting_dict(m) for m in svc.run_meetings(db.session(), run)]}


@bp.get("/fairs/<int:fair_id>/schedule")
@allow(FAIR_RUNNERS)
@operation("The current schedule with its figures", responses={200: fs.ScheduleOut}, errors=(404,))
def get_fair_schedule(fair_id: int):
    fair = _runner_fair(fair_id)
    return jsonify(_schedule_body(fair, svc.current_run(db.session(), fair)))


@bp.post("/fairs/<int:fair_id>/publish")
@allow(FAIR_RUNNERS)
@operation("Publish as draft, preliminary or final", json=fs.PublishIn, responses={200: fs.RunOut},
           errors=(404, 409))
def publish_fair_schedule(fair_id: int):
    fair = _runner_fair(fair_id)
    data = _parse(fs.PublishIn)
    run = svc.publish(db.session(), fair, data.level)
    return jsonify(svc.run_dict(run))


@bp.get("/fairs/<int:fair_id>/schedule.csv")
@allow(FAIR_RUNNERS)
@operation("The whole schedule as CSV", responses={200: None}, errors=(404,), media="text/csv")
def fair_schedule_csv(fair_id: int):
    fair = _runner_fair(fair_id)
    return Response(svc.schedule_csv(db.session(), fair), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="fair-{fair.id}-schedule.csv"'})


def _meeting(fair: Fair, meeting_id: int):
    m = svc.get_meeting(db.session(), fair, meeting_id)
    if m is None:
        raise not_found("meeting", meeting_id)
    return m


@bp.patch("/fairs/<int:fair_id>/meetings/<int:meeting_id>")
@allow(FAIR_RUNNERS)
@operation("Lock or unlock a meeting; mark it held or no-show after the fair", json=fs.MeetingPatch,
           responses={200: fs.MeetingOut}, errors=(404, 409))
def update_fair_meeting(fair_id: int, meeting_id: int):
    fair = _runner_fair(fair_id)
    m = _meeting(fair, meeting_id)
    m = svc.update_meeting(db.session(), m, _parse(fs.MeetingPatch))
    return jsonify(svc.meeting_dict(m))


@bp.post("/fairs/<int:fair_id>/meetings/<int:meeting_id>/disruption")
@allow(FAIR_RUNNERS)
@operation("Cancel a meeting or record a no-show, then repair the schedule", json=fs.DisruptionIn,
           responses={201: fs.ScheduleOut}, errors=(404, 409),
           description="The repair changes as few other meetings as possible.")
def disrupt_fair_meeting(fair_id: int, meeting_id: int):
    fair = _runner_fair(fair_id)
    m = _meeting(fair, meeting_id)
    run = svc.disrupt(db.session(), fair, m, _parse(fs.DisruptionIn), current_actor().id)
    return jsonify(_schedule_body(fair, run)), 201


@bp.post("/fairs/<int:fair_id>/meetings/<int:meeting_id>/follow-ups")
@allow(FAIR_PEOPLE)
@operation("Record a follow-up (sample_requested, order_placed) into the outcome log",
           json=fs.FollowUpIn, responses={201: fs.MeetingOut}, errors=(404, 409))
def record_fair_follow_up(fair_id: int, meeting_id: int):
    fair, actor = _fair(fair_id), current_actor()
    m = _meeting(fair, meeting_id)
    if not (can_run_fair(actor, fair.association_id)
            or acts_for(actor, m.buyer.organization_id) or acts_for(actor, m.maker.organization_id)):
        raise not_found("meeting", meeting_id)
    m = svc.record_follow_up(db.session(), m, _parse(fs.FollowUpIn).event)
    return jsonify(svc.meeting_dict(m)), 201


# -- agendas ---------------------------------------------------------------------------------------

def _agenda_participant(fair_id: int, participant_id: int) -> tuple[Fair, FairParticipant, bool]:
    fair = _fair(fair_id)
    p = _participant(fair, participant_id)
    _own_or_run(fair, p)
    return fair, p, can_run_fair(current_actor(), fair.association_id)


@bp.get("/fairs/<int:fair_id>/participants/<int:participant_id>/agenda")
@allow(FAIR_PEOPLE)
@operation("A participant's agenda and the changes after repairs (own firm or organizer)",
           responses={200: fs.AgendaOut}, errors=(404,))
def get_fair_agenda(fair_id: int, participant_id: int):
    fair, p, runner = _agenda_participant(fair_id, participant_id)
    own = acts_for(current_actor(), p.organization_id)
    body = svc.agenda(db.session(), fair, p, runner, own=own)
    from .checkin import check_in_url

    for item in body["meetings"]:
        item.pop("starts_at"), item.pop("ends_at")
        if item["status"] == "scheduled" and (own or runner):  # what this agenda's QR code encodes
            item["check_in_url"] = check_in_url(fair, item["buyer_participant_id"], item["maker_participant_id"],
                                                p.side)
    return jsonify(body)


def _published_or_runner(fair: Fair, runner: bool) -> None:
    run = svc.current_run(db.session(), fair)
    if run is None or (run.publication == "draft" and not runner):
        raise DomainError("not_published", "the agenda is not published yet", status=409)


@bp.get("/fairs/<int:fair_id>/participants/<int:participant_id>/agenda.pdf")
@allow(FAIR_PEOPLE)
@operation("Agenda as PDF", responses={200: None}, errors=(404, 409), media="application/pdf")
def fair_agenda_pdf(fair_id: int, participant_id: int):
    fair, p, runner = _agenda_participant(fair_id, participant_id)
    _published_or_runner(fair, runner)
    lang = svc.participant_language(db.session(), p)
    from .checkin import check_in_url

    own = acts_for(current_actor(), p.organization_id)
    pdf = svc.agenda_pdf(db.session(), fair, p, lang, own=own,
                         check_in_url=lambda b, m: check_in_url(fair, b, m, p.side))
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="agenda-{fair.id}-{p.id}.pdf"'})


@bp.get("/fairs/<int:fair_id>/participants/<int:participant_id>/agenda.ics")
@allow(FAIR_PEOPLE)
@operation("Agenda as an ICS calendar", responses={200: None}, errors=(404, 409), media="text/calendar")
def fair_agenda_ics(fair_id: int, participant_id: int):
    fair, p, runner = _agenda_participant(fair_id, participant_id)
    _published_or_runner(fair, runner)
    lang = svc.participant_language(db.session(), p)
    own = acts_for(current_actor(), p.organization_id)
    return Response(svc.agenda_ics(db.session(), fair, p, lang, own=own), mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="agenda-{fair.id}-{p.id}.ics"'})


