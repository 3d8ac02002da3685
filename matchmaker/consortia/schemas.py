"""Request bodies of the consortia API (pydantic): what a coordinator and a member may send."""
from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from ..security import ID_MAX


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LocksIn(_Body):
    """Stages the coordinator fixes (``{stage: [maker_id, ...]}``); the rest is re-optimised."""

    locks: dict[str, list[int]] = Field(default_factory=dict)
    version: int = Field(ge=1, le=ID_MAX)
    small_share: float | None = Field(default=None, ge=0, le=1,
                                      description="stated share of the volume for micro and small firms (0–1); "
                                                  "left out, the proposal's share stays")


class SendIn(_Body):
    """One team sent as the coordinator's quote on the buyer's requirement. Left out, the price is
    the team's cost per piece (members' prices or price bands, in USD), the lead time the plan's,
    the minimum order the requirement's quantity, and the quote is valid for 30 days."""

    chosen: int = Field(ge=0, le=9)
    version: int = Field(ge=1, le=ID_MAX)
    unit_price: float | None = Field(default=None, gt=0, le=100_000)
    currency: str | None = Field(default=None, min_length=3, max_length=3)
    moq: int | None = Field(default=None, ge=1, le=10_000_000)
    valid_until: date | None = None
    notes: str = Field(default="", max_length=4000)
    show_stage_prices: bool = Field(default=False, description="show the buyer each stage's price, not only "
                                                                "the consortium's total")


class PartAnswerIn(_Body):
    confirm: bool
    units: int | None = Field(default=None, ge=1, le=10_000_000)
    unit_price: float | None = Field(default=None, gt=0, le=100_000,
                                     description="your price per piece for this part (USD); the coordinator's "
                                                 "next teams use it as your cost for the stage")


# -- answers (documented in the OpenAPI document; built by consortia.services) ---------------------
from typing import Any  # noqa: E402

from pydantic import BaseModel  # noqa: E402


class ProposalRef(BaseModel):
    id: int
    status: str


class RequirementToServe(BaseModel):
    id: int
    title: str
    quantity: int
    stages: list[str] = Field(description="process codes in the garment's order")
    proposal: ProposalRef | None


class RequirementsToServe(BaseModel):
    items: list[RequirementToServe]


class PartOut(BaseModel):
    id: int
    stage: str
    maker_id: int
    maker: str | None
    units: int
    status: str = Field(description="asked, confirmed or declined")
    confirmed_units: int | None
    unit_price: float | None = None


class MemberPartOut(PartOut):
    proposal_id: int
    requirement: str
    coordinator: str


class MemberParts(BaseModel):
    items: list[MemberPartOut]


class TeamOut(BaseModel):
    assignments: list[dict[str, Any]] = Field(description="stage, maker_id, maker, units, fit, lead_days, "
                                                          "unit_cost (per piece, or null when unknown)")
    unit_cost: float | None = Field(None, description="the team's cost per finished piece (USD), when known")
    objective: float
    terms: dict[str, float] = Field(description="fit, risk, cost, lead, cohesion, small_share, late")
    lead_days: int
    bound: float | None
    gap: float | None
    status: str
    plan: list[dict[str, Any]] = Field(description="stage, start, end (days from the start)")
    explanations: list[dict[str, Any]] = Field(description="per stage: makers, reasons and the runner-up's, "
                                                           "as message codes with parameters")


class ProposalOut(BaseModel):
    id: int
    requirement_id: int
    status: str
    version: int
    coordinator: str | None
    locks: dict[str, list[int]]
    chosen: int
    alternatives: list[TeamOut]
    greedy: TeamOut | None
    shortfalls: dict[str, str]
    seconds: float
    single_firm_possible: bool
    parts: list[PartOut]
    small_share: float = 0.0
    show_stage_prices: bool = False
    subcontracting: str = Field("allowed", description="the buyer's rule: allowed, declared or forbidden")
    inquiry_id: int | None = Field(None, description="the contact inquiry the offer went through, once sent")
    quote: dict[str, Any] | None = Field(None, description="the quote sent to the buyer, once sent")


class JobRef(BaseModel):
    id: str
    url: str


class ProposalJobOut(BaseModel):
    proposal: ProposalOut
    job: JobRef


class JobStatusOut(BaseModel):
    id: str
    name: str
    status: str
    progress: float
    message: str
    result: dict[str, Any] | None
    error: str | None
    created_at: str | None
    finished_at: str | None


class OfferStage(BaseModel):
    stage: str
    maker_id: int
    maker: str
    units: int
    confirmation: str
    unit_price: float | None = Field(None, description="the stage's price, only when the coordinator shows it")


class OfferOut(BaseModel):
    id: int
    requirement_id: int
    requirement: str
    coordinator: str
    sent_at: str | None
    lead_days: int | None
    plan: list[dict[str, Any]]
    stages: list[OfferStage]
    inquiry_id: int | None = Field(None, description="the contact inquiry that carries the offer's quote")
    quote: dict[str, Any] | None = Field(None, description="the quote: unit_price (the consortium's total), "
                                                           "currency, lead_time_days, moq, valid_until, notes")


class Offers(BaseModel):
    items: list[OfferOut]
