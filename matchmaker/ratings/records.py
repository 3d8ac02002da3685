"""Tables of the ratings concern.

* ``Rating``: one firm's rating of another on one *basis*: ``basis`` names the kind of deal
  (``order`` for ``orders.id``, ``vendor_purchase`` for ``vendor_purchases.id``) and
  ``basis_id`` the row; one rating per basis and rater (unique). ``direction`` says who rates
  whom (``DIRECTIONS``). ``rater_org_id`` and ``comment`` are private: no view for the rated
  firm or another member ever reads them; only aggregates leave this concern.
* ``RatingScore``: the 1–5 score of one category (``CATEGORIES[direction]``).
* ``RatingAnswer``: the rated firm's published answer, per direction and optional category.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..records import Base, utcnow

BASES = ("order", "vendor_purchase")
DIRECTIONS = ("buyer_practices", "maker_performance", "vendor_performance")
CATEGORIES = {
    # a maker rates a buyer's purchasing practices (the categories of apparel's Better Buying index)
    "buyer_practices": ("planning_forecasting", "design_development", "cost_negotiation", "order_placement",
                        "payment_terms", "relationship_management", "overall_partnership"),
    # a buyer rates a maker
    "maker_performance": ("quality", "on_time_delivery", "communication"),
    # a member rates an input vendor
    "vendor_performance": ("quality", "on_time_delivery", "communication"),
}
MIN_RATINGS = 3  # a category is shown only from this many ratings ...
MIN_FIRMS = 3  # ... by at least this many distinct firms
OPENS_AFTER_DAYS = 60  # an order that has not closed may be rated this many days after it started


class Rating(Base):
    __tablename__ = "ratings"
    __table_args__ = (
        UniqueConstraint("basis", "basis_id", "rater_org_id", name="uq_rating_once_per_basis"),
        Index("ix_rating_ratee", "ratee_org_id", "direction"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    basis: Mapped[str] = mapped_column(String(16))  # BASES
    basis_id: Mapped[int] = mapped_column(Integer)
    direction: Mapped[str] = mapped_column(String(20))  # DIRECTIONS
    rater_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    ratee_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    association_id: Mapped[int | None] = mapped_column(ForeignKey("associations.id"), index=True)
    rated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    scores: Mapped[list[RatingScore]] = relationship(cascade="all, delete-orphan", lazy="selectin")


class RatingScore(Base):
    __tablename__ = "rating_scores"
    __table_args__ = (
        CheckConstraint("score BETWEEN 1 AND 5", name="ck_rating_score"),
        UniqueConstraint("rating_id", "category", name="uq_rating_score_category"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    rating_id: Mapped[int] = mapped_column(ForeignKey("ratings.id"), index=True)
    category: Mapped[str] = mapped_column(String(30))
    score: Mapped[int] = mapped_column(Integer)


class RatingAnswer(Base):
    __tablename__ = "rating_answers"
    __table_args__ = (UniqueConstraint("ratee_org_id", "direction", "category", name="uq_rating_answer"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    ratee_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    direction: Mapped[str] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(30), default="")  # "" answers the whole direction
    body: Mapped[str] = mapped_column(Text)
    written_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
