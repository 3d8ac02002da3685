"""The transactional outbox: every change to a searchable record is queued in the same transaction.

A row here means "document ``doc_id`` of index ``index_name`` must be re-read from
the database and written to the index". The sync step deletes a row only after
the index has accepted the document, so an index outage delays updates but never
loses one, and replaying a row is harmless (the document is rebuilt from the
database, carrying its version).
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from .records import IndexOutbox


def record_change(session: Session, index_name: str, doc_id: int | str) -> None:
    session.add(IndexOutbox(index_name=index_name, doc_id=str(doc_id)))
