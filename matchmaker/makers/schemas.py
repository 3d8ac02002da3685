"""Request and answer bodies of the makers concern (the capability profile), as pydantic models.

Same conventions as :mod:`matchmaker.validation`: unknown fields are refused, numbers and strings
are bounded, taxonomy codes are checked; the OpenAPI document is generated from these classes, so the
documentation cannot drift from validation. The ``*Out`` models describe the views' JSON key for key
(``tests/app/test_openapi.py`` checks real answers against them).
"""
from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints, model_validator

from .. import taxonomy as tx
from ..api.schemas import PageQuery
from ..validation import (
    Count, Days, LabTests, LongText, Money, Name, Niches, Percent, Processes, ProductLines, Share, Strict, _code,
    rule_error,
)


class CertificateIn(Strict):
    kind: Annotated[str, _code(tx.CERTIFICATES)]
    issuer: Name
    number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    valid_until: date


class MakerProfileFields(Strict):
    headcount: Annotated[int, Field(ge=1, le=100_000)]
    service_tier: Annotated[str, _code(tx.SERVICE_TIERS)]
    monthly_capacity: Count
    peak_spare_capacity: Count = 0
    min_order_qty: Annotated[int, Field(ge=1, le=10_000_000)]   # an order of 0 pieces is no minimum
    committed_share: Share = 0.0
    sample_lead_days: Days = 7
    order_lead_days: Days
    quality_tier: Annotated[str, _code(tx.QUALITY_TIERS)]
    reject_rate_pct: Percent | None = None
    lab_tests: LabTests = []
    design_capability: bool = False
    own_brand: bool = False
    export_experience: bool = False
    export_share_pct: Percent = 0.0
    languages: Annotated[list[Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]], Field(max_length=10)] = ["es"]
    subcontracts: bool = False
    separate_export_facility: bool = False
    unit_price_min: Money | None = None
    unit_price_max: Money | None = None
    founded_year: Annotated[int, Field(ge=1850, le=2100)] | None = None
    about: LongText = ""
    processes: Annotated[Processes, Field(min_length=1)]
    product_lines: ProductLines = []
    niches: Niches = []
    certificates: Annotated[list[CertificateIn], Field(max_length=50)] = []

    @model_validator(mode="after")
    def _consistent(self):
        if self.unit_price_min is not None and self.unit_price_max is not None \
                and self.unit_price_min > self.unit_price_max:
            raise rule_error("price_range", "unit_price_min", "unit_price_min must not exceed unit_price_max")
        if self.min_order_qty > max(self.monthly_capacity, 1) * 12:
            raise rule_error("moq_over_capacity", "min_order_qty",
                             "min_order_qty is more than a year of monthly_capacity")
        return self


class MakerProfileIn(MakerProfileFields):
    """Create: every required attribute."""


class MakerProfilePut(MakerProfileFields):
    """Replace: the whole profile plus the version the client last read."""

    version: int


# -- answers and query parameters (documented in the OpenAPI document) -----------------------------

class MakerQuery(PageQuery):
    process: list[str] = Field([], description="process codes; a maker must do all of them")
    product_line: str | None = None
    state: str | None = None
    service_tier: str | None = None
    quality_tier: str | None = None
    min_capacity: int | None = Field(None, ge=0)
    max_moq: int | None = Field(None, ge=0)
    max_lead_days: int | None = Field(None, ge=0)


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
