"""Request and answer bodies of the requirements concern (a buyer's RFQ), as pydantic models.

Same conventions as :mod:`matchmaker.validation`: unknown fields are refused, numbers and strings
are bounded, taxonomy codes are checked; the OpenAPI document is generated from these classes, so the
documentation cannot drift from validation. The ``*Out`` models describe the views' JSON key for key
(``tests/app/test_openapi.py`` checks real answers against them).
"""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator

from .. import taxonomy as tx
from ..api.schemas import PageQuery
from ..validation import (
    CertificateKinds, HardConstraints, LongText, Money, Name, Niches, Processes, Strict, _code, rule_error,
)


class RequirementFields(Strict):
    title: Name
    product_line: Annotated[str, _code(tx.PRODUCT_LINES)]
    quantity: Annotated[int, Field(ge=1, le=10_000_000)]
    monthly_volume: Annotated[int, Field(ge=1, le=10_000_000)] | None = None
    unit_price_min: Money | None = None
    unit_price_max: Money | None = None
    currency: Annotated[str, _code(tx.CURRENCIES)] = "USD"
    lead_time_days: Annotated[int, Field(ge=3, le=365)]
    min_quality_tier: Annotated[str, _code(tx.QUALITY_TIERS)] = "basic"
    processes: Processes = []
    certificates: CertificateKinds = []
    niches: Niches = []
    style_text: LongText = ""
    hard_constraints: HardConstraints = ["processes", "capacity", "lead_time"]
    subcontracting: Annotated[str, _code(tx.SUBCONTRACTING)] = "allowed"
    status: Literal["draft", "open", "closed"] = "draft"

    @model_validator(mode="after")
    def _consistent(self):
        if self.unit_price_min is not None and self.unit_price_max is not None \
                and self.unit_price_min > self.unit_price_max:
            raise rule_error("price_range", "unit_price_min", "unit_price_min must not exceed unit_price_max")
        return self


class RequirementIn(RequirementFields):
    """Create a requirement for the caller's own firm."""


class RequirementPut(RequirementFields):
    version: int


# -- answers and query parameters (documented in the OpenAPI document) -----------------------------

class RequirementQuery(PageQuery):
    status: Literal["draft", "open", "closed"] | None = None
    product_line: str | None = None


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
