"""Tables of the input-vendor concern.

* ``VendorPurchase``: one member firm's purchase from an input vendor and how it went. The
  buying firm (``member_org_id``) and ``reported_by_id`` are private to the board, as a payment
  experience's reporter is; members and the vendor see aggregates only.
* ``VendorProfile``: what the vendor supplies and on what terms (migration 0020).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..records import Base, Versioned, utcnow

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


class VendorProfile(Versioned, Base):
    """What an input vendor offers the cluster's makers: the fields members compare vendors on.

    Lists hold taxonomy codes (``VENDOR_SUPPLIES``, ``DENIM_FINISHES``, ``TRIM_KINDS``); brands
    serviced are free words (machinery brands are too many and too local for a vocabulary). Edited
    by the vendor itself (optimistic lock: a stale ``version`` is a 409).
    """

    __tablename__ = "vendor_profiles"
    __table_args__ = (
        CheckConstraint("denim_oz_min IS NULL OR denim_oz_max IS NULL OR denim_oz_min <= denim_oz_max",
                        name="ck_vendor_profile_oz"),
        CheckConstraint("min_lot IS NULL OR min_lot > 0", name="ck_vendor_profile_min_lot"),
    )
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), primary_key=True)
    supplies: Mapped[list] = mapped_column(JSON, default=list)
    denim_oz_min: Mapped[float | None] = mapped_column(Float)
    denim_oz_max: Mapped[float | None] = mapped_column(Float)
    denim_finishes: Mapped[list] = mapped_column(JSON, default=list)
    trims: Mapped[list] = mapped_column(JSON, default=list)
    brands_serviced: Mapped[list] = mapped_column(JSON, default=list)
    min_lot: Mapped[int | None] = mapped_column(Integer)
    min_lot_unit: Mapped[str] = mapped_column(String(20), default="")
    delivery_days: Mapped[int | None] = mapped_column(Integer)
    repair_response_days: Mapped[int | None] = mapped_column(Integer)
    credit_terms_days: Mapped[int] = mapped_column(Integer, default=0)
    about: Mapped[str] = mapped_column(Text, default="")
