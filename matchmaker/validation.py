"""Request schemas: one pydantic model per resource, shared by the API, the forms and OpenAPI.

Every input schema forbids unknown fields, bounds every number and string, and
checks taxonomy codes against ``taxonomy``; the OpenAPI document is generated
from these same classes, so the documentation cannot drift from validation.
"""
from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator
from pydantic_core import PydanticCustomError

from . import taxonomy as tx


def rule_error(code: str, field: str | None, message: str, **ctx) -> PydanticCustomError:
    """A refusal of one of our own rules: a stable error *type* (``code``) the pages translate, the
    ``field`` it concerns in ctx (for a model-level rule), and an English ``message`` for the API."""
    return PydanticCustomError(code, message, {"field": field, **ctx} if field else ctx)


def _codes(vocab: tx.Vocabulary):
    def check(values: list[str]) -> list[str]:
        unknown = [v for v in values if v not in vocab]
        if unknown:
            raise rule_error("unknown_code", None, "unknown {vocab} code(s): {codes}; allowed: {allowed}",
                             vocab=vocab.name, codes=", ".join(map(str, unknown)), allowed=", ".join(vocab.codes))
        if len(set(values)) != len(values):
            raise rule_error("repeated_code", None, "codes must not repeat")
        return values
    return AfterValidator(check)


def _code(vocab: tx.Vocabulary):
    def check(value: str) -> str:
        if value not in vocab:
            raise rule_error("unknown_code", None, "unknown {vocab} code {codes}; allowed: {allowed}",
                             vocab=vocab.name, codes=repr(value), allowed=", ".join(vocab.codes))
        return value
    return AfterValidator(check)


Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
LongText = Annotated[str, StringConstraints(max_length=5000)]
Country = Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Z]{2}$")]
Count = Annotated[int, Field(ge=0, le=10_000_000)]
Days = Annotated[int, Field(ge=1, le=365)]
Money = Annotated[float, Field(ge=0, le=100_000)]
Share = Annotated[float, Field(ge=0, le=1)]
Percent = Annotated[float, Field(ge=0, le=100)]

Processes = Annotated[list[str], Field(max_length=len(tx.PROCESS_STAGES)), _codes(tx.PROCESS_STAGES)]
ProductLines = Annotated[list[str], Field(max_length=len(tx.PRODUCT_LINES)), _codes(tx.PRODUCT_LINES)]
Niches = Annotated[list[str], Field(max_length=len(tx.NICHES)), _codes(tx.NICHES)]
CertificateKinds = Annotated[list[str], Field(max_length=len(tx.CERTIFICATES)), _codes(tx.CERTIFICATES)]
LabTests = Annotated[list[str], Field(max_length=len(tx.LAB_TESTS)), _codes(tx.LAB_TESTS)]
HardConstraints = Annotated[list[str], Field(max_length=len(tx.HARD_CONSTRAINTS)), _codes(tx.HARD_CONSTRAINTS)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_max_length=5000)


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


class AssociationIn(Strict):
    name: Name
    slug: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{1,59}$")]
    sector: ShortText = ""
    city: ShortText | None = None
    state: ShortText | None = None
    shares_incidents: bool = False


class TokenRequest(Strict):
    email: Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=3, max_length=254)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    name: ShortText = "api"


class PasswordChange(Strict):
    current_password: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    new_password: Annotated[str, StringConstraints(min_length=12, max_length=200)]
