"""Vetting endpoints on the JSON API (``/api/v1/vetting/...``): a child blueprint ``create_app`` nests in ``api``.

Errors have the API's usual shape; a refused request names the field it concerns.
Reporter identities appear only in ``GET /vetting/cases/<id>`` (board and staff of the case's
association); the member directory and the subject's own status never carry them.
"""
from __future__ import annotations

from functools import wraps

from flask import Response, jsonify, request

from .. import db
from .access import can_reply_as_subject, can_review_association, can_review_case, can_view_subject_status
from ..api.common import (
    ApiRoutes, code_arg, forbidden, int_arg, not_found, page_args, page_envelope, parse_body,
)
from ..auth import current_actor
from .. import taxonomy as tx
from . import evidence as ev
from . import schemas as s
from . import cases as cs
from . import decisions as dc
from . import replies as rl
from . import reports as rp
from . import services as vs
from .audit import export_csv
from . import views as vv
from .records import VettingCase
from ..api.openapi import operation
from ..api.schemas import Page
from ..access import allow, ADMIN, ASSOCIATION, ASSOC_STAFF, BOARD, MAKERS, REVIEWERS, SUBJECTS, is_admin
from ..errors import DomainError

bp = ApiRoutes("vetting", __name__)


def _vetting_errors(fn):
    @wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except DomainError:  # a refusal or a lost race: nothing half-written; errors.init_app words it
            db.session().rollback()
            raise
    return wrapper


def _lang() -> str:
    lang = request.args.get("lang", "en")
    return lang if lang in tx.LANGUAGES else "en"


# -- reports ------------------------------------------------------------------------------------

@bp.post("/vetting/payments")
@allow(MAKERS | BOARD)
@operation("Report a payment experience with a buyer or vendor", json=s.PaymentIn,
           responses={201: s.PaymentOut}, errors=(404, 409), description="Member firms; the reporter is never "
           "shown to members or the buyer.")
@_vetting_errors
def vetting_report_payment():
    row = rp.report_payment(db.session(), current_actor(), parse_body(s.PaymentIn))
    return jsonify({"id": row.id, "subject_id": row.subject_id, "association_id": row.association_id,
                    "due_date": row.due_date.isoformat()}), 201


@bp.post("/vetting/incidents")
@allow(MAKERS | BOARD)
@operation("Report an incident (hearsay until the board verifies it)", json=s.IncidentIn,
           responses={201: s.IncidentOut}, errors=(404, 409))
@_vetting_errors
def vetting_report_incident():
    row = rp.report_incident(db.session(), current_actor(), parse_body(s.IncidentIn))
    return jsonify({"id": row.id, "subject_id": row.subject_id, "association_id": row.association_id,
                    "status": row.status}), 201


@bp.post("/vetting/incidents/<int:incident_id>/evidence")
@allow(MAKERS | BOARD | ASSOC_STAFF)
@operation("Attach evidence files to an incident", form=s.EvidenceForm, responses={201: s.EvidenceOut},
           errors=(404, 409, 413), description="multipart/form-data field 'evidence'; PDF, JPEG, PNG checked by "
           "content; 5 MB each, 5 per incident.")
@_vetting_errors
def vetting_add_evidence(incident_id: int):
    """multipart/form-data with one or more ``evidence`` files (PDF, JPEG, PNG; 5 MB each)."""
    request.max_content_length = ev.MAX_FILES_PER_INCIDENT * ev.MAX_EVIDENCE_BYTES + 64 * 1024
    incident = rp.visible_incident(db.session(), current_actor(), incident_id)
    if incident is None:  # another association's incident is not confirmed to exist
        raise not_found("incident", incident_id)
    uploads = [f for f in request.files.getlist("evidence") if f and f.filename]
    if not uploads:
        raise DomainError("invalid", "send the files as multipart/form-data field 'evidence'", status=422,
                          fields=[{"field": "evidence", "problem": "no file"}])
    files = [ev.read_upload(f) for f in uploads]
    rp.add_evidence(db.session(), current_actor(), incident, files)
    return jsonify({"incident_id": incident.id, "files": len(files)}), 201


@bp.post("/vetting/incidents/<int:incident_id>/status")
@allow(MAKERS | BOARD | ASSOC_STAFF)
@operation("Verify, mark hearsay or withdraw an incident", json=s.IncidentStatusIn,
           responses={200: s.IncidentStatusOut}, errors=(404, 409), description="Verify or mark hearsay (board, "
           "staff) or withdraw (reporting firm); a new verified incident reopens the case.")
@_vetting_errors
def vetting_set_incident_status(incident_id: int):
    incident = rp.visible_incident(db.session(), current_actor(), incident_id)
    if incident is None:  # another association's incident is not confirmed to exist
        raise not_found("incident", incident_id)
    data = parse_body(s.IncidentStatusIn)
    row = rp.set_incident_status(db.session(), current_actor(), incident, data)
    return jsonify({"id": row.id, "status": row.status})


@bp.post("/vetting/references")
@allow(MAKERS | BOARD)
@operation("Report a positive reference", json=s.ReferenceIn, responses={201: s.ReferenceOut},
           errors=(404, 409))
@_vetting_errors
def vetting_report_reference():
    row = rp.report_reference(db.session(), current_actor(), parse_body(s.ReferenceIn))
    return jsonify({"id": row.id, "subject_id": row.subject_id, "association_id": row.association_id}), 201


@bp.get("/vetting/evidence/<int:file_id>")
@allow(REVIEWERS)
@operation("Download an evidence file (board, staff)", responses={200: None}, errors=(404,),
           media="application/octet-stream")
def vetting_get_evidence(file_id: int):
    response = ev.download(db.session(), current_actor(), file_id)
    if response is None:
        raise not_found("evidence file", file_id)
    return response


# -- cases --------------------------------------------------------------------------------------

@bp.post("/vetting/applications")
@allow(SUBJECTS)
@operation("A buyer or vendor applies to an association for vetting", json=s.ApplicationIn,
           responses={201: s.CaseOut}, errors=(404, 409))
@_vetting_errors
def vetting_apply():
    case = cs.apply(db.session(), current_actor(), parse_body(s.ApplicationIn))
    return jsonify({"id": case.id, "association_id": case.association_id, "status": case.status}), 201


@bp.post("/vetting/cases")
@allow(MAKERS | BOARD | ASSOC_STAFF)
@operation("Propose a buyer or vendor for vetting", json=s.ProposalIn, responses={201: s.CaseOut},
           errors=(404, 409))
@_vetting_errors
def vetting_propose():
    case = cs.propose(db.session(), current_actor(), parse_body(s.ProposalIn))
    return jsonify({"id": case.id, "association_id": case.association_id, "status": case.status}), 201


def _reviewable_case(case_id: int) -> VettingCase:
    case = db.session().get(VettingCase, case_id)
    if case is None or not can_review_case(current_actor(), case):
        raise not_found("case", case_id)
    return case


@bp.get("/vetting/cases")
@allow(REVIEWERS)
@operation("The board queue of one association", query=s.CaseQuery, responses={200: Page[s.CaseSummary]},
           errors=(400,))
def vetting_list_cases():
    user = current_actor()
    status = code_arg("status", tx.CASE_STATUSES) or "open"
    assoc = int_arg("association_id", user.association_id, 1)
    if assoc is None or not can_review_association(user, assoc):
        raise forbidden("you see the cases of your own association only")
    page, per_page = page_args()
    rows = vv.queue(db.session(), assoc, status)
    items = [dict(vv.case_summary(c, o), votes=n) for c, o, n in rows]
    return jsonify(page_envelope(items[(page - 1) * per_page:page * per_page], len(items), page, per_page))


@bp.get("/vetting/cases/<int:case_id>")
@allow(REVIEWERS)
@operation("A case with the model's score and reasons", query=s.CaseViewQuery, responses={200: s.CaseDetail},
           errors=(404,), description="Payments, incidents, reporters, evidence, votes, recusals, replies, "
           "decisions.")
@_vetting_errors
def vetting_get_case(case_id: int):
    case = _reviewable_case(case_id)
    return jsonify(vv.case_json(vv.case_view(db.session(), case, current_actor(), _lang())))


@bp.post("/vetting/cases/<int:case_id>/votes")
@allow(BOARD)
@operation("Vote on a case (board member, once, unless recused)", json=s.VoteIn, responses={201: s.VoteOut},
           errors=(404, 409))
@_vetting_errors
def vetting_vote(case_id: int):
    case = _reviewable_case(case_id)
    vote = dc.cast_vote(db.session(), current_actor(), case, parse_body(s.VoteIn))
    return jsonify({"id": vote.id, "case_id": case.id, "vote": vote.vote}), 201


@bp.post("/vetting/cases/<int:case_id>/decision")
@allow(BOARD)
@operation("Decide a case with a written rationale and a review date", json=s.DecisionIn,
           responses={201: s.DecisionOut}, errors=(404, 409),
           description="Board member, unless recused; needs at least one vote.")
@_vetting_errors
def vetting_decide(case_id: int):
    case = _reviewable_case(case_id)
    decision = dc.decide(db.session(), current_actor(), case, parse_body(s.DecisionIn))
    return jsonify(vv.decision_dict(decision)), 201


# -- members, subjects, audit --------------------------------------------------------------------

@bp.get("/vetting/subjects")
@allow(MAKERS | ASSOCIATION | ADMIN)
@operation("Member directory of buyers, agents and vendors", query=s.SubjectQuery,
           responses={200: Page[s.SubjectListing]}, errors=(400,),
           description="Status, risk band and aggregated signals.")
def vetting_list_subjects():
    """Member directory: status, risk band and aggregated signals of buyers, agents and vendors."""
    from sqlalchemy import select

    from ..organizations.records import Organization
    from .records import SUBJECT_KINDS

    user = current_actor()
    kind = code_arg("kind", tx.ORG_KINDS)
    if kind is not None and kind not in SUBJECT_KINDS:
        raise DomainError("invalid_parameter", "kind must be buyer, buying_agent or input_vendor",
                          status=400, fields=[{"field": "kind", "problem": "not a vetted kind"}])
    page, per_page = page_args()
    sess = db.session()
    stmt = select(Organization.id).where(Organization.kind.in_([kind] if kind else SUBJECT_KINDS)) \
        .order_by(Organization.name, Organization.id)
    from ..db import count
    total = count(sess, stmt)
    ids = list(sess.scalars(stmt.limit(per_page).offset((page - 1) * per_page)))
    items = vv.member_view(sess, ids, vs.viewer_association(sess, user), user, _lang())
    sess.commit()
    return jsonify(page_envelope(items, total, page, per_page))


@bp.get("/vetting/subjects/<int:org_id>/status")
@allow(SUBJECTS | REVIEWERS)
@operation("A firm's own vetting status and the incidents against it, without reporters",
           responses={200: s.SubjectStatus}, errors=(404,))
@_vetting_errors
def vetting_subject_status(org_id: int):
    """The subject's own status and the incidents against it, without reporters (right of reply)."""
    user = current_actor()
    if not can_view_subject_status(user, org_id):  # as the status page: another firm's is not confirmed to exist
        raise not_found("organization", org_id)
    vs.subject_org(db.session(), org_id, field=None)
    return jsonify(vv.subject_view(db.session(), org_id, user))


@bp.post("/vetting/subjects/<int:org_id>/replies")
@allow(SUBJECTS)
@operation("Right of reply; dispute=true disputes an incident", json=s.ReplyIn, responses={201: s.ReplyOut},
           errors=(404, 409))
@_vetting_errors
def vetting_reply(org_id: int):
    user = current_actor()
    if not can_reply_as_subject(user, org_id):
        raise forbidden("only the firm itself may reply")
    row = rl.reply(db.session(), user, parse_body(s.ReplyIn))
    return jsonify({"id": row.id, "incident_id": row.incident_id, "disputes": row.disputes}), 201


@bp.get("/vetting/audit.csv")
@allow(ASSOC_STAFF | ADMIN)
@operation("The association's append-only audit log as CSV (staff)", responses={200: None},
           media="text/csv")
def vetting_audit_csv():
    user = current_actor()
    assoc = None if is_admin(user) else user.association_id
    if assoc is None and not is_admin(user):
        raise forbidden("your account is not attached to an association")
    body = export_csv(db.session(), user, assoc)
    return Response(body, mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=vetting-audit.csv"})

