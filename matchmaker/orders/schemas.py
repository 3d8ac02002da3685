"""Request and answer bodies of the orders concern: the JSON API parses the requests, the page forms
build them, and the answers document the JSON the views write (``tests/app/test_openapi.py``).

Same conventions as :mod:`matchmaker.validation`: unknown fields are refused, numbers, strings and
dates are bounded, codes are checked against a vocabulary, and a rule about two fields names the
field it refuses. Rules that need the database (whose order, which side, what was delivered) live
in ``services`` / ``figures``.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints, field_validator, model_validator

from .. import taxonomy as tx
from ..validation import LAST_DAY, Share, Strict, _code, rule_error
from .records import DISPUTE_SUBJECTS, MILESTONES

Id = Annotated[int, Field(ge=1, le=2**31 - 1)]
Version = Annotated[int, Field(ge=1, le=2**31 - 1)]
Day = Annotated[date, Field(ge=date(2000, 1, 1), le=LAST_DAY)]
Quantity = Annotated[int, Field(ge=1, le=10_000_000)]
Money = Annotated[float, Field(gt=0, le=1_000_000_000)]
Price = Annotated[float, Field(gt=0, le=100_000)]
Currency = Annotated[str, _code(tx.CURRENCIES)]
# Share (the deposit): the API's 0–1 share; the page form types it in percent (``validation.PercentText``)
TermsDays = Annotated[int, Field(ge=0, le=365)]
Percent = Annotated[float, Field(ge=0, le=100)]
Supplier = Literal["maker", "buyer"]
Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=60)]
Product = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
Body = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
InvoiceNumber = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
Stage = Literal["sample_approved", "fabric_in", "cut", "sewn", "washed", "finished", "shipped", "delivered"]
Subject = Literal["order", "milestone", "delivery", "invoice", "payment"]

# the agreed terms a side may change (PATCH /orders/{id}); each change is kept once both had confirmed
TERM_FIELDS = ("reference", "product", "quantity", "unit_price", "currency", "delivery_date", "deposit_share",
               "payment_terms_days", "reject_limit_pct", "fabric_by", "trims_by")
# the terms an order may go without (a PO number, a product name, a reject limit): sent empty, they clear;
# every other term is required: sent empty (or null) it is refused beside its field, never kept or cleared
OPTIONAL_TERMS = ("reference", "product", "reject_limit_pct")
REQUIRED_TERMS = tuple(f for f in TERM_FIELDS if f not in OPTIONAL_TERMS)
# the figures of each kind of row a side may dispute
DISPUTE_FIELDS = {
    "order": TERM_FIELDS,
    "milestone": ("planned_on", "actual_on"),
    "delivery": ("delivered_on", "quantity", "rejected_quantity"),
    "invoice": ("number", "issued_on", "due_on", "amount", "currency", "is_deposit"),
    "payment": ("paid_on", "amount"),
}
# the figures that are numbers: a claimed value of one is a number ("1,500", "2.5", "30 %"), never "abc"
NUMBER_FIGURES = frozenset({"quantity", "unit_price", "deposit_share", "payment_terms_days", "reject_limit_pct",
                            "rejected_quantity", "amount"})
_NUMBER = re.compile(r"[+-]?\d[\d\s.,\u00a0\u202f]*%?")
assert tuple(DISPUTE_FIELDS) == DISPUTE_SUBJECTS and len(Stage.__args__) == len(MILESTONES)


class TermsIn(Strict):
    """The agreed terms of a new order."""

    reference: Short = ""
    product: Product = ""
    quantity: Quantity
    unit_price: Price
    currency: Currency = "USD"
    delivery_date: Day
    deposit_share: Share = 0.0
    payment_terms_days: TermsDays = 30
    reject_limit_pct: Percent | None = None
    fabric_by: Supplier = "maker"
    trims_by: Supplier = "maker"


class OrderIn(TermsIn):
    """A maker's order for a deal made elsewhere (``buyer_id``), or either side's order from a fair
    meeting whose follow-up named an order (``fair_meeting_id``; the pair comes from the meeting)."""

    buyer_id: Id | None = None
    fair_meeting_id: Id | None = None
    requirement_id: Id | None = None
    started_on: Day | None = None

    @model_validator(mode="after")
    def _one_origin(self):
        if (self.buyer_id is None) == (self.fair_meeting_id is None):
            raise rule_error("order_origin", "buyer_id",
                             "buyer_id: name the buyer, or the fair meeting the order came from (one of the two)")
        return self


class TermsPatch(Strict):
    """A change of one or more agreed terms, against the version the side read."""

    version: Version
    reference: Short | None = None
    product: Product | None = None
    quantity: Quantity | None = None
    unit_price: Price | None = None
    currency: Currency | None = None
    delivery_date: Day | None = None
    deposit_share: Share | None = None
    payment_terms_days: TermsDays | None = None
    reject_limit_pct: Percent | None = None
    fabric_by: Supplier | None = None
    trims_by: Supplier | None = None

    @field_validator(*REQUIRED_TERMS, mode="before")
    @classmethod
    def _required_not_blank(cls, value):
        # runs only on a term the caller sent (a term left out is kept as it is)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise rule_error("term_required", None, "this term is required: it cannot be left blank")
        return value

    def changes(self) -> dict:
        """The terms sent, as they would be stored: an optional text sent empty or null clears to ""."""
        return {k: ("" if v is None and k in ("reference", "product") else v)
                for k, v in self.model_dump(exclude={"version"}, exclude_unset=True).items()}


class ConfirmIn(Strict):
    version: Version


class CloseIn(Strict):
    status: Literal["closed", "cancelled"]
    version: Version


class MilestoneIn(Strict):
    """A stage's dates. ``version`` is the milestone's version the caller read; leave it out only to record
    a stage that has no milestone yet (a stage recorded meanwhile, or a stale version, is a 409)."""

    planned_on: Day | None = None
    actual_on: Day | None = None
    version: Version | None = None

    @model_validator(mode="after")
    def _something(self):
        if self.planned_on is None and self.actual_on is None:
            raise rule_error("milestone_empty", "planned_on", "planned_on: give the planned date, the actual one "
                             "or both")
        return self


class DeliveryIn(Strict):
    delivered_on: Day
    quantity: Quantity
    rejected_quantity: Annotated[int, Field(ge=0, le=10_000_000)] = 0
    note: Note = ""

    @model_validator(mode="after")
    def _rejects(self):
        if self.rejected_quantity > self.quantity:
            raise rule_error("rejects_over_quantity", "rejected_quantity",
                             "rejected_quantity: more pieces rejected than delivered")
        return self


class InvoiceIn(Strict):
    number: InvoiceNumber
    issued_on: Day
    due_on: Day | None = None  # issued_on + the order's payment terms when left out
    amount: Money
    currency: Currency | None = None  # the order's currency when left out
    is_deposit: bool = False

    @model_validator(mode="after")
    def _due(self):
        if self.due_on is not None and self.due_on < self.issued_on:
            raise rule_error("due_before_invoice", "due_on", "due_on: before the invoice date")
        return self


class OrderPaymentIn(Strict):
    paid_on: Day
    amount: Money


class DisputeIn(Strict):
    subject: Subject
    subject_id: Id
    field: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=30)]
    claimed_value: Short = ""
    note: Note = ""

    @model_validator(mode="after")
    def _field_of_subject(self):
        if self.field not in DISPUTE_FIELDS[self.subject]:
            raise rule_error("dispute_field", "field", "field: not a figure of a {subject}; one of: {allowed}",
                             subject=self.subject, allowed=", ".join(DISPUTE_FIELDS[self.subject]))
        if self.field in NUMBER_FIGURES and self.claimed_value and not _NUMBER.fullmatch(self.claimed_value):
            raise rule_error("claimed_not_number", "claimed_value",
                             "claimed_value: {field_name} is a number; enter a number", field_name=self.field)
        return self


class DisputeAnswerIn(Strict):
    answer: Body


# -- answers (plain models: they describe the JSON the views write, key for key) ---------------------

class OrderParty(BaseModel):
    id: int
    name: str


class TermChangeOut(BaseModel):
    field: str
    old_value: str
    new_value: str
    changed_by: str
    changed_at: str | None


class MilestoneOut(BaseModel):
    id: int
    stage: str
    planned_on: str | None
    actual_on: str | None
    entered_by: str
    confirmed_at: str | None
    version: int


class DeliveryOut(BaseModel):
    id: int
    delivered_on: str
    quantity: int
    rejected_quantity: int
    note: str
    entered_by: str
    confirmed_at: str | None


class OrderPaymentOut(BaseModel):
    id: int
    invoice_id: int
    paid_on: str
    amount: float
    entered_by: str
    confirmed_at: str | None


class InvoiceOut(BaseModel):
    id: int
    number: str
    issued_on: str
    due_on: str
    amount: float
    currency: str
    is_deposit: bool
    entered_by: str
    confirmed_at: str | None
    paid: float
    payments: list[OrderPaymentOut]


class DisputeOut(BaseModel):
    id: int
    subject: str
    subject_id: int
    field: str
    raised_by: str
    claimed_value: str
    note: str
    status: str
    answer: str
    answered_at: str | None
    created_at: str | None


class OrderSummary(BaseModel):
    id: int
    origin: str
    status: str
    side: str
    buyer: OrderParty
    maker: OrderParty
    reference: str
    product: str
    quantity: int
    unit_price: float
    currency: str
    delivery_date: str
    delivered: int
    buyer_confirmed_at: str | None
    maker_confirmed_at: str | None
    open_disputes: int
    created_at: str | None
    version: int


class OrderOut(OrderSummary):
    requirement_id: int | None
    inquiry_id: int | None
    quote_id: int | None
    fair_meeting_id: int | None
    deposit_share: float
    payment_terms_days: int
    reject_limit_pct: float | None
    fabric_by: str
    trims_by: str
    started_on: str
    closed_at: str | None
    rejected: int
    milestones: list[MilestoneOut]
    deliveries: list[DeliveryOut]
    invoices: list[InvoiceOut]
    disputes: list[DisputeOut]
    term_changes: list[TermChangeOut]


class OrderPage(BaseModel):
    items: list[OrderSummary]
    total: int
    page: int
    per_page: int
    pages: int


class OrderQuery(BaseModel):
    status: Literal["open", "closed", "cancelled"] | None = None
    page: int | None = None
    per_page: int | None = None


class BuyerChoice(BaseModel):
    id: int
    name: str
    country: str | None


class BuyerChoices(BaseModel):
    items: list[BuyerChoice]
