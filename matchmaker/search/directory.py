"""The organization directory from the index: pages in name order with exact totals (issue 12, item 5).

Makers are most of the directory (100,000 of them) and all are in the maker index, which holds every
field the directory lists (name, city, state, country) and sorts on ``name_sort``. The other
organizations (buyers, buying agents, associations, vendors, and any maker without a profile yet,
so not indexed) are few and read from the database; a page of "all kinds" merges both in the same
order, ``(lower-cased name, id)``:

* the page starts at offset ``o``; at most ``N`` (the number of others) of the rows before it are
  others, so the makers it shows lie between maker offsets ``o - N`` and ``o + per_page``; two
  aligned index pages of ``N + per_page`` rows always cover that range, and the position of the
  first maker fetched is known, so the merge is exact.

The database answers instead (:class:`~matchmaker.search.lists.NotServable`) when the index cannot:
it is down, the page lies beyond its result window, a name filter is given (the directory's name
filter is a substring match, which the index has no operator for), or the others are too many to
merge cheaply.
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from indexing import MAX_RESULT_WINDOW, AnyOf, Query

from ..makers.records import MakerProfile
from ..organizations.records import Organization
from .documents import MAKERS
from .lists import NotServable, _search

#: Most non-maker rows merged with the makers of a page (beyond: the database answers).
MAX_OTHERS = 1000
_COLUMNS = (Organization.id, Organization.name, Organization.kind, Organization.city, Organization.state,
            Organization.country)


def _key(row: dict) -> tuple[str, int]:
    return (row["name"].lower(), row["id"])


def _row(hit) -> dict:
    src = hit.source or {}

    def one(name):
        value = src.get(name)
        return (value[0] if value else None) if isinstance(value, list) else value

    return {"id": int(hit.id), "name": one("name") or "", "kind": "maker", "city": one("city"),
            "state": one("state"), "country": one("country")}


def _others(session: Session, state: str, indexed_makers: int, kind: str) -> list[dict]:
    """Rows the maker index does not hold, in directory order."""
    stmt = select(*_COLUMNS).where(Organization.kind != "maker")
    if kind:
        stmt = stmt.where(Organization.kind == kind)
    if state:
        stmt = stmt.where(Organization.state == state)
    rows = [dict(r._mapping) for r in session.execute(stmt.limit(MAX_OTHERS + 1))]
    if not kind or kind == "maker":
        maker_orgs = select(func.count()).select_from(Organization).where(Organization.kind == "maker")
        if state:
            maker_orgs = maker_orgs.where(Organization.state == state)
        if session.scalar(maker_orgs) != indexed_makers:  # a maker without a profile (or the index lags)
            unindexed = (select(*_COLUMNS).outerjoin(MakerProfile, MakerProfile.organization_id == Organization.id)
                         .where(Organization.kind == "maker", MakerProfile.organization_id.is_(None)))
            if state:
                unindexed = unindexed.where(Organization.state == state)
            rows += [dict(r._mapping) for r in session.execute(unindexed.limit(MAX_OTHERS + 1))]
    if len(rows) > MAX_OTHERS:
        raise NotServable("too many organizations outside the maker index")
    return sorted(rows, key=_key)


def _makers(filters: tuple, start: int, count: int) -> list[dict]:
    """Makers at offsets [start, start + count) in name order."""
    page = start // count + 1
    if (page + 1) * count > MAX_RESULT_WINDOW:
        raise NotServable("beyond the index's result window")
    hits = list(_search(MAKERS, Query(filters=filters, sort="name_sort", page=page, per_page=count,
                                      include_source=True)).hits)
    base = (page - 1) * count
    if start + count > page * count and len(hits) == count:
        hits += _search(MAKERS, Query(filters=filters, sort="name_sort", page=page + 1, per_page=count,
                                      include_source=True)).hits
    return [_row(h) for h in hits][start - base: start - base + count]


def organizations_page(session: Session, kind: str, state: str, q: str, page: int,
                       per_page: int) -> dict:
    """One directory page: ``rows``, exact ``total``, the ``page`` shown (clamped), ``pages`` and the
    ``states`` to filter by; raises :class:`NotServable` when the database must answer."""
    if q:
        raise NotServable("a name filter (substring) is answered by the database")
    filters = (AnyOf("state", (state,)),) if state else ()
    lists_makers = kind in ("", "maker")
    indexed = _search(MAKERS, Query(filters=filters, per_page=1, facets=("state",))) if lists_makers else None
    others = _others(session, state, indexed.total if indexed else 0, kind)
    total = (indexed.total if indexed else 0) + len(others)
    pages = max((total + per_page - 1) // per_page, 1)
    page = min(page, pages)
    offset = (page - 1) * per_page
    start, makers, i = 0, [], 0
    if lists_makers:
        start = max(0, offset - len(others))
        makers = _makers(filters, start, offset + per_page - start)
    if start > 0:  # then makers[0] exists (offset < total); the others before it all lie before the page
        first = _key(makers[0])
        while i < len(others) and _key(others[i]) < first:
            i += 1
    merged, j, position = [], 0, start + i
    while position < offset + per_page and (i < len(others) or j < len(makers)):
        take_other = j >= len(makers) or (i < len(others) and _key(others[i]) < _key(makers[j]))
        row = others[i] if take_other else makers[j]
        i, j = (i + 1, j) if take_other else (i, j + 1)
        if position >= offset:
            merged.append(row)
        position += 1
    states = set(indexed.facets.get("state", {})) if indexed else set()
    states |= {s for s in session.scalars(select(Organization.state).where(Organization.kind != "maker")
                                          .distinct()) if s}
    if state:
        states.add(state)
    return {"rows": merged, "total": total, "page": page, "pages": pages, "states": sorted(states)}
