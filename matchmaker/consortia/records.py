"""Tables of the consortia concern.

* ``Proposal``: a coordinator's answer to one open requirement no single maker can serve (or
  one it chose to serve as a team): the alternatives the optimizer found, each with its
  assignments, objective terms, bound and gap, the coordinator's locks, and its status
  (``draft`` → ``sent``). ``version`` is an optimistic lock: two edits race to one winner.
* ``Part``: once a proposal is sent, each maker's stage and units, which that maker confirms
  or declines (with the capacity it can really give, and its price per piece for the part).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy import false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..organizations.records import Organization
from ..records import Base, Versioned, utcnow
from ..requirements.records import Requirement
from ..catalog import N_

#: A part's status codes, which are also the English words the pages translate (``_(part.status)``).
PART_STATUSES = (N_("asked"), N_("confirmed"), N_("declined"))


class Proposal(Versioned, Base):
    __tablename__ = "consortium_proposals"
    __table_args__ = (UniqueConstraint("requirement_id", "coordinator_id", name="uq_consortium_requirement"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    requirement_id: Mapped[int] = mapped_column(ForeignKey("requirements.id"), index=True)
    coordinator_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)  # draft | sent
    alternatives: Mapped[list] = mapped_column(JSON, default=list)
    greedy: Mapped[dict | None] = mapped_column(JSON)
    shortfalls: Mapped[dict] = mapped_column(JSON, default=dict)
    locks: Mapped[dict] = mapped_column(JSON, default=dict)  # {stage: [maker_id, ...]}
    chosen: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    note: Mapped[str] = mapped_column(Text, default="")
    #: The stated share of the volume for small firms (0–1), set by the coordinator.
    small_share: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    #: Whether the buyer sees each stage's price (else only the consortium's total); members are always named.
    show_stage_prices: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)

    requirement: Mapped[Requirement] = relationship(lazy="joined")
    coordinator: Mapped[Organization] = relationship()
    parts: Mapped[list[Part]] = relationship(cascade="all, delete-orphan", order_by="Part.id", lazy="selectin",
                                             back_populates="proposal")


class Part(Base):
    __tablename__ = "consortium_parts"
    __table_args__ = (UniqueConstraint("proposal_id", "stage", "maker_id", name="uq_consortium_part"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("consortium_proposals.id"), index=True)
    stage: Mapped[str] = mapped_column(String(30))
    maker_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    units: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="asked")  # asked | confirmed | declined
    confirmed_units: Mapped[int | None] = mapped_column(Integer)
    #: The member's price per piece for its part, given when confirming (its quote to the coordinator).
    unit_price: Mapped[float | None] = mapped_column(Float)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)

    maker: Mapped[Organization] = relationship(lazy="joined")
    proposal: Mapped[Proposal] = relationship(back_populates="parts")
