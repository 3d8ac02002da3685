"""JSON endpoints of the consortia concern, on the ``api`` blueprint (``/api/v1/consortia/...``).

Optimising is a job: ``POST .../proposal`` and ``PUT .../locks`` answer 202 with the job's
URL, and the proposal holds the alternatives once it ends.
"""
from __future__ import annotations

from flask import jsonify, url_for
from sqlalchemy import select

from .. import db, jobs
from ..api import bp
from ..api.common import parse_body, reject_unknown_args
from ..auth import current_actor
from ..schema import Requirement
from . import access
from . import schemas as s
from . import services as svc
from .records import Proposal


def _accepted(proposal, job_id: str):
    url = url_for("api.consortia_job", proposal_id=proposal.id, job_id=job_id)
    return jsonify({"proposal": svc.proposal_dict(proposal), "job": {"id": job_id, "url": url}}), 202


@bp.get("/consortia/proposals/<int:proposal_id>/jobs/<job_id>")
def consortia_job(proposal_id: int, job_id: str):
    proposal = access.own_proposal(db.session(), current_actor(), proposal_id)
    job = jobs.get(job_id)
    if job is None or job.subject != f"consortium:{proposal.id}":
        raise access.not_found("job")
    return jsonify(jobs.job_dict(job))


@bp.get("/consortia/requirements")
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
def consortia_propose(req_id: int):
    actor = current_actor()
    req = access.coordinator_requirement(db.session(), actor, req_id)
    proposal, job_id = svc.start(db.session(), req, actor)
    return _accepted(proposal, job_id)


@bp.get("/consortia/proposals/<int:proposal_id>")
def consortia_proposal(proposal_id: int):
    proposal = access.own_proposal(db.session(), current_actor(), proposal_id)
    return jsonify(svc.proposal_dict(proposal))


@bp.put("/consortia/proposals/<int:proposal_id>/locks")
def consortia_locks(proposal_id: int):
    actor = current_actor()
    proposal = access.own_proposal(db.session(), actor, proposal_id)
    body = parse_body(s.LocksIn)
    locks = svc.validate_locks(proposal, body.locks)
    proposal, job_id = svc.start(db.session(), proposal.requirement, actor, locks, body.version)
    return _accepted(proposal, job_id)


@bp.post("/consortia/proposals/<int:proposal_id>/send")
def consortia_send(proposal_id: int):
    actor = current_actor()
    proposal = access.own_proposal(db.session(), actor, proposal_id)
    body = parse_body(s.SendIn)
    return jsonify(svc.proposal_dict(svc.send(db.session(), proposal, body.chosen, body.version)))


@bp.get("/consortia/offers")
def consortia_offers():
    reject_unknown_args(set())
    actor = current_actor()
    rows = db.session().scalars(select(Proposal).join(Requirement, Requirement.id == Proposal.requirement_id)
                                .where(Requirement.buyer_id == actor.organization_id, Proposal.status == "sent")
                                .order_by(Proposal.sent_at.desc())).all()
    return jsonify({"items": [svc.offer_dict(p) for p in rows]})


@bp.get("/consortia/offers/<int:proposal_id>")
def consortia_offer(proposal_id: int):
    return jsonify(svc.offer_dict(access.offer_for_buyer(db.session(), current_actor(), proposal_id)))


@bp.get("/consortia/parts")
def consortia_parts():
    reject_unknown_args(set())
    actor = current_actor()
    return jsonify({"items": [svc.part_dict(p) for p in svc.parts_for_maker(db.session(), actor.organization_id)]})


@bp.post("/consortia/parts/<int:part_id>/answer")
def consortia_answer(part_id: int):
    part = access.own_part(db.session(), current_actor(), part_id)
    body = parse_body(s.PartAnswerIn)
    return jsonify(svc.part_dict(svc.answer_part(db.session(), part, body.confirm, body.units)))
