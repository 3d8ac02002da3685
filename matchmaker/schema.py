"""The relational schema: SQLAlchemy 2.0 typed mappings, the source of truth.

Alembic migrations in ``matchmaker/migrations`` create exactly these tables.
Editable aggregates (organizations, profiles, requirements) carry a ``version``
column used as SQLAlchemy's optimistic-concurrency counter, so two concurrent
edits end in a conflict instead of a lost update.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import (
    JSON, Boolean, CheckConstraint, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, declared_attr, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: DateTime(timezone=True)}


class Versioned:
    """Mixin: an optimistic-lock counter bumped on every UPDATE."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.__table__.c.version}


class OwnershipGroup(Base):
    """One owner's several legal units, seen as one firm."""

    __tablename__ = "ownership_groups"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))


class Organization(Versioned, Base):
    __tablename__ = "organizations"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    legal_name: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str | None] = mapped_column(String(300))
    city: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str | None] = mapped_column(String(100), index=True)
    country: Mapped[str] = mapped_column(String(2), index=True)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    ownership_group_id: Mapped[int | None] = mapped_column(ForeignKey("ownership_groups.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    ownership_group: Mapped[OwnershipGroup | None] = relationship()
    maker_profile: Mapped[MakerProfile | None] = relationship(back_populates="organization", uselist=False)
    buyer_profile: Mapped[BuyerProfile | None] = relationship(back_populates="organization", uselist=False)
    memberships: Mapped[list[Membership]] = relationship(back_populates="organization")


class Association(Base):
    __tablename__ = "associations"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    sector: Mapped[str] = mapped_column(String(100), default="")
    city: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str | None] = mapped_column(String(100))
    shares_incidents: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(back_populates="association")


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("association_id", "organization_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("associations.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    role: Mapped[str] = mapped_column(String(10), default="member")
    since: Mapped[date | None] = mapped_column(Date)

    association: Mapped[Association] = relationship(back_populates="memberships")
    organization: Mapped[Organization] = relationship(back_populates="memberships")


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(30), index=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    association_id: Mapped[int | None] = mapped_column(ForeignKey("associations.id"), index=True)
    locale: Mapped[str] = mapped_column(String(5), default="en")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # copied into the session cookie at sign-in; bumping it (sign-out, new password) ends every session
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    organization: Mapped[Organization | None] = relationship()
    association: Mapped[Association | None] = relationship()


class ApiToken(Base):
    """A bearer token; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)

    user: Mapped[User] = relationship()


class MakerProfile(Versioned, Base):
    """A maker's capability profile: every attribute of docs/domain.md's "Makers"."""

    __tablename__ = "maker_profiles"
    __table_args__ = (
        CheckConstraint("monthly_capacity >= 0", name="ck_maker_capacity"),
        CheckConstraint("min_order_qty >= 0", name="ck_maker_moq"),
    )
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), primary_key=True)
    headcount: Mapped[int] = mapped_column(Integer, index=True)
    service_tier: Mapped[str] = mapped_column(String(20), index=True)
    monthly_capacity: Mapped[int] = mapped_column(Integer, index=True)
    peak_spare_capacity: Mapped[int] = mapped_column(Integer, default=0)
    min_order_qty: Mapped[int] = mapped_column(Integer, index=True)
    committed_share: Mapped[float] = mapped_column(Float, default=0.0)
    sample_lead_days: Mapped[int] = mapped_column(Integer, default=7)
    order_lead_days: Mapped[int] = mapped_column(Integer, index=True)
    quality_tier: Mapped[str] = mapped_column(String(10), index=True)
    reject_rate_pct: Mapped[float | None] = mapped_column(Float)
    lab_tests: Mapped[list] = mapped_column(JSON, default=list)
    design_capability: Mapped[bool] = mapped_column(Boolean, default=False)
    own_brand: Mapped[bool] = mapped_column(Boolean, default=False)
    export_experience: Mapped[bool] = mapped_column(Boolean, default=False)
    export_share_pct: Mapped[float] = mapped_column(Float, default=0.0)
    languages: Mapped[list] = mapped_column(JSON, default=list)
    subcontracts: Mapped[bool] = mapped_column(Boolean, default=False)
    separate_export_facility: Mapped[bool] = mapped_column(Boolean, default=False)
    unit_price_min: Mapped[float | None] = mapped_column(Float)
    unit_price_max: Mapped[float | None] = mapped_column(Float)
    founded_year: Mapped[int | None] = mapped_column(Integer)
    about: Mapped[str] = mapped_column(Text, default="")

    organization: Mapped[Organization] = relationship(back_populates="maker_profile")
    processes: Mapped[list[MakerProcess]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    product_lines: Mapped[list[MakerProductLine]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    niches: Mapped[list[MakerNiche]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    certificates: Mapped[list[Certificate]] = relationship(cascade="all, delete-orphan", lazy="selectin")


class MakerProcess(Base):
    __tablename__ = "maker_processes"
    __table_args__ = (Index("ix_maker_processes_code", "code", "maker_id"),)
    maker_id: Mapped[int] = mapped_column(ForeignKey("maker_profiles.organization_id"), primary_key=True)
    code: Mapped[str] = mapped_column(String(30), primary_key=True)


class MakerProductLine(Base):
    __tablename__ = "maker_product_lines"
    __table_args__ = (Index("ix_maker_product_lines_code", "code", "maker_id"),)
    maker_id: Mapped[int] = mapped_column(ForeignKey("maker_profiles.organization_id"), primary_key=True)
    code: Mapped[str] = mapped_column(String(30), primary_key=True)


class MakerNiche(Base):
    __tablename__ = "maker_niches"
    maker_id: Mapped[int] = mapped_column(ForeignKey("maker_profiles.organization_id"), primary_key=True)
    code: Mapped[str] = mapped_column(String(30), primary_key=True)


class Certificate(Base):
    __tablename__ = "certificates"
    id: Mapped[int] = mapped_column(primary_key=True)
    maker_id: Mapped[int] = mapped_column(ForeignKey("maker_profiles.organization_id"), index=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    issuer: Mapped[str] = mapped_column(String(200))
    number: Mapped[str] = mapped_column(String(100))
    valid_until: Mapped[date] = mapped_column(Date)


class BuyerProfile(Versioned, Base):
    __tablename__ = "buyer_profiles"
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), primary_key=True)
    buyer_type: Mapped[str] = mapped_column(String(20), index=True)
    annual_volume_units: Mapped[int] = mapped_column(Integer, default=0)
    typical_order_qty: Mapped[int] = mapped_column(Integer, default=0)
    segments: Mapped[list] = mapped_column(JSON, default=list)
    payment_terms_days: Mapped[int] = mapped_column(Integer, default=30)
    deposit_share: Mapped[float] = mapped_column(Float, default=0.0)
    about: Mapped[str] = mapped_column(Text, default="")

    organization: Mapped[Organization] = relationship(back_populates="buyer_profile")


class Requirement(Versioned, Base):
    """A buyer's request for quotation (RFQ)."""

    __tablename__ = "requirements"
    id: Mapped[int] = mapped_column(primary_key=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(String(200))
    product_line: Mapped[str] = mapped_column(String(30), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    monthly_volume: Mapped[int | None] = mapped_column(Integer)
    unit_price_min: Mapped[float | None] = mapped_column(Float)
    unit_price_max: Mapped[float | None] = mapped_column(Float)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    lead_time_days: Mapped[int] = mapped_column(Integer)
    min_quality_tier: Mapped[str] = mapped_column(String(10), default="basic")
    processes: Mapped[list] = mapped_column(JSON, default=list)
    certificates: Mapped[list] = mapped_column(JSON, default=list)
    niches: Mapped[list] = mapped_column(JSON, default=list)
    style_text: Mapped[str] = mapped_column(Text, default="")
    hard_constraints: Mapped[list] = mapped_column(JSON, default=list)
    #: allowed | declared (a consortium only with its members named) | forbidden (one firm only)
    subcontracting: Mapped[str] = mapped_column(String(10), default="allowed", server_default="allowed")
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    buyer: Mapped[Organization] = relationship()


class OutcomeEvent(Base):
    """What happened between a buyer and a maker; the ranker learns from this log."""

    __tablename__ = "outcome_events"
    __table_args__ = (Index("ix_outcome_maker_time", "maker_id", "occurred_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    requirement_id: Mapped[int | None] = mapped_column(ForeignKey("requirements.id"), index=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    maker_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    event: Mapped[str] = mapped_column(String(20), index=True)
    rank: Mapped[int | None] = mapped_column(Integer)
    model_version: Mapped[str | None] = mapped_column(String(40))
    on_time: Mapped[bool | None] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(String(20), default="web")
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)


class IndexOutbox(Base):
    """A change to a searchable document, written in the same transaction as the change.

    The sync step drains it into the search index; rows stay until the index
    has accepted them, so an unreachable index never loses an update.
    """

    __tablename__ = "index_outbox"
    id: Mapped[int] = mapped_column(primary_key=True)
    index_name: Mapped[str] = mapped_column(String(30))
    doc_id: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)


class SyncState(Base):
    """Bookkeeping of the index sync: last success per index, for the health endpoint."""

    __tablename__ = "sync_state"
    index_name: Mapped[str] = mapped_column(String(30), primary_key=True)
    last_sync_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)


def import_all_tables() -> None:
    """Import every module that declares tables, so ``Base.metadata`` knows them all (Alembic, tests)."""
    import importlib
    import pkgutil

    import matchmaker

    for info in pkgutil.iter_modules(matchmaker.__path__):
        if info.ispkg:
            try:
                importlib.import_module(f"matchmaker.{info.name}.records")
            except ModuleNotFoundError as exc:
                if exc.name != f"matchmaker.{info.name}.records":
                    raise
    importlib.import_module("matchmaker.jobs")  # the shared jobs table
