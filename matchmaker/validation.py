"""What every request schema is built from: the ``Strict`` base, bounded field types and taxonomy checks.

Each concern keeps its own pydantic request models in its ``schemas.py`` (``makers.schemas``,
``requirements.schemas``, ...), shared by its API, its page forms and the OpenAPI document. They all
forbid unknown fields (:class:`Strict`), bound every number and string with the types here, check
taxonomy codes against ``taxonomy`` (``_code``, ``_codes``) and word their own rules with
:func:`rule_error`, so the pages can translate a refusal and the API can name the field.
"""
from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

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


Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
LongText = Annotated[str, StringConstraints(max_length=5000)]
Country = Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Z]{2}$")]
Count = Annotated[int, Field(ge=0, le=10_000_000)]
Days = Annotated[int, Field(ge=1, le=365)]
Money = Annotated[float, Field(ge=0, le=100_000)]
Share = Annotated[float, Field(ge=0, le=1)]
Percent = Annotated[float, Field(ge=0, le=100)]

Processes = Annotated[list[str], Field(max_length=len(tx.PROCESS_STAGES)), _codes(tx.PROCESS_STAGES)]
ProductLines = Annotated[list[str], Field(max_length=len(tx.PRODUCT_LINES)), _codes(tx.PRODUCT_LINES)]
Niches = Annotated[list[str], Field(max_length=len(tx.NICHES)), _codes(tx.NICHES)]
CertificateKinds = Annotated[list[str], Field(max_length=len(tx.CERTIFICATES)), _codes(tx.CERTIFICATES)]
LabTests = Annotated[list[str], Field(max_length=len(tx.LAB_TESTS)), _codes(tx.LAB_TESTS)]
HardConstraints = Annotated[list[str], Field(max_length=len(tx.HARD_CONSTRAINTS)), _codes(tx.HARD_CONSTRAINTS)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_max_length=5000)
