"""Tables of the monitoring concern.

``MonitoringSlip``: one slip (an actual past its target, ``monitoring.metrics.slips``) found by the
checker, kept so each is announced once: ``key`` (e.g. ``payment:12``) is unique, so two checkers
running together insert it once and only the winner sends the notice.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..records import Base, utcnow


class MonitoringSlip(Base):
    __tablename__ = "monitoring_slips"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # metrics.SLIP_KINDS
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    subject_id: Mapped[int] = mapped_column(Integer)
    missed_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[float | None] = mapped_column(Float)
    found_at: Mapped[datetime] = mapped_column(default=utcnow)
