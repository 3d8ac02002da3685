"""Request and answer bodies of the organizations concern (firms and associations), as pydantic models.

Same conventions as :mod:`matchmaker.validation`: unknown fields are refused, numbers and strings
are bounded, taxonomy codes are checked; the OpenAPI document is generated from these classes, so the
documentation cannot drift from validation. The ``*Out`` models describe the views' JSON key for key
(``tests/app/test_openapi.py`` checks real answers against them).
"""
from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints, field_validator

from .. import taxonomy as tx
from ..api.schemas import PageQuery
from ..validation import Country, LongText, Name, ShortText, Strict, _code, rule_error


class OrganizationIn(Strict):
    kind: Annotated[str, _code(tx.ORG_KINDS)]
    name: Name
    legal_name: ShortText | None = None
    description: LongText = ""
    website: Annotated[str, StringConstraints(max_length=300, pattern=r"^https?://\S+$")] | None = None
    city: ShortText | None = None
    state: ShortText | None = None
    country: Country
    lat: Annotated[float, Field(ge=-90, le=90)] | None = None
    lon: Annotated[float, Field(ge=-180, le=180)] | None = None
    ownership_group_id: int | None = None


class OrganizationPatch(Strict):
    version: int
    name: Name | None = None
    legal_name: ShortText | None = None
    description: LongText | None = None
    website: Annotated[str, StringConstraints(max_length=300, pattern=r"^https?://\S+$")] | None = None
    city: ShortText | None = None
    state: ShortText | None = None
    country: Country | None = None
    lat: Annotated[float, Field(ge=-90, le=90)] | None = None
    lon: Annotated[float, Field(ge=-180, le=180)] | None = None

    @field_validator("name", "description", "country")
    @classmethod
    def _not_cleared(cls, value):
        # leaving a field out keeps it; an explicit null would blank a field every firm must have
        if value is None:
            raise rule_error("missing", None, "may not be null; leave the field out to keep it")
        return value


class AssociationIn(Strict):
    name: Name
    slug: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{1,59}$")]
    sector: ShortText = ""
    city: ShortText | None = None
    state: ShortText | None = None
    shares_incidents: bool = False


# -- answers and query parameters (documented in the OpenAPI document) -----------------------------

class OrganizationQuery(PageQuery):
    kind: str | None = Field(None, description="organization kind code")
    state: str | None = None
    country: str | None = Field(None, description="ISO 3166 alpha-2")
    q: str | None = Field(None, description="part of the name")


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


class AssociationOut(BaseModel):
    id: int
    name: str
    slug: str
    sector: str
    city: str | None
    state: str | None
    shares_incidents: bool
    member_count: int | None
