"""Tables of the accounts concern.

``AccountSignup``: one row per self-service sign-up (the firm and its first user). While
``verified_at`` is empty the user is inactive and the verification link works; following it sets
``verified_at``, which is also what makes the link single-use.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..schema import Base, utcnow


class AccountSignup(Base):
    __tablename__ = "account_signups"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))  # the address the link was sent to
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
