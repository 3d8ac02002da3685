"""Consortia pages: the coordinator's requirements and proposals (alternatives with bound and
gap, explanations, a stage plan, locks, the small-firm share, re-optimising, sending as a quote),
the members' parts to confirm (with their price), and the buyer's view of a sent offer; the
contact inquiry page shows the same offer beside its quote (``consortium_offer``).

Same services as the JSON API; forms are WTForms with a CSRF token. A refusal is shown at the
top of the page with a 4xx status and nothing written.
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from pydantic import ValidationError

from .. import db, paging
from ..auth import current_actor
from ..db import count
from ..i18n import N_
from ..i18n import gettext as _
from . import access, offer
from .forms import ConsortiumForm, LockForm, PartForm, ProposeForm, SendForm, ShareForm
from . import services as svc
from .gantt import gantt
from .reasons import SHORTFALLS, TERMS, sentence
from .schemas import SendIn
from .terms import EXPLAIN
from ..access import allow, BUYERS, MAKERS
from ..errors import DomainError

bp = Blueprint("consortia", __name__, url_prefix="/consortia")
#: The message beside a send-form field the schema refused.
FIELD_PROBLEMS = {"unit_price": N_("A price per piece above 0 and up to 100,000."),
                  "currency": N_("Choose one of the listed currencies."),
                  "valid_until": N_("Enter a date as YYYY-MM-DD, today or later."),
                  "notes": N_("At most 4,000 characters.")}


def _number(raw, field: str, cast=float):
    """A form's number, or None when blank; a 422 naming ``field`` when it is not one."""
    raw = (raw or "").strip().replace(",", "")
    if not raw:
        return None
    try:
        return cast(raw)
    except ValueError:
        raise svc.invalid(field, N_("Enter a number.")) from None


@bp.context_processor
def _helpers():
    return {"is_coordinator": lambda: svc.is_coordinator(current_actor()), "reason": sentence,
            "sent_quote": lambda p: svc.latest_quote(db.session(), p.id),
            "term": lambda code: _(TERMS.get(code, code)), "shortfall": lambda code: _(SHORTFALLS.get(code, code))}


def _refused(exc: DomainError, template: str, status: int | None = None, **context):
    problems = [exc.text()] + [f["problem"] for f in exc.fields if f["problem"] != exc.text()]
    return render_template(template, problems=problems, **context), status or exc.status


#: requirements to serve a page of ``/consortia/``
PER_PAGE = 30


@bp.get("/")
@allow(MAKERS)
def index():
    actor = current_actor()
    sess = db.session()
    parts = svc.parts_for_maker(sess, actor.organization_id) if actor.organization_id else []
    rows, total, page, pages = [], 0, 1, 1
    if svc.is_coordinator(actor):  # the requirements to serve, PER_PAGE a page (only that page is read)
        visible = access.visible_requirement_filter(actor)
        total, page = count(sess, svc.serveable(visible)), paging.page_arg()
        pages = paging.page_count(total, PER_PAGE)
        if (past := paging.to_last_page(page, pages)) is not None:
            return past
        rows = svc.requirements_to_serve(sess, actor, visible, PER_PAGE, paging.offset(page, PER_PAGE))
    return render_template("consortia/index.html", rows=rows, total=total, page=page, pages=pages, parts=parts,
                           form=ProposeForm(), part_form=PartForm(), stages_of=svc.requirement_stages)


@bp.post("/requirements/<int:req_id>/propose")
@allow(MAKERS)
def propose(req_id: int):
    actor = current_actor()
    req = access.coordinator_requirement(db.session(), actor, req_id)
    if not ProposeForm().validate_on_submit():
        flash(_("The form expired; try again."), "error")
        return redirect(url_for("consortia.index"))
    try:
        proposal, _job = svc.start(db.session(), req, actor)
    except DomainError as exc:
        flash(exc.text(), "error")
        return redirect(url_for("consortia.index"))
    return redirect(url_for("consortia.proposal", proposal_id=proposal.id))


def _render_proposal(proposal, problems=None, status: int = 200, fields: dict | None = None,
                     posted: ConsortiumForm | None = None):
    """The proposal page; after a refusal, the ``posted`` form's values are shown again beside its problems."""
    from .. import jobs

    job = jobs.latest(f"consortium:{proposal.id}")
    working = job is not None and job.status in ("queued", "running")
    charts = [gantt(alt["plan"], proposal.requirement.lead_time_days) for alt in proposal.alternatives]
    greedy_chart = gantt(proposal.greedy["plan"], proposal.requirement.lead_time_days) if proposal.greedy else None
    return render_template("consortia/proposal.html", p=proposal, job=job, working=working, charts=charts,
                           greedy_chart=greedy_chart, lock_form=LockForm(), send_form=SendForm(),
                           share_form=ShareForm(), explain=[(k, _(v)) for k, v in EXPLAIN.items()],
                           problems=problems or [], fields=fields or {},
                           form=posted.values() if posted is not None and status >= 400 else {}), status


def _refusal(proposal, exc: DomainError, posted: ConsortiumForm):
    db.session().rollback()
    fields = {f["field"]: f["problem"] for f in exc.fields}
    return _render_proposal(proposal, [exc.text()], exc.status, fields, posted)


@bp.get("/proposals/<int:proposal_id>")
@allow(MAKERS)
def proposal(proposal_id: int):
    return _render_proposal(access.own_proposal(db.session(), current_actor(), proposal_id))


@bp.post("/proposals/<int:proposal_id>/lock/<stage>")
@allow(MAKERS)
def lock(proposal_id: int, stage: str):
    actor = current_actor()
    proposal = access.own_proposal(db.session(), actor, proposal_id)
    form = LockForm()
    try:
        if not form.validate_on_submit():
            raise DomainError("csrf", "The form expired; try again.", status=400)
        alternative = proposal.alternatives[int(form.alternative.data)]
        makers = [a["maker_id"] for a in alternative["assignments"] if a["stage"] == stage]
        locks = {k: v for k, v in proposal.locks.items() if k != stage}
        if stage not in proposal.locks:
            locks[stage] = makers
        svc.start(db.session(), proposal.requirement, actor, svc.validate_locks(proposal, locks),
                  int(form.version.data))
    except (ValueError, IndexError, TypeError):
        return _render_proposal(proposal, [_("Pick a stage of a proposed team.")], 422, posted=form)
    except DomainError as exc:
        db.session().rollback()
        return _render_proposal(proposal, [exc.text()], exc.status, posted=form)
    return redirect(url_for("consortia.proposal", proposal_id=proposal.id))


@bp.post("/proposals/<int:proposal_id>/send")
@allow(MAKERS)
def send(proposal_id: int):
    proposal = access.own_proposal(db.session(), current_actor(), proposal_id)
    form = SendForm()
    try:
        if not form.validate_on_submit():
            raise DomainError("csrf", "The form expired; try again.", status=400)
        try:
            chosen, version = int(form.chosen.data), int(form.version.data)
        except (ValueError, TypeError):
            raise svc.invalid("chosen", N_("Pick one of the proposed teams.")) from None
        try:
            body = SendIn(chosen=chosen, version=version, unit_price=_number(form.unit_price.data, "unit_price"),
                          currency=(form.currency.data or "").strip().upper() or None,
                          valid_until=(form.valid_until.data or "").strip() or None, notes=form.notes.data or "",
                          show_stage_prices=bool(form.show_stage_prices.data))
        except ValidationError as exc:
            err = exc.errors(include_url=False)[0]
            name = str(err["loc"][0]) if err["loc"] else "chosen"
            raise svc.invalid(name, FIELD_PROBLEMS.get(name, N_("Check this value."))) from None
        offer.send(db.session(), proposal, current_actor(), body)
    except DomainError as exc:
        return _refusal(proposal, exc, form)
    flash(_("The offer was sent to the buyer as one quote; each member is asked to confirm its part."), "success")
    return redirect(url_for("consortia.proposal", proposal_id=proposal.id))


@bp.post("/proposals/<int:proposal_id>/share")
@allow(MAKERS)
def share(proposal_id: int):
    """Set the stated share for small firms and re-optimise."""
    actor = current_actor()
    proposal = access.own_proposal(db.session(), actor, proposal_id)
    form = ShareForm()
    try:
        if not form.validate_on_submit():
            raise DomainError("csrf", "The form expired; try again.", status=400)
        pct = _number(form.small_share.data, "small_share")
        if pct is None or not 0 <= pct <= 100:
            raise svc.invalid("small_share", N_("A share between 0 and 100 %."))
        try:
            version = int(form.version.data)
        except (ValueError, TypeError):
            raise svc.invalid("small_share", "The form expired; try again.") from None
        svc.start(db.session(), proposal.requirement, actor, None, version, round(pct / 100, 4))
    except DomainError as exc:
        return _refusal(proposal, exc, form)
    return redirect(url_for("consortia.proposal", proposal_id=proposal.id))


@bp.post("/parts/<int:part_id>/answer")
@allow(MAKERS)
def answer(part_id: int):
    actor = current_actor()
    part = access.own_part(db.session(), actor, part_id)
    form = PartForm()
    if not form.validate_on_submit():
        flash(_("Units must be a whole number."), "error")
        return redirect(url_for("consortia.index"))
    try:
        svc.answer_part(db.session(), part, not form.decline.data, form.units.data,
                        _number(form.unit_price.data, "unit_price"))
    except DomainError as exc:
        db.session().rollback()
        flash(exc.text(), "error")
        return redirect(url_for("consortia.index"))
    flash(_("Your answer was recorded."), "success")
    return redirect(url_for("consortia.index"))


@bp.get("/offers/<int:proposal_id>", endpoint="offer")
@allow(BUYERS)
def offer_page(proposal_id: int):
    """The buyer's view of one consortium offer (the same quote and plan its inquiry page shows)."""
    proposal = access.offer_for_buyer(db.session(), current_actor(), proposal_id)
    data = offer.offer_dict(db.session(), proposal)
    return render_template("consortia/offer.html", offer=data,
                           chart=gantt(data["plan"], proposal.requirement.lead_time_days))


@bp.app_context_processor
def _quote_plan():
    """``consortium_offer(proposal_id)`` for the contact inquiry page: the offer's stages and
    Gantt chart beside its quote. The caller (the inquiry page) has checked that the reader is
    the inquiry's buyer or its coordinator."""
    def consortium_offer(proposal_id: int):
        from .records import Proposal

        proposal = db.session().get(Proposal, proposal_id)
        if proposal is None or proposal.status != "sent":
            return None
        data = offer.offer_dict(db.session(), proposal)
        return {**data, "chart": gantt(data["plan"], proposal.requirement.lead_time_days)}

    return {"consortium_offer": consortium_offer}
