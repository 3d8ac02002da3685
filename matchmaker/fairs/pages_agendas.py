"""Fair pages: agendas (page, PDF, ICS, private calendar feed) and the schedule CSV
(routes on the ``fairs`` blueprint of ``fairs.pages``)."""
from __future__ import annotations

from datetime import datetime

from flask import Response, abort, render_template, request, url_for

from markupsafe import Markup

from scheduling.agenda import qr_svg

from .. import db
from ..auth import current_actor
from ..i18n import locale
from . import services as svc
from .pages import _fair, _participant, _require_runner, _runner, bp
from .checkin import check_in_url
from .records import Fair
from .video import pair_settings
from ..access import allow, FAIR_PEOPLE, FAIR_RUNNERS, PUBLIC, acts_for

# -- agendas and exports ----------------------------------------------------------------------------

@bp.get("/fairs/<int:fair_id>/agenda/<int:participant_id>")
@allow(FAIR_PEOPLE)
def agenda(fair_id: int, participant_id: int):
    fair = _fair(fair_id)
    p = _participant(fair, participant_id)
    runner = _runner(fair)
    sess = db.session()
    own = acts_for(current_actor(), p.organization_id)
    data = svc.agenda(sess, fair, p, runner, own=own)
    for item in data["meetings"]:  # the QR code the organizer or the other side scans to check it in
        if item["status"] == "scheduled" and (own or runner):
            item["check_in_url"] = check_in_url(fair, item["buyer_participant_id"], item["maker_participant_id"],
                                                p.side)
            item["qr"] = Markup(qr_svg(item["check_in_url"], scale=3))
    for item in data["meetings"]:  # the buyer may undo only a video meeting it asked for itself
        item["virtual_allowed"] = not item["virtual"] or _chosen_by(sess, fair, item) != "organizer"
    feed = None
    if data["visible"] and acts_for(current_actor(), p.organization_id):
        path = url_for("fairs.calendar_feed", fair_id=fair.id, token=svc.calendar_token(sess, p))
        feed = {"webcal": "webcal://" + request.host + path, "https": request.host_url.rstrip("/") + path}
    return render_template("fairs/agenda.html", fair=fair, p=p, agenda=data, runner=runner, feed=feed, own=own,
                           slot_time=lambda key: datetime.strptime(key, "%Y%m%dT%H%M"))


def _chosen_by(sess, fair: Fair, item: dict) -> str | None:
    setting = pair_settings(sess, fair).get((item["buyer_participant_id"], item["maker_participant_id"]))
    return setting.virtual_by if setting else None


def _downloadable(fair: Fair, participant_id: int):
    p = _participant(fair, participant_id)
    run = svc.current_run(db.session(), fair)
    if run is None or (run.publication == "draft" and not _runner(fair)):
        abort(404)
    return p


def _agenda_language(p) -> str:
    """The participant's own people read their agenda in the language they chose on the page;
    for anyone else (the organizer printing it) it is in the participant's language."""
    if acts_for(current_actor(), p.organization_id):
        return locale()
    return svc.participant_language(db.session(), p)


@bp.get("/fairs/<int:fair_id>/agenda/<int:participant_id>.pdf")
@allow(FAIR_PEOPLE)
def agenda_pdf(fair_id: int, participant_id: int):
    fair = _fair(fair_id)
    p = _downloadable(fair, participant_id)
    own = acts_for(current_actor(), p.organization_id)
    pdf = svc.agenda_pdf(db.session(), fair, p, _agenda_language(p), own=own,
                         check_in_url=lambda b, m: check_in_url(fair, b, m, p.side))
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="agenda-{fair.id}-{p.id}.pdf"'})


@bp.get("/fairs/<int:fair_id>/agenda/<int:participant_id>.ics")
@allow(FAIR_PEOPLE)
def agenda_ics(fair_id: int, participant_id: int):
    fair = _fair(fair_id)
    p = _downloadable(fair, participant_id)
    own = acts_for(current_actor(), p.organization_id)
    return Response(svc.agenda_ics(db.session(), fair, p, _agenda_language(p), own=own), mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="agenda-{fair.id}-{p.id}.ics"'})


@bp.get("/fairs/<int:fair_id>/calendar/<token>.ics")
@allow(PUBLIC)
def calendar_feed(fair_id: int, token: str):
    """A participant's private subscription (webcal): the unguessable token is the only key."""
    sess = db.session()
    fair = sess.get(Fair, fair_id)
    p = svc.participant_by_token(sess, fair, token) if fair is not None else None
    run = svc.current_run(sess, fair) if p is not None else None
    if p is None or run is None or run.publication == "draft":
        abort(404)
    return Response(svc.agenda_ics(sess, fair, p, svc.participant_language(sess, p), own=True),
                    mimetype="text/calendar",
                    headers={"Cache-Control": "private, max-age=300"})


@bp.get("/fairs/<int:fair_id>/schedule.csv")
@allow(FAIR_RUNNERS)
def csv(fair_id: int):
    fair = _fair(fair_id)
    _require_runner(fair)
    return Response(svc.schedule_csv(db.session(), fair), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="fair-{fair.id}-schedule.csv"'})
