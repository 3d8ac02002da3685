"""Tables of the input-vendor concern.

* ``VendorPurchase``: one member firm's purchase from an input vendor and how it went. The
  buying firm (``member_org_id``) and ``reported_by_id`` are private to the board, as a payment
  experience's reporter is; members and the vendor see aggregates only.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..schema import Base, utcnow

QUALITY_VS_SAMPLE = ("as_sample", "minor_deviation", "major_deviation")


class VendorPurchase(Base):
    __tablename__ = "vendor_purchases"
    __table_args__ = (
        CheckConstraint("amount IS NULL OR amount > 0", name="ck_vendor_purchase_amount"),
        Index("ix_vendor_purchase_vendor_assoc", "vendor_id", "association_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    member_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("associations.id"), index=True)
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    purchased_on: Mapped[date] = mapped_column(Date)
    lot: Mapped[str] = mapped_column(String(200), default="")  # what was bought (fabric, trims, a machine, a repair)
    amount: Mapped[float | None] = mapped_column(Float)
    currency: Mapped[str | None] = mapped_column(String(3))
    promised_on: Mapped[date] = mapped_column(Date)
    delivered_on: Mapped[date | None] = mapped_column(Date)
    quality_vs_sample: Mapped[str | None] = mapped_column(String(16))  # QUALITY_VS_SAMPLE
    warranty_claimed: Mapped[bool] = mapped_column(default=False)
    warranty_honoured: Mapped[bool | None] = mapped_column()
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
