"""Request schemas of the vetting workflow, shared by the API, the page forms and OpenAPI.

Same conventions as :mod:`matchmaker.validation`: unknown fields are refused, numbers and
strings are bounded, codes are checked against the taxonomy, and cross-field rules (paid
before invoiced, dates in the future, conditions without a conditional outcome) raise a
:func:`~matchmaker.validation.rule_error`: a stable error type the pages translate and the field
it concerns.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from .. import taxonomy as tx
from ..security import ID_MAX
from ..validation import LongText, Share, Strict, _code, _codes, percent_share, rule_error

MAX_AMOUNT = 100_000_000
MAX_REVIEW_YEARS = 3


def _not_future(value: date) -> date:
    if value > date.today():
        raise rule_error("future_date", None, N_("date is in the future"))
    return value


PastDate = Annotated[date, AfterValidator(_not_future)]
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]


class PaymentIn(Strict):
    """One invoice a member firm issued to the subject, and how it was paid."""

    subject_id: Id
    association_id: Id | None = None
    invoice_date: PastDate
    amount: Annotated[float, Field(gt=0, le=MAX_AMOUNT)]
    currency: Annotated[str, _code(tx.CURRENCIES)] = "USD"
    terms_days: Annotated[int, Field(ge=0, le=365)] = 30
    due_date: date | None = None
    paid_date: PastDate | None = None
    paid_amount: Annotated[float, Field(ge=0, le=MAX_AMOUNT)] | None = None
    deposit_share: Share = 0.0  # the page form types it in percent (``forms.PercentField``)

    @model_validator(mode="after")
    def _consistent(self):
        if self.due_date is not None and self.due_date < self.invoice_date:
            raise rule_error("due_before_invoice", "due_date", N_("due_date is before invoice_date"))
        if self.paid_date is not None and self.paid_date < self.invoice_date:
            raise rule_error("paid_before_invoice", "paid_date",
                             N_("paid_date is before invoice_date: paid before invoiced"))
        if self.paid_amount is not None and self.paid_date is None:
            raise rule_error("paid_amount_without_date", "paid_date", N_("paid_amount needs a paid_date"))
        if self.paid_amount is not None and self.paid_amount > self.amount:
            raise rule_error("overpaid", "paid_amount", N_("paid_amount exceeds the invoice amount"))
        return self


class IncidentIn(Strict):
    subject_id: Id
    association_id: Id | None = None
    type: Annotated[str, _code(tx.INCIDENT_TYPES)]
    severity: Annotated[str, _code(tx.INCIDENT_SEVERITIES)]
    occurred_on: PastDate
    description: Annotated[str, StringConstraints(strip_whitespace=True, min_length=10, max_length=5000)]


class ReferenceIn(Strict):
    subject_id: Id
    association_id: Id | None = None
    type: Annotated[str, _code(tx.REFERENCE_TYPES)]
    occurred_on: PastDate
    note: Note = ""


class IncidentStatusIn(Strict):
    """Board or staff verify an incident or mark it hearsay; the reporting firm may withdraw it."""

    status: Annotated[str, _code(tx.INCIDENT_STATUSES)]
    note: Note = ""


class ApplicationIn(Strict):
    association_id: Id
    note: Note = ""


class ProposalIn(Strict):
    subject_id: Id
    association_id: Id | None = None
    note: Note = ""


class VoteIn(Strict):
    vote: Annotated[str, _code(tx.VETTING_OUTCOMES)]
    comment: Note = ""


class DecisionIn(Strict):
    outcome: Annotated[str, _code(tx.VETTING_OUTCOMES)]
    rationale: Annotated[str, StringConstraints(strip_whitespace=True, min_length=20, max_length=5000)]
    review_date: date
    conditions: Annotated[list[str], Field(max_length=len(tx.VETTING_CONDITIONS)), _codes(tx.VETTING_CONDITIONS)] = []
    deposit_share: Annotated[float, percent_share(gt=0, le=1), Field(gt=0, le=1)] | None = None  # page: percent

    @model_validator(mode="after")
    def _consistent(self):
        today = date.today()
        if self.review_date <= today:
            raise rule_error("review_date_past", "review_date", N_("review_date must be after today"))
        if self.review_date > today + timedelta(days=366 * MAX_REVIEW_YEARS):
            raise rule_error("review_date_far", "review_date", "review_date must be within {years} years",
                             years=MAX_REVIEW_YEARS)
        if self.outcome == "approved_with_conditions" and not self.conditions:
            raise rule_error("conditions_missing", "conditions",
                             N_("conditions are required for an approval with conditions"))
        if self.outcome != "approved_with_conditions" and self.conditions:
            raise rule_error("conditions_unexpected", "conditions",
                             N_("conditions apply only to an approval with conditions"))
        if self.deposit_share is not None and "deposit" not in self.conditions:
            raise rule_error("deposit_without_condition", "deposit_share",
                             N_("deposit_share needs the deposit condition"))
        return self


class ReplyIn(Strict):
    body: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
    incident_id: Id | None = None
    dispute: bool = False

    @model_validator(mode="after")
    def _consistent(self):
        if self.dispute and self.incident_id is None:
            raise rule_error("dispute_without_incident", "incident_id",
                             N_("incident_id is required to dispute an incident"))
        return self


__all__ = ["PaymentIn", "IncidentIn", "ReferenceIn", "IncidentStatusIn", "ApplicationIn", "ProposalIn",
           "VoteIn", "DecisionIn", "ReplyIn", "LongText"]


# -- answers (documented in the OpenAPI document; vetting.views builds them) -----------------------------
# Plain models, not ``Strict``: they describe JSON the API writes, key for key.
from typing import Any  # noqa: E402

from pydantic import BaseModel  # noqa: E402
from ..catalog import N_


class PaymentOut(BaseModel):
    id: int
    subject_id: int
    association_id: int
    due_date: str


class IncidentOut(BaseModel):
    id: int
    subject_id: int
    association_id: int
    status: str


class EvidenceOut(BaseModel):
    incident_id: int
    files: int = Field(description="files stored by this upload")


class IncidentStatusOut(BaseModel):
    id: int
    status: str


class ReferenceOut(BaseModel):
    id: int
    subject_id: int
    association_id: int


class CaseOut(BaseModel):
    id: int
    association_id: int
    status: str


class SubjectRef(BaseModel):
    id: int
    name: str
    kind: str


class CaseSummary(BaseModel):
    id: int
    association_id: int
    status: str
    origin: str
    opened_at: str
    subject: SubjectRef
    opening_score: float | None
    decision_id: int | None
    votes: int


class DecisionOut(BaseModel):
    id: int
    case_id: int
    outcome: str
    conditions: list[str]
    deposit_share: float | None
    rationale: str
    review_date: str
    decided_at: str


class CaseDetail(BaseModel):
    """The case page: reporters appear here only (board and staff of the case's association)."""
    id: int
    association_id: int
    status: str
    origin: str
    opened_at: str
    note: str | None
    opening_score: float | None
    subject: SubjectRef
    score: dict[str, Any] | None = Field(description="the model's score, band and reasons in the asked language")
    signals: dict[str, Any]
    payments: list[dict[str, Any]]
    incidents: list[dict[str, Any]] = Field(description="each with its reporter and evidence files")
    references: list[dict[str, Any]]
    votes: list[dict[str, Any]]
    tally: dict[str, Any]
    board: Any
    replies: list[dict[str, Any]]
    decisions: list[DecisionOut]


class VoteOut(BaseModel):
    id: int
    case_id: int
    vote: str


class StandingOut(BaseModel):
    status: str
    outcome: str | None
    conditions: list[str]
    review_date: str | None
    under_review: bool


class SubjectListing(BaseModel):
    id: int
    name: str
    kind: str
    country: str | None
    standing: StandingOut
    risk_band: str | None
    signals: dict[str, Any] = Field(description="aggregated: counts of payments, incidents by type and severity, ...")


class SubjectStatus(BaseModel):
    """The subject's own status: never a reporter."""
    subject_id: int
    standings: list[dict[str, Any]]
    open_cases: list[dict[str, Any]]
    incidents: list[dict[str, Any]]
    replies: list[dict[str, Any]]


class ReplyOut(BaseModel):
    id: int
    incident_id: int | None
    disputes: bool


class EvidenceForm(BaseModel):
    evidence: list[Annotated[str, Field(json_schema_extra={"format": "binary"})]] = Field(
        description="one or more files (PDF, JPEG, PNG; 5 MB each, 5 per incident)")


class CaseQuery(BaseModel):
    status: str = Field("open", description="open or decided")
    association_id: int | None = Field(None, ge=1, le=ID_MAX, description="default: your own association")
    page: int = Field(1, ge=1, le=100_000)
    per_page: int = Field(20, ge=1, le=100)


class CaseViewQuery(BaseModel):
    lang: str = Field("en", description="en or es: the language of the model's reasons")


class SubjectQuery(BaseModel):
    kind: str | None = Field(None, description="buyer, buying_agent or input_vendor")
    lang: str = "en"
    page: int = Field(1, ge=1, le=100_000)
    per_page: int = Field(20, ge=1, le=100)
