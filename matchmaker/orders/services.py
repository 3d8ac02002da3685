"""The rules of an order's life, shared by the JSON API and the pages: where it comes from, its
agreed terms and their confirmation, and closing it. Figures (milestones, deliveries, invoices,
payments) are in ``figures``, disputes in ``disputes``, plain data for the API in ``views``.

* **Origins.** ``create_from_quote`` (the contact concern calls it when the buyer accepts a quote,
  in the same transaction as the inquiry's ``order_placed``; ``quote_id`` is unique and the
  inquiry's version lock makes a second accept a 409); ``create_order`` for a fair meeting whose
  follow-up named an order (either side; ``fair_meeting_id`` is unique) or for a deal the maker
  made elsewhere (the buyer is any firm of kind buyer or buying agent).
* **Confirmation.** The side that writes the terms has confirmed them; the other side confirms
  against the version it read. A change of a term clears the other side's confirmation, and once
  both had confirmed, each changed term is kept as an ``OrderTermChange``. The delivery date is
  also kept as an ``OrderAgreedDate`` when the order is created and each time the second side
  confirms: deliveries are judged against the date in force, never one a side set alone.
* **Races.** ``version`` is the optimistic lock: two edits of the terms, or a confirmation and an
  edit, end with one winner and a :class:`Conflict` (409). Every write that checks a figure against
  the order's state (a payment against its invoice, a delivery against the cap, a dispute against
  the open ones, closing against the deliveries) first takes the order row with :func:`lock_order`,
  so such writes on one order run one after the other and each checks what the previous committed.
* **Closing.** Either side closes an open order once the deliveries add up to its quantity, or
  cancels it while nothing is delivered; ``closed_at`` is set and the terms are frozen.

Each step sends its ``matchmaker.events`` signal before committing, so the other side's notice
(written by the contact package's subscriber) lands in the same transaction.
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, noload
from sqlalchemy.orm.exc import StaleDataError

from .. import events
from ..organizations.records import Organization
from ..records import utcnow
from ..requirements.records import Requirement
from ..errors import Conflict
from . import schemas as s
from .access import BUYER_KINDS, MAKER_SIDE_KINDS, other, own_filter
from .labels import status_word
from .records import Order, OrderDelivery, OrderTermChange
from ..errors import DomainError
from ..catalog import N_
from .records import OrderAgreedDate


# the lost races a page words as "someone changed this order" (it shows the order as it is now)
CHANGED_AT_ONCE = N_("someone else changed this order at the same moment; reload and try again")
CHANGED_SINCE_READ = N_("the order changed since you read it; reload and try again")


def commit(session: Session) -> None:
    """Commit, all or nothing; a lost race (stale version, a unique key taken) is a Conflict."""
    try:
        session.commit()
    except (StaleDataError, IntegrityError) as exc:
        session.rollback()
        raise Conflict(CHANGED_AT_ONCE) from exc


def lock_order(session: Session, order: Order) -> None:
    """Take the order's row until this transaction ends, then re-read the order.

    Two figure writes on one order would otherwise both check the same old sums (two payments each
    within the invoice, together beyond it; a cancel and a delivery each seeing the other not yet
    there) and both win. PostgreSQL locks the row (``SELECT ... FOR UPDATE``); SQLite has no row
    locks, so a no-op UPDATE of the row is the transaction's first statement: it takes the
    database's write lock (what ``BEGIN IMMEDIATE`` does), and the reads after it see every write
    committed before. The order's ``version`` is not bumped: it versions the terms a client read,
    and a figure added meanwhile does not make those terms stale. Call it before any check.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.execute(update(Order).where(Order.id == order.id)
                        .values(status=Order.status, updated_at=Order.updated_at)
                        .execution_options(synchronize_session=False))
    else:
        session.execute(select(Order.id).where(Order.id == order.id).with_for_update())
    session.refresh(order)


def check_version(order: Order, version: int) -> None:
    if version != order.version:
        raise Conflict(CHANGED_SINCE_READ)


def require_open(order: Order, field: str = "status") -> None:
    if order.status != "open":
        raise DomainError("order_not_open", "This order is {state}: it takes no more changes.", field=field,
                          status=409, params={"state": status_word(order.status)})


def _keep_date(session: Session, order: Order, source: str) -> None:
    """The order's delivery date is in force from now on (see ``OrderAgreedDate``)."""
    session.add(OrderAgreedDate(order_id=order.id, delivery_date=order.delivery_date, source=source, at=utcnow()))


def _stamp(order: Order, side: str) -> None:
    """The writing side has confirmed what it wrote; the other side has not seen it yet."""
    now = utcnow()
    if side == "buyer":
        order.buyer_confirmed_at, order.maker_confirmed_at = now, None
    else:
        order.maker_confirmed_at, order.buyer_confirmed_at = now, None


# -- origins --------------------------------------------------------------------------------------------

def create_from_quote(session: Session, user, *, buyer_id: int, maker_id: int, inquiry_id: int, quote_id: int,
                      requirement_id: int, product: str, quantity: int, unit_price: float, currency: str,
                      lead_time_days: int) -> Order:
    """The order of an accepted quote, prefilled from the quote and the requirement (not committed:
    the caller commits it with the inquiry's ``order_placed``). The buyer accepted, so it has confirmed."""
    if session.scalar(select(Order.id).where(Order.inquiry_id == inquiry_id)) is not None:
        raise Conflict("an order was already placed on this inquiry")
    today = utcnow().date()
    order = Order(origin="quote", buyer_id=buyer_id, maker_id=maker_id, inquiry_id=inquiry_id, quote_id=quote_id,
                  requirement_id=requirement_id, product=product[:200], quantity=quantity, unit_price=unit_price,
                  currency=currency, delivery_date=today + timedelta(days=lead_time_days), started_on=today,
                  created_by_id=user.id, buyer_confirmed_at=utcnow())
    session.add(order)
    session.flush()
    _keep_date(session, order, "created")
    events.order_created.send(session, order=order, side="buyer")
    return order


def _firm(session: Session, org_id: int, kinds: tuple, field: str, message: str) -> Organization:
    org = session.get(Organization, org_id)
    if org is None or org.kind not in kinds:
        raise DomainError("invalid", message, field=field, params={'id': org_id})
    return org


def meeting_pair(session: Session, user, meeting_id: int) -> tuple[int, int, str]:
    """(buyer firm, maker firm, the user's side) of a fair meeting whose follow-up named an order."""
    from ..fairs.records import FairMeeting

    meeting = session.get(FairMeeting, meeting_id)
    if meeting is None:
        raise DomainError("not_found", "There is no fair meeting {id} of your firm.",
                          field="fair_meeting_id", status=404, params={'id': meeting_id})
    buyer_id, maker_id = meeting.buyer.organization_id, meeting.maker.organization_id
    if user.role == "buyer_user" and user.organization_id == buyer_id:
        side = "buyer"
    elif user.role == "maker_user" and user.organization_id == maker_id:
        side = "maker"
    else:
        raise DomainError("not_found", "There is no fair meeting {id} of your firm.",
                          field="fair_meeting_id", status=404, params={'id': meeting_id})
    if not meeting.order_placed:
        raise DomainError("no_order_named",
                          "This meeting's follow-up did not name an order; answer the follow-up first.",
                          field="fair_meeting_id", status=409)
    return buyer_id, maker_id, side


STARTED_BEFORE_DAYS = 90  # an order entered late may say it started up to this many days before


def _started_on(day: date | None) -> date:
    """The day the order was placed, as the client says: not after today, not more than
    ``STARTED_BEFORE_DAYS`` before the day it is entered (rating deadlines count from entry anyway)."""
    today = utcnow().date()
    if day is None:
        return today
    if day > today:
        raise DomainError("invalid", N_("The order cannot start after today."), field="started_on")
    if day < today - timedelta(days=STARTED_BEFORE_DAYS):
        raise DomainError("invalid",
                          N_("The order cannot have started more than {days} days before it is entered."),
                          field="started_on", params={"days": STARTED_BEFORE_DAYS})
    return day


def check_delivery_date(delivery_date: date, placed: date) -> None:
    """Goods are delivered on or after the day the order was placed: a delivery date before it (2001 on an
    order of 2026) is a typo, refused beside ``delivery_date`` on a new order and on a change of terms."""
    if delivery_date < placed:
        from flask_babel import LazyString

        from ..i18n import format_date
        raise DomainError("invalid", N_("The delivery date cannot be before the order was placed ({placed})."),
                          field="delivery_date", params={"placed": LazyString(lambda: format_date(placed))})


def create_order(session: Session, user, data: s.OrderIn) -> Order:
    """A fair meeting's order (either side) or a maker's order for a deal made elsewhere; committed."""
    if data.fair_meeting_id is not None:
        buyer_id, maker_id, side = meeting_pair(session, user, data.fair_meeting_id)
        origin = "followup"
        if session.scalar(select(Order.id).where(Order.fair_meeting_id == data.fair_meeting_id)) is not None:
            raise Conflict("an order was already recorded for this fair meeting")
    else:
        if user.role != "maker_user":
            raise DomainError("forbidden", "Only the maker enters an order made elsewhere.",
                              field="buyer_id", status=403)
        _firm(session, user.organization_id or 0, MAKER_SIDE_KINDS, "buyer_id",
              N_("Your account is not attached to a maker firm."))
        _firm(session, data.buyer_id, BUYER_KINDS, "buyer_id", N_("There is no buyer {id}."))
        buyer_id, maker_id, side, origin = data.buyer_id, user.organization_id, "maker", "maker"
    if data.requirement_id is not None:
        req = session.get(Requirement, data.requirement_id)
        # another firm's requirement (or the buyer's draft, to the maker) is answered as one that does not
        # exist: a 404 like the fair meeting's, so an id reveals nothing
        if req is None or req.buyer_id != buyer_id or (side == "maker" and req.status == "draft"):
            raise DomainError("not_found", "There is no requirement {id} of this buyer.",
                              field="requirement_id", status=404, params={'id': data.requirement_id})
    terms = data.model_dump(include=set(s.TermsIn.model_fields))
    started_on = _started_on(data.started_on)
    check_delivery_date(data.delivery_date, started_on)
    order = Order(origin=origin, buyer_id=buyer_id, maker_id=maker_id, fair_meeting_id=data.fair_meeting_id,
                  requirement_id=data.requirement_id, started_on=started_on,
                  created_by_id=user.id, **terms)
    _stamp(order, side)
    session.add(order)
    session.flush()
    _keep_date(session, order, "created")
    events.order_created.send(session, order=order, side=side)
    commit(session)
    return order


# -- terms --------------------------------------------------------------------------------------------

def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)[:60]


def term_changes(order: Order, data: s.TermsPatch) -> dict:
    """The terms ``data`` would change on ``order`` (name -> new value); empty when it changes nothing."""
    return {k: v for k, v in data.changes().items() if getattr(order, k) != v}


def update_terms(session: Session, order: Order, side: str, user, data: s.TermsPatch) -> Order:
    """Change the terms ``data`` changes (a stale version is a 409); terms as they were change nothing."""
    require_open(order)
    check_version(order, data.version)
    changed = term_changes(order, data)
    if not changed:
        return order  # idempotent: the terms are as they were, nothing recorded, nobody told
    if "delivery_date" in changed:
        check_delivery_date(changed["delivery_date"], order.started_on)
    if "quantity" in changed and changed["quantity"] < delivered(session, order):
        raise DomainError("invalid", "More pieces were delivered already ({delivered}).", field="quantity",
                          params={'delivered': delivered(session, order)})
    agreed = order.buyer_confirmed_at is not None and order.maker_confirmed_at is not None
    for name, value in sorted(changed.items()):
        if agreed:
            session.add(OrderTermChange(order_id=order.id, field=name, old_value=_text(getattr(order, name)),
                                        new_value=_text(value), changed_by=side, changed_by_id=user.id))
        setattr(order, name, value)
    _stamp(order, side)
    events.order_terms_changed.send(session, order=order, side=side, fields=sorted(changed))
    commit(session)
    return order


def confirm_terms(session: Session, order: Order, side: str, version: int) -> Order:
    check_version(order, version)
    attr = f"{side}_confirmed_at"
    if getattr(order, attr) is not None:
        raise Conflict("your side has already confirmed these terms")
    setattr(order, attr, utcnow())
    if order.buyer_confirmed_at is not None and order.maker_confirmed_at is not None:
        _keep_date(session, order, "confirmed")
    commit(session)
    return order


# -- deliveries and closing -------------------------------------------------------------------------------

def delivered(session: Session, order: Order) -> int:
    return session.scalar(select(func.coalesce(func.sum(OrderDelivery.quantity), 0))
                          .where(OrderDelivery.order_id == order.id)) or 0


def close(session: Session, order: Order, side: str, data: s.CloseIn) -> Order:
    lock_order(session, order)
    require_open(order)
    check_version(order, data.version)
    done = delivered(session, order)
    if data.status == "closed" and done < order.quantity:
        raise DomainError("deliveries_missing",
                          "Close the order once every delivery is in: {done} of {quantity} pieces so far.",
                          field="status", status=409, params={'done': done, 'quantity': order.quantity})
    if data.status == "cancelled" and done > 0:
        raise DomainError("already_delivered",
                          "Pieces were delivered already: close the order instead of cancelling it.",
                          field="status", status=409)
    order.status, order.closed_at = data.status, utcnow()
    events.order_closed.send(session, order=order, side=side, status=data.status)
    commit(session)
    return order


# -- lists ---------------------------------------------------------------------------------------------

def orders_for(session: Session, user, status: str | None = None, limit: int = 20,
               offset: int = 0) -> tuple[list[Order], int]:
    """The user's firm's orders (as buyer or maker side), newest first."""
    stmt = select(Order).where(own_filter(user))
    if status:
        stmt = stmt.where(Order.status == status)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    # a list shows totals (views.summary_dicts counts them in two grouped queries): skip the figure rows
    rows = session.scalars(stmt.options(noload(Order.milestones), noload(Order.deliveries), noload(Order.invoices))
                           .order_by(Order.created_at.desc(), Order.id.desc()).limit(limit).offset(offset))
    return list(rows), total


def buyer_choices(session: Session, query: str = "", limit: int = 1000) -> list[Organization]:
    """Firms a maker may name as the buyer of an order made elsewhere (names only: public directory facts)."""
    stmt = select(Organization).where(Organization.kind.in_(BUYER_KINDS))
    if query:
        stmt = stmt.where(Organization.name.ilike(f"%{query.replace('%', '').replace('_', '')}%"))
    return list(session.scalars(stmt.order_by(Organization.name, Organization.id).limit(limit)))


__all__ = [ "other"]
