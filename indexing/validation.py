"""The validation and normalisation every backend runs, so they accept and reject the same inputs.

:mod:`indexing.contract` says what a document, a query and a result are; this module is how a backend
holds an input to it before touching its engine: :func:`normalize_doc` turns a document into its
canonical form (or refuses it), :func:`check_query` checks a :class:`~indexing.contract.Query` against
its index and returns its filters normalised and its sort parsed (:class:`SortKey`), and
:func:`bucket_key` / :func:`bucket_bounds` name and type the range-facet buckets. Both the embedded
tantivy backend and Elasticsearch call these, never their own copies: a difference here would be a
difference in behaviour between backends.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from .contract import (
    MAX_PER_PAGE,
    MAX_RESULT_WINDOW,
    RESERVED_FIELDS,
    AllOf,
    AnyOf,
    BadQuery,
    Field,
    Filter,
    GeoDistance,
    IndexSpec,
    NoneOf,
    Query,
    Range,
)

NUMERIC_TYPES = ("integer", "float", "date")
SORTABLE_TYPES = ("keyword", "integer", "float", "date", "boolean")


def to_epoch_ms(value: Any) -> int:
    """Dates as epoch milliseconds (UTC; naive values are taken as UTC)."""
    if isinstance(value, bool):
        raise ValueError("not a date")
    if isinstance(value, (int, float)):
        return int(value)
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return int(value.timestamp() * 1000)
    if isinstance(value, date):
        return int(datetime(value.year, value.month, value.day, tzinfo=timezone.utc).timestamp() * 1000)
    raise ValueError(f"not a date: {value!r}")


def _number(ftype: str, value: Any) -> Any:
    if ftype == "date":
        return to_epoch_ms(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"not a number: {value!r}")
    if ftype == "integer":
        if float(value) != int(value):
            raise ValueError(f"not an integer: {value!r}")
        return int(value)
    if not math.isfinite(value):
        raise ValueError("not finite")
    return float(value)


def geo_of(value: Any) -> tuple[float, float]:
    if isinstance(value, Mapping):
        lat, lon = value["lat"], value["lon"]
    else:
        lat, lon = value
    lat, lon = float(lat), float(lon)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"lat/lon out of range: {lat}, {lon}")
    return lat, lon


def normalize_doc(spec: IndexSpec, doc: Mapping[str, Any]) -> dict[str, Any]:
    """Validate one document and return it in canonical form.

    Canonical form: ``id`` str, ``version`` int >= 0, text as str, keywords
    as a sorted list of distinct str, dates as epoch ms, geo as
    ``{"lat", "lon"}``. Missing/None fields are dropped. Raises ``ValueError``
    for unknown fields or wrong types (a programming error in the caller).
    """
    if "id" not in doc or "version" not in doc:
        raise ValueError("document needs 'id' and 'version'")
    version = doc["version"]
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        raise ValueError(f"version must be an int >= 0, got {version!r}")
    out: dict[str, Any] = {"id": str(doc["id"]), "version": version}
    for key, value in doc.items():
        if key in RESERVED_FIELDS or value is None:
            continue
        f = spec.field(key)
        if f is None:
            raise ValueError(f"unknown field {key!r} for index {spec.name!r}")
        try:
            if f.type == "text":
                out[key] = value if isinstance(value, str) else "\n".join(str(v) for v in value)
            elif f.type == "keyword":
                values = [value] if isinstance(value, str) else list(value)
                if not all(isinstance(v, str) for v in values):
                    raise ValueError("keywords must be strings")
                out[key] = sorted(set(values))
            elif f.type == "boolean":
                if not isinstance(value, bool):
                    raise ValueError("not a bool")
                out[key] = value
            elif f.type == "geo_point":
                lat, lon = geo_of(value)
                out[key] = {"lat": lat, "lon": lon}
            else:
                out[key] = _number(f.type, value)
        except (ValueError, TypeError, KeyError) as exc:
            raise ValueError(f"field {key!r} of doc {out['id']!r}: {exc}") from None
    return out


@dataclass(frozen=True)
class SortKey:
    """Parsed ``Query.sort``: ``field`` None means relevance score."""

    field: str | None
    descending: bool
    type: str | None = None


def check_query(spec: IndexSpec, query: Query) -> tuple[list[Filter], SortKey]:
    """Validate ``query`` against ``spec``; return normalised filters and sort.

    Raises :class:`BadQuery` naming the field and the problem.
    """
    if not isinstance(query.page, int) or query.page < 1:
        raise BadQuery("page", "must be an integer >= 1")
    if not isinstance(query.per_page, int) or not 1 <= query.per_page <= MAX_PER_PAGE:
        raise BadQuery("per_page", f"must be between 1 and {MAX_PER_PAGE}")
    if query.page * query.per_page > MAX_RESULT_WINDOW:
        raise BadQuery(
            "page",
            f"results beyond the first {MAX_RESULT_WINDOW} are not reachable; narrow the filters",
        )
    if not isinstance(query.text, str):
        raise BadQuery("text", "must be a string")
    if not 1 <= query.facet_size <= 1000:
        raise BadQuery("facet_size", "must be between 1 and 1000")

    def typed(name: str, types: tuple[str, ...], what: str) -> Field:
        f = spec.field(name)
        if f is None:
            raise BadQuery(name, "unknown field")
        if f.type not in types:
            raise BadQuery(name, f"{what} needs a {'/'.join(types)} field, not {f.type}")
        return f

    filters: list[Filter] = []
    for flt in query.filters:
        if isinstance(flt, (AllOf, AnyOf)):
            kind = type(flt).__name__
            f = typed(flt.field, ("keyword", "boolean"), kind)
            values = (flt.values,) if isinstance(flt.values, (str, bool)) else tuple(flt.values)
            if not values:
                raise BadQuery(flt.field, f"{kind} needs at least one value")
            want = bool if f.type == "boolean" else str
            if not all(isinstance(v, want) for v in values):
                raise BadQuery(flt.field, f"{kind} values must be {want.__name__}")
            filters.append(type(flt)(flt.field, tuple(dict.fromkeys(values))))
        elif isinstance(flt, NoneOf):
            if flt.field != "id":
                typed(flt.field, ("keyword",), "NoneOf")
            values = (flt.values,) if isinstance(flt.values, str) else tuple(flt.values)
            if not all(isinstance(v, str) for v in values):
                raise BadQuery(flt.field, "NoneOf values must be str")
            if values:  # excluding nothing is no filter
                filters.append(NoneOf(flt.field, tuple(dict.fromkeys(values))))
        elif isinstance(flt, Range):
            f = typed(flt.field, NUMERIC_TYPES, "Range")
            try:
                gte = None if flt.gte is None else _number(f.type, flt.gte)
                lte = None if flt.lte is None else _number(f.type, flt.lte)
            except (ValueError, TypeError) as exc:
                raise BadQuery(flt.field, f"bad range bound: {exc}") from None
            if gte is None and lte is None:
                raise BadQuery(flt.field, "Range needs gte or lte")
            filters.append(Range(flt.field, gte, lte))
        elif isinstance(flt, GeoDistance):
            typed(flt.field, ("geo_point",), "GeoDistance")
            try:
                lat, lon = geo_of((flt.lat, flt.lon))
                km = float(flt.km)
            except (ValueError, TypeError) as exc:
                raise BadQuery(flt.field, f"bad point: {exc}") from None
            if not math.isfinite(km) or km < 0:
                raise BadQuery(flt.field, "radius must be a finite number of km >= 0")
            filters.append(GeoDistance(flt.field, lat, lon, km))
        else:
            raise BadQuery("filters", f"unsupported filter {flt!r}")

    for name in query.facets:
        typed(name, ("keyword", "boolean"), "facet")
    for name, buckets in query.range_facets.items():
        f = typed(name, NUMERIC_TYPES, "range facet")
        try:
            for lo, hi in buckets:
                lo is None or _number(f.type, lo)
                hi is None or _number(f.type, hi)
        except (ValueError, TypeError) as exc:
            raise BadQuery(name, f"bad range bucket: {exc}") from None

    sort = query.sort or "score"
    if sort == "score":
        key = SortKey(None, True)
    else:
        name = sort[1:] if sort.startswith("-") else sort
        if name == "id":
            key = SortKey("id", sort.startswith("-"), "keyword")
        else:
            f = spec.field(name)
            if f is None:
                raise BadQuery("sort", f"unknown field {name!r}")
            if f.type not in SORTABLE_TYPES:
                raise BadQuery("sort", f"cannot sort on {f.type} field {name!r}")
            key = SortKey(name, sort.startswith("-"), f.type)
    return filters, key


def bucket_key(lo: Any, hi: Any) -> str:
    """Stable key of a range-facet bucket, e.g. ``"50-250"`` or ``"250-*"``."""

    def fmt(v: Any) -> str:
        if v is None:
            return "*"
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v)

    return f"{fmt(lo)}-{fmt(hi)}"


def bucket_bounds(ftype: str, lo: Any, hi: Any) -> tuple[Any, Any]:
    return (None if lo is None else _number(ftype, lo), None if hi is None else _number(ftype, hi))
