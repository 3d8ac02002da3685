"""The monitoring API's answers and query parameters (pydantic), key for key as ``monitoring.views`` builds them."""
from __future__ import annotations

from pydantic import BaseModel, Field


class MonitoringQuery(BaseModel):
    page: int = Field(1, ge=1, le=100_000)
    per_page: int = Field(20, ge=1, le=100)
    as_of: str | None = Field(None, description="YYYY-MM-DD: the day figures are counted as of (default today)")


class Figure(BaseModel):
    target: float | None = Field(description="from the agreed terms")
    actual: float | None = Field(description="from the recorded figures; null when nothing is recorded yet")
    slipped: bool = Field(description="the actual is past its target")


class Figures(BaseModel):
    orders: int
    deliveries: int
    on_time_pct: Figure
    days_late: Figure
    milestone_days_late: Figure
    milestones_overdue: int
    undelivered_past_date: int
    reject_rate_pct: Figure
    orders_over_reject_limit: int
    days_beyond_terms: Figure
    unpaid_past_due: int
    price_changes: Figure
    price_change_pct: float | None
    slips: int


class MonthPoint(BaseModel):
    month: str = Field(description="YYYY-MM")
    on_time_pct: Figure
    days_late: Figure
    reject_rate_pct: Figure
    days_beyond_terms: Figure
    price_changes: Figure


class SlipOut(BaseModel):
    key: str
    kind: str = Field(description="milestone_overdue, late_delivery, undelivered, rejects_over_limit, "
                                  "payment_late or price_change")
    order_id: int
    on: str = Field(description="the day the target was missed")
    amount: float | None = Field(description="days late or beyond terms, reject %, or % price change")
    text: str


class Party(BaseModel):
    id: int
    name: str


class RelationshipRow(Figures):
    counterpart: Party


class Relationships(BaseModel):
    side: str = Field(description="buyer (the rows are its makers) or maker (its buyers)")
    items: list[RelationshipRow]
    total: int
    page: int
    per_page: int
    pages: int
    overall: Figures | None


class OrderMonitoring(BaseModel):
    id: int
    reference: str
    product: str
    status: str
    delivery_date: str
    quantity: int
    unit_price: float
    payment_terms_days: int
    reject_limit_pct: float | None
    figures: Figures
    slips: list[SlipOut]


class OrderMonitoringDetail(OrderMonitoring):
    series: list[MonthPoint]


class Relationship(BaseModel):
    side: str
    counterpart: Party
    figures: Figures
    series: list[MonthPoint]
    slips: list[SlipOut]
    orders: list[OrderMonitoring]
    total: int
    page: int
    per_page: int
    pages: int


class AssociationBuyerRow(BaseModel):
    buyer: Party
    member_firms: int = Field(description="how many of the association's member firms traded with the buyer")
    suppressed: bool = Field(description="too few member firms to show figures without identifying them")
    reason: str | None
    figures: Figures | None


class AssociationBuyers(BaseModel):
    items: list[AssociationBuyerRow]
    total: int
    page: int
    per_page: int
    pages: int
    min_firms: int


class SlipCount(BaseModel):
    kind: str
    count: int
    text: str


class AssociationBuyer(AssociationBuyerRow):
    series: list[MonthPoint]
    slips_by_kind: list[SlipCount]


class AsOfQuery(BaseModel):
    as_of: str | None = Field(None, description="YYYY-MM-DD: the day figures are counted as of (default today)")
