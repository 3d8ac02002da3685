"""What every request schema is built from: the ``Strict`` base, bounded field types and taxonomy checks.

Each concern keeps its own pydantic request models in its ``schemas.py`` (``makers.schemas``,
``requirements.schemas``, ...), shared by its API, its page forms and the OpenAPI document. They all
forbid unknown fields (:class:`Strict`), bound every number and string with the types here, check
taxonomy codes against ``taxonomy`` (``_code``, ``_codes``) and word their own rules with
:func:`rule_error`, so the pages can translate a refusal and the API can name the field.
"""
from __future__ import annotations

from datetime import date
from typing import Annotated

import math

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError, PydanticKnownError

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


#: The last day any date of ours may be (an order's dates, a quote's validity): a year typed as 2201 or
#: 9999 is a slip, refused beside its field, never kept.
LAST_DAY = date(2100, 12, 31)

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
LongText = Annotated[str, StringConstraints(max_length=5000)]
Country = Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Z]{2}$")]
Count = Annotated[int, Field(ge=0, le=10_000_000)]
Days = Annotated[int, Field(ge=1, le=365)]
Money = Annotated[float, Field(ge=0, le=100_000)]


class PercentText(str):
    """A share as a page form's user typed it, in percent (``"30"`` is 0.3): the page form's field sends it
    (``forms.PercentField``, the order page's deposit share); the API's JSON never holds one, so the API
    keeps taking and giving the 0–1 share."""


def percent_share(*, ge: float | None = None, gt: float | None = None, le: float = 1):
    """A share field's page input: a :class:`PercentText` is checked against the share's bounds written in
    percent (the limits the user sees match what they typed: "at most 100", never "at most 1") and becomes
    the 0–1 share; any other value (the API's number) passes to the share's own bounds unchanged."""
    def convert(value):
        if not isinstance(value, PercentText):
            return value
        try:
            pct = float(value)
        except ValueError:
            raise PydanticKnownError("float_parsing") from None
        if not math.isfinite(pct):
            raise PydanticKnownError("finite_number")
        if ge is not None and pct < ge * 100:
            raise PydanticKnownError("greater_than_equal", {"ge": ge * 100})
        if gt is not None and pct <= gt * 100:
            raise PydanticKnownError("greater_than", {"gt": gt * 100})
        if pct > le * 100:
            raise PydanticKnownError("less_than_equal", {"le": le * 100})
        return pct / 100
    return BeforeValidator(convert)


Share = Annotated[float, percent_share(ge=0, le=1), Field(ge=0, le=1)]
Percent = Annotated[float, Field(ge=0, le=100)]

Processes = Annotated[list[str], Field(max_length=len(tx.PROCESS_STAGES)), _codes(tx.PROCESS_STAGES)]
ProductLines = Annotated[list[str], Field(max_length=len(tx.PRODUCT_LINES)), _codes(tx.PRODUCT_LINES)]
Niches = Annotated[list[str], Field(max_length=len(tx.NICHES)), _codes(tx.NICHES)]
CertificateKinds = Annotated[list[str], Field(max_length=len(tx.CERTIFICATES)), _codes(tx.CERTIFICATES)]
LabTests = Annotated[list[str], Field(max_length=len(tx.LAB_TESTS)), _codes(tx.LAB_TESTS)]
HardConstraints = Annotated[list[str], Field(max_length=len(tx.HARD_CONSTRAINTS)), _codes(tx.HARD_CONSTRAINTS)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_max_length=5000)
