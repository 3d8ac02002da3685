"""Tables of the orders concern.

* ``Order``: one deal between a buyer and a maker and its agreed terms (quantity, unit price and
  currency, delivery date, deposit share, payment terms, quality limit, who supplies fabric and
  trims). ``origin`` says where it came from (``quote``, ``followup``, ``maker``); ``quote_id`` is
  unique, so one accepted quote becomes one order even when two clicks race. ``version`` is the
  optimistic lock: two edits of the terms end in one winner and a 409.
  ``buyer_confirmed_at`` / ``maker_confirmed_at`` record each side's confirmation of the terms;
  a change of a term after both confirmed is kept in ``OrderTermChange`` (monitoring reads
  "price changes after agreement" from it) and clears the other side's confirmation.
* ``OrderAgreedDate``: the delivery date in force over time (the one the order was created with,
  then each one both sides confirmed): what deliveries are judged against.
* ``OrderMilestone``: one production stage (``MILESTONES``) with planned and actual dates; its
  ``version`` locks the dates like the order's (an edit sends the version it read).
* ``OrderDelivery``: a (partial) delivery: quantity shipped and quantity rejected.
* ``OrderInvoice`` and ``OrderPayment``: what the maker billed and what the buyer paid; together
  they are a payment experience for the screener.
* Every figure row carries ``entered_by`` (``buyer`` | ``maker``) and ``confirmed_at`` (set when
  the *other* side confirms it). ``OrderDispute`` is one side's objection to one figure
  (``subject`` names the row kind, ``subject_id`` the row, ``field`` the column), with the other
  side's answer.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON, CheckConstraint, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..organizations.records import Organization
from ..records import Base, Versioned, utcnow

ORIGINS = ("quote", "followup", "maker")
STATUSES = ("open", "closed", "cancelled")
SIDES = ("buyer", "maker")
SUPPLIERS = ("maker", "buyer")  # who supplies fabric / trims
MILESTONES = ("sample_approved", "fabric_in", "cut", "sewn", "washed", "finished", "shipped", "delivered")
DISPUTE_SUBJECTS = ("order", "milestone", "delivery", "invoice", "payment")
DISPUTE_STATUSES = ("open", "answered", "withdrawn")
AGREED_SOURCES = ("created", "confirmed")


class Order(Versioned, Base):
    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint("quantity >= 1", name="ck_order_quantity"),
        CheckConstraint("unit_price > 0", name="ck_order_price"),
        CheckConstraint("deposit_share >= 0 AND deposit_share <= 1", name="ck_order_deposit"),
        CheckConstraint("payment_terms_days >= 0", name="ck_order_terms"),
        CheckConstraint("reject_limit_pct IS NULL OR (reject_limit_pct >= 0 AND reject_limit_pct <= 100)",
                        name="ck_order_reject_limit"),
        UniqueConstraint("quote_id", name="uq_order_quote"),
        Index("ix_order_buyer_maker", "buyer_id", "maker_id"),
        Index("ix_order_maker_time", "maker_id", "created_at"),
        Index("uq_order_fair_meeting", "fair_meeting_id", unique=True),  # migration 0017: one order per meeting
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    maker_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    origin: Mapped[str] = mapped_column(String(10))  # ORIGINS
    requirement_id: Mapped[int | None] = mapped_column(ForeignKey("requirements.id"), index=True)
    inquiry_id: Mapped[int | None] = mapped_column(ForeignKey("contact_inquiries.id"), index=True)
    quote_id: Mapped[int | None] = mapped_column(ForeignKey("contact_quotes.id"))
    fair_meeting_id: Mapped[int | None] = mapped_column(Integer, index=True)  # fairs' meeting (no FK: no cycle)
    reference: Mapped[str] = mapped_column(String(60), default="")  # the buyer's PO number
    product: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)  # STATUSES
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[float] = mapped_column(Float)
    currency: Mapped[str] = mapped_column(String(3))
    delivery_date: Mapped[date] = mapped_column(Date)
    deposit_share: Mapped[float] = mapped_column(Float, default=0.0)
    payment_terms_days: Mapped[int] = mapped_column(Integer, default=30)
    reject_limit_pct: Mapped[float | None] = mapped_column(Float)
    fabric_by: Mapped[str] = mapped_column(String(6), default="maker")  # SUPPLIERS
    trims_by: Mapped[str] = mapped_column(String(6), default="maker")  # SUPPLIERS
    buyer_confirmed_at: Mapped[datetime | None]
    maker_confirmed_at: Mapped[datetime | None]
    started_on: Mapped[date] = mapped_column(Date)  # the day the order was placed (ratings open 60 days on)
    closed_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    buyer: Mapped[Organization] = relationship(foreign_keys=[buyer_id], lazy="joined")
    maker: Mapped[Organization] = relationship(foreign_keys=[maker_id], lazy="joined")
    milestones: Mapped[list[OrderMilestone]] = relationship(
        cascade="all, delete-orphan", order_by="OrderMilestone.id", lazy="selectin")
    deliveries: Mapped[list[OrderDelivery]] = relationship(
        cascade="all, delete-orphan", order_by="OrderDelivery.id", lazy="selectin")
    invoices: Mapped[list[OrderInvoice]] = relationship(
        cascade="all, delete-orphan", order_by="OrderInvoice.id", lazy="selectin")


class OrderTermChange(Base):
    """One agreed term changed after both sides had confirmed the terms."""

    __tablename__ = "order_term_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    field: Mapped[str] = mapped_column(String(30))
    old_value: Mapped[str] = mapped_column(String(60))
    new_value: Mapped[str] = mapped_column(String(60))
    changed_by: Mapped[str] = mapped_column(String(6))  # SIDES
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class OrderAgreedDate(Base):
    """The delivery date in force from ``at`` on: the one the order was created with (``source``
    ``created``), then the one of each set of terms both sides confirmed (``confirmed``, written when the
    second side confirms). Deliveries are judged against the row in force when they became known, so
    one side changing the date alone never rewrites whether a delivery was on time."""

    __tablename__ = "order_agreed_dates"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    delivery_date: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(10))  # AGREED_SOURCES
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class OrderMilestone(Versioned, Base):
    """One stage's dates; ``version`` (``Versioned``) locks them: two edits of one version, one 409."""

    __tablename__ = "order_milestones"
    __table_args__ = (UniqueConstraint("order_id", "stage", name="uq_order_milestone"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    stage: Mapped[str] = mapped_column(String(20))  # MILESTONES
    planned_on: Mapped[date | None] = mapped_column(Date)
    actual_on: Mapped[date | None] = mapped_column(Date)
    entered_by: Mapped[str] = mapped_column(String(6))  # SIDES
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class OrderDelivery(Base):
    __tablename__ = "order_deliveries"
    __table_args__ = (
        CheckConstraint("quantity >= 1", name="ck_order_delivery_quantity"),
        CheckConstraint("rejected_quantity >= 0 AND rejected_quantity <= quantity", name="ck_order_delivery_rejects"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    delivered_on: Mapped[date] = mapped_column(Date)
    quantity: Mapped[int] = mapped_column(Integer)
    rejected_quantity: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    entered_by: Mapped[str] = mapped_column(String(6))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class OrderInvoice(Base):
    __tablename__ = "order_invoices"
    __table_args__ = (
        CheckConstraint("amount > 0", name="ck_order_invoice_amount"),
        UniqueConstraint("order_id", "number", name="uq_order_invoice_number"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    number: Mapped[str] = mapped_column(String(40))
    issued_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)  # issued_on + the order's payment terms, unless agreed otherwise
    amount: Mapped[float] = mapped_column(Float)
    currency: Mapped[str] = mapped_column(String(3))
    is_deposit: Mapped[bool] = mapped_column(default=False)
    entered_by: Mapped[str] = mapped_column(String(6))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    payments: Mapped[list[OrderPayment]] = relationship(
        cascade="all, delete-orphan", order_by="OrderPayment.id", lazy="selectin")


class OrderPayment(Base):
    __tablename__ = "order_payments"
    __table_args__ = (CheckConstraint("amount > 0", name="ck_order_payment_amount"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("order_invoices.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    paid_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[float] = mapped_column(Float)
    entered_by: Mapped[str] = mapped_column(String(6))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class OrderDispute(Base):
    """One side's objection to one figure, and the other side's answer; one open dispute per figure."""

    __tablename__ = "order_disputes"
    __table_args__ = (
        Index("ix_order_dispute_subject", "subject", "subject_id"),
        Index("uq_order_dispute_open", "order_id", "subject", "subject_id", "field", unique=True,  # migration 0025
              postgresql_where=text("status = 'open'"), sqlite_where=text("status = 'open'")),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    subject: Mapped[str] = mapped_column(String(10))  # DISPUTE_SUBJECTS
    subject_id: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(30))
    raised_by: Mapped[str] = mapped_column(String(6))  # SIDES
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    claimed_value: Mapped[str] = mapped_column(String(60), default="")  # what the disputing side says it is
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="open")  # DISPUTE_STATUSES
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    extra: Mapped[dict] = mapped_column(JSON, default=dict)
