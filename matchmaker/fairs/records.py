"""Tables of the fairs concern: a fair, its sessions, breaks and tables, registered participants,
meeting requests, schedule runs with their meetings, and what changed for whom after a repair.

Times of a fair (sessions, breaks, slots, request deadline) are wall-clock times at the venue,
stored without a zone; ``Fair.timezone`` names the zone (ICS files carry it).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON, Boolean, CheckConstraint, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..organizations.records import Organization
from ..records import Base, utcnow

Local = DateTime(timezone=False)


class Fair(Base):
    __tablename__ = "fairs"
    __table_args__ = (CheckConstraint("slot_minutes >= 15", name="ck_fair_slot_minutes"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("associations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    venue: Mapped[str] = mapped_column(String(200), default="")
    timezone: Mapped[str] = mapped_column(String(60), default="America/Mexico_City")
    slot_minutes: Mapped[int] = mapped_column(Integer, default=30)
    request_deadline: Mapped[datetime | None] = mapped_column(Local)
    default_min_meetings: Mapped[int] = mapped_column(Integer, default=0)
    default_max_meetings: Mapped[int | None] = mapped_column(Integer)
    # the organizer's choice: pairs nobody marked (and nobody vetoed) may meet where that brings a
    # participant up to their minimum (``scheduling.SolveOptions.fill_minimums``)
    fill_minimums: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    sessions: Mapped[list[FairSession]] = relationship(
        cascade="all, delete-orphan", order_by="FairSession.starts_at", lazy="selectin")
    breaks: Mapped[list[FairBreak]] = relationship(
        cascade="all, delete-orphan", order_by="FairBreak.starts_at", lazy="selectin")
    tables: Mapped[list[FairTable]] = relationship(
        cascade="all, delete-orphan", order_by="FairTable.id", lazy="selectin")


class FairSession(Base):
    """A block of meeting time on one day (e.g. a morning), cut into slots."""

    __tablename__ = "fair_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id"), index=True)
    label: Mapped[str] = mapped_column(String(100), default="")
    starts_at: Mapped[datetime] = mapped_column(Local)
    ends_at: Mapped[datetime] = mapped_column(Local)


class FairBreak(Base):
    __tablename__ = "fair_breaks"
    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id"), index=True)
    label: Mapped[str] = mapped_column(String(100), default="")
    starts_at: Mapped[datetime] = mapped_column(Local)
    ends_at: Mapped[datetime] = mapped_column(Local)


class FairTable(Base):
    __tablename__ = "fair_tables"
    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id"), index=True)
    label: Mapped[str] = mapped_column(String(60))


class FairParticipant(Base):
    """A buyer or maker firm registered for a fair, with its meeting targets and availability."""

    __tablename__ = "fair_participants"
    __table_args__ = (UniqueConstraint("fair_id", "organization_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    side: Mapped[str] = mapped_column(String(10))  # buyer | maker
    min_meetings: Mapped[int] = mapped_column(Integer, default=0)
    max_meetings: Mapped[int | None] = mapped_column(Integer)
    fixed_table_id: Mapped[int | None] = mapped_column(ForeignKey("fair_tables.id"))
    unavailable: Mapped[list] = mapped_column(JSON, default=list)  # slot ids
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)  # private webcal feed

    organization: Mapped[Organization] = relationship(lazy="joined")


class FairRequest(Base):
    """One side's mark on a counterpart: must / would_like / no."""

    __tablename__ = "fair_requests"
    __table_args__ = (UniqueConstraint("fair_id", "from_participant_id", "to_participant_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id"), index=True)
    from_participant_id: Mapped[int] = mapped_column(ForeignKey("fair_participants.id"), index=True)
    to_participant_id: Mapped[int] = mapped_column(ForeignKey("fair_participants.id"), index=True)
    mark: Mapped[str] = mapped_column(String(12))
    expires_at: Mapped[datetime | None] = mapped_column(Local)  # venue time; after it the mark no longer counts
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class FairScheduleRun(Base):
    """One optimizer (or repair) run: its figures, the baseline beside it, and its publication."""

    __tablename__ = "fair_schedule_runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10), default="optimize")  # optimize | repair
    current: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    publication: Mapped[str] = mapped_column(String(12), default="draft")  # draft | preliminary | final
    solver_status: Mapped[str] = mapped_column(String(12), default="")
    objective: Mapped[float] = mapped_column(Float, default=0.0)
    bound: Mapped[float] = mapped_column(Float, default=0.0)
    gap: Mapped[float] = mapped_column(Float, default=0.0)
    wall_time: Mapped[float] = mapped_column(Float, default=0.0)
    time_limit: Mapped[float] = mapped_column(Float, default=0.0)
    metrics: Mapped[dict] = mapped_column(JSON, default=dict)
    baseline: Mapped[dict] = mapped_column(JSON, default=dict)
    findings: Mapped[list] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class FairMeeting(Base):
    __tablename__ = "fair_meetings"
    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id"), index=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("fair_schedule_runs.id"), index=True)
    buyer_participant_id: Mapped[int] = mapped_column(ForeignKey("fair_participants.id"), index=True)
    maker_participant_id: Mapped[int] = mapped_column(ForeignKey("fair_participants.id"), index=True)
    slot_id: Mapped[str] = mapped_column(String(20))
    starts_at: Mapped[datetime] = mapped_column(Local)
    ends_at: Mapped[datetime] = mapped_column(Local)
    table_id: Mapped[int] = mapped_column(ForeignKey("fair_tables.id"))
    status: Mapped[str] = mapped_column(String(12), default="scheduled")  # scheduled|held|no_show|cancelled
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    sample_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    order_placed: Mapped[bool] = mapped_column(Boolean, default=False)
    held_logged: Mapped[bool] = mapped_column(Boolean, default=False)  # "meeting_held" is in outcome_events

    buyer: Mapped[FairParticipant] = relationship(foreign_keys=[buyer_participant_id], lazy="joined")
    maker: Mapped[FairParticipant] = relationship(foreign_keys=[maker_participant_id], lazy="joined")
    table: Mapped[FairTable] = relationship(lazy="joined")


class FairChange(Base):
    """What a repair changed for one participant (shown on their agenda)."""

    __tablename__ = "fair_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id"), index=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("fair_schedule_runs.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("fair_participants.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # added | removed | moved
    counterpart_id: Mapped[int] = mapped_column(ForeignKey("fair_participants.id"))
    slot_id: Mapped[str] = mapped_column(String(20))
    table_label: Mapped[str] = mapped_column(String(60), default="")
    previous_slot_id: Mapped[str | None] = mapped_column(String(20))
    previous_table_label: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    counterpart: Mapped[FairParticipant] = relationship(foreign_keys=[counterpart_id], lazy="joined")


class FairCalendarEntry(Base):
    """What a pair's calendar event last said, so ICS feeds update events instead of duplicating them.

    One row per buyer–maker pair that ever had a meeting: a stable ``uid`` and a ``sequence`` that
    grows whenever the meeting's time, table or status changes (or it is called off). Participant
    ids are plain integers: the row outlives a removed participant, whose counterpart's calendar
    then shows the meeting as cancelled.
    """

    __tablename__ = "fair_calendar_entries"
    __table_args__ = (UniqueConstraint("fair_id", "buyer_participant_id", "maker_participant_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id"), index=True)
    buyer_participant_id: Mapped[int] = mapped_column(Integer, index=True)
    maker_participant_id: Mapped[int] = mapped_column(Integer, index=True)
    buyer_name: Mapped[str] = mapped_column(String(200), default="")
    maker_name: Mapped[str] = mapped_column(String(200), default="")
    uid: Mapped[str] = mapped_column(String(120))
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    fingerprint: Mapped[str] = mapped_column(String(120), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    starts_at: Mapped[datetime] = mapped_column(Local)
    ends_at: Mapped[datetime] = mapped_column(Local)
    table_label: Mapped[str] = mapped_column(String(60), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class FairPairSetting(Base):
    """What belongs to a buyer–maker pair for the whole fair, whichever schedule run seats it:
    whether they meet over video (and who chose it), the unguessable part of the video link,
    and who checked the meeting in. Outlives re-runs and repairs (meeting rows are per run)."""

    __tablename__ = "fair_pair_settings"
    __table_args__ = (UniqueConstraint("fair_id", "buyer_participant_id", "maker_participant_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id"), index=True)
    buyer_participant_id: Mapped[int] = mapped_column(ForeignKey("fair_participants.id"), index=True)
    maker_participant_id: Mapped[int] = mapped_column(ForeignKey("fair_participants.id"), index=True)
    virtual: Mapped[bool] = mapped_column(Boolean, default=False)
    virtual_by: Mapped[str | None] = mapped_column(String(10))  # organizer | buyer
    video_token: Mapped[str] = mapped_column(String(64))
    checked_in_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    checked_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class FairFollowUp(Base):
    """One side's answer to a follow-up wave (a week, three months after the fair) about one meeting:
    a rating from 1 to 5 and the next step; ``outcome_event_id`` is the outcome-log row it wrote."""

    __tablename__ = "fair_follow_ups"
    __table_args__ = (UniqueConstraint("fair_id", "buyer_participant_id", "maker_participant_id", "side", "wave"),
                      CheckConstraint("rating BETWEEN 1 AND 5", name="ck_fair_follow_up_rating"))
    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id"), index=True)
    buyer_participant_id: Mapped[int] = mapped_column(ForeignKey("fair_participants.id"), index=True)
    maker_participant_id: Mapped[int] = mapped_column(ForeignKey("fair_participants.id"), index=True)
    side: Mapped[str] = mapped_column(String(10))        # buyer | maker: who answered
    wave: Mapped[str] = mapped_column(String(10))        # week | quarter
    rating: Mapped[int] = mapped_column(Integer)
    next_step: Mapped[str] = mapped_column(String(20))   # none | negotiation | sample | order
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)
    outcome_event_id: Mapped[int | None] = mapped_column(ForeignKey("outcome_events.id"))
