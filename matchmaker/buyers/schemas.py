"""Request and answer bodies of the buyers concern (a buyer's profile), as pydantic models.

Same conventions as :mod:`matchmaker.validation`: unknown fields are refused, numbers and strings
are bounded, taxonomy codes are checked; the OpenAPI document is generated from these classes, so the
documentation cannot drift from validation. The ``*Out`` models describe the views' JSON key for key
(``tests/app/test_openapi.py`` checks real answers against them).
"""
from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from .. import taxonomy as tx
from ..api.schemas import PageQuery
from ..validation import Count, LongText, ProductLines, Share, Strict, _code


class BuyerProfileIn(Strict):
    buyer_type: Annotated[str, _code(tx.BUYER_TYPES)]
    annual_volume_units: Count = 0
    typical_order_qty: Count = 0
    segments: ProductLines = []
    payment_terms_days: Annotated[int, Field(ge=0, le=180)] = 30
    deposit_share: Share = 0.0
    about: LongText = ""


class BuyerProfilePut(BuyerProfileIn):
    version: int


# -- answers and query parameters (documented in the OpenAPI document) -----------------------------

class BuyerQuery(PageQuery):
    buyer_type: str | None = None
    country: str | None = None


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
