"""The subject's right of reply: a buyer (or input vendor) answers the incidents against it, or its
record in general, and may dispute an incident.

Who reads a reply: an association sees the replies about the incidents it sees, and the general ones
once it has had a case about the subject; the subject and the platform admin see every reply.
"""
from __future__ import annotations

from sqlalchemy import false, or_, select
from sqlalchemy.orm import Session

from .. import events
from ..accounts.records import User
from ..records import utcnow
from . import schemas as s
from .audit import audit
from .records import Incident, Reply, VettingCase
from .services import commit, subject_org
from ..errors import DomainError


def reply(session: Session, user: User, data: s.ReplyIn) -> Reply:
    subject_id = user.organization_id
    if subject_id is None:
        raise DomainError("forbidden", "your account has no firm", status=403)
    subject_org(session, subject_id)
    incident = None
    if data.incident_id is not None:
        incident = session.get(Incident, data.incident_id)
        if incident is None or incident.subject_id != subject_id or incident.status == "withdrawn":
            raise DomainError("not_found", "no incident {id} about your firm",
                              params={"id": data.incident_id}, field="incident_id", status=404)
    row = Reply(subject_id=subject_id, incident_id=data.incident_id, author_id=user.id, body=data.body,
                disputes=data.dispute)
    session.add(row)
    session.flush()
    if incident is not None and data.dispute and incident.status != "disputed":
        before = incident.status
        incident.status, incident.status_changed_at = "disputed", utcnow()
        audit(session, user, "incident_status", incident.association_id, subject_id, record_id=incident.id,
              before=before, after="disputed", reply_id=row.id)
    for assoc in _subject_associations(session, subject_id, incident):
        audit(session, user, "reply", assoc, subject_id, reply_id=row.id, incident_id=data.incident_id,
              dispute=data.dispute)
    events.incident_replied.send(session, reply=row, incident=incident)
    commit(session)
    return row


def visible_replies(session: Session, subject_id: int, association_id: int | None, incident_ids: list[int],
                    scoped: bool = True) -> list[Reply]:
    """The subject's replies an association may read: about incidents it sees, or general ones once it
    has had a case about the subject. Unscoped (the subject, the admin): every reply."""
    stmt = select(Reply).where(Reply.subject_id == subject_id).order_by(Reply.id.desc())
    if scoped:
        general = Reply.incident_id.is_(None)
        if association_id is None or session.scalar(select(VettingCase.id).where(
                VettingCase.subject_id == subject_id, VettingCase.association_id == association_id).limit(1)) is None:
            general = false()
        stmt = stmt.where(or_(general, Reply.incident_id.in_(incident_ids)))
    return list(session.scalars(stmt))


def _subject_associations(session: Session, subject_id: int, incident: Incident | None) -> list[int]:
    if incident is not None:
        return [incident.association_id]
    found = set(session.scalars(select(VettingCase.association_id).where(VettingCase.subject_id == subject_id)))
    return sorted(found) or [None]
