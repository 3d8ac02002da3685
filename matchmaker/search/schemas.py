"""Answer bodies and query parameters of the search API (makers for buyers, open requirements for makers,
the search box's completions), as pydantic models for the OpenAPI document.
"""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from ..api.schemas import Page, PageQuery
from ..makers.schemas import MakerOut
from ..requirements.schemas import RequirementOut




# -- answers and query parameters (documented in the OpenAPI document) -----------------------------

class MakerSearchQuery(PageQuery):
    q: str | None = Field(None, description="free text over names, about and style")
    process: list[str] = Field([], description="process codes, all required")
    product_line: list[str] = []
    certificate: list[str] = Field([], description="certificate kinds held and valid")
    min_quality: str | None = None
    state: str | None = None
    country: str | None = None
    near: str | None = Field(None, description="lat,lon; with radius_km")
    radius_km: float | None = Field(None, gt=0)
    association: int | None = None
    quantity: int | None = Field(None, description="keeps makers whose minimum order fits")
    monthly_volume: int | None = Field(None, description="keeps makers whose capacity fits")
    lead_time_days: int | None = None
    service_tier: str | None = None
    size_band: str | None = None
    sort: str | None = Field(None, description="relevance (default), capacity, lead_time, distance")
    as_typed: Literal["0", "1"] | None = Field(None, description="1: no search for the corrected q when q "
                                               "matches nothing (only the suggestion)")
    lang: Literal["en", "es"] = "en"


class RequirementSearchQuery(PageQuery):
    q: str | None = None
    product_line: list[str] = []
    process: list[str] = []
    fits_me: Literal["0", "1"] | None = Field(None, description="1 keeps requirements your firm could serve")
    as_typed: Literal["0", "1"] | None = Field(None, description="1: no search for the corrected q when q "
                                               "matches nothing (only the suggestion)")
    lang: Literal["en", "es"] = "en"


class FacetCount(BaseModel):
    value: str
    label: str
    count: int


class MakerHit(MakerOut):
    score: float | None = None
    distance_km: float | None = None


class MakerSearchOut(Page[MakerHit]):
    facets: dict[str, list[FacetCount]] = Field(description="counts per value of each filter")
    suggestion: str | None = Field(None, description="did you mean: a corrected q, when nothing matched")
    corrected: str | None = Field(None, description="the corrected q whose results these are, when q as typed "
                                  "matched nothing (as_typed=1 searches q as typed only)")


class RequirementHit(RequirementOut):
    score: float | None = None


class RequirementSearchOut(Page[RequirementHit]):
    facets: dict[str, list[FacetCount]] = {}
    suggestion: str | None = Field(None, description="did you mean: a corrected q, when nothing matched")
    corrected: str | None = Field(None, description="the corrected q whose results these are, when q as typed "
                                  "matched nothing (as_typed=1 searches q as typed only)")


class CompleteQuery(BaseModel):
    q: str = Field("", description="what the user typed; the last word is completed")
    lang: str | None = Field(None, description="en or es (default: the account's language)")
    scope: str = Field("makers", description="makers or requirements")


class Completion(BaseModel):
    kind: str = Field(description="maker, requirement or a taxonomy vocabulary")
    value: Any = Field(description="the maker or requirement id, or the taxonomy code")
    text: str = Field(description="what to show, in the reader's language")
    param: str | None = Field(description="the search parameter a taxonomy term filters on")


class CompleteOut(BaseModel):
    q: str
    items: list[Completion]
