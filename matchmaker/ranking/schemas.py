"""Answer bodies and query parameters of the ranking API (ranked makers, the outcome log), as pydantic
models for the OpenAPI document; ``tests/app/test_openapi.py`` checks real answers against them.
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field




# -- answers and query parameters (documented in the OpenAPI document) -----------------------------

class RankingQuery(BaseModel):
    k: int = Field(20, ge=1, le=100)
    lang: Literal["en", "es"] = "en"


class OutcomeOut(BaseModel):
    id: int
    requirement_id: int | None
    buyer_id: int | None
    maker_id: int | None
    event: str
    rank: int | None
    on_time: bool | None
    occurred_at: str


class Reason(BaseModel):
    feature: str
    text: str
    weight: float


class RankedMaker(BaseModel):
    maker_id: int
    name: str
    rank: int
    score: float
    size_band: str
    reasons: list[Reason] = Field(description="the three strongest, in the requested language")


class RankingOut(BaseModel):
    items: list[RankedMaker]
    model_version: str | None
    learned: bool
    notice: str | None
    notice_code: str | None
    candidates: int
