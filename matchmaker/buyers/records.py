"""Tables of the buyers concern: a buyer's (or buying agent's) profile, one per firm.
"""
from __future__ import annotations

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..organizations.records import Organization
from ..records import Base, Versioned


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
