"""Vetting pages for the subject (routes on the ``vetting`` blueprint of ``vetting.pages``): a buyer's or
input vendor's own status, its reply to the board, its application to an association; board and staff
read the same status page.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from sqlalchemy import select

from .. import db
from .access import can_reply_as_subject, can_view_subject_status
from .. import taxonomy as tx
from ..auth import current_actor
from ..forms import Problems
from ..i18n import gettext as _
from ..i18n import locale
from ..organizations.records import Association, Organization
from . import schemas as s
from . import cases as cs
from . import replies as rl
from . import views as vv
from .forms import ApplyForm, ReplyForm
from .pages import badge_html, bp, flash_problems, refusal, validated
from .records import SUBJECT_KINDS
from ..access import allow, REVIEWERS, SUBJECTS
from ..errors import DomainError


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
    data, problems = validated(form, s.ReplyIn)
    if data is None:
        return _render_status(org, form, problems, 422)
    try:
        rl.reply(db.session(), current_actor(), data)
    except DomainError as exc:
        db.session().rollback()
        return _render_status(org, form, refusal(exc, form), exc.status)
    flash(_("Your reply is recorded and shown to the board."), "success")
    return redirect(url_for("vetting.status", org_id=org_id))


@bp.post("/apply")
@allow(SUBJECTS)
def apply():
    user = current_actor()
    if user.organization_id is None:
        abort(403)
    form = ApplyForm()
    data, problems = validated(form, s.ApplicationIn)
    if data is None:
        flash_problems(problems)
    else:
        try:
            cs.apply(db.session(), user, data)
            flash(_("Your application is with the association's board."), "success")
        except DomainError as exc:
            db.session().rollback()
            flash(exc.text(), "error")
    return redirect(url_for("vetting.status", org_id=user.organization_id))
