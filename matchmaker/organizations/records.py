"""Tables of the organizations concern: firms (``Organization``), the owners of several legal units
(``OwnershipGroup``), the cluster's associations and who belongs to them (``Membership``).

A firm's maker or buyer profile hangs off ``Organization`` (``maker_profile``, ``buyer_profile``); those
tables live in ``makers.records`` and ``buyers.records`` and are named here by string, so this module
imports no other concern.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..records import Base, Versioned, utcnow



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
    # named by string (SQLAlchemy's registry resolves them): their modules import this one, never back
    maker_profile: Mapped["MakerProfile | None"] = relationship(  # noqa: F821
        back_populates="organization", uselist=False)
    buyer_profile: Mapped["BuyerProfile | None"] = relationship(  # noqa: F821
        back_populates="organization", uselist=False)
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
