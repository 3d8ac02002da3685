"""Request bodies of the accounts concern (API and page forms share them)."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, StringConstraints, field_validator

from .. import taxonomy as tx
from .. import validation as v
from ..validation import Strict, rule_error
from ..catalog import N_

EMAIL_PATTERN = re.compile(r"^[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+$")
NOT_COUNTRIES = {"EU", "EZ", "QO", "UN", "XA", "XB", "XK", "ZZ"}


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    """ISO 3166 two-letter codes Babel (CLDR) names, without groupings such as EU or UN."""
    from babel import Locale

    return frozenset(k for k in Locale.parse("en_US").territories
                     if len(k) == 2 and k.isalpha() and k.isupper() and k not in NOT_COUNTRIES)


def country_names(lang: str) -> list[tuple[str, str]]:
    """(code, name) for every country, sorted by its name in ``lang``."""
    from babel import Locale

    from ..i18n import babel_locale

    names = Locale.parse(babel_locale(lang)).territories
    return sorted(((c, names.get(c, c)) for c in country_codes()), key=lambda item: item[1])


def _email(value: str) -> str:
    if not EMAIL_PATTERN.match(value):
        raise rule_error("email_format", None, "enter an email address such as name@firm.com")
    return value


def _country(value: str) -> str:
    if value not in country_codes():
        raise rule_error("unknown_code", None, "unknown country code {codes}", codes=repr(value))
    return value


Email = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=1, max_length=254),
                  AfterValidator(_email)]
Password = Annotated[str, StringConstraints(min_length=12, max_length=200)]
Language = Literal["en", "es"]


class SignupIn(Strict):
    """A buyer firm (or, with ``kind`` ``input_vendor``, an input vendor) and its first user."""

    kind: Literal["buyer", "input_vendor"] = "buyer"
    firm_name: v.Name
    country: Annotated[v.Country, AfterValidator(_country)]
    city: v.ShortText | None = None
    website: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300,
                                              pattern=r"^https?://\S+$")] | None = None
    buyer_type: Annotated[str, AfterValidator(lambda c: _in(c, tx.BUYER_TYPES))] | None = Field(
        None, validate_default=True, description="required for a buying firm; an input vendor has none")
    name: v.Name
    email: Email
    password: Password
    language: Language = "en"

    @field_validator("buyer_type", mode="after")
    @classmethod
    def _buyer_type_for_buyers(cls, value, info):
        if value is None and info.data.get("kind", "buyer") == "buyer":
            raise rule_error("missing", None, "a buying firm needs a buyer_type")
        return value


def _in(code: str, vocab: tx.Vocabulary) -> str:
    if code not in vocab:
        raise rule_error("unknown_code", None, "unknown {vocab} code {codes}; allowed: {allowed}",
                         vocab=vocab.name, codes=repr(code), allowed=", ".join(vocab.codes))
    return code


class EmailIn(Strict):
    """Ask for a link by email (password reset, or the verification link again)."""

    email: Email


class VerifyIn(Strict):
    token: Annotated[str, StringConstraints(min_length=1, max_length=1000)]


class ResetIn(Strict):
    token: Annotated[str, StringConstraints(min_length=1, max_length=1000)]
    new_password: Password


RULE_MESSAGES = {"email_format": N_("Enter an email address such as name@firm.com.")}


# -- answers (documented in the OpenAPI document) --------------------------------------------------

class SignupOut(BaseModel):
    user_id: int
    organization_id: int
    email: str
    status: str


class VerifiedOut(BaseModel):
    user_id: int
    email: str
    verified: bool
    next: str


class LinkSentOut(BaseModel):
    status: str


# -- API tokens and passwords ------------------------------------------------------------------------------

class TokenRequest(Strict):
    email: Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=3, max_length=254)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    name: v.ShortText = "api"


class PasswordChange(Strict):
    current_password: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    new_password: Annotated[str, StringConstraints(min_length=12, max_length=200)]


class TokenOut(BaseModel):
    token: str = Field(description="send as Authorization: Bearer <token>; shown once")
    role: str
    organization_id: int | None


class TokenInfo(BaseModel):
    id: int
    name: str
    created_at: str
    expires_at: str | None
    revoked: bool
    current: bool = Field(description="the token this request was made with")
