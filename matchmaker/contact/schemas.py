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
from ..validation import Strict, _code

DECLINE_REASONS = Vocabulary(
    "decline_reason",
    Term("no_capacity", "No free capacity for these dates", "Sin capacidad libre para esas fechas"),
    Term("below_minimum", "Order below our minimum quantity", "Pedido por debajo de nuestro mínimo"),
    Term("lead_time", "Lead time too short", "Plazo de entrega demasiado corto"),
    Term("process_not_offered", "We do not offer a required process", "No ofrecemos un proceso requerido"),
    Term("price", "Target price too low", "Precio objetivo demasiado bajo"),
    Term("product_line", "Not our product line", "No es nuestra línea de producto"),
    Term("other", "Other reason", "Otra razón"),
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
            raise ValueError("codes must not repeat: each maker only once")
        return value


class AnswerIn(Strict):
    decision: Literal["accept", "decline"]
    reason: Annotated[str, _code(DECLINE_REASONS)] | None = None
    note: Text = ""
    version: Annotated[int, Field(ge=1)] | None = None


def _future(value: date) -> date:
    if value < date.today():
        raise ValueError("valid_until is in the past")
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


MODES = Literal["immediate", "digest", "off"]
KindCode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=30)]


class PreferencesIn(Strict):
    """``{"preferences": {"quote": "digest", "reply": "off"}}``: the email mode per notice kind."""
    preferences: Annotated[dict[KindCode, MODES], Field(min_length=1, max_length=30)]


class ReadIn(Strict):
    """Mark these notices read (all of them when the body is absent)."""
    ids: Annotated[list[Id], Field(min_length=1, max_length=500)]
