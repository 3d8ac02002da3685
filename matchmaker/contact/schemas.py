"""Request bodies of the contact concern: the JSON API parses them, the page forms build them.

Same conventions as :mod:`matchmaker.validation`: unknown fields are refused, numbers and
strings are bounded, codes are checked against a vocabulary. A rule that needs the database
(clearance, the daily limit, who owns what) lives in ``services``.
"""
from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints, field_validator

from .. import taxonomy as tx
from ..taxonomy import Term, Vocabulary
from ..records import utcnow
from ..validation import LAST_DAY, Strict, _code, rule_error

DECLINE_REASONS = Vocabulary(
    "decline_reason",
    Term("no_capacity", "No free capacity for these dates"),
    Term("below_minimum", "Order below our minimum quantity"),
    Term("lead_time", "Lead time too short"),
    Term("process_not_offered", "We do not offer a required process"),
    Term("price", "Target price too low"),
    Term("product_line", "Not our product line"),
    Term("other", "Other reason"),
)

BUYER_EVENTS = ("sample_requested", "sample_approved", "order_placed")
SOURCES = ("search", "ranking", "profile", "api")

Id = Annotated[int, Field(ge=1, le=2**31 - 1)]
Rank = Annotated[int, Field(ge=1, le=10_000)]
ModelVersion = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
Body = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


class ShortlistAdd(Strict):
    maker_id: Id
    source: Literal["search", "ranking", "profile", "api"] = "api"
    rank: Rank | None = None
    model_version: ModelVersion | None = None


class InquiryIn(Strict):
    requirement_id: Id
    maker_ids: Annotated[list[Id], Field(min_length=1, max_length=50)]
    message: Text = ""

    @field_validator("maker_ids")
    @classmethod
    def _distinct(cls, value: list[int]) -> list[int]:
        if len(set(value)) != len(value):
            raise rule_error("repeated_maker", None, "Value error, codes must not repeat: each maker only once")
        return value


class AnswerIn(Strict):
    decision: Literal["accept", "decline"]
    reason: Annotated[str, _code(DECLINE_REASONS)] | None = None
    note: Text = ""
    version: Id | None = None


def _future(value: date) -> date:
    """Today or later, today being the UTC date (the one accepting a quote checks it against), and no
    later than :data:`~matchmaker.validation.LAST_DAY`."""
    if value < utcnow().date():
        raise rule_error("valid_until_past", None, "Value error, valid_until is in the past")
    if value > LAST_DAY:
        raise rule_error("valid_until_far", None, "Value error, valid_until must be on or before {last}",
                         last=LAST_DAY.isoformat())
    return value


class QuoteIn(Strict):
    unit_price: Annotated[float, Field(gt=0, le=100_000)]
    currency: Annotated[str, _code(tx.CURRENCIES)] = "USD"
    lead_time_days: Annotated[int, Field(ge=1, le=365)]
    moq: Annotated[int, Field(ge=1, le=10_000_000)]
    valid_until: Annotated[date, AfterValidator(_future)]
    notes: Text = ""


class EventIn(Strict):
    event: Literal["sample_requested", "sample_approved", "order_placed"]


class MessageIn(Strict):
    body: Body


# -- answers (documented in the OpenAPI document; the ``*_dict`` functions of contact.shortlists,
#    contact.inquiries, contact.quotes and contact.conversations build them) ---------------------------
# Plain models, not ``Strict``: they describe JSON the API writes, key for key.
from typing import Any  # noqa: E402

from pydantic import BaseModel  # noqa: E402


class ShortlistSummary(BaseModel):
    requirement_id: int
    requirement_title: str
    makers: int


class ShortlistList(BaseModel):
    items: list[ShortlistSummary]
    total: int


class TrackRecord(BaseModel):
    orders: int
    repeat_orders: int
    on_time_share: float | None
    disputes: int


class ShortlistRow(BaseModel):
    """One shortlisted maker's public facts, side by side with the others."""
    maker_id: int
    name: str
    source: str
    rank: int | None
    model_version: str | None
    has_profile: bool
    inquiry_id: int | None
    distance_km: float | None
    processes: list[str] | None = None
    monthly_capacity: int | None = None
    peak_spare_capacity: int | None = None
    min_order_qty: int | None = None
    sample_lead_days: int | None = None
    order_lead_days: int | None = None
    service_tier: str | None = None
    quality_tier: str | None = None
    size_band: str | None = None
    certificates: list[str] | None = Field(None, description="kinds held and valid today")
    track_record: TrackRecord | None = None


class Shortlist(BaseModel):
    requirement_id: int
    items: list[ShortlistRow]


class EntryOut(BaseModel):
    maker_id: int
    name: str
    source: str
    rank: int | None
    model_version: str | None
    added_at: str | None


class InquiryOut(BaseModel):
    id: int
    requirement_id: int
    requirement_title: str
    buyer_id: int
    buyer_name: str
    maker_id: int
    maker_name: str
    message: str | None
    status: str
    decline_reason: str | None
    decline_note: str | None
    answered_at: str | None
    sample_requested_at: str | None
    sample_approved_at: str | None
    order_placed_at: str | None
    created_at: str | None
    last_activity_at: str | None
    version: int
    rank: int | None = Field(None, description="the buyer's side only")
    model_version: str | None = Field(None, description="the buyer's side only")


class QuoteOut(BaseModel):
    id: int
    inquiry_id: int
    maker_id: int
    unit_price: float
    currency: str
    lead_time_days: int
    moq: int
    valid_until: str
    notes: str | None
    created_at: str | None
    consortium_proposal_id: int | None = Field(None, description="set when the quote is a coordinator's "
                                               "consortium offer; its stage plan is /api/v1/consortia/offers/{id}")


class InquiryDetail(InquiryOut):
    quotes: list[QuoteOut]


class SentInquiries(BaseModel):
    items: list[InquiryOut]


class InquiryPage(BaseModel):
    items: list[InquiryOut]
    total: int
    page: int
    per_page: int
    pages: int


class QuoteRow(QuoteOut):
    maker_name: str
    inquiry_status: str
    expired: bool
    meets_quantity: bool
    meets_lead_time: bool


class QuoteTable(BaseModel):
    requirement_id: int
    items: list[QuoteRow]


class MessageOut(BaseModel):
    id: int
    side: str
    body: str
    created_at: str | None
    read_at: str | None


class Thread(BaseModel):
    items: list[MessageOut]
    can_send: bool
    cannot_send_reason: str | None


class NoticeSubject(BaseModel):
    type: str | None = Field(description="inquiry, vetting_case, incident, fair, requirement …")
    id: int | None


class NotificationOut(BaseModel):
    id: int
    kind: str
    subject: NoticeSubject
    inquiry_id: int | None
    text: str = Field(description="in the reader's language")
    link: str | None
    email: str | None = Field(description="how it was emailed: immediate, digest or off")
    created_at: str | None
    read_at: str | None


class PreferenceOut(BaseModel):
    kind: str
    label: str
    mode: str = Field(description="immediate, digest or off")
    modes: list[str]


class Preferences(BaseModel):
    items: list[PreferenceOut]


class Notifications(BaseModel):
    items: list[NotificationOut]
    unread: int


class UnreadCount(BaseModel):
    unread: int


class Marked(BaseModel):
    marked: int = Field(description="notifications marked read")


class InquiryQuery(BaseModel):
    status: Any = Field(None, description="sent, accepted or declined")
    requirement_id: Id | None = None
    page: int = Field(1, ge=1, le=100_000)
    per_page: int = Field(20, ge=1, le=100)


MODES = Literal["immediate", "digest", "off"]
KindCode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=30)]


class PreferencesIn(Strict):
    """``{"preferences": {"quote": "digest", "reply": "off"}}``: the email mode per notice kind."""
    preferences: Annotated[dict[KindCode, MODES], Field(min_length=1, max_length=30)]


class ReadIn(Strict):
    """Mark these notices read (all of them when the body is absent)."""
    ids: Annotated[list[Id], Field(min_length=1, max_length=500)]
