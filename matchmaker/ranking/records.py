"""Tables of the ranking concern.

``RankingServe``: one row per ranking served with an online intervention (a randomised adjacent
pair, or a team-draft interleaving of two rankers). Plain rankings are only logged as ``shown``
outcome events; these rows add what the estimators need: the shown order, which pair was
randomised, and which ranker placed each shown maker. A later funnel event (profile opened,
shortlisted, contacted, ...) for the same requirement and maker counts as a click on it.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..schema import Base, utcnow


class RankingServe(Base):
    __tablename__ = "ranking_serves"
    id: Mapped[int] = mapped_column(primary_key=True)
    requirement_id: Mapped[int] = mapped_column(ForeignKey("requirements.id"), index=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    served_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    intervention: Mapped[str] = mapped_column(String(12))          # "swap" | "interleave"
    swap_position: Mapped[int | None] = mapped_column(Integer)     # upper 1-based position of the randomised pair
    arm_a: Mapped[str] = mapped_column(String(40))                 # the served ranker (model version or "rule")
    arm_b: Mapped[str | None] = mapped_column(String(40))          # interleaving: the ranker it is compared with
    makers: Mapped[list] = mapped_column(JSON)                     # maker ids in shown order
    teams: Mapped[list | None] = mapped_column(JSON)               # interleaving: "A"/"B" per shown maker
    source: Mapped[str] = mapped_column(String(20), default="app")  # "app" or "demo"
