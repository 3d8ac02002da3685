"""Tables of the makers concern: a maker's capability profile (every attribute of docs/domain.md's
"Makers") and its processes, product lines, niches and certificates.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..organizations.records import Organization
from ..records import Base, Versioned


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
