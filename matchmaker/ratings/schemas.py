"""Request and answer bodies of the ratings API (pydantic): what a rater and a rated firm may send,
and the aggregates that are all anyone reads back."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, field_validator

from ..security import ID_MAX
from ..validation import rule_error
from .records import BASES, DIRECTIONS

Basis = Literal[BASES]  # type: ignore[valid-type]
Direction = Literal[DIRECTIONS]  # type: ignore[valid-type]
MAX_COMMENT = 2000
MAX_ANSWER = 4000


class _RatingBody(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RatingIn(_RatingBody):
    """One firm's rating of the other side of one order or vendor purchase: 1–5 per category (at least
    one; the categories of the basis's direction), and an optional comment for the association's board."""

    basis: Basis
    basis_id: int = Field(ge=1, le=ID_MAX)
    scores: dict[str, StrictInt] = Field(min_length=1, max_length=10)
    comment: str = Field(default="", max_length=MAX_COMMENT)

    @field_validator("scores")
    @classmethod
    def _one_to_five(cls, value: dict[str, int]) -> dict[str, int]:
        bad = [k for k, v in value.items() if not 1 <= v <= 5]
        if bad:
            raise rule_error("score_range", None, "each score is a whole number from 1 to 5 (not {keys})",
                             keys=", ".join(sorted(bad)))
        return value


class RatingAnswerIn(_RatingBody):
    """The rated firm's published answer, to a whole direction (no category) or to one category."""

    direction: Direction
    category: str | None = Field(default=None, max_length=30)
    body: str = Field(min_length=1, max_length=MAX_ANSWER)

    @field_validator("body")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise rule_error("blank_answer", None, "write an answer")
        return value


class AnswerRef(_RatingBody):
    direction: Direction
    category: str | None = Field(default=None, max_length=30)


class EligibilityQuery(BaseModel):
    basis: Basis
    basis_id: int = Field(ge=1, le=ID_MAX)


# -- answers --------------------------------------------------------------------------------------

class EligibilityOut(BaseModel):
    basis: str
    basis_id: int
    direction: str
    ratee_org_id: int
    state: str = Field(description="open (may rate now), rated, opens (on opens_on) or never (terms unconfirmed)")
    opens_on: str | None

class RatingOut(BaseModel):
    """The stored rating as its rater's firm sees it back (never shown to anyone else)."""

    id: int
    basis: str
    basis_id: int
    direction: str
    ratee_org_id: int
    scores: dict[str, int]
    created_at: str


class CategoryOut(BaseModel):
    category: str
    shown: bool = Field(description="at least 3 ratings from at least 3 distinct firms")
    score: float | None = Field(description="mean of the published ratings, one decimal; null unless shown")
    ratings: str | None = Field(description="how many ratings, as a band (3-9, 10-24, 25-99, 100+); null unless "
                                "shown. Figures move in snapshots of at least 3 more firms, never one rating")
    cluster_median: float | None = Field(description="median of the shown scores of the cluster's rated firms")


class AnswerOut(BaseModel):
    category: str | None
    body: str
    published_at: str | None


class DirectionOut(BaseModel):
    organization_id: int
    direction: str
    association_id: int | None = Field(description="the cluster the median is taken in")
    categories: list[CategoryOut]
    answers: list[AnswerOut]


class OrganizationRatingsOut(BaseModel):
    organization_id: int
    directions: list[DirectionOut] = Field(description="the directions the reader may see")
