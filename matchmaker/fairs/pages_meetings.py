"""Fair pages during and after the fair: the phone check-in page a QR code opens, follow-up answers,
the organizer's report (charts as PNGs, CSV) and the scheduling options form (routes on the
``fairs`` blueprint of ``fairs.pages``)."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for

from .. import db
from ..auth import current_actor
from ..i18n import gettext as _
from ..i18n import locale
from ..forms import Problems
from ..security import small_int
from . import attendance
from . import followups as fu
from . import report as rp
from . import schemas as fs
from .forms import CheckInForm, FollowUpForm, SettingsForm
from . import services as svc
from .pages import _fair, _render_view, _require_runner, bp, fair_message
from ..access import allow, BUYERS, FAIR_PEOPLE, FAIR_RUNNERS, MAKERS, acts_for
from ..errors import DomainError


@bp.post("/fairs/<int:fair_id>/settings")
@allow(FAIR_RUNNERS)
def settings(fair_id: int):
    fair = _fair(fair_id)
    _require_runner(fair)
    try:
        svc.update_settings(db.session(), fair,
                            fs.FairSettingsIn(fill_minimums=SettingsForm().text("fill_minimums") == "1"))
    except DomainError as exc:  # the fair is over: its settings stay
        db.session().rollback()
        problems = Problems()
        problems.add(exc.field or "settings", fair_message(exc))
        return _render_view(fair, problems), exc.status
    flash(_("Options saved; they apply from the next schedule."), "success")
    return redirect(url_for("fairs.view", fair_id=fair.id) + "#settings")


# -- check-in ---------------------------------------------------------------------------------------

def _check_in_target(token: str):
    from .checkin import check_in_target, may_check_in

    try:
        fair, meeting, holder = check_in_target(token)
    except DomainError:
        abort(404)
    if not may_check_in(fair, meeting, holder):
        abort(403)
    return fair, meeting


@bp.route("/fairs/check-in/<token>", methods=["GET", "POST"])
@allow(FAIR_PEOPLE)
def check_in(token: str):
    """Opened by scanning an agenda's QR code: one tap marks the meeting held or no-show."""
    fair, meeting = _check_in_target(token)
    status, outcome = 200, None
    if request.method == "POST":
        mark = CheckInForm().text("status")
        if mark not in attendance.CHECK_IN_MARKS:
            abort(400)
        try:
            changed = attendance.check_in(db.session(), fair, meeting, mark, current_actor().id)
            outcome = "marked" if changed else "already"
        except DomainError as exc:
            db.session().rollback()
            outcome, status = fair_message(exc), 409
    return render_template("fairs/check_in.html", fair=fair, m=meeting, outcome=outcome), status


# -- follow-ups ---------------------------------------------------------------------------------------

@bp.post("/fairs/<int:fair_id>/meetings/<int:meeting_id>/follow-up-answer")
@allow(BUYERS | MAKERS)
def follow_up(fair_id: int, meeting_id: int):
    fair, actor, sess = _fair(fair_id), current_actor(), db.session()
    m = svc.get_meeting(sess, fair, meeting_id)
    if m is None:
        abort(404)
    if acts_for(actor, m.buyer.organization_id):
        me = m.buyer
    elif acts_for(actor, m.maker.organization_id):
        me = m.maker
    else:
        abort(404)
    form = FollowUpForm()
    wave, step = form.text("wave"), form.text("next_step")
    rating = small_int(form.text("rating"))
    if wave not in fu.WAVES or step not in fu.NEXT_STEPS or rating is None or not 1 <= rating <= 5:
        flash(_("Choose a rating from 1 to 5 and a next step."), "error")
        return redirect(url_for("fairs.view", fair_id=fair.id))
    try:
        fu.answer(sess, fair, m, me, wave, rating, step, actor.id)
        flash(_("Thank you: your answer is recorded."), "success")
    except DomainError as exc:
        sess.rollback()
        flash(fair_message(exc), "error")
    return redirect(url_for("fairs.view", fair_id=fair.id))


# -- the organizer's report ------------------------------------------------------------------------------

@bp.get("/fairs/<int:fair_id>/report")
@allow(FAIR_RUNNERS)
def report(fair_id: int):
    fair = _fair(fair_id)
    _require_runner(fair)
    data = rp.fair_report(db.session(), fair)
    return render_template("fairs/report.html", fair=fair, report=data, steps=fu.NEXT_STEPS,
                           band_label=lambda code: rp.band_label(code, locale()), charts=tuple(rp.CHARTS))


@bp.get("/fairs/<int:fair_id>/report/<kind>.png")
@allow(FAIR_RUNNERS)
def report_chart(fair_id: int, kind: str):
    fair = _fair(fair_id)
    _require_runner(fair)
    if kind not in rp.CHARTS:
        abort(404)
    png = rp.chart_png(rp.fair_report(db.session(), fair), kind, locale())
    return Response(png, mimetype="image/png", headers={"Cache-Control": "private, max-age=60"})


@bp.get("/fairs/<int:fair_id>/report.csv")
@allow(FAIR_RUNNERS)
def report_csv(fair_id: int):
    fair = _fair(fair_id)
    _require_runner(fair)
    return Response(rp.report_csv(rp.fair_report(db.session(), fair)), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="fair-{fair.id}-report.csv"'})
