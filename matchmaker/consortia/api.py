"""JSON endpoints of the consortia concern, on the ``api`` blueprint (``/api/v1/consortia/...``).

Optimising is a job: ``POST .../proposal`` and ``PUT .../locks`` answer 202 with the job's
URL, and the proposal holds the alternatives once it ends. ``POST .../send`` makes the chosen
team a contact quote on the buyer's inquiry with the coordinator (see ``offer``); the buyer
reads it with the other quotes, and ``/consortia/offers`` with its plan.
"""
from __future__ import annotations

from flask import jsonify, url_for
from sqlalchemy import select

from .. import db, jobs
from ..api.common import ApiRoutes, parse_body, reject_unknown_args
from ..api.openapi import operation
from ..auth import current_actor
from ..requirements.records import Requirement
from . import access, offer
from . import schemas as s
from . import services as svc
from .records import Proposal
from ..access import allow, BUYERS, MAKERS
from ..catalog import N_

bp = ApiRoutes("consortia", __name__)


def _accepted(proposal, job_id: str):
    url = url_for("api.consortia_job", proposal_id=proposal.id, job_id=job_id)
    return jsonify({"proposal": svc.proposal_dict(proposal), "job": {"id": job_id, "url": url}}), 202


@bp.get("/consortia/proposals/<int:proposal_id>/jobs/<job_id>")
@allow(MAKERS)
@operation("A proposal's optimisation job: status and progress", responses={200: s.JobStatusOut}, errors=(404,))
def consortia_job(proposal_id: int, job_id: str):
    proposal = access.own_proposal(db.session(), current_actor(), proposal_id)
    job = jobs.get(job_id)
    if job is None or job.subject != f"consortium:{proposal.id}":
        raise access.not_found(N_("job"))
    return jsonify(jobs.job_dict(job))


@bp.get("/consortia/requirements")
@allow(MAKERS)
@operation("Open requirements of two stages or more the coordinator may serve, with its proposal if any",
           responses={200: s.RequirementsToServe}, errors=(400,))
def consortia_requirements():
    reject_unknown_args(set())
    actor = current_actor()
    access.require_coordinator(actor)
    rows = svc.requirements_to_serve(db.session(), actor, access.visible_requirement_filter(actor))
    return jsonify({"items": [{"id": r.id, "title": r.title, "quantity": r.quantity,
                               "stages": svc.requirement_stages(r),
                               "proposal": None if p is None else {"id": p.id, "status": p.status}}
                              for r, p in rows]})


@bp.post("/consortia/requirements/<int:req_id>/proposal")
@allow(MAKERS)
@operation("Optimise teams for a requirement as a job (202); the proposal holds them when it ends",
           responses={202: s.ProposalJobOut}, errors=(404, 409))
def consortia_propose(req_id: int):
    actor = current_actor()
    req = access.coordinator_requirement(db.session(), actor, req_id)
    proposal, job_id = svc.start(db.session(), req, actor)
    return _accepted(proposal, job_id)


@bp.get("/consortia/proposals/<int:proposal_id>")
@allow(MAKERS)
@operation("The coordinator's proposal: diverse teams with bound, gap, reasons and plan, and the greedy baseline",
           responses={200: s.ProposalOut}, errors=(404,))
def consortia_proposal(proposal_id: int):
    proposal = access.own_proposal(db.session(), current_actor(), proposal_id)
    return jsonify(svc.proposal_dict(proposal))


@bp.put("/consortia/proposals/<int:proposal_id>/locks")
@allow(MAKERS)
@operation("Fix stages to makers of a proposed team (and the small-firm share) and re-optimise the rest (202)",
           json=s.LocksIn,
           responses={202: s.ProposalJobOut}, errors=(404, 409))
def consortia_locks(proposal_id: int):
    actor = current_actor()
    proposal = access.own_proposal(db.session(), actor, proposal_id)
    body = parse_body(s.LocksIn)
    locks = svc.validate_locks(proposal, body.locks)
    proposal, job_id = svc.start(db.session(), proposal.requirement, actor, locks, body.version, body.small_share)
    return _accepted(proposal, job_id)


@bp.post("/consortia/proposals/<int:proposal_id>/send")
@allow(MAKERS)
@operation("Send one team to the buyer as one quote on its inquiry with the coordinator (made or reused); each "
           "member is asked to confirm its part", json=s.SendIn,
           responses={200: s.ProposalOut}, errors=(404, 409))
def consortia_send(proposal_id: int):
    actor = current_actor()
    proposal = access.own_proposal(db.session(), actor, proposal_id)
    body = parse_body(s.SendIn)
    return jsonify(svc.proposal_dict(offer.send(db.session(), proposal, actor, body)))


@bp.get("/consortia/offers")
@allow(BUYERS)
@operation("Offers sent to the buyer's requirements, each one quote with its stage plan",
           responses={200: s.Offers}, errors=(400,))
def consortia_offers():
    reject_unknown_args(set())
    actor = current_actor()
    rows = db.session().scalars(select(Proposal).join(Requirement, Requirement.id == Proposal.requirement_id)
                                .where(Requirement.buyer_id == actor.organization_id, Proposal.status == "sent")
                                .order_by(Proposal.sent_at.desc())).all()
    return jsonify({"items": [offer.offer_dict(db.session(), p) for p in rows]})


@bp.get("/consortia/offers/<int:proposal_id>")
@allow(BUYERS)
@operation("One offer with its stage plan", responses={200: s.OfferOut}, errors=(404,))
def consortia_offer(proposal_id: int):
    return jsonify(offer.offer_dict(db.session(), access.offer_for_buyer(db.session(), current_actor(), proposal_id)))


@bp.get("/consortia/parts")
@allow(MAKERS)
@operation("Parts of consortia the maker is asked to take", responses={200: s.MemberParts}, errors=(400,))
def consortia_parts():
    reject_unknown_args(set())
    actor = current_actor()
    return jsonify({"items": [svc.part_dict(p) for p in svc.parts_for_maker(db.session(), actor.organization_id)]})


@bp.post("/consortia/parts/<int:part_id>/answer")
@allow(MAKERS)
@operation("Confirm a part (the units the maker can take, its price per piece) or decline it, once",
           json=s.PartAnswerIn,
           responses={200: s.MemberPartOut}, errors=(404, 409))
def consortia_answer(part_id: int):
    part = access.own_part(db.session(), current_actor(), part_id)
    body = parse_body(s.PartAnswerIn)
    return jsonify(svc.part_dict(svc.answer_part(db.session(), part, body.confirm, body.units, body.unit_price)))
