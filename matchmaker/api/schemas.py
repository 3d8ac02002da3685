"""Response bodies and query parameters of the core API (tokens, organizations, profiles, requirements,
search, ranking), as pydantic models for the OpenAPI document. The views build these JSON bodies from
``services.*_dict``; the models describe them key for key (``tests/app/test_openapi.py`` checks real
answers against them). Request bodies are in ``matchmaker.validation``.
"""
from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


class FieldProblem(BaseModel):
    field: str
    problem: str


class ErrorDetail(BaseModel):
    status: int
    code: str = Field(description="machine-readable: invalid, not_found, forbidden, conflict, ...")
    message: str
    fields: list[FieldProblem] = Field(description="one entry per refused field, named by its dotted path")


class Error(BaseModel):
    """Every 4xx and 5xx answer of the API."""
    error: ErrorDetail


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    page: int
    per_page: int
    pages: int


class Items(BaseModel, Generic[T]):
    items: list[T]
    total: int


# -- query parameters (documented here; the views check them and answer 400 naming the parameter) -----

class PageQuery(BaseModel):
    page: int = Field(1, ge=1, le=100_000)
    per_page: int = Field(20, ge=1, le=100)


class OrganizationQuery(PageQuery):
    kind: str | None = Field(None, description="organization kind code")
    state: str | None = None
    country: str | None = Field(None, description="ISO 3166 alpha-2")
    q: str | None = Field(None, description="part of the name")


class MakerQuery(PageQuery):
    process: list[str] = Field([], description="process codes; a maker must do all of them")
    product_line: str | None = None
    state: str | None = None
    service_tier: str | None = None
    quality_tier: str | None = None
    min_capacity: int | None = Field(None, ge=0)
    max_moq: int | None = Field(None, ge=0)
    max_lead_days: int | None = Field(None, ge=0)


class BuyerQuery(PageQuery):
    buyer_type: str | None = None
    country: str | None = None


class RequirementQuery(PageQuery):
    status: Literal["draft", "open", "closed"] | None = None
    product_line: str | None = None


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
    lang: Literal["en", "es"] = "en"


class RequirementSearchQuery(PageQuery):
    q: str | None = None
    product_line: list[str] = []
    process: list[str] = []
    fits_me: Literal["0", "1"] | None = Field(None, description="1 keeps requirements your firm could serve")
    lang: Literal["en", "es"] = "en"


class RankingQuery(BaseModel):
    k: int = Field(20, ge=1, le=100)
    lang: Literal["en", "es"] = "en"


# -- tokens and accounts ----------------------------------------------------------------------------

class TokenOut(BaseModel):
    token: str = Field(description="send as Authorization: Bearer <token>; shown once")
    role: str
    organization_id: int | None


class TokenInfo(BaseModel):
    id: int
    name: str
    created_at: str
    expires_at: str | None
    revoked: bool
    current: bool = Field(description="the token this request was made with")


# -- organizations, associations, profiles, requirements --------------------------------------------

class OrganizationOut(BaseModel):
    id: int
    kind: str
    name: str
    legal_name: str | None
    description: str
    website: str | None
    city: str | None
    state: str | None
    country: str
    lat: float | None
    lon: float | None
    ownership_group_id: int | None
    version: int


class OutcomeOut(BaseModel):
    id: int
    requirement_id: int | None
    buyer_id: int | None
    maker_id: int | None
    event: str
    rank: int | None
    on_time: bool | None
    occurred_at: str


class AssociationOut(BaseModel):
    id: int
    name: str
    slug: str
    sector: str
    city: str | None
    state: str | None
    shares_incidents: bool
    member_count: int | None


class CertificateOut(BaseModel):
    kind: str
    issuer: str
    number: str
    valid_until: str


class MakerOut(BaseModel):
    organization_id: int
    name: str
    city: str | None
    state: str | None
    country: str
    lat: float | None
    lon: float | None
    size_band: str
    version: int
    headcount: int
    service_tier: str
    monthly_capacity: int
    peak_spare_capacity: int
    min_order_qty: int
    committed_share: float
    sample_lead_days: int
    order_lead_days: int
    quality_tier: str
    reject_rate_pct: float | None
    lab_tests: list[str]
    design_capability: bool
    own_brand: bool
    export_experience: bool
    export_share_pct: float
    languages: list[str]
    subcontracts: bool
    separate_export_facility: bool
    unit_price_min: float | None
    unit_price_max: float | None
    founded_year: int | None
    about: str
    processes: list[str]
    product_lines: list[str]
    niches: list[str]
    certificates: list[CertificateOut]


class BuyerOut(BaseModel):
    organization_id: int
    name: str
    country: str
    city: str | None
    version: int
    buyer_type: str
    annual_volume_units: int
    typical_order_qty: int
    segments: list[str]
    payment_terms_days: int
    deposit_share: float
    about: str


class RequirementOut(BaseModel):
    id: int
    buyer_id: int
    version: int
    created_at: str | None
    title: str
    product_line: str
    quantity: int
    monthly_volume: int | None
    unit_price_min: float | None
    unit_price_max: float | None
    currency: str
    lead_time_days: int
    min_quality_tier: str
    processes: list[str]
    certificates: list[str]
    niches: list[str]
    style_text: str
    hard_constraints: list[str]
    subcontracting: str = Field("allowed", description="allowed, declared (a consortium only with its members "
                                "named) or forbidden (one firm does the whole order)")
    status: str


# -- search and ranking ----------------------------------------------------------------------------

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


class RequirementHit(RequirementOut):
    score: float | None = None


class RequirementSearchOut(Page[RequirementHit]):
    facets: dict[str, list[FacetCount]] = {}
    suggestion: str | None = Field(None, description="did you mean: a corrected q, when nothing matched")


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


class Anything(BaseModel):
    """A JSON object whose keys depend on the record (documented in the operation's description)."""
    model_config = {"extra": "allow"}


JsonObject = dict[str, Any]



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
