"""The figures of an order after the handshake: milestones (planned and actual dates of each
production stage), partial deliveries, invoices and their payments.

* Either side records a milestone, a delivery or a payment; only the maker issues invoices. A row
  keeps ``entered_by``; the *other* side confirms it (``confirmed_at``), once: the confirmation is
  one conditional UPDATE, so two confirmations at once give one 200 and one 409.
* Changing a milestone's dates makes it the changer's figure again, unconfirmed. The milestone of a
  stage is one row (a unique key): two sides recording the same stage at once end with one 409. A
  change of an existing milestone sends the version it read (``OrderMilestone.version``, checked again
  by the UPDATE itself): two edits of one version, or an edit after a confirmation, end in one winner
  and a 409, never a lost update.
* A payment never takes an invoice past its amount; a delivery never takes the order past twice
  its quantity (a typo, not an overshipment). A cancelled or closed order takes no new production
  figures; a closed order still takes invoices and payments (payment terms run after delivery).
* Each write takes the order row first (``services.lock_order``), so these checks hold under
  concurrent requests: of three payments of 100 on an invoice of 100 sent at once, one is written.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from .. import events
from ..records import utcnow
from ..errors import Conflict
from . import schemas as s
from .records import Order, OrderDelivery, OrderInvoice, OrderMilestone, OrderPayment
from .services import commit, delivered, require_open
from ..errors import DomainError
from ..catalog import N_
from .services import lock_order

KINDS = {"milestone": OrderMilestone, "delivery": OrderDelivery, "invoice": OrderInvoice, "payment": OrderPayment}
# a figure lost a race (a page words these as "someone changed this", and shows the figure as it is now)
CHANGED_AT_ONCE = {
    "milestone": N_("this milestone changed at the same moment; reload and try again"),
    "delivery": N_("this delivery changed at the same moment; reload and try again"),
    "invoice": N_("this invoice changed at the same moment; reload and try again"),
    "payment": N_("this payment changed at the same moment; reload and try again"),
}
MILESTONE_CHANGED = N_("this milestone changed since you read it; reload and try again")


def _recorded(session: Session, order: Order, side: str, kind: str, row) -> None:
    try:
        session.flush()
    except (StaleDataError, IntegrityError) as exc:  # a milestone's version or stage taken meanwhile
        session.rollback()
        raise Conflict(CHANGED_AT_ONCE[kind]) from exc
    events.order_figure_recorded.send(session, order=order, side=side, kind=kind, row=row)
    commit(session)
    session.refresh(order)


def _placed(order: Order):
    """The day the order was placed, worded when the refusal is shown (the reader's language and format)."""
    from flask_babel import LazyString

    from ..i18n import format_date
    return LazyString(lambda: format_date(order.started_on))


def _money(amount: float, currency: str):
    """An amount as the pages write money (``i18n.format_currency``), worded when the refusal is shown."""
    from flask_babel import LazyString

    from ..i18n import format_currency
    return LazyString(lambda: format_currency(amount, currency))


def check_milestone_dates(order: Order, data: s.MilestoneIn) -> None:
    """A stage happens within the order's life: its actual date is neither before the order was placed nor
    after today (a stage is recorded once done), and it is not planned before the order was placed (a plan
    for days already gone before the order existed is a typo). Only the dates sent are checked."""
    placed = order.started_on
    if data.planned_on is not None and data.planned_on < placed:
        raise DomainError("invalid", N_("The planned date cannot be before the order was placed ({placed})."),
                          field="planned_on", params={"placed": _placed(order)})
    if data.actual_on is not None and data.actual_on < placed:
        raise DomainError("invalid", N_("The actual date cannot be before the order was placed ({placed})."),
                          field="actual_on", params={"placed": _placed(order)})
    if data.actual_on is not None and data.actual_on > utcnow().date():
        raise DomainError("invalid", N_("The actual date cannot be after today: record it once the stage is done."),
                          field="actual_on")


def set_milestone(session: Session, order: Order, side: str, stage: str, data: s.MilestoneIn) -> OrderMilestone:
    lock_order(session, order)
    require_open(order, "stage")
    check_milestone_dates(order, data)
    row = session.scalar(select(OrderMilestone).where(OrderMilestone.order_id == order.id,
                                                      OrderMilestone.stage == stage))
    if row is None and data.version is None:
        row = OrderMilestone(order_id=order.id, stage=stage)
        session.add(row)
    elif row is not None and data.version is None:  # someone else set this stage first (or the client never read it)
        raise Conflict(N_("this stage already has dates: send the version you last read to change them"),
                       field="version")
    elif row is None or data.version != row.version:
        raise Conflict(MILESTONE_CHANGED)
    for name in data.model_fields_set & {"planned_on", "actual_on"}:
        setattr(row, name, getattr(data, name))
    row.entered_by, row.confirmed_at, row.updated_at = side, None, utcnow()
    _recorded(session, order, side, "milestone", row)
    return row


def add_delivery(session: Session, order: Order, side: str, data: s.DeliveryIn) -> OrderDelivery:
    lock_order(session, order)
    require_open(order, "quantity")
    if data.delivered_on > utcnow().date():  # a delivery is recorded once it arrived (the UTC day, like a milestone)
        raise DomainError("invalid", N_("The delivery date cannot be after today: record it once the goods arrive."),
                          field="delivered_on")
    done = delivered(session, order)
    if done + data.quantity > 2 * order.quantity:
        raise DomainError("invalid",
                          N_("That is more than twice the order's {quantity} pieces ({done} delivered so far)."),
                          field="quantity", params={"quantity": order.quantity, "done": done})
    row = OrderDelivery(order_id=order.id, entered_by=side, **data.model_dump())
    session.add(row)
    _recorded(session, order, side, "delivery", row)
    return row


def add_invoice(session: Session, order: Order, side: str, data: s.InvoiceIn) -> OrderInvoice:
    if side != "maker":
        raise DomainError("forbidden", N_("Only the maker issues invoices."), field="number", status=403)
    lock_order(session, order)
    if order.status == "cancelled":
        require_open(order, "number")
    if session.scalar(select(OrderInvoice.id).where(OrderInvoice.order_id == order.id,
                                                    OrderInvoice.number == data.number)) is not None:
        raise DomainError("duplicate", N_("This order already has an invoice {number}."), field="number",
                          status=409, params={"number": data.number})
    row = OrderInvoice(order_id=order.id, number=data.number, issued_on=data.issued_on,
                       due_on=data.due_on or data.issued_on + timedelta(days=order.payment_terms_days),
                       amount=data.amount, currency=data.currency or order.currency, is_deposit=data.is_deposit,
                       entered_by=side)
    session.add(row)
    _recorded(session, order, side, "invoice", row)
    return row


def invoice_of(session: Session, order: Order, invoice_id: int) -> OrderInvoice:
    row = session.get(OrderInvoice, invoice_id)
    if row is None or row.order_id != order.id:
        raise DomainError("not_found", N_("There is no invoice {id} on this order."), field="invoice_id",
                          status=404, params={"id": invoice_id})
    return row


def paid(session: Session, invoice: OrderInvoice) -> float:
    return float(session.scalar(select(func.coalesce(func.sum(OrderPayment.amount), 0))
                                .where(OrderPayment.invoice_id == invoice.id)) or 0)


def add_payment(session: Session, order: Order, side: str, invoice: OrderInvoice,
                data: s.OrderPaymentIn) -> OrderPayment:
    lock_order(session, order)
    if order.status == "cancelled":
        require_open(order, "amount")
    if data.paid_on < invoice.issued_on:
        raise DomainError("invalid", N_("The payment date must not be before the invoice date."),
                          field="paid_on")
    so_far = paid(session, invoice)
    if so_far + data.amount > invoice.amount + 0.005:
        raise DomainError("invalid", N_("The payments would exceed the invoice: {left} is left to pay."),
                          field="amount", params={"left": _money(max(0.0, invoice.amount - so_far), invoice.currency)})
    row = OrderPayment(invoice_id=invoice.id, order_id=order.id, paid_on=data.paid_on, amount=data.amount,
                       entered_by=side)
    session.add(row)
    _recorded(session, order, side, "payment", row)
    return row


def figure_of(session: Session, order: Order, kind: str, figure_id: int):
    model = KINDS.get(kind)
    row = session.get(model, figure_id) if model is not None else None
    if row is None or row.order_id != order.id:
        raise DomainError("not_found", N_("There is no {kind} {id} on this order."), field="figure_id",
                          status=404, params={"kind": kind, "id": figure_id})
    return row


def confirm_figure(session: Session, order: Order, side: str, kind: str, figure_id: int):
    """The other side confirms a figure, once (a conditional UPDATE: concurrent confirmations, one wins)."""
    row = figure_of(session, order, kind, figure_id)
    if row.entered_by == side:
        raise DomainError("own_figure", N_("Your side entered this figure: the other side confirms it."),
                          field="figure_id", status=403)
    model = KINDS[kind]
    values = {"confirmed_at": utcnow()}
    if model is OrderMilestone:  # a confirmation bumps the lock: an edit of the version read before it is a 409
        values["version"] = OrderMilestone.version + 1
    done = session.execute(update(model).where(model.id == row.id, model.confirmed_at.is_(None),
                                               model.entered_by != side)
                           .values(**values).execution_options(synchronize_session=False))
    if done.rowcount != 1:
        session.rollback()
        raise Conflict("this figure is already confirmed, or it changed; reload and try again")
    commit(session)
    session.refresh(row)
    return row
