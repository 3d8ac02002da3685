"""Quotes: a maker prices an inquiry (quoting answers it), and the buyer compares the latest quotes.

A maker's quote is seen only by its maker and the inquiring buyer; a declined inquiry takes no
quote. The buyer's table holds the latest quote of each maker on one requirement, cheapest first,
with whether it expired and meets the requirement's quantity and lead time.
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..accounts.records import User
from ..organizations.records import Organization
from ..records import utcnow
from ..requirements.records import Requirement
from ..errors import Conflict
from . import schemas as s
from .records import Inquiry, Quote
from .services import commit, iso, record_outcome
from ..access import side_of
from ..errors import DomainError


def add_quote(session: Session, user: User, inq: Inquiry, data: s.QuoteIn) -> Quote:
    if side_of(user, inq) != "maker":
        raise DomainError("forbidden", "Only the maker the inquiry was sent to may quote.",
                          field="unit_price", status=403)
    if inq.status == "declined":
        raise Conflict("you declined this inquiry; a declined inquiry takes no quote")
    first = session.scalar(select(func.count(Quote.id)).where(Quote.inquiry_id == inq.id)) == 0
    now = utcnow()
    if inq.status == "sent":  # quoting answers the inquiry
        inq.status, inq.answered_by_id, inq.answered_at = "accepted", user.id, now
    inq.last_activity_at = now  # bumps the version: a concurrent decline loses with a 409
    quote = Quote(inquiry_id=inq.id, maker_id=inq.maker_id, created_by_id=user.id, created_at=now,
                  **data.model_dump())
    session.add(quote)
    if first:
        record_outcome(session, inq, "quoted")
    commit(session, (inq, "quote", "buyer"))
    return quote


def quotes_of(session: Session, inq: Inquiry) -> list[Quote]:
    return list(session.scalars(select(Quote).where(Quote.inquiry_id == inq.id).order_by(Quote.id)))


def quote_table(session: Session, req: Requirement) -> list[dict]:
    """The latest quote of each maker on one requirement, cheapest first (the buyer's comparison)."""
    latest = (select(func.max(Quote.id)).join(Inquiry, Inquiry.id == Quote.inquiry_id)
              .where(Inquiry.requirement_id == req.id).group_by(Quote.inquiry_id))
    rows = session.execute(select(Quote, Inquiry, Organization.name)
                           .join(Inquiry, Inquiry.id == Quote.inquiry_id)
                           .join(Organization, Organization.id == Inquiry.maker_id)
                           .where(Quote.id.in_(latest))).all()
    today = utcnow().date()
    out = [dict(quote_dict(q), maker_name=name, inquiry_status=inq.status, expired=q.valid_until < today,
                meets_quantity=q.moq <= req.quantity, meets_lead_time=q.lead_time_days <= req.lead_time_days)
           for q, inq, name in rows]
    return sorted(out, key=lambda r: (r["expired"], r["currency"], r["unit_price"]))


def quote_dict(q: Quote) -> dict:
    return {"id": q.id, "inquiry_id": q.inquiry_id, "maker_id": q.maker_id, "unit_price": q.unit_price,
            "currency": q.currency, "lead_time_days": q.lead_time_days, "moq": q.moq,
            "valid_until": q.valid_until.isoformat(), "notes": q.notes, "created_at": iso(q.created_at),
            "consortium_proposal_id": q.consortium_proposal_id}
