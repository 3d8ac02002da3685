"""Vetting pages for members (routes on the ``vetting`` blueprint of ``vetting.pages``): the directory of
vetted firms, the payment and incident report forms, and proposing a firm for vetting.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from .. import db, paging
from ..auth import current_actor
from ..forms import Problems
from ..i18n import gettext as _
from ..i18n import locale
from . import evidence as ev
from . import schemas as s
from . import cases as cs
from . import reports as rp
from . import services as vs
from . import views as vv
from .forms import IncidentForm, PaymentForm, ProposeForm, _subject_choices
from .pages import badge_html, bp, flash_problems, refusal, validated
from .records import SUBJECT_KINDS
from ..access import allow, ADMIN, ASSOCIATION, ASSOC_STAFF, BOARD, MAKERS
from ..errors import DomainError


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
    pages, page = paging.page_count(total, PER_PAGE), paging.page_arg()
    if (past := paging.to_last_page(page, pages)) is not None:
        return past
    ids = list(sess.scalars(stmt.limit(PER_PAGE).offset(paging.offset(page, PER_PAGE))))
    association = vs.viewer_association(sess, user)
    items = vv.member_view(sess, ids, association, user, locale())
    sess.commit()
    return render_template("vetting/directory.html", items=items, page=page, pages=pages, total=total,
                           no_association=association == vs.NO_ASSOCIATION,
                           filters={"kind": kind if kind in SUBJECT_KINDS else "", "q": q},
                           badge=badge_html, propose_form=ProposeForm(),
                           can_propose=association != vs.NO_ASSOCIATION
                           and user.role in {"maker_user", "board_member", "association_staff"})


@bp.route("/report/payment", methods=["GET", "POST"])
@allow(MAKERS | BOARD)
def report_payment():
    form = PaymentForm()
    form.subject_id.choices = _subject_choices()
    if request.method == "GET":
        form.subject_id.data = request.args.get("subject_id", "")
        form.currency.data = "USD"
        return _render_form("vetting/report_payment.html", form, Problems(), 200)
    data, problems = validated(form, s.PaymentIn)
    if data is None:
        return _render_form("vetting/report_payment.html", form, problems, 422)
    try:
        rp.report_payment(db.session(), current_actor(), data)
    except DomainError as exc:
        db.session().rollback()
        return _render_form("vetting/report_payment.html", form, refusal(exc, form), exc.status)
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
    data, problems = validated(form, s.IncidentIn)
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
        rp.report_incident(db.session(), current_actor(), data, files)
    except DomainError as exc:
        db.session().rollback()
        return _render_form("vetting/report_incident.html", form, refusal(exc, form), exc.status)
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
    data, problems = validated(form, s.ProposalIn)
    if data is None:
        flash_problems(problems)
        return redirect(url_for("vetting.directory")), 303
    try:
        cs.propose(db.session(), current_actor(), data)
        flash(_("The board will review this firm."), "success")
    except DomainError as exc:
        db.session().rollback()
        flash(exc.text(), "error")
    return redirect(url_for("vetting.directory"))
