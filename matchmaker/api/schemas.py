"""The answer shapes every API route shares, as pydantic models for the OpenAPI document: the error body,
a page of items, the paging query parameters, a free-form object.

Each concern's own bodies are in its ``schemas.py`` (``makers.schemas.MakerOut``, ...); they build on
these (``Page[MakerOut]``, ``class MakerQuery(PageQuery)``).
"""
from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


class FieldProblem(BaseModel):
    field: str
    problem: str


class ErrorDetail(BaseModel):
    status: int
    code: str = Field(description="machine-readable: invalid, not_found, forbidden, conflict, ...")
    message: str
    fields: list[FieldProblem] = Field(description="one entry per refused field, named by its dotted path")


class Error(BaseModel):
    """Every 4xx and 5xx answer of the API."""
    error: ErrorDetail


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    page: int
    per_page: int
    pages: int


class Items(BaseModel, Generic[T]):
    items: list[T]
    total: int


# -- query parameters (documented here; the views check them and answer 400 naming the parameter) -----

class PageQuery(BaseModel):
    page: int = Field(1, ge=1, le=100_000)
    per_page: int = Field(20, ge=1, le=100)

class Anything(BaseModel):
    """A JSON object whose keys depend on the record (documented in the operation's description)."""
    model_config = {"extra": "allow"}


JsonObject = dict[str, Any]
