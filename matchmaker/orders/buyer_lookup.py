"""Finding the buyer firm a maker names on an order made elsewhere, by name, as the maker types.

The new-order form used to offer every buyer firm (up to 1,000) in one select. Now it has a text
field: with JavaScript it suggests firms as the maker types (:func:`suggestions`, the page's JSON
route ``orders.buyer_suggestions``) and fills the chosen firm's id; without it the typed name is
resolved on submit (:func:`resolve`), and no match or several matches is a message beside the field.

Only firms a maker may name are found: organizations of a buyer kind (``access.BUYER_KINDS``, the
same rule :func:`services.create_order` applies), by name, country and id only (the public directory's
facts). A query needs two characters and returns at most ``LIMIT`` firms, so nobody lists the buyers
wholesale through it.

The admin's user form names a user's firm the same way, among firms of every kind: each function
takes ``kinds`` (the buyer kinds by default; ``None`` for any kind).
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..organizations.records import Organization
from .access import BUYER_KINDS

LIMIT = 10
MIN_CHARS = 2


def matches(session: Session, text: str, limit: int = LIMIT, kinds=BUYER_KINDS) -> list[Organization]:
    """Firms of ``kinds`` whose name contains ``text`` (case-insensitive), names starting with it first."""
    text = " ".join(text.split())[:100]
    if len(text) < MIN_CHARS:
        return []
    plain = text.lower().replace("\\", "").replace("%", "").replace("_", "")  # no wildcards from the user
    name = func.lower(Organization.name)
    stmt = select(Organization).where(name.like(f"%{plain}%"))
    if kinds is not None:
        stmt = stmt.where(Organization.kind.in_(kinds))
    stmt = (stmt.order_by(name.like(f"{plain}%").desc(), Organization.name, Organization.id).limit(limit))
    return list(session.scalars(stmt))


def label(org: Organization) -> str:
    return f"{org.name} ({org.country})" if org.country else org.name


def suggestions(session: Session, text: str, kinds=BUYER_KINDS) -> list[dict]:
    """The autocomplete's items: ``text`` shown (and put in the field), ``value`` the firm's id; ``kind``
    is "buyer" on the order form, the firm's own kind when any kind may be named."""
    return [{"text": label(o), "value": o.id, "kind": "buyer" if kinds is BUYER_KINDS else o.kind}
            for o in matches(session, text, kinds=kinds)]


def resolve(session: Session, text: str, kinds=BUYER_KINDS) -> tuple[Organization | None, list[Organization]]:
    """The one firm (of ``kinds``) ``text`` names, and the candidates: an exact name (or "Name (CC)" as the field
    shows it) wins; otherwise the firms containing it, which must be exactly one."""
    text = " ".join(text.split())
    if len(text) < MIN_CHARS:
        return None, []
    found = matches(session, text, LIMIT + 1, kinds)
    exact = [o for o in found if text.lower() in (o.name.lower(), label(o).lower())]
    if len(exact) == 1:
        return exact[0], exact
    if not exact and len(found) == 1:
        return found[0], found
    if not found:  # "Name (CC)" as the suggestion shows it, typed or kept by a browser without JavaScript
        base = text.rsplit(" (", 1)[0]
        if base != text:
            again = [o for o in matches(session, base, LIMIT + 1, kinds) if label(o).lower() == text.lower()]
            if len(again) == 1:
                return again[0], again
    return None, exact or found
