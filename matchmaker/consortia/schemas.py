"""Request bodies of the consortia API (pydantic): what a coordinator and a member may send."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LocksIn(_Body):
    """Stages the coordinator fixes (``{stage: [maker_id, ...]}``); the rest is re-optimised."""

    locks: dict[str, list[int]] = Field(default_factory=dict)
    version: int = Field(ge=1)


class SendIn(_Body):
    chosen: int = Field(ge=0, le=9)
    version: int = Field(ge=1)


class PartAnswerIn(_Body):
    confirm: bool
    units: int | None = Field(default=None, ge=1, le=10_000_000)


# -- answers (documented in the OpenAPI document; built by consortia.services) ----------------------
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


class MemberPartOut(PartOut):
    proposal_id: int
    requirement: str
    coordinator: str


class MemberParts(BaseModel):
    items: list[MemberPartOut]


class TeamOut(BaseModel):
    assignments: list[dict[str, Any]] = Field(description="stage, maker_id, maker, units, fit, lead_days")
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


class OfferOut(BaseModel):
    id: int
    requirement_id: int
    requirement: str
    coordinator: str
    sent_at: str | None
    lead_days: int | None
    plan: list[dict[str, Any]]
    stages: list[OfferStage]


class Offers(BaseModel):
    items: list[OfferOut]
