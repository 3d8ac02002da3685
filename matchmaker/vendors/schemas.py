"""Request and answer schemas of the input-vendor concern (API, page forms and OpenAPI share them).

Same conventions as :mod:`matchmaker.validation`: unknown fields are refused, numbers and strings
are bounded, codes are checked against the taxonomy, and cross-field rules raise a
:func:`~matchmaker.validation.rule_error` naming the field, which the pages translate.
"""
from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field, StringConstraints, model_validator

from .. import taxonomy as tx
from ..forms import ERROR_MESSAGES
from ..validation import LongText, Strict, _code, _codes, rule_error
from ..catalog import N_

Id = Annotated[int, Field(ge=1, le=2**31 - 1)]
Ounces = Annotated[float, Field(ge=3, le=32)]          # denim weights run about 4 to 16 oz/yd²
Supplies = Annotated[list[str], Field(max_length=len(tx.VENDOR_SUPPLIES)), _codes(tx.VENDOR_SUPPLIES)]
Finishes = Annotated[list[str], Field(max_length=len(tx.DENIM_FINISHES)), _codes(tx.DENIM_FINISHES)]
Trims = Annotated[list[str], Field(max_length=len(tx.TRIM_KINDS)), _codes(tx.TRIM_KINDS)]
Brand = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
MAX_AMOUNT = 100_000_000
DENIM = "denim_fabric"


def _not_future(value: date) -> date:
    if value > date.today():
        raise rule_error("future_date", None, N_("date is in the future"))
    return value


PastDate = Annotated[date, AfterValidator(_not_future)]

# The earliest purchase on record, the same floor as the orders' dates (``orders.schemas.Day``): the
# members' records of their vendors begin with this century, and a vendor's standing weighs how it
# delivers now, so an older date is a typing slip (0202, 1925) that would count as a decades-old lot.
EARLIEST_PURCHASE = date(2000, 1, 1)


def _not_before_earliest(value: date) -> date:
    if value < EARLIEST_PURCHASE:
        raise rule_error("purchase_too_old", None, N_("purchased_on must not be before {earliest}"),
                         earliest=EARLIEST_PURCHASE.isoformat())
    return value


PurchaseDate = Annotated[date, AfterValidator(_not_before_earliest), AfterValidator(_not_future)]


class VendorProfileFields(Strict):
    """What an input vendor supplies and on what terms."""

    supplies: Annotated[Supplies, Field(min_length=1)]
    denim_oz_min: Ounces | None = None
    denim_oz_max: Ounces | None = None
    denim_finishes: Finishes = []
    trims: Trims = []
    brands_serviced: Annotated[list[Brand], Field(max_length=30)] = []
    min_lot: Annotated[int, Field(ge=1, le=10_000_000)] | None = None
    min_lot_unit: Annotated[str, StringConstraints(strip_whitespace=True, max_length=20)] = ""
    delivery_days: Annotated[int, Field(ge=1, le=365)] | None = None
    repair_response_days: Annotated[int, Field(ge=0, le=90)] | None = None
    credit_terms_days: Annotated[int, Field(ge=0, le=180)] = 0
    about: LongText = ""

    @model_validator(mode="after")
    def _consistent(self):
        if self.denim_oz_min is not None and self.denim_oz_max is not None and self.denim_oz_min > self.denim_oz_max:
            raise rule_error("weight_range", "denim_oz_min", "denim_oz_min must not exceed denim_oz_max")
        denim_fields = self.denim_oz_min is not None or self.denim_oz_max is not None or self.denim_finishes
        if denim_fields and DENIM not in self.supplies:
            raise rule_error("denim_without_fabric", "supplies",
                             "denim weights and finishes need denim_fabric among supplies")
        if self.trims and "trims" not in self.supplies:
            raise rule_error("trims_without_supply", "supplies", "trims need trims among supplies")
        if (self.brands_serviced or self.repair_response_days is not None) and not (
                set(self.supplies) & tx.MACHINE_SUPPLIES):
            raise rule_error("brands_without_machines", "supplies",
                             "brands serviced and repair times need machines or machine repair among supplies")
        if len({b.casefold() for b in self.brands_serviced}) != len(self.brands_serviced):
            raise rule_error("repeated_code", "brands_serviced", "brands must not repeat")
        return self


class VendorProfilePut(VendorProfileFields):
    """Create or replace the whole profile; ``version`` is the one last read (omit it to create)."""

    version: int | None = None


class PurchaseIn(Strict):
    """One lot a member firm bought from an input vendor and how it went."""

    vendor_id: Id
    association_id: Id | None = None
    purchased_on: PurchaseDate
    lot: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    amount: Annotated[float, Field(gt=0, le=MAX_AMOUNT)] | None = None
    currency: Annotated[str, _code(tx.CURRENCIES)] = "MXN"
    promised_on: date
    delivered_on: PastDate | None = None
    quality_vs_sample: Annotated[str, _code(tx.PURCHASE_QUALITY)] | None = None
    warranty_claimed: bool = False
    warranty_honoured: bool | None = None
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] = ""

    @model_validator(mode="after")
    def _consistent(self):
        if self.promised_on < self.purchased_on:
            raise rule_error("promised_before_purchase", "promised_on", "promised_on is before purchased_on")
        if self.delivered_on is not None and self.delivered_on < self.purchased_on:
            raise rule_error("delivered_before_purchase", "delivered_on", "delivered_on is before purchased_on")
        if self.quality_vs_sample is not None and self.delivered_on is None:
            raise rule_error("quality_without_delivery", "quality_vs_sample",
                             "quality_vs_sample needs a delivered_on date")
        if self.warranty_claimed and self.delivered_on is None:
            raise rule_error("warranty_without_delivery", "warranty_claimed", "a warranty claim needs a delivery")
        if self.warranty_honoured is not None and not self.warranty_claimed:
            raise rule_error("honoured_without_claim", "warranty_honoured",
                             "warranty_honoured needs warranty_claimed")
        return self


# Our own rules' sentences for the pages (Spanish in the gettext catalog); joined to the shared table once.
ERROR_MESSAGES.update({
    "weight_range": (N_("The lightest weight must not exceed the heaviest."), None),
    "denim_without_fabric": (N_("Denim weights and finishes need denim fabric among the supplies."), None),
    "trims_without_supply": (N_("Trims need trims among the supplies."), None),
    "brands_without_machines": (N_("Brands serviced and repair times need machines or machine repair among "
                                   "the supplies."), None),
    "promised_before_purchase": (N_("The promised date must not be before the purchase."), None),
    "delivered_before_purchase": (N_("The delivery must not be before the purchase."), None),
    "quality_without_delivery": (N_("Give the delivery date with the quality of the lot."), None),
    "warranty_without_delivery": (N_("A warranty claim needs a delivery date."), None),
    "honoured_without_claim": (N_("Say whether the warranty was honoured only for a claim."), None),
})


# -- answers ---------------------------------------------------------------------------------------

class VendorProfileOut(BaseModel):
    organization_id: int
    name: str
    city: str | None
    state: str | None
    country: str
    supplies: list[str]
    denim_oz_min: float | None
    denim_oz_max: float | None
    denim_finishes: list[str]
    trims: list[str]
    brands_serviced: list[str]
    min_lot: int | None
    min_lot_unit: str
    delivery_days: int | None
    repair_response_days: int | None
    credit_terms_days: int
    about: str
    version: int


class PurchaseSummary(BaseModel):
    """What members and the vendor see of the purchases: counts from enough firms, never who."""

    shown: bool = Field(description="false while fewer than 2 member firms reported (then no figures)")
    purchases: int
    reporting_firms: int
    delivered: int | None = None
    on_time: int | None = None
    late: int | None = None
    mean_days_late: float | None = None
    quality: dict[str, int] | None = None
    warranty_claims: int | None = None
    warranty_honoured: int | None = None


class Standing(BaseModel):
    status: str
    outcome: str | None
    conditions: list[str]
    review_date: str | None
    under_review: bool


class VendorOut(VendorProfileOut):
    standing: Standing | None = Field(description="null when you may not read it: another vendor's standing")
    purchase_summary: PurchaseSummary


class VendorListing(BaseModel):
    organization_id: int
    name: str
    city: str | None
    state: str | None
    country: str
    supplies: list[str]
    credit_terms_days: int | None
    delivery_days: int | None
    standing: Standing | None = Field(description="null when you may not read it: another vendor's standing")


class VendorQuery(BaseModel):
    supplies: str | None = Field(None, description="a VENDOR_SUPPLIES code the vendor must supply")
    vetted: bool | None = Field(None, description="true: only vendors the association cleared")
    q: str | None = Field(None, description="part of the name")
    page: int = Field(1, ge=1, le=100_000)
    per_page: int = Field(20, ge=1, le=100)


class PurchaseOut(BaseModel):
    """A purchase as its own reporting firm (and the board) reads it."""

    id: int
    vendor_id: int
    vendor: str
    association_id: int
    purchased_on: str
    lot: str
    amount: float | None
    currency: str | None
    promised_on: str
    delivered_on: str | None
    quality_vs_sample: str | None
    warranty_claimed: bool
    warranty_honoured: bool | None
    note: str


class BoardPurchaseOut(PurchaseOut):
    """The board's view adds who bought and who reported."""

    member_org_id: int
    member: str
    reported_by_id: int | None
