"""The append-only audit log: who did what to which firm or case, and its CSV export.

Below every other vetting module (and ``organizations.services.audit_edit``, which logs users' edits of firms'
records here), so writing an audit row never imports the workflow.
"""
from __future__ import annotations

import io
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..exports import SafeWriter
from ..accounts.records import User
from .records import AuditEntry

AUDIT_ACTIONS = ("score_shown", "vote", "decision", "disclosure", "case_opened", "case_reopened",
                 "payment_reported", "incident_reported", "reference_reported", "incident_status",
                 "evidence_downloaded", "reply",
                 # firms' records edited by a user (organizations.services.audit_edit): who, which fields
                 "organization_created", "organization_edited", "maker_profile_created", "maker_profile_edited",
                 "buyer_profile_created", "buyer_profile_edited",
                 "purchase_reported")  # a member's purchase from an input vendor (matchmaker/vendors)


def audit(session: Session, actor: User | None, action: str, association_id=None, subject_id=None,
          case_id=None, **detail) -> None:
    assert action in AUDIT_ACTIONS, action
    session.add(AuditEntry(actor_id=actor.id if actor else None, association_id=association_id,
                           subject_id=subject_id, case_id=case_id, action=action, detail=detail))


AUDIT_COLUMNS = ["id", "at", "actor_id", "actor_email", "actor_role", "association_id", "subject_id", "case_id",
                 "action", "detail"]


def audit_csv(session: Session, association_id: int | None) -> str:
    """The audit log as CSV (one association's rows, or all for the platform admin)."""
    stmt = (select(AuditEntry, User.email, User.role).outerjoin(User, User.id == AuditEntry.actor_id)
            .order_by(AuditEntry.id))
    if association_id is not None:
        stmt = stmt.where(AuditEntry.association_id == association_id)
    out = io.StringIO()
    writer = SafeWriter(out)  # cells such as =HYPERLINK(...) stay text in a spreadsheet
    writer.writerow(AUDIT_COLUMNS)
    for row, email, role in session.execute(stmt):
        writer.writerow([row.id, row.at.isoformat(), row.actor_id or "", email or "", role or "",
                         row.association_id or "", row.subject_id or "", row.case_id or "", row.action,
                         json.dumps(row.detail, sort_keys=True, default=str)])
    return out.getvalue()


def export_csv(session: Session, actor: User, association_id: int | None) -> str:
    """:func:`audit_csv`, the export itself logged as a disclosure and committed (the page and the API)."""
    body = audit_csv(session, association_id)
    audit(session, actor, "disclosure", association_id, None, what="audit log exported as CSV")
    session.commit()
    return body
