"""The declarative base every concern's ``records.py`` builds its tables on: SQLAlchemy 2.0 typed
mappings, the source of truth that the Alembic migrations in ``matchmaker/migrations`` create exactly.

Editable aggregates (organizations, profiles, requirements) mix in :class:`Versioned`, SQLAlchemy's
optimistic-concurrency counter, so two concurrent edits end in a conflict instead of a lost update.
This module imports no concern: every table module depends on it, never the other way round
(``all_tables`` is what gathers them all).
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import DateTime, Integer
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: DateTime(timezone=True)}


class Versioned:
    """Mixin: an optimistic-lock counter bumped on every UPDATE."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.__table__.c.version}
