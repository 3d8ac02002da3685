"""Request bodies of the consortia API (pydantic): what a coordinator and a member may send."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LocksIn(_Body):
    """Stages the coordinator fixes (``{stage: [maker_id, ...]}``); the rest is re-optimised."""

    locks: dict[str, list[int]] = Field(default_factory=dict)
    version: int = Field(ge=1)


class SendIn(_Body):
    chosen: int = Field(ge=0, le=9)
    version: int = Field(ge=1)


class PartAnswerIn(_Body):
    confirm: bool
    units: int | None = Field(default=None, ge=1, le=10_000_000)
