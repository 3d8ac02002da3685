"""The buyer accepts a maker's quote: the handshake that turns an inquiry into an order.

One transaction: the order (``orders.services.create_from_quote``, prefilled from the quote and
the requirement: quantity, unit price and currency, delivery date from the lead time), the
inquiry's ``order_placed_at`` and its ``order_placed`` outcome event with the ranking context, as
the "order placed" step writes them, and never twice: a buyer that recorded the order by hand
before keeps its one event. Only the newest quote of an inquiry can be accepted (a newer one supersedes
the older: a 409 that names both), and only one quote of an inquiry becomes an order: the order's
``quote_id`` is unique, an inquiry with an order refuses another, and touching the inquiry bumps
its version, so two accepts at once (of the same quote or of two) end with one order and a 409.
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..orders import services as orders
from ..accounts.records import User
from ..records import utcnow
from ..errors import Conflict
from .records import Inquiry, Quote
from .services import commit, record_outcome
from ..access import side_of
from ..errors import DomainError
from ..orders.records import Order


def _refuse_superseded(session: Session, inq: Inquiry, quote: Quote) -> None:
    """Only the maker's newest quote on an inquiry can be accepted: a newer one supersedes the older (a
    409 naming both). Once an order exists the refusal is the order's own ("already placed")."""
    newest = session.scalar(select(func.max(Quote.id)).where(Quote.inquiry_id == inq.id))
    if newest == quote.id or session.scalar(select(Order.id).where(Order.inquiry_id == inq.id)) is not None:
        return
    raise DomainError("quote_superseded", "Quote {id} was replaced by the maker's newer quote {newer}; "
                      "accept the newer quote or ask the maker.", field="quote_id", status=409,
                      params={"id": quote.id, "newer": newest})


def accept_quote(session: Session, user: User, inq: Inquiry, quote_id: int):
    if side_of(user, inq) != "buyer":
        raise DomainError("forbidden", "Only the buyer who sent the inquiry accepts a quote.",
                          field="quote_id", status=403)
    quote = session.get(Quote, quote_id)
    if quote is None or quote.inquiry_id != inq.id:
        raise DomainError("not_found", "There is no quote {id} on this inquiry.", field="quote_id",
                          status=404, params={'id': quote_id})
    if inq.status == "declined":
        raise Conflict("the maker declined this inquiry")
    _refuse_superseded(session, inq, quote)
    today = utcnow().date()
    if quote.valid_until < today:
        raise DomainError("quote_expired", "This quote expired on {date}; ask the maker for a "
                           "new one.",
                          field="quote_id", status=409, params={'date': quote.valid_until.isoformat()})
    now = utcnow()
    if inq.order_placed_at is None:
        inq.order_placed_at = now
        record_outcome(session, inq, "order_placed")
    inq.last_activity_at = now  # bumps the version: a second accept at the same moment loses with a 409
    req = inq.requirement
    try:
        order = orders.create_from_quote(
            session, user, buyer_id=inq.buyer_id, maker_id=inq.maker_id, inquiry_id=inq.id, quote_id=quote.id,
            requirement_id=req.id, product=req.title, quantity=max(req.quantity, quote.moq),
            unit_price=quote.unit_price, currency=quote.currency, lead_time_days=quote.lead_time_days)
    except Conflict:
        session.rollback()
        raise
    commit(session)
    return order
