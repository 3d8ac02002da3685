"""Table of the token cache: one row holding the authentication epoch.

``AuthEpoch`` (one row, ``id = 1``): a counter bumped in the same transaction as every change to a
user or an API token (revocation, deactivation, role or organization change, deletion). A process
that cached a token's check compares the epoch it saw then with the one committed now; any change
since then drops the cached check, so a revocation is refused on the very next request in every
worker. It starts at a random value, so a counter reset (a restored or emptied table) never lands
back on an epoch some process cached.
"""
from __future__ import annotations

from sqlalchemy import BigInteger
from sqlalchemy.orm import Mapped, mapped_column

from ..records import Base


class AuthEpoch(Base):
    __tablename__ = "auth_epochs"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    value: Mapped[int] = mapped_column(BigInteger)

from . import cache as _cache  # noqa: E402,F401  (registers the listeners that bump the epoch)
