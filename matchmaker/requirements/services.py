"""Reading and writing buyers' requirements (RFQs): the one path the API, the pages and the demo share.

Each write checks the version the client last read, queues the requirement's search document in the
same transaction and either commits whole or not at all. Callers pass validated pydantic objects from
``requirements.schemas``; who may see or edit a requirement is decided in ``permissions``.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from ..db import check_version, commit, profile_fields
from ..search.outbox import record_change
from .records import Requirement
from .schemas import RequirementFields, RequirementIn, RequirementPut


def requirement_dict(req: Requirement) -> dict:
    data = profile_fields(req, RequirementFields)
    data.update(id=req.id, buyer_id=req.buyer_id, version=req.version,
                created_at=req.created_at.isoformat() if req.created_at else None)
    return data


def create_requirement(session: Session, buyer_id: int, user_id: int, data: RequirementIn) -> Requirement:
    req = Requirement(buyer_id=buyer_id, created_by_id=user_id, **data.model_dump())
    session.add(req)
    session.flush()
    touch_requirement_document(session, req.id)
    commit(session)
    return req


def replace_requirement(session: Session, req: Requirement, data: RequirementPut) -> Requirement:
    check_version(req, data.version)
    for key, value in data.model_dump(exclude={"version"}).items():
        setattr(req, key, value)
    touch_requirement_document(session, req.id)
    commit(session)
    return req


def touch_requirement_document(session: Session, requirement_id: int) -> None:
    """Queue the requirement's search document for re-indexing, in the same transaction as the change."""
    record_change(session, "requirements", requirement_id)
