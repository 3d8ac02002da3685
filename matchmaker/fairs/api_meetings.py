"""JSON endpoints for fair meetings during and after the fair: scheduling options, video meetings,
QR check-in, follow-up answers and the organizer's report (``/api/v1/fairs...``, on the ``api``
blueprint; route roles in each view's ``@allow``, object rules from ``fairs.access`` checked here)."""
from __future__ import annotations

from flask import Response, jsonify, request

from .. import db
from .access import can_run_fair
from ..api.common import ApiRoutes, forbidden, not_found, reject_unknown_args
from ..api.openapi import operation
from ..auth import current_actor
from ..security import small_int
from . import attendance
from . import followups as fu
from . import report as rp
from . import schemas as fs
from . import services as svc
from .api import _acting_participant, _fair, _meeting, _parse, _runner_fair
from .checkin import check_in_target, check_in_url, may_check_in  # noqa: F401  (re-exported)
from .video import pair_settings, video_url
from ..access import allow, BUYERS, FAIR_PEOPLE, FAIR_RUNNERS, MAKERS, acts_for
from ..errors import DomainError

bp = ApiRoutes("fairs_meetings", __name__)


@bp.patch("/fairs/<int:fair_id>/settings")
@allow(FAIR_RUNNERS)
@operation("The organizer's scheduling options (fill_minimums); they apply from the next run",
           json=fs.FairSettingsIn, responses={200: fs.FairOut}, errors=(404, 409))
def update_fair_settings(fair_id: int):
    """The organizer's scheduling options (``fill_minimums``); they apply from the next run."""
    fair = _runner_fair(fair_id)
    fair = svc.update_settings(db.session(), fair, _parse(fs.FairSettingsIn))
    return jsonify(svc.fair_dict(fair, with_slots=False))


def _side_of(meeting) -> str | None:
    actor = current_actor()
    if acts_for(actor, meeting.buyer.organization_id):
        return "buyer"
    if acts_for(actor, meeting.maker.organization_id):
        return "maker"
    return None


def _virtual_body(fair, meeting, side) -> dict:
    setting = pair_settings(db.session(), fair).get((meeting.buyer_participant_id, meeting.maker_participant_id))
    body = {"meeting_id": meeting.id, "virtual": bool(setting and setting.virtual),
            "chosen_by": setting.virtual_by if setting else None}
    if side is not None:  # the link only for the meeting's two sides
        body["video_url"] = video_url(fair, setting)
    return body


@bp.put("/fairs/<int:fair_id>/meetings/<int:meeting_id>/virtual")
@allow(FAIR_RUNNERS | BUYERS)
@operation("Hold a meeting over video (organizer, or the buyer asking) or in person again",
           json=fs.VirtualIn, responses={200: fs.MeetingVideoOut}, errors=(404, 409))
def set_fair_meeting_virtual(fair_id: int, meeting_id: int):
    """Hold a meeting over video (or in person again): the organizer, or the meeting's buyer."""
    fair, actor = _fair(fair_id), current_actor()
    m = _meeting(fair, meeting_id)
    side = _side_of(m)
    runner = can_run_fair(actor, fair.association_id)
    if not runner and side is None:
        raise not_found("meeting", meeting_id)
    if not runner and side != "buyer":
        raise forbidden("only the organizer or the meeting's buyer chooses a video meeting")
    data = _parse(fs.VirtualIn)
    try:
        attendance.set_virtual(db.session(), fair, m, data.virtual, "organizer" if runner else "buyer")
    except DomainError:  # nothing half-written; errors.init_app words the refusal
        db.session().rollback()
        raise
    return jsonify(_virtual_body(fair, m, side))


@bp.get("/fairs/<int:fair_id>/meetings/<int:meeting_id>/video")
@allow(FAIR_PEOPLE)
@operation("A meeting's video link, for its two sides only", responses={200: fs.MeetingVideoOut}, errors=(404,))
def get_fair_meeting_video(fair_id: int, meeting_id: int):
    """Whether a meeting is virtual; its link only for the meeting's two sides."""
    fair = _fair(fair_id)
    m = _meeting(fair, meeting_id)
    side = _side_of(m)
    if side is None and not can_run_fair(current_actor(), fair.association_id):
        raise not_found("meeting", meeting_id)
    return jsonify(_virtual_body(fair, m, side))


# -- check-in ----------------------------------------------------------------------------------

def check_in_body(fair, meeting) -> dict:
    return {"fair_id": fair.id, "meeting_id": meeting.id, "buyer": meeting.buyer.organization.name,
            "maker": meeting.maker.organization.name, "start": meeting.starts_at.isoformat(),
            "table": meeting.table.label, "status": meeting.status}


@bp.get("/fairs/check-in/<token>")
@allow(FAIR_PEOPLE)
@operation("What a signed check-in code names", responses={200: fs.CheckInOut}, errors=(404,))
def get_fair_check_in(token: str):
    fair, meeting, holder = check_in_target(token)
    if not may_check_in(fair, meeting, holder):
        raise forbidden("only the organizer or the other side of this meeting checks it in")
    return jsonify(check_in_body(fair, meeting))


@bp.post("/fairs/check-in/<token>")
@allow(FAIR_PEOPLE)
@operation("Mark the meeting a check-in code names held or no-show (one winner; 409 for a different mark)",
           json=fs.CheckInIn, responses={200: fs.CheckInOut}, errors=(404, 409))
def fair_check_in(token: str):
    """Mark the meeting held or no-show: 200 when marked (or already marked so), 409 when marked otherwise."""
    fair, meeting, holder = check_in_target(token)
    if not may_check_in(fair, meeting, holder):
        raise forbidden("only the organizer or the other side of this meeting checks it in")
    data = _parse(fs.CheckInIn)
    changed = attendance.check_in(db.session(), fair, meeting, data.status, current_actor().id)
    return jsonify(check_in_body(fair, meeting) | {"changed": changed})


# -- follow-ups --------------------------------------------------------------------------------

@bp.get("/fairs/<int:fair_id>/follow-ups")
@allow(FAIR_PEOPLE)
@operation("Follow-up asks due to the caller's firm, or every answer for the organizer",
           responses={200: fs.FollowUpsOut}, errors=(404,))
def list_fair_follow_ups(fair_id: int):
    """A participant's due follow-up asks and its answers (organizer: every answer; or ``participant_id``)."""
    reject_unknown_args({"participant_id"})
    fair, sess = _fair(fair_id), db.session()
    raw = request.args.get("participant_id", "")
    if can_run_fair(current_actor(), fair.association_id) and not raw:
        return jsonify({"answers": [fu.follow_up_dict(a) for a in fu.answers(sess, fair)]})
    me = _acting_participant(fair, small_int(raw) if raw else None)
    return jsonify({"participant_id": me.id, "due": [fu.ask_dict(a) for a in fu.due_asks(sess, fair, me)],
                    "answers": [fu.follow_up_dict(a) for a in fu.answers(sess, fair, me)]})


@bp.post("/fairs/<int:fair_id>/meetings/<int:meeting_id>/follow-up-answers")
@allow(BUYERS | MAKERS)
@operation("Rate a meeting and name the next step, once per side and wave; goes into the outcome log",
           json=fs.FollowUpAnswerIn, responses={201: fs.FollowUpAnswerOut}, errors=(404, 409))
def answer_fair_follow_up(fair_id: int, meeting_id: int):
    """One side's rating (1–5) and next step for one wave (week, quarter); once per side and wave."""
    fair = _fair(fair_id)
    m = _meeting(fair, meeting_id)
    side = _side_of(m)
    if side is None:
        raise not_found("meeting", meeting_id)
    data = _parse(fs.FollowUpAnswerIn)
    me = m.buyer if side == "buyer" else m.maker
    try:
        row = fu.answer(db.session(), fair, m, me, data.wave, data.rating, data.next_step, current_actor().id)
    except DomainError:  # nothing half-written; errors.init_app words the refusal
        db.session().rollback()
        raise
    return jsonify(fu.follow_up_dict(row)), 201


# -- the organizer's report ------------------------------------------------------------------------

@bp.get("/fairs/<int:fair_id>/report")
@allow(FAIR_RUNNERS)
@operation("The organizer's fair report: requests, acceptance, held, no-shows, follow-ups by size band",
           responses={200: fs.FairReportOut}, errors=(404,))
def get_fair_report(fair_id: int):
    fair = _runner_fair(fair_id)
    return jsonify(rp.fair_report(db.session(), fair))


@bp.get("/fairs/<int:fair_id>/report.csv")
@allow(FAIR_RUNNERS)
@operation("The fair report as CSV", responses={200: None}, errors=(404,), media="text/csv")
def fair_report_csv(fair_id: int):
    fair = _runner_fair(fair_id)
    return Response(rp.report_csv(rp.fair_report(db.session(), fair)), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="fair-{fair.id}-report.csv"'})
