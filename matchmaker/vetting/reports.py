"""Members' reports about a subject: payment experiences, incidents with their evidence files, references.

A report goes to an association the reporting firm belongs to, never about the firm itself. An
incident starts as hearsay; the board or staff of its association verify it (which reopens the
subject's cases, ``cases.reopen_for_incident``) or mark it hearsay, the reporting firm may withdraw it,
and only the subject disputes it (through its reply, ``replies``). Evidence files are stored before the
commit and deleted again when the commit fails.

Whoever may not know an incident exists (``visible_incident``) is answered as for an id that does
not exist, so incident ids of other associations reveal nothing.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..access import acts_for
from .access import can_review_association
from ..accounts.records import User
from ..records import utcnow
from . import evidence as ev
from . import schemas as s
from .audit import audit
from .cases import reopen_for_incident
from .records import EvidenceFile, Incident, PaymentExperience, Reference
from .screening import sharing_partners
from .services import check_not_self, commit, reporting_association, subject_org
from ..errors import DomainError


def may_know_incident(session: Session, user: User | None, incident: Incident) -> bool:
    """Whether ``user`` may learn that ``incident`` exists: the reporting firm, the subject itself, the
    board and staff of its association (and the platform admin), and those of an association it is
    shared with once verified (what the case and status pages show them). A member firm that did not
    report it sees aggregates only."""
    if user is None:
        return False
    if can_review_association(user, incident.association_id) or acts_for(user, incident.reporter_org_id) \
            or acts_for(user, incident.subject_id):
        return True
    return (incident.status == "verified" and user.role in {"board_member", "association_staff"}
            and user.association_id is not None
            and incident.association_id in sharing_partners(session, user.association_id))


def visible_incident(session: Session, user: User | None, incident_id: int) -> Incident | None:
    """The incident, or ``None`` when it does not exist *or* ``user`` may not know it exists (the caller
    answers 404 either way)."""
    incident = session.get(Incident, incident_id)
    return incident if incident is not None and may_know_incident(session, user, incident) else None


def report_payment(session: Session, user: User, data: s.PaymentIn) -> PaymentExperience:
    subject_org(session, data.subject_id)
    check_not_self(user, data.subject_id)
    assoc = reporting_association(session, user, data.association_id)
    row = PaymentExperience(
        subject_id=data.subject_id, association_id=assoc, reporter_org_id=user.organization_id,
        reported_by_id=user.id, invoice_date=data.invoice_date, amount=data.amount, currency=data.currency,
        terms_days=data.terms_days, due_date=data.due_date or data.invoice_date + timedelta(days=data.terms_days),
        paid_date=data.paid_date, paid_amount=data.paid_amount, deposit_share=data.deposit_share)
    session.add(row)
    session.flush()
    audit(session, user, "payment_reported", assoc, data.subject_id, record_id=row.id)
    commit(session)
    return row


def report_incident(session: Session, user: User, data: s.IncidentIn,
                    files: list[ev.CheckedFile] = ()) -> Incident:
    """A new incident (status hearsay until the board verifies it), with its evidence files."""
    subject_org(session, data.subject_id)
    check_not_self(user, data.subject_id)
    assoc = reporting_association(session, user, data.association_id)
    if len(files) > ev.MAX_FILES_PER_INCIDENT:
        raise DomainError("invalid", "at most {limit} evidence files",
                          field="evidence", params={"limit": ev.MAX_FILES_PER_INCIDENT})
    row = Incident(subject_id=data.subject_id, association_id=assoc, reporter_org_id=user.organization_id,
                   reported_by_id=user.id, type=data.type, severity=int(data.severity),
                   occurred_on=data.occurred_on, description=data.description, status="hearsay")
    session.add(row)
    session.flush()
    _attach(session, user, row, list(files))
    audit(session, user, "incident_reported", assoc, data.subject_id, record_id=row.id, files=len(files))
    return row


def _attach(session: Session, user: User, incident: Incident, files: list[ev.CheckedFile]) -> None:
    """Store files, add their rows and commit; on any failure the files are removed again."""
    stored: list[str] = []
    try:
        for f in files:
            name = ev.store(f)
            stored.append(name)
            session.add(EvidenceFile(incident_id=incident.id, original_name=f.original_name, stored_name=name,
                                     content_type=f.content_type, size_bytes=len(f.data), sha256=f.sha256,
                                     uploaded_by_id=user.id))
        commit(session)
    except BaseException:
        session.rollback()
        ev.discard(stored)
        raise


def add_evidence(session: Session, user: User, incident: Incident, files: list[ev.CheckedFile]) -> None:
    if not (user.organization_id == incident.reporter_org_id or can_review_association(
            user, incident.association_id)):
        raise DomainError("forbidden", "only the reporting firm or the board may add evidence", status=403)
    have = session.scalar(select(func.count()).select_from(EvidenceFile)
                          .where(EvidenceFile.incident_id == incident.id))
    if have + len(files) > ev.MAX_FILES_PER_INCIDENT:
        raise DomainError("invalid", "at most {limit} evidence files per incident",
                          field="evidence", params={"limit": ev.MAX_FILES_PER_INCIDENT})
    audit(session, user, "incident_reported", incident.association_id, incident.subject_id,
          record_id=incident.id, files_added=len(files))
    _attach(session, user, incident, files)


def report_reference(session: Session, user: User, data: s.ReferenceIn) -> Reference:
    subject_org(session, data.subject_id)
    check_not_self(user, data.subject_id)
    assoc = reporting_association(session, user, data.association_id)
    row = Reference(subject_id=data.subject_id, association_id=assoc, reporter_org_id=user.organization_id,
                    reported_by_id=user.id, type=data.type, occurred_on=data.occurred_on, note=data.note)
    session.add(row)
    session.flush()
    audit(session, user, "reference_reported", assoc, data.subject_id, record_id=row.id)
    commit(session)
    return row


def set_incident_status(session: Session, user: User, incident: Incident, data: s.IncidentStatusIn) -> Incident:
    """Board/staff verify or mark hearsay; the reporting firm (or board/staff) withdraw.

    A newly verified incident reopens the subject's case in its association and in every
    association that receives it through sharing and has vetted the subject.
    """
    board = can_review_association(user, incident.association_id)
    if data.status == "disputed":
        raise DomainError("invalid", "only the buyer disputes an incident, through its reply",
                          field="status")
    if data.status == "withdrawn":
        if not (board or user.organization_id == incident.reporter_org_id):
            raise DomainError("forbidden", "only the reporting firm or the board may withdraw an incident",
                              status=403)
    elif not board:
        raise DomainError("forbidden", "only the board or staff of the incident's association may "
                           "verify an incident",
                          status=403)
    before = incident.status
    incident.status = data.status
    incident.status_changed_at = utcnow()
    audit(session, user, "incident_status", incident.association_id, incident.subject_id,
          record_id=incident.id, before=before, after=data.status, note=data.note)
    if data.status == "verified" and before != "verified":
        reopen_for_incident(session, incident, user)
    commit(session)
    return incident
