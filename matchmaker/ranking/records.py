"""Tables of the ranking concern.

``OutcomeEvent``: the log of what happened between a buyer and a maker (shown, opened, contacted, ordered,
delivered on time...). Every concern that sees such a step writes it here; it lives with the ranking
because the ranking is what learns from it (``ranking.data`` builds the training pairs, ``ranking.online``
the click estimates).

``RankingServe``: one row per ranking served with an online intervention (a randomised adjacent
pair, or a team-draft interleaving of two rankers). Plain rankings are only logged as ``shown``
outcome events; these rows add what the estimators need: the shown order, which pair was
randomised, and which ranker placed each shown maker. A later funnel event (profile opened,
shortlisted, contacted, ...) for the same requirement and maker counts as a click on it.

``TrackRecordEpoch`` (one row, ``id = 1``): a counter bumped in the same transaction as every change to
what the serving track records are summed from (:mod:`.epoch`), so a process that cached them reads
one row by primary key to know they are still current.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..records import Base, utcnow
from . import epoch as _epoch  # noqa: F401  (registers the listeners that bump the track-record epoch)
from .epoch import TRACK_EVENTS  # noqa: F401  (where the ranking's modules take it from)


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


class TrackRecordEpoch(Base):
    """The track-record epoch (:mod:`.epoch`); it starts at a random value, so a reset never repeats one."""

    __tablename__ = "track_record_epochs"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    value: Mapped[int] = mapped_column(BigInteger)

