"""The rules of buyer–maker contact that every step shares, for the JSON API and the pages.

The steps themselves live beside it, one concept a module: ``shortlists`` (a buyer's shortlist of one
requirement and its side-by-side comparison), ``inquiries`` (sending within the daily limit, the
maker's answer, the buyer's progress, who sees an inquiry), ``quotes`` (a maker's quotes and the
buyer's quote table) and ``conversations`` (the message thread of an inquiry). Here:

* Only a buyer an association's board cleared (approved, or approved with conditions) sends
  inquiries or messages; the refusal says why (not vetted, under review, the board's decision).
* A buyer acts on its own requirements only; another buyer's requirement is a 404, never confirmed.
* Every step writes its outcome event with the ranking context copied from the shortlist, and
  commits with its notices, all or nothing (a lost race is a :class:`Conflict`, 409).

Errors are :class:`~matchmaker.errors.DomainError` with an English message id and parameters, worded when shown.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ..accounts.records import User
from ..organizations.records import Organization
from ..ranking.records import OutcomeEvent
from ..records import utcnow
from ..requirements.records import Requirement
from ..errors import Conflict
from ..vetting import services as vs
from . import notify as nt
from .records import Inquiry, Shortlist, ShortlistEntry
from ..errors import DomainError

MAKER_KINDS = ("maker",)


def commit(session: Session, *notices: tuple) -> None:
    """Write ``notices`` (``(inquiry, kind, to_side)``) and commit, all or nothing; a lost race is a Conflict."""
    try:
        if notices:
            session.flush()  # new inquiries get their ids and load their firms for the notice text
        for inq, kind, to_side in notices:
            nt.notify(session, inq, kind, to_side)
        session.commit()
    except (StaleDataError, IntegrityError) as exc:
        session.rollback()
        raise Conflict("someone else changed this at the same moment; reload and try again") from exc


def record_outcome(session: Session, inq: Inquiry, event: str) -> None:
    """The inquiry's outcome event, with the ranking context (rank, model version) it was sent with."""
    session.add(OutcomeEvent(requirement_id=inq.requirement_id, buyer_id=inq.buyer_id, maker_id=inq.maker_id,
                             event=event, rank=inq.rank, model_version=inq.model_version, source="contact",
                             occurred_at=utcnow()))


def maker_org(session: Session, maker_id: int, field: str) -> Organization:
    org = session.get(Organization, maker_id)
    if org is None or org.kind not in MAKER_KINDS:
        raise DomainError("invalid", "There is no maker {id}.", field=field, params={'id': maker_id})
    return org


def insert_if_missing(session: Session, model, **values) -> None:
    """INSERT ... ON CONFLICT DO NOTHING: two requests creating one row at once both go on."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    session.execute(insert(model).values(**values).on_conflict_do_nothing())


# -- the buyer's requirements ---------------------------------------------------------------------

def own_requirement(session: Session, user: User, requirement_id: int, field: str = "requirement_id") -> Requirement:
    """The buyer's own requirement, or 404 (another buyer's requirement is never confirmed)."""
    req = session.get(Requirement, requirement_id)
    if req is None or user.organization_id is None or req.buyer_id != user.organization_id:
        raise DomainError("not_found", "You have no requirement {id}.", field=field, status=404,
                          params={'id': requirement_id})
    return req


def open_requirements(session: Session, buyer_id: int | None) -> list[Requirement]:
    if buyer_id is None:
        return []
    return list(session.scalars(select(Requirement).where(Requirement.buyer_id == buyer_id,
                                                          Requirement.status != "closed")
                                .order_by(Requirement.created_at.desc()).limit(100)))


def shortlisted_makers(session: Session, buyer_id: int) -> dict[int, set[int]]:
    """{requirement id: maker ids on its shortlist} for the buyer firm's shortlists (the buttons' state)."""
    rows = session.execute(select(Shortlist.requirement_id, ShortlistEntry.maker_id)
                           .join(ShortlistEntry, ShortlistEntry.shortlist_id == Shortlist.id)
                           .where(Shortlist.buyer_id == buyer_id))
    held: dict[int, set[int]] = {}
    for req_id, maker_id in rows:
        held.setdefault(req_id, set()).add(maker_id)
    return held


# -- clearance ----------------------------------------------------------------------------------

def clearance_refusal(session: Session, buyer_id: int | None) -> DomainError | None:
    """``None`` when an association's board cleared the buyer; else the refusal saying why."""
    if buyer_id is None:
        return DomainError("no_firm", "Your account is not attached to a firm.", field="buyer", status=403)
    if vs.is_cleared(session, buyer_id):
        return None
    standing = vs.standings(session, [buyer_id]).get(buyer_id)
    if vs.under_review(session, [buyer_id]):
        return DomainError("not_cleared",
                           "Your firm's vetting case is under review: you can contact makers once the board "
                            "approves it.",
                           field="buyer", status=403)
    if standing is None:
        return DomainError("not_cleared",
                           "Your firm has not been vetted by an association yet: apply for vetting before "
                            "contacting makers.",
                           field="buyer", status=403)
    return DomainError("not_cleared",
                       "The association's board decided \u201c{outcome}\u201d about your firm: only cleared buyers "
                        "may contact makers.",
                       field="buyer", status=403, params={'outcome': _outcome_label(standing.outcome)})


def _outcome_label(code: str) -> str:
    from ..i18n import locale
    from ..taxonomy import VETTING_OUTCOMES
    try:
        lang = locale()
    except RuntimeError:
        lang = "en"
    return VETTING_OUTCOMES.label(code, lang) if code in VETTING_OUTCOMES else code


def unread_counts(session: Session, user: User | None) -> int:
    """The nav's number: the user's unread notifications (of every kind: contact, vetting, fairs)."""
    if user is None:
        return 0
    return nt.unread(session, user.id)


def iso(value: datetime | None) -> str | None:
    """A timestamp as the API writes it (ISO 8601), or None."""
    return value.isoformat() if value is not None else None
