"""Tables of the search concern: the outbox of changes to searchable documents and the sync's bookkeeping.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..records import Base, utcnow


class IndexOutbox(Base):
    """A change to a searchable document, written in the same transaction as the change.

    The sync step drains it into the search index; rows stay until the index
    has accepted them, so an unreachable index never loses an update.
    """

    __tablename__ = "index_outbox"
    id: Mapped[int] = mapped_column(primary_key=True)
    index_name: Mapped[str] = mapped_column(String(30))
    doc_id: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)


class SyncState(Base):
    """Bookkeeping of the index sync: last success per index, for the health endpoint."""

    __tablename__ = "sync_state"
    index_name: Mapped[str] = mapped_column(String(30), primary_key=True)
    last_sync_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
