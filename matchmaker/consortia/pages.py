"""Consortia pages: the coordinator's requirements and proposals (alternatives with bound and
gap, explanations, a stage plan, locks, re-optimising, sending), the members' parts to
confirm, and the buyer's view of a sent offer.

Same services as the JSON API; forms are WTForms with a CSRF token. A refusal is shown at the
top of the page with a 4xx status and nothing written.
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField
from wtforms.validators import Optional

from .. import db
from ..auth import current_actor
from ..errors import ApiError
from ..i18n import gettext as _
from . import access
from . import services as svc
from .gantt import gantt
from .reasons import SHORTFALLS, TERMS, sentence

bp = Blueprint("consortia", __name__, url_prefix="/consortia")


class ProposeForm(FlaskForm):
    pass


class LockForm(FlaskForm):
    version = HiddenField()
    alternative = HiddenField()


class SendForm(FlaskForm):
    version = HiddenField()
    chosen = HiddenField()


class PartForm(FlaskForm):
    units = IntegerField("Units you can take", validators=[Optional()])
    decline = BooleanField("Decline this part")


@bp.context_processor
def _helpers():
    return {"is_coordinator": lambda: svc.is_coordinator(current_actor()), "reason": sentence,
            "term": lambda code: _(TERMS.get(code, code)), "shortfall": lambda code: _(SHORTFALLS.get(code, code))}


def _refused(exc: ApiError, template: str, status: int | None = None, **context):
    problems = [exc.message] + [f["problem"] for f in exc.fields if f["problem"] != exc.message]
    return render_template(template, problems=problems, **context), status or exc.status


@bp.get("/")
def index():
    actor = current_actor()
    sess = db.session()
    parts = svc.parts_for_maker(sess, actor.organization_id) if actor.organization_id else []
    rows = (svc.requirements_to_serve(sess, actor, access.visible_requirement_filter(actor))
            if svc.is_coordinator(actor) else [])
    return render_template("consortia/index.html", rows=rows, parts=parts, form=ProposeForm(),
                           part_form=PartForm(), stages_of=svc.requirement_stages)


@bp.post("/requirements/<int:req_id>/propose")
def propose(req_id: int):
    actor = current_actor()
    req = access.coordinator_requirement(db.session(), actor, req_id)
    if not ProposeForm().validate_on_submit():
        flash(_("The form expired; try again."), "error")
        return redirect(url_for("consortia.index"))
    try:
        proposal, _job = svc.start(db.session(), req, actor)
    except ApiError as exc:
        flash(exc.message, "error")
        return redirect(url_for("consortia.index"))
    return redirect(url_for("consortia.proposal", proposal_id=proposal.id))


def _render_proposal(proposal, problems=None, status: int = 200):
    from .. import jobs

    job = jobs.latest(f"consortium:{proposal.id}")
    working = job is not None and job.status in ("queued", "running")
    charts = [gantt(alt["plan"], proposal.requirement.lead_time_days) for alt in proposal.alternatives]
    greedy_chart = gantt(proposal.greedy["plan"], proposal.requirement.lead_time_days) if proposal.greedy else None
    return render_template("consortia/proposal.html", p=proposal, job=job, working=working, charts=charts,
                           greedy_chart=greedy_chart, lock_form=LockForm(), send_form=SendForm(),
                           problems=problems or []), status


@bp.get("/proposals/<int:proposal_id>")
def proposal(proposal_id: int):
    return _render_proposal(access.own_proposal(db.session(), current_actor(), proposal_id))


@bp.post("/proposals/<int:proposal_id>/lock/<stage>")
def lock(proposal_id: int, stage: str):
    actor = current_actor()
    proposal = access.own_proposal(db.session(), actor, proposal_id)
    form = LockForm()
    try:
        if not form.validate_on_submit():
            raise ApiError(400, "csrf", _("The form expired; try again."))
        alternative = proposal.alternatives[int(form.alternative.data)]
        makers = [a["maker_id"] for a in alternative["assignments"] if a["stage"] == stage]
        locks = {k: v for k, v in proposal.locks.items() if k != stage}
        if stage not in proposal.locks:
            locks[stage] = makers
        svc.start(db.session(), proposal.requirement, actor, svc.validate_locks(proposal, locks),
                  int(form.version.data))
    except (ValueError, IndexError, TypeError):
        return _render_proposal(proposal, [_("Pick a stage of a proposed team.")], 422)
    except ApiError as exc:
        db.session().rollback()
        return _render_proposal(proposal, [exc.message], exc.status)
    return redirect(url_for("consortia.proposal", proposal_id=proposal.id))


@bp.post("/proposals/<int:proposal_id>/send")
def send(proposal_id: int):
    proposal = access.own_proposal(db.session(), current_actor(), proposal_id)
    form = SendForm()
    try:
        if not form.validate_on_submit():
            raise ApiError(400, "csrf", _("The form expired; try again."))
        svc.send(db.session(), proposal, int(form.chosen.data), int(form.version.data))
    except (ValueError, TypeError):
        return _render_proposal(proposal, [_("Pick one of the proposed teams.")], 422)
    except ApiError as exc:
        db.session().rollback()
        return _render_proposal(proposal, [exc.message], exc.status)
    flash(_("The offer was sent to the buyer; each member is asked to confirm its part."), "success")
    return redirect(url_for("consortia.proposal", proposal_id=proposal.id))


@bp.post("/parts/<int:part_id>/answer")
def answer(part_id: int):
    actor = current_actor()
    part = access.own_part(db.session(), actor, part_id)
    form = PartForm()
    if not form.validate_on_submit():
        flash(_("Units must be a whole number."), "error")
        return redirect(url_for("consortia.index"))
    try:
        svc.answer_part(db.session(), part, not form.decline.data, form.units.data)
    except ApiError as exc:
        db.session().rollback()
        flash(exc.message, "error")
        return redirect(url_for("consortia.index"))
    flash(_("Your answer was recorded."), "success")
    return redirect(url_for("consortia.index"))


@bp.get("/offers/<int:proposal_id>")
def offer(proposal_id: int):
    proposal = access.offer_for_buyer(db.session(), current_actor(), proposal_id)
    data = svc.offer_dict(proposal)
    return render_template("consortia/offer.html", offer=data,
                           chart=gantt(data["plan"], proposal.requirement.lead_time_days))
