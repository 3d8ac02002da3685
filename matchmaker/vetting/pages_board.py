"""Vetting pages for the board and staff (routes on the ``vetting`` blueprint of ``vetting.pages``): the
queue of cases, the case page with its vote and decision forms, an incident's status, an evidence file,
and the audit log as CSV.
"""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from .. import db
from .access import can_review_case
from ..security import local_path
from .. import taxonomy as tx
from ..auth import current_actor
from ..forms import Problems
from ..i18n import gettext as _
from ..i18n import locale
from ..organizations.records import Association
from ..security import id_arg
from ..errors import Conflict
from . import evidence as ev
from . import schemas as s
from . import cases as cs
from . import decisions as dc
from . import reports as rp
from . import views as vv
from .forms import DecisionForm, StatusForm, VoteForm
from .audit import export_csv
from .pages import bp, flash_problems, refusal, validated
from .records import VettingCase
from ..access import allow, ADMIN, ASSOC_STAFF, BOARD, MAKERS, REVIEWERS, is_admin
from ..errors import DomainError


# -- board: queue and case ------------------------------------------------------------------------

@bp.get("/queue")
@allow(REVIEWERS)
def queue():
    user = current_actor()
    assoc_id = user.association_id
    if is_admin(user):
        assoc_id = request.args.get("association_id", type=id_arg) or db.session().scalar(
            select(Association.id).order_by(Association.id))
    if assoc_id is None:
        abort(403)
    sess = db.session()
    try:
        cs.reopen_due(sess, association_id=assoc_id)
    except Conflict:
        sess.rollback()  # a parallel request reopened the same cases first
    status = request.args.get("status", "open")
    status = status if status in tx.CASE_STATUSES else "open"
    rows = vv.queue(sess, assoc_id, status)
    return render_template("vetting/queue.html", rows=rows, status=status,
                           association=sess.get(Association, assoc_id))


def _case_or_404(case_id: int) -> VettingCase:
    case = db.session().get(VettingCase, case_id)
    if case is None or not can_review_case(current_actor(), case):
        abort(404)
    return case


@bp.get("/cases/<int:case_id>")
@allow(REVIEWERS)
def case(case_id: int):
    return _render_case(_case_or_404(case_id))


def _render_case(case, vote_form=None, decision_form=None, vote_problems=None, decision_problems=None,
                 status: int = 200):
    view = vv.case_view(db.session(), case, current_actor(), locale())
    return render_template(
        "vetting/case.html", v=view, lang=locale(),
        vote_form=vote_form or VoteForm(), decision_form=decision_form or DecisionForm(),
        status_form=StatusForm(), vote_problems=vote_problems or Problems(),
        decision_problems=decision_problems or Problems()), status


@bp.post("/cases/<int:case_id>/vote")
@allow(BOARD)
def vote(case_id: int):
    case = _case_or_404(case_id)
    form = VoteForm()
    data, problems = validated(form, s.VoteIn)
    if data is not None:
        try:
            dc.cast_vote(db.session(), current_actor(), case, data)
            flash(_("Your vote is recorded."), "success")
            return redirect(url_for("vetting.case", case_id=case.id))
        except DomainError as exc:
            db.session().rollback()
            _flash_if_closed(exc)
            return _render_case(case, vote_form=form, vote_problems=refusal(exc, form), status=exc.status)
    return _render_case(case, vote_form=form, vote_problems=problems, status=422)


@bp.post("/cases/<int:case_id>/decide")
@allow(BOARD)
def decide(case_id: int):
    case = _case_or_404(case_id)
    form = DecisionForm()
    data, problems = validated(form, s.DecisionIn)
    if data is not None:
        try:
            dc.decide(db.session(), current_actor(), case, data)
            flash(_("The decision is recorded."), "success")
            return redirect(url_for("vetting.case", case_id=case.id))
        except DomainError as exc:
            db.session().rollback()
            _flash_if_closed(exc)
            return _render_case(case, decision_form=form, decision_problems=refusal(exc, form),
                                status=exc.status)
    return _render_case(case, decision_form=form, decision_problems=problems, status=422)


def _flash_if_closed(exc: DomainError) -> None:
    """A case decided meanwhile (a lost race) has no forms left to show the reason beside: flash it."""
    if exc.code == "case_closed":
        flash(exc.text(), "error")


@bp.post("/incidents/<int:incident_id>/status")
@allow(REVIEWERS | MAKERS)
def incident_status(incident_id: int):
    sess = db.session()
    incident = rp.visible_incident(sess, current_actor(), incident_id)
    if incident is None:
        abort(404)  # another association's incident is not confirmed to exist
    form = StatusForm()
    data, problems = validated(form, s.IncidentStatusIn)
    back = local_path(form.back.data, url_for("main.home"))
    if data is None:
        flash_problems(problems)
        return redirect(back)
    try:
        rp.set_incident_status(sess, current_actor(), incident, data)
        flash(_("Saved."), "success")
    except DomainError as exc:
        sess.rollback()
        if exc.status == 403:
            abort(403)
        flash(exc.text(), "error")
    return redirect(back)


@bp.get("/evidence/<int:file_id>")
@allow(REVIEWERS)
def evidence(file_id: int):
    response = ev.download(db.session(), current_actor(), file_id)
    if response is None:
        abort(404)
    return response


@bp.get("/audit.csv")
@allow(ASSOC_STAFF | ADMIN)
def audit_csv():
    user = current_actor()
    assoc = None if is_admin(user) else user.association_id
    if assoc is None and not is_admin(user):
        abort(403)
    body = export_csv(db.session(), user, assoc)
    return Response(body, mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=vetting-audit.csv"})
