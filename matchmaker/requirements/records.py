"""Tables of the requirements concern: a buyer's request for quotation (RFQ).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..organizations.records import Organization
from ..records import Base, Versioned, utcnow


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
