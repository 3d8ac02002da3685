"""Vetting pages: board queue, case page, member directory, the buyer's own status, report forms.

Forms carry a CSRF token (Flask-WTF); the rules are the pydantic schemas of
:mod:`matchmaker.vetting.schemas`, and every refusal is shown beside the field it concerns
(or at the top of the form), with status 4xx and nothing written.
"""
from __future__ import annotations

import re

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from markupsafe import Markup
from sqlalchemy import select

from .. import db
from .access import can_reply_as_subject, can_review_case, can_view_subject_status
from .. import taxonomy as tx
from ..auth import current_actor
from ..forms import Problems, validate_form
from ..i18n import gettext as _
from ..i18n import format_date, locale
from ..organizations.records import Association, Organization
from ..security import id_arg, small_int
from ..errors import Conflict
from .clearance import may_see_standing
from . import evidence as ev
from . import schemas as s
from . import services as vs
from . import views as vv
from .forms import (
    ApplyForm, DecisionForm, IncidentForm, PaymentForm, ProposeForm, ReplyForm, StatusForm, VoteForm,
    _subject_choices,
)
from .records import SUBJECT_KINDS, Incident, VettingCase
from ..access import allow, ADMIN, ASSOCIATION, ASSOC_STAFF, BOARD, MAKERS, REVIEWERS, SUBJECTS, is_admin
from ..errors import DomainError
from ..catalog import N_

bp = Blueprint("vetting", __name__, url_prefix="/vetting")


# -- the status badge, for every page that shows a buyer to a maker --------------------------------

@bp.app_context_processor
def _badge_helper():
    return {"vetting_badge": vetting_badge, "case_note": case_note}


# Notes the system writes when it opens a case itself (vetting.services), in the reader's language;
# a note typed by a person is shown as written.
_SYSTEM_NOTES = (
    (re.compile(r"^review date (\d{4}-\d{2}-\d{2}) reached$"), N_("Review date due: {date}."), "date"),
    (re.compile(r"^incident (\d+) verified$"), N_("Incident #{n} was verified."), "n"),
)


def case_note(note: str | None) -> str:
    if not note:
        return ""
    for pattern, msgid, key in _SYSTEM_NOTES:
        match = pattern.match(note)
        if match:
            value = match.group(1)
            return _(msgid, **{key: format_date(value) if key == "date" else value})
    return note


def vetting_badge(org_id: int, association_id: int | None = None) -> Markup:
    """``{{ vetting_badge(buyer.id) }}``: the buyer's vetting status as a small badge (cached per request).

    Nothing for a reader who may not see the standing (``clearance.may_see_standing``: a rival buyer or
    vendor), so a competitor's outcome never shows on a directory or vendor page."""
    user = current_actor()
    if not may_see_standing(user, org_id):
        return Markup("")
    cache = g.setdefault("vetting_badges", {})
    key = (org_id, association_id)
    if key not in cache:
        sess = db.session()
        assoc = association_id or (user.association_id if user else None)
        st = vs.standings(sess, [org_id], assoc).get(org_id) or vs.standings(sess, [org_id]).get(org_id)
        reviewing = bool(vs.under_review(sess, [org_id], assoc))
        cache[key] = badge_html(vv.standing_dict(st, reviewing))
    return cache[key]


BADGE_CLASS = {"approved": "ok", "approved_with_conditions": "ok", "watchlist": "warn", "rejected": "bad",
               "under_review": "warn", "not_vetted": ""}


def badge_html(standing: dict) -> Markup:
    status = standing["status"]
    if status in tx.VETTING_OUTCOMES:
        text = tx.VETTING_OUTCOMES.label(status, locale())
    else:
        text = _("Under review") if status == "under_review" else _("Not vetted")
    if standing.get("conditions"):
        text += ": " + ", ".join(tx.VETTING_CONDITIONS.label(c, locale()) for c in standing["conditions"])
    return Markup('<span class="badge {}" data-vetting-status="{}">{}</span>').format(
        BADGE_CLASS.get(status, ""), status, text)


def _translated(problems: Problems) -> Problems:
    problems.fields = {k: [_(m) for m in v] for k, v in problems.fields.items()}
    problems.top = [_(m) for m in problems.top]
    return problems


def _refusal(exc: DomainError, form) -> Problems:
    problems = Problems()
    text = exc.text()
    if exc.field and exc.field in form:
        problems.add(exc.field, text)
    else:
        problems.top.append(text)
    return problems


def _validated(form, schema):
    if not form.validate():  # CSRF only; the rules are pydantic's
        return None, Problems(top=[_("The form was refused. Reload the page and try again.")])
    data, problems = validate_form(form, schema)
    return data, _translated(problems)


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
        vs.reopen_due(sess, association_id=assoc_id)
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
    data, problems = _validated(form, s.VoteIn)
    if data is not None:
        try:
            vs.cast_vote(db.session(), current_actor(), case, data)
            flash(_("Your vote is recorded."), "success")
            return redirect(url_for("vetting.case", case_id=case.id))
        except DomainError as exc:
            db.session().rollback()
            _flash_if_closed(exc)
            return _render_case(case, vote_form=form, vote_problems=_refusal(exc, form), status=exc.status)
    return _render_case(case, vote_form=form, vote_problems=problems, status=422)


@bp.post("/cases/<int:case_id>/decide")
@allow(BOARD)
def decide(case_id: int):
    case = _case_or_404(case_id)
    form = DecisionForm()
    data, problems = _validated(form, s.DecisionIn)
    if data is not None:
        try:
            vs.decide(db.session(), current_actor(), case, data)
            flash(_("The decision is recorded."), "success")
            return redirect(url_for("vetting.case", case_id=case.id))
        except DomainError as exc:
            db.session().rollback()
            _flash_if_closed(exc)
            return _render_case(case, decision_form=form, decision_problems=_refusal(exc, form),
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
    incident = sess.get(Incident, incident_id)
    if incident is None:
        abort(404)
    form = StatusForm()
    data, problems = _validated(form, s.IncidentStatusIn)
    back = form.back.data or url_for("main.home")
    if not back.startswith("/") or back.startswith("//"):
        back = url_for("main.home")
    if data is None:
        flash(" ".join(problems.top + [m for v in problems.fields.values() for m in v]), "error")
        return redirect(back)
    try:
        vs.set_incident_status(sess, current_actor(), incident, data)
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


# -- members: directory, reports, proposals --------------------------------------------------------

PER_PAGE = 30


@bp.get("/buyers")
@allow(MAKERS | ASSOCIATION | ADMIN)
def directory():
    from ..db import count

    user = current_actor()
    sess = db.session()
    kind = request.args.get("kind", "")
    kinds = [kind] if kind in SUBJECT_KINDS else list(SUBJECT_KINDS)
    q = request.args.get("q", "").strip()[:100]
    stmt = vv.directory_query(kinds, q)
    total = count(sess, stmt)
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    raw = request.args.get("page", "1")
    page = min(max(small_int(raw, 1), 1), pages)
    ids = list(sess.scalars(stmt.limit(PER_PAGE).offset((page - 1) * PER_PAGE)))
    from .api import viewer_association
    items = vv.member_view(sess, ids, viewer_association(sess, user), user, locale())
    sess.commit()
    return render_template("vetting/directory.html", items=items, page=page, pages=pages, total=total,
                           filters={"kind": kind if kind in SUBJECT_KINDS else "", "q": q},
                           badge=badge_html, propose_form=ProposeForm(),
                           can_propose=user.role in {"maker_user", "board_member", "association_staff"})


@bp.route("/report/payment", methods=["GET", "POST"])
@allow(MAKERS | BOARD)
def report_payment():
    form = PaymentForm()
    form.subject_id.choices = _subject_choices()
    if request.method == "GET":
        form.subject_id.data = request.args.get("subject_id", "")
        form.currency.data = "USD"
        return _render_form("vetting/report_payment.html", form, Problems(), 200)
    data, problems = _validated(form, s.PaymentIn)
    if data is None:
        return _render_form("vetting/report_payment.html", form, problems, 422)
    try:
        vs.report_payment(db.session(), current_actor(), data)
    except DomainError as exc:
        db.session().rollback()
        return _render_form("vetting/report_payment.html", form, _refusal(exc, form), exc.status)
    flash(_("Thank you: the payment experience is recorded for the board."), "success")
    return redirect(url_for("vetting.directory"))


@bp.route("/report/incident", methods=["GET", "POST"])
@allow(MAKERS | BOARD)
def report_incident():
    request.max_content_length = ev.MAX_FILES_PER_INCIDENT * ev.MAX_EVIDENCE_BYTES + 256 * 1024
    form = IncidentForm()
    form.subject_id.choices = _subject_choices()
    if request.method == "GET":
        form.subject_id.data = request.args.get("subject_id", "")
        return _render_form("vetting/report_incident.html", form, Problems(), 200)
    data, problems = _validated(form, s.IncidentIn)
    files = []
    for upload in request.files.getlist("evidence"):
        if not upload or not upload.filename:
            continue
        try:
            files.append(ev.read_upload(upload))
        except DomainError as exc:
            problems.add("evidence", exc.text())
    if len(files) > ev.MAX_FILES_PER_INCIDENT:
        problems.add("evidence", _("At most {n} files.", n=ev.MAX_FILES_PER_INCIDENT))
    if data is None or problems:
        if data is not None and not problems.top:
            problems.top.append(_("Please correct the marked fields."))
        return _render_form("vetting/report_incident.html", form, problems, 422)
    try:
        vs.report_incident(db.session(), current_actor(), data, files)
    except DomainError as exc:
        db.session().rollback()
        return _render_form("vetting/report_incident.html", form, _refusal(exc, form), exc.status)
    flash(_("Thank you: the incident is recorded for the board; the buyer never learns who reported it."),
          "success")
    return redirect(url_for("vetting.directory"))


def _render_form(template, form, problems, status):
    return render_template(template, form=form, problems=problems), status


@bp.post("/propose")
@allow(MAKERS | BOARD | ASSOC_STAFF)
def propose():
    form = ProposeForm()
    form.subject_id.choices = _subject_choices()
    data, problems = _validated(form, s.ProposalIn)
    if data is None:
        flash(" ".join(problems.top + [m for v in problems.fields.values() for m in v]), "error")
        return redirect(url_for("vetting.directory")), 303
    try:
        vs.propose(db.session(), current_actor(), data)
        flash(_("The board will review this firm."), "success")
    except DomainError as exc:
        db.session().rollback()
        flash(exc.text(), "error")
    return redirect(url_for("vetting.directory"))


# -- the buyer's own status ------------------------------------------------------------------------

@bp.get("/status")
@allow(SUBJECTS)
def status_mine():
    user = current_actor()
    if user.organization_id is None:
        abort(403)
    return redirect(url_for("vetting.status", org_id=user.organization_id))


def _status_or_404(org_id: int) -> Organization:
    org = db.session().get(Organization, org_id)
    if org is None or org.kind not in SUBJECT_KINDS or not can_view_subject_status(current_actor(), org_id):
        abort(404)  # never confirm another firm's vetting status
    return org


@bp.get("/status/<int:org_id>")
@allow(SUBJECTS | REVIEWERS)
def status(org_id: int):
    return _render_status(_status_or_404(org_id))


def _render_status(org, reply_form=None, problems=None, code: int = 200):
    sess = db.session()
    user = current_actor()
    view = vv.subject_view(sess, org.id, user)
    form = reply_form or ReplyForm()
    form.incident_id.choices = [("", "—")] + [
        (str(i["id"]), f"#{i['id']} {tx.INCIDENT_TYPES.label(i['type'], locale())} ({i['occurred_on']})")
        for i in view["incidents"]]
    apply_form = ApplyForm()
    assocs = sess.execute(select(Association.id, Association.name).order_by(Association.name)).all()
    # offer only the associations that have neither decided about the firm nor an open case on it
    settled = {st["association_id"] for st in view["standings"]} | {c["association_id"] for c in view["open_cases"]}
    apply_form.association_id.choices = [(str(i), n) for i, n in assocs if i not in settled]
    return render_template("vetting/status.html", org=org, view=view, reply_form=form,
                           problems=problems or Problems(), apply_form=apply_form,
                           is_subject=can_reply_as_subject(user, org.id),
                           badge=badge_html), code


@bp.post("/status/<int:org_id>/reply")
@allow(SUBJECTS)
def reply(org_id: int):
    org = _status_or_404(org_id)
    if not can_reply_as_subject(current_actor(), org_id):
        abort(403)
    form = ReplyForm()
    form.incident_id.choices = []
    data, problems = _validated(form, s.ReplyIn)
    if data is None:
        return _render_status(org, form, problems, 422)
    try:
        vs.reply(db.session(), current_actor(), data)
    except DomainError as exc:
        db.session().rollback()
        return _render_status(org, form, _refusal(exc, form), exc.status)
    flash(_("Your reply is recorded and shown to the board."), "success")
    return redirect(url_for("vetting.status", org_id=org_id))


@bp.post("/apply")
@allow(SUBJECTS)
def apply():
    user = current_actor()
    if user.organization_id is None:
        abort(403)
    form = ApplyForm()
    data, problems = _validated(form, s.ApplicationIn)
    if data is None:
        flash(" ".join(problems.top + [m for v in problems.fields.values() for m in v]), "error")
    else:
        try:
            vs.apply(db.session(), user, data)
            flash(_("Your application is with the association's board."), "success")
        except DomainError as exc:
            db.session().rollback()
            flash(exc.text(), "error")
    return redirect(url_for("vetting.status", org_id=user.organization_id))


@bp.get("/audit.csv")
@allow(ASSOC_STAFF | ADMIN)
def audit_csv():
    user = current_actor()
    assoc = None if is_admin(user) else user.association_id
    if assoc is None and not is_admin(user):
        abort(403)
    sess = db.session()
    body = vs.audit_csv(sess, assoc)
    vs.audit(sess, user, "disclosure", assoc, None, what="audit log exported as CSV")
    sess.commit()
    return Response(body, mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=vetting-audit.csv"})
