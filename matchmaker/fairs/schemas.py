"""Request schemas of the fairs concern (pydantic, same style as ``matchmaker.validation``).

Rules that need only the payload live here (overlapping sessions, a slot longer than its
session, zero tables); rules that need the database (registration, requests) live in
``services`` and raise :class:`~matchmaker.errors.DomainError` naming the field.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, Field, StringConstraints, field_validator, model_validator
from pydantic_core import PydanticCustomError

from ..security import ID_MAX
from ..validation import Name, ShortText, Strict

Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
Mark = Literal["must", "would_like", "no"]
Meetings = Annotated[int, Field(ge=0, le=200)]


def _rule(field: str, kind: str, template: str, **params) -> PydanticCustomError:
    """A rule of this module as a typed error naming its field (translated by ``fairs.messages``)."""
    return PydanticCustomError(kind, f"{field}: {template}", {"field": field, **params})


def _zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder of zones such as "US"
        raise PydanticCustomError("fair_unknown_zone", "unknown time zone {zone}", {"zone": value}) from None
    return value


class Period(Strict):
    label: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] = ""
    start: datetime
    end: datetime

    @model_validator(mode="after")
    def _ordered(self):
        if (self.start.tzinfo is None) != (self.end.tzinfo is None):  # comparing them would raise a TypeError
            raise PydanticCustomError("fair_period_offsets", "start and end must both give a UTC offset, or neither")
        if self.end <= self.start:
            raise PydanticCustomError("fair_period_order", "end must be after start")
        return self


#: Most tables a fair may have (a number typed on the new-fair page beyond this is refused beside it).
MAX_TABLES = 2000


class TableIn(Strict):
    label: Label


class FairIn(Strict):
    name: Name
    venue: ShortText = ""
    association_id: int | None = None  # defaults to the organizer's own association
    timezone: Annotated[str, AfterValidator(_zone)] = "America/Mexico_City"
    slot_minutes: Annotated[int, Field(ge=15, le=240)] = 30
    request_deadline: datetime | None = None
    sessions: Annotated[list[Period], Field(max_length=60)]
    breaks: Annotated[list[Period], Field(max_length=60)] = []
    tables: Annotated[list[TableIn], Field(max_length=MAX_TABLES)]
    default_min_meetings: Meetings = 0
    default_max_meetings: Meetings | None = None
    fill_minimums: bool = False  # let unmarked, unvetoed pairs relieve minimum-meeting shortfalls

    @field_validator("tables")
    @classmethod
    def _tables(cls, tables: list[TableIn]) -> list[TableIn]:
        if not tables:
            raise PydanticCustomError("fair_no_tables", "a fair needs at least one table; zero tables given")
        labels = [t.label for t in tables]
        if len(set(labels)) != len(labels):
            raise PydanticCustomError("fair_tables_repeat", "table labels must not repeat")
        return tables

    @model_validator(mode="after")
    def _consistent(self):
        zone = ZoneInfo(self.timezone)
        local = lambda t: t.astimezone(zone).replace(tzinfo=None) if t.tzinfo else t  # noqa: E731
        for p in [*self.sessions, *self.breaks]:
            p.start, p.end = local(p.start), local(p.end)
        if self.request_deadline is not None:
            self.request_deadline = local(self.request_deadline)
        if not self.sessions:
            raise _rule("sessions", "fair_no_sessions", "a fair needs at least one session")
        self.sessions = sorted(self.sessions, key=lambda s: s.start)
        now = datetime.now(zone).replace(tzinfo=None)
        for s in self.sessions:
            if s.start < now:
                raise _rule("sessions", "fair_session_past", "the session {session} is in the past; every session "
                            "must be upcoming", session=f"{s.start:%Y-%m-%d %H:%M}")
        for a, b in zip(self.sessions, self.sessions[1:]):
            if b.start < a.end:
                raise _rule("sessions", "fair_sessions_overlap", "sessions overlap: {first} and {second}",
                            first=f"{a.start:%Y-%m-%d %H:%M}–{a.end:%H:%M}",
                            second=f"{b.start:%Y-%m-%d %H:%M}–{b.end:%H:%M}")
        for b in self.breaks:  # a break no session overlaps cuts nothing: most likely a mistyped date or time
            if not any(b.start < s.end and s.start < b.end for s in self.sessions):
                raise _rule("breaks", "fair_break_outside", "this break is outside every session: {period}",
                            period=f"{b.start:%Y-%m-%d %H:%M}–{b.end:%H:%M}")
        length = timedelta(minutes=self.slot_minutes)
        for s in self.sessions:
            if s.end - s.start < length:
                raise _rule("slot_minutes", "fair_slot_too_long", "a slot of {minutes} minutes is longer than the "
                            "session {session} ({length} minutes)", minutes=self.slot_minutes,
                            session=s.label or s.start.strftime("%Y-%m-%d %H:%M"),
                            length=int((s.end - s.start).total_seconds() // 60))
        if self.request_deadline is not None and self.request_deadline > self.sessions[0].start:
            raise _rule("request_deadline", "fair_deadline_after_start", "the request deadline must be before the "
                        "first session ({first})", first=f"{self.sessions[0].start:%Y-%m-%d %H:%M}")
        if self.default_max_meetings is not None and self.default_min_meetings > self.default_max_meetings:
            raise _rule("default_min_meetings", "fair_min_above_max",
                        "default_min_meetings must not exceed default_max_meetings")
        return self


class ParticipantIn(Strict):
    organization_id: int
    min_meetings: Meetings | None = None   # None: the fair's default
    max_meetings: Meetings | None = None
    fixed_table_id: int | None = None
    unavailable: Annotated[list[Annotated[str, StringConstraints(max_length=20)]], Field(max_length=500)] = []

    @model_validator(mode="after")
    def _consistent(self):
        if self.min_meetings is not None and self.max_meetings is not None and self.min_meetings > self.max_meetings:
            raise _rule("min_meetings", "fair_min_above_max", "min_meetings must not exceed max_meetings")
        return self


class ParticipantPatch(Strict):
    min_meetings: Meetings | None = None
    max_meetings: Meetings | None = None
    fixed_table_id: int | None = None
    unavailable: Annotated[list[Annotated[str, StringConstraints(max_length=20)]], Field(max_length=500)] | None = None


class RequestIn(Strict):
    to_participant_id: int
    mark: Mark | None  # None withdraws the mark
    from_participant_id: int | None = None  # organizers may enter a mark on someone's behalf
    expires_at: datetime | None = None  # venue time; after it the mark no longer counts in scheduling


class FairSettingsIn(Strict):
    """The organizer's scheduling options of an existing fair."""

    fill_minimums: bool


class ScheduleIn(Strict):
    time_limit: Annotated[float, Field(ge=1, le=600)] = 20.0


class PublishIn(Strict):
    level: Literal["draft", "preliminary", "final"]


class MeetingPatch(Strict):
    locked: bool | None = None
    status: Literal["scheduled", "held", "no_show"] | None = None


class DisruptionIn(Strict):
    """A cancellation or a no-show of one meeting, followed by a repair."""

    kind: Literal["cancellation", "no_show"]
    absent_participant_id: int | None = None  # for a no-show: who did not come (default: the maker)
    time_limit: Annotated[float, Field(ge=1, le=300)] = 10.0


class FollowUpIn(Strict):
    event: Literal["sample_requested", "order_placed"]


class VirtualIn(Strict):
    virtual: bool


class CheckInIn(Strict):
    status: Literal["held", "no_show"]


class FollowUpAnswerIn(Strict):
    wave: Literal["week", "quarter"]
    rating: Annotated[int, Field(ge=1, le=5)]
    next_step: Literal["none", "negotiation", "sample", "order"]


# -- answers (documented in the OpenAPI document; the views build them in fairs.services) -------------
# Plain models, not ``Strict``: they describe JSON the API writes, key for key.
from typing import Any  # noqa: E402

from pydantic import BaseModel  # noqa: E402


class Span(BaseModel):
    id: int
    label: str | None
    start: str
    end: str


class SlotOut(BaseModel):
    id: str = Field(description="the slot's start, e.g. 20300312T0900")
    start: str
    end: str


class TableOut(BaseModel):
    id: int
    label: str


class FairOut(BaseModel):
    id: int
    association_id: int
    name: str
    venue: str | None
    timezone: str
    slot_minutes: int
    days: list[str]
    request_deadline: str | None
    default_min_meetings: int | None
    default_max_meetings: int | None
    fill_minimums: bool = Field(description="unmarked but eligible pairs may fill minimum-meeting shortfalls")
    sessions: list[Span]
    breaks: list[Span]
    tables: list[TableOut]
    slots: list[SlotOut] | None = Field(None, description="absent from the listing")


class FairList(BaseModel):
    items: list[FairOut]
    total: int


class ParticipantOut(BaseModel):
    """The organizer and the firm itself see every setting; the other side sees names only."""
    id: int
    organization_id: int
    name: str
    side: Literal["buyer", "maker"]
    min_meetings: int | None = None
    max_meetings: int | None = None
    fixed_table_id: int | None = None
    unavailable: list[str] | None = Field(None, description="slot ids")


class ParticipantList(BaseModel):
    items: list[ParticipantOut]
    total: int


class CandidateOut(BaseModel):
    organization_id: int
    name: str
    country: str | None
    side: Literal["buyer", "maker"]
    offered: bool
    reason: str | None
    member: bool | None = None


class CandidateList(BaseModel):
    items: list[CandidateOut]
    total: int


class RemovedOut(BaseModel):
    removed: int
    meetings_released: int


class RequestOut(BaseModel):
    from_participant_id: int
    to_participant_id: int
    mark: Mark | None
    expires_at: str | None = None
    updated_at: str | None = None


class RequestList(BaseModel):
    """The organizer gets ``items`` (every mark); a participant gets ``given`` and ``received``."""
    requests_open: bool
    items: list[RequestOut] | None = None
    participant_id: int | None = None
    given: list[dict[str, Any]] | None = None
    received: list[dict[str, Any]] | None = None


class Recommendation(BaseModel):
    participant_id: int
    name: str
    organization_id: int
    score: float
    reasons: list[Any]


class RecommendationList(BaseModel):
    participant_id: int
    requests_open: bool
    items: list[Recommendation]


class RunOut(BaseModel):
    id: int
    kind: str
    publication: str
    status: str | None
    objective: float | None
    bound: float | None
    gap: float | None
    wall_time: float | None
    time_limit: float | None
    metrics: dict[str, Any] | None
    baseline: dict[str, Any] | None
    findings: Any
    created_at: str | None


class MeetingOut(BaseModel):
    id: int
    buyer_participant_id: int
    buyer: str
    maker_participant_id: int
    maker: str
    slot: str
    start: str
    end: str
    table_id: int
    table: str
    status: str
    locked: bool
    sample_requested: bool
    order_placed: bool


class ScheduleOut(BaseModel):
    run: RunOut | None = Field(description="null before the first run")
    meetings: list[MeetingOut]


class JobOut(BaseModel):
    id: str
    name: str
    status: str = Field(description="queued, running, done or failed")
    progress: float
    message: str
    result: dict[str, Any] | None
    error: str | None
    created_at: str | None
    finished_at: str | None
    url: str = Field(description="poll here (also the Location header)")
    schedule: ScheduleOut | None = Field(None, description="once done")


class AgendaMeeting(BaseModel):
    id: int
    start: str
    end: str
    slot: str
    table: str
    with_: str = Field(alias="with")
    with_participant_id: int
    status: str
    locked: bool
    sample_requested: bool
    order_placed: bool
    buyer_participant_id: int
    maker_participant_id: int
    virtual: bool = Field(description="held over video")
    video_url: str | None = Field(description="the meeting's video link, shown to its two sides only")
    check_in_url: str | None = Field(description="signed URL the QR code carries")


class AgendaOut(BaseModel):
    participant: ParticipantOut
    publication: str | None
    visible: bool
    meetings: list[AgendaMeeting]
    changes: list[dict[str, Any]]


class FairQuery(BaseModel):
    association_id: int | None = Field(None, ge=1, le=ID_MAX)


class CandidateQuery(BaseModel):
    q: str = Field(description="2+ characters of the firm's name")
    limit: int = Field(20, ge=1, le=50)


class RecommendationQuery(BaseModel):
    participant_id: int | None = Field(None, description="organizers: whose recommendations")
    limit: int = Field(10, ge=1, le=50)



# -- fair meetings' answers (loosely typed where the shape is the report's own) --------------------

class _Open(BaseModel):
    model_config = {"extra": "allow"}


class MeetingVideoOut(_Open):
    meeting_id: int
    virtual: bool


class CheckInOut(_Open):
    fair_id: int
    meeting_id: int


class FollowUpsOut(_Open):
    pass


class FollowUpAnswerOut(_Open):
    pass


class FairReportOut(_Open):
    pass
