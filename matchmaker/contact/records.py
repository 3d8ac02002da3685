"""Tables of the contact concern.

* ``Shortlist`` (one per requirement) and ``ShortlistEntry`` (a maker on it, with the ranking
  position and model version that showed it, when it came from the ranked list).
* ``Inquiry``: a buyer's requirement sent to one maker; the maker accepts or declines it once
  (``version`` is an optimistic lock, so two answers race to one winner). Ranking context is
  copied from the shortlist so every later outcome event carries it.
* ``Quote``: a maker's offer on an inquiry; only that maker and the inquiring buyer read it. A
  coordinator's consortium offer is a quote too, linked to its proposal (the stage plan).
* ``Message``: the inquiry's conversation; ``read_at`` is the read receipt of the other side.
* ``InquiryDayCount``: inquiries sent per buyer and UTC day, bumped atomically against the limit.
* ``Notification``, ``NotificationPreference``, ``DigestRun``, ``EmailOutbox``: notices of every
  concern (inquiries, vetting, fairs, new requirements), per-kind email preferences, the daily
  digest's once-a-day guard, and the emails waiting for the SMTP worker.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON, CheckConstraint, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..organizations.records import Organization
from ..records import Base, Versioned, utcnow
from ..requirements.records import Requirement


class Shortlist(Base):
    __tablename__ = "contact_shortlists"
    __table_args__ = (UniqueConstraint("requirement_id", name="uq_contact_shortlist_requirement"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    requirement_id: Mapped[int] = mapped_column(ForeignKey("requirements.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    requirement: Mapped[Requirement] = relationship(lazy="joined")
    entries: Mapped[list[ShortlistEntry]] = relationship(
        cascade="all, delete-orphan", order_by="ShortlistEntry.id", lazy="selectin")


class ShortlistEntry(Base):
    __tablename__ = "contact_shortlist_entries"
    __table_args__ = (UniqueConstraint("shortlist_id", "maker_id", name="uq_contact_entry_maker"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    shortlist_id: Mapped[int] = mapped_column(ForeignKey("contact_shortlists.id"), index=True)
    maker_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    source: Mapped[str] = mapped_column(String(12), default="profile")  # search | ranking | profile | api
    rank: Mapped[int | None] = mapped_column(Integer)
    model_version: Mapped[str | None] = mapped_column(String(40))
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    maker: Mapped[Organization] = relationship(lazy="joined")


class Inquiry(Versioned, Base):
    __tablename__ = "contact_inquiries"
    __table_args__ = (
        UniqueConstraint("requirement_id", "maker_id", name="uq_contact_inquiry_pair"),
        Index("ix_contact_inquiry_maker_time", "maker_id", "created_at"),
        Index("ix_contact_inquiry_buyer_time", "buyer_id", "created_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    requirement_id: Mapped[int] = mapped_column(ForeignKey("requirements.id"), index=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    maker_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="sent", index=True)  # sent | accepted | declined
    decline_reason: Mapped[str | None] = mapped_column(String(30))
    decline_note: Mapped[str] = mapped_column(Text, default="")
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime | None]
    rank: Mapped[int | None] = mapped_column(Integer)
    model_version: Mapped[str | None] = mapped_column(String(40))
    sample_requested_at: Mapped[datetime | None]
    sample_approved_at: Mapped[datetime | None]
    order_placed_at: Mapped[datetime | None]
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    requirement: Mapped[Requirement] = relationship(lazy="joined")
    buyer: Mapped[Organization] = relationship(foreign_keys=[buyer_id], lazy="joined")
    maker: Mapped[Organization] = relationship(foreign_keys=[maker_id], lazy="joined")


class Quote(Base):
    __tablename__ = "contact_quotes"
    __table_args__ = (
        CheckConstraint("unit_price > 0", name="ck_contact_quote_price"),
        CheckConstraint("lead_time_days >= 1", name="ck_contact_quote_lead"),
        CheckConstraint("moq >= 1", name="ck_contact_quote_moq"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    inquiry_id: Mapped[int] = mapped_column(ForeignKey("contact_inquiries.id"), index=True)
    maker_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    unit_price: Mapped[float] = mapped_column(Float)
    currency: Mapped[str] = mapped_column(String(3))
    lead_time_days: Mapped[int] = mapped_column(Integer)
    moq: Mapped[int] = mapped_column(Integer)
    valid_until: Mapped[date] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Set when the quote is a coordinator's consortium offer (issue 16): its stage plan is that proposal's.
    consortium_proposal_id: Mapped[int | None] = mapped_column(
        ForeignKey("consortium_proposals.id", name="fk_contact_quote_consortium_proposal"), index=True)


class Message(Base):
    __tablename__ = "contact_messages"
    __table_args__ = (Index("ix_contact_message_thread", "inquiry_id", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    inquiry_id: Mapped[int] = mapped_column(ForeignKey("contact_inquiries.id"))
    side: Mapped[str] = mapped_column(String(6))  # buyer | maker
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class InquiryDayCount(Base):
    __tablename__ = "contact_inquiry_day_counts"
    buyer_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    sent: Mapped[int] = mapped_column(Integer, default=0)


class Notification(Base):
    """One notice for one user: a kind, the subject it is about, and the parameters of its message.

    The text is never stored: ``kind`` names an English message (``contact.kinds``) and ``params``
    fill it, translated when the notice is shown or emailed, in the reader's language. ``link`` is
    the path of the subject's page. ``email_mode`` is the user's preference when the notice was
    written (immediately, digest, off); a digest notice waits with ``digest_outbox_id`` empty until
    the daily digest puts it in one email. ``dedup_key`` makes a notice once-only per user (e.g. one
    requirement announced once, one published agenda level once).
    """

    __tablename__ = "contact_notifications"
    __table_args__ = (Index("ix_contact_notification_user", "user_id", "read_at", "id"),
                      Index("ix_contact_notification_digest", "email_mode", "digest_outbox_id", "user_id"),
                      UniqueConstraint("user_id", "dedup_key", name="uq_contact_notification_dedup"))
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(30))
    inquiry_id: Mapped[int | None] = mapped_column(ForeignKey("contact_inquiries.id"), index=True)
    subject_type: Mapped[str] = mapped_column(String(20), default="inquiry")
    subject_id: Mapped[int | None] = mapped_column(Integer)
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    link: Mapped[str] = mapped_column(String(300), default="")
    email_mode: Mapped[str] = mapped_column(String(10), default="immediate")
    digest_outbox_id: Mapped[int | None] = mapped_column(Integer)  # the digest email (no FK: no cycle)
    dedup_key: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class NotificationPreference(Base):
    """How one user wants one kind of notice emailed: ``immediate``, ``digest`` or ``off``."""

    __tablename__ = "contact_notification_prefs"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), primary_key=True)
    mode: Mapped[str] = mapped_column(String(10))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class DigestRun(Base):
    """One user's digest of one UTC day: the row is the once-a-day guard (inserted or not at all)."""

    __tablename__ = "contact_digest_runs"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("contact_email_outbox.id"))
    items: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class EmailOutbox(Base):
    """An email to send, written in the same transaction as its notification (or digest).

    The ``notify send`` worker delivers it over SMTP. ``message_id`` is fixed when the row is
    written, so every attempt carries the same Message-ID header. A worker first *claims* the row
    (``claimed_by``/``claimed_at``, committed), then sends, then commits ``sent_at`` at once; a row
    whose claim is older than the stale limit (its worker died) is claimed again. ``next_attempt_at``
    spaces out retries; after ``MAX_ATTEMPTS`` the row stays with ``failed_at`` and its last error.
    """

    __tablename__ = "contact_email_outbox"
    __table_args__ = (Index("ix_contact_outbox_due", "sent_at", "failed_at", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int | None] = mapped_column(ForeignKey("contact_notifications.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30), default="")
    message_id: Mapped[str | None] = mapped_column(String(200), unique=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    claimed_by: Mapped[str | None] = mapped_column(String(40))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    failed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
