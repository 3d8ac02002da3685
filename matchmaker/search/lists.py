"""Filtered lists served by the index: ids and exact totals from the index, the page's records from
the database in a fixed number of queries (never one per row).

The database stays the source of truth for what a caller may see: the requirement page is
read back through :func:`matchmaker.permissions.visible_requirement_filter`, so a record the
index still shows but the database forbids never leaves the server. When the index cannot
answer (down, or a page beyond its 10,000-result window) the caller falls back to SQL, so a
list never fails because of the index.
"""
from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from indexing import AllOf, AnyOf, MAX_RESULT_WINDOW, NoneOf, Query, Range

from .. import permissions as perm
from ..requirements.records import Requirement
from ..requirements.services import requirement_dict
from .documents import MAKERS, REQUIREMENTS
from .gating import hidden_requirements
from .service import SearchUnavailable, maker_page, run_search
from ..errors import DomainError


class NotServable(Exception):
    """This list cannot come from the index for this request; read it from the database."""


def _window(page: int, per_page: int) -> None:
    if page * per_page > MAX_RESULT_WINDOW:
        raise NotServable("beyond the index's result window")


def maker_filters(processes=(), product_line=None, service_tier=None, quality_tier=None, state=None,
                  min_capacity=None, max_moq=None, max_lead_days=None) -> tuple:
    """The filters of ``GET /makers`` (every one already validated by the route)."""
    out: list = []
    if processes:
        out.append(AllOf("processes", tuple(processes)))
    for field, value in (("product_lines", product_line), ("service_tier", service_tier),
                         ("quality_tier", quality_tier), ("state", state)):
        if value:
            out.append(AnyOf(field, (value,)))
    if min_capacity is not None:
        out.append(Range("monthly_capacity", gte=min_capacity))
    if max_moq is not None:
        out.append(Range("min_order_qty", lte=max_moq))
    if max_lead_days is not None:
        out.append(Range("order_lead_days", lte=max_lead_days))
    return tuple(out)


def list_makers(session: Session, filters: tuple, page: int, per_page: int) -> tuple[list[dict], int]:
    """One page of makers in id order and the exact total; raises :class:`NotServable`."""
    _window(page, per_page)
    result = _search(MAKERS, Query(filters=filters, sort="row_id", page=page, per_page=per_page,
                                   include_source=True))
    found = maker_page(session, result.hits)
    return [found[int(h.id)] for h in result.hits if int(h.id) in found], result.total


def list_requirements(session: Session, actor, status: str | None, product_line: str | None,
                      page: int, per_page: int) -> tuple[list[dict], int]:
    """One page of the requirements ``actor`` may list, newest first; raises :class:`NotServable`."""
    _window(page, per_page)
    filters: list = []
    if perm.is_admin(actor):
        pass
    elif actor.role == "buyer_user":
        if actor.organization_id is None:
            return [], 0
        filters.append(AnyOf("buyer_id", (str(actor.organization_id),)))
    else:
        # open ones (of cleared buyers, for makers) OR the caller's own: the index filters are
        # AND-ed, so an organization that owns requirements is listed from the database
        if actor.organization_id is not None and session.scalar(
                select(exists().where(Requirement.buyer_id == actor.organization_id))):
            raise NotServable("the caller owns requirements")
        filters.append(AnyOf("status", ("open",)))
        if actor.role == "maker_user":
            filters.append(AnyOf("buyer_cleared", (True,)))
            if hidden := hidden_requirements(session):
                filters.append(NoneOf("id", tuple(hidden)))
    if status:
        filters.append(AnyOf("status", (status,)))
    if product_line:
        filters.append(AnyOf("product_line", (product_line,)))
    result = _search(REQUIREMENTS, Query(filters=tuple(filters), sort="-row_id", page=page, per_page=per_page))
    ids = [int(h.id) for h in result.hits]
    rows = {r.id: r for r in session.scalars(select(Requirement).where(
        Requirement.id.in_(ids), perm.visible_requirement_filter(actor)))} if ids else {}
    return [requirement_dict(rows[i]) for i in ids if i in rows], result.total


def _search(index: str, query: Query):
    try:
        return run_search(index, query)
    except (SearchUnavailable, DomainError) as exc:
        raise NotServable(str(exc)) from None


__all__ = ["NotServable", "list_makers", "list_requirements", "maker_filters"]
