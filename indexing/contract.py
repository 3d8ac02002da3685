"""The search contract shared by every backend.

Plain dataclasses describe an index (:class:`IndexSpec`), a query
(:class:`Query` with filter objects) and a result (:class:`SearchResult`).
:class:`SearchBackend` is the protocol both backends implement, so the app
can swap the embedded SQLite backend for Elasticsearch without changes.

Validation lives here too (:func:`check_query`, :func:`normalize_doc`) so
both backends accept and reject exactly the same inputs.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, Literal, Protocol, Union, runtime_checkable

FieldType = Literal["text", "keyword", "integer", "float", "date", "geo_point", "boolean"]
FIELD_TYPES: tuple[str, ...] = ("text", "keyword", "integer", "float", "date", "geo_point", "boolean")
NUMERIC_TYPES = ("integer", "float", "date")
SORTABLE_TYPES = ("keyword", "integer", "float", "date", "boolean")

#: Deepest result reachable with page/per_page (same default as Elasticsearch's
#: ``index.max_result_window``). Both backends enforce it so they behave alike.
MAX_RESULT_WINDOW = 10_000
#: Longest accepted per_page.
MAX_PER_PAGE = 100
#: Earth radius used by Elasticsearch's ``arc`` distance, in km.
EARTH_RADIUS_KM = 6371.0087714

_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
RESERVED_FIELDS = ("id", "version")


class SearchError(Exception):
    """Base class of every error raised by a backend.

    Messages are safe to log; they never carry raw engine output meant for
    end users. Show users a generic "search is unavailable" instead.
    """


class IndexUnavailable(SearchError):
    """The engine cannot be reached (down, timing out, locked too long).

    Callers keep their changes queued and retry later.
    """


class UnknownIndex(SearchError, LookupError):
    """No index (alias) with that name exists; call ``ensure_index`` first."""


class BadQuery(SearchError, ValueError):
    """The query is invalid for the index spec.

    ``field`` names the offending part (a field name, ``"page"``,
    ``"per_page"``, ``"sort"``...) and ``problem`` says what is wrong.
    """

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


@dataclass(frozen=True)
class Field:
    """One document field.

    ``text`` fields are analysed in Spanish and English (accent folding +
    Snowball stemming) and searched by free text with ``boost``.
    ``keyword`` fields hold codes (one string or a list of strings) used for
    filters, facets and sorting. ``date`` values are ISO strings, ``date`` /
    ``datetime`` objects or epoch milliseconds. ``geo_point`` values are
    ``{"lat": .., "lon": ..}`` or a ``(lat, lon)`` pair.
    """

    name: str
    type: FieldType
    boost: float = 1.0
    #: ``text`` or ``keyword`` fields whose values feed :meth:`SearchBackend.complete`
    #: (e.g. a maker's name as the user types it in the search box).
    complete: bool = False

    def __post_init__(self) -> None:
        if self.complete and self.type not in ("text", "keyword"):
            raise ValueError(f"only text and keyword fields can feed completion, not {self.name!r}")
        if not _NAME_RE.match(self.name) or self.name in RESERVED_FIELDS:
            raise ValueError(f"invalid field name {self.name!r} (lowercase a-z0-9_, not id/version)")
        if self.type not in FIELD_TYPES:
            raise ValueError(f"unknown field type {self.type!r} for {self.name!r}")
        if not self.boost > 0:
            raise ValueError(f"boost of {self.name!r} must be > 0")


@dataclass(frozen=True)
class IndexSpec:
    """Mapping of one logical index.

    ``name`` is the alias the app uses; ``version`` is the mapping version.
    Physical indexes are named ``f"{name}_v{version}_{stamp}"`` and live
    behind the alias, which :meth:`SearchBackend.rebuild` swaps atomically.
    """

    name: str
    version: int
    fields: tuple[Field, ...]
    #: Equivalence groups of words or phrases (``("mezclilla", "denim")``), applied to
    #: free text in both directions at query time; kept as data, see ``indexing/synonyms``.
    synonyms: tuple[tuple[str, ...], ...] = ()

    def __post_init__(self) -> None:
        if not _NAME_RE.match(self.name):
            raise ValueError(f"invalid index name {self.name!r}")
        object.__setattr__(self, "_by_name", {f.name: f for f in self.fields})  # field(): once per value indexed
        if len(self._by_name) != len(self.fields):
            raise ValueError("duplicate field names")

    def field(self, name: str) -> Field | None:
        return self._by_name.get(name)

    def of_type(self, *types: str) -> list[Field]:
        return [f for f in self.fields if f.type in types]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "fields": [{"name": f.name, "type": f.type, "boost": f.boost, "complete": f.complete}
                       for f in self.fields],
            "synonyms": [list(group) for group in self.synonyms],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> IndexSpec:
        return cls(data["name"], int(data["version"]), tuple(Field(**f) for f in data["fields"]),
                   tuple(tuple(g) for g in data.get("synonyms", ())))


# -- filters (all filters of a query are AND-ed) -------------------------------


@dataclass(frozen=True)
class AllOf:
    """Keyword field must contain every one of ``values``."""

    field: str
    values: tuple[Any, ...]


@dataclass(frozen=True)
class AnyOf:
    """Keyword (or boolean) field must contain at least one of ``values``."""

    field: str
    values: tuple[Any, ...]


@dataclass(frozen=True)
class NoneOf:
    """Keyword field (or the document ``id``) must contain none of ``values``.

    Meant for short lists, e.g. the documents the caller knows are stale in the index.
    """

    field: str
    values: tuple[Any, ...]


@dataclass(frozen=True)
class Range:
    """Numeric or date field within ``[gte, lte]`` (either bound optional)."""

    field: str
    gte: Any = None
    lte: Any = None


@dataclass(frozen=True)
class GeoDistance:
    """geo_point field within ``km`` kilometres (great-circle) of lat/lon."""

    field: str
    lat: float
    lon: float
    km: float


Filter = Union[AllOf, AnyOf, NoneOf, Range, GeoDistance]


@dataclass(frozen=True)
class Query:
    """A search request.

    ``text`` is plain user text, never query syntax. It is matched as a search box
    user expects, by every backend alike: documents holding *all* words rank above
    those holding some (at least ``ceil(2/3)`` of the words must match when there are
    three or more, every word when fewer), words close together as a phrase rank
    higher, field boosts apply; a word matches with typos (one edit for words of 4–7
    letters, two beyond, as Elasticsearch's ``fuzziness: AUTO``) below exact matches;
    the last word also matches as a prefix (the user is still typing); the index's
    synonym groups apply both ways.

    ``facets`` names keyword fields to count values of; ``range_facets`` maps a
    numeric field to buckets ``(gte, lt)`` (``None`` = open end). Facets are
    *disjunctive*: a facet's counts ignore the ``AnyOf`` filters on its own field (and
    a range facet the ``Range`` filters on its field), so the other values stay
    visible while one is selected; every other filter applies. ``sort`` is ``"score"``,
    ``"field"`` (ascending) or ``"-field"`` (descending); ties break by id.
    ``include_source`` returns each hit's stored document (as upserted, normalised)
    in :attr:`Hit.source`, so a page can be drawn without reading the database.
    """

    text: str = ""
    filters: tuple[Filter, ...] = ()
    facets: tuple[str, ...] = ()
    range_facets: Mapping[str, Sequence[tuple[Any, Any]]] = field(default_factory=dict)
    sort: str = "score"
    page: int = 1
    per_page: int = 20
    facet_size: int = 50
    include_source: bool = False


@dataclass(frozen=True)
class Hit:
    id: str
    score: float
    source: Mapping[str, Any] | None = None


@dataclass
class SearchResult:
    """``facets[field][value] = count`` over the filtered result set.

    Range facet keys are ``"lo-hi"`` with ``*`` for an open end. ``total`` is exact.
    ``suggestion`` is a corrected query text ("did you mean") when the text matched
    nothing and a correction built from the index's own terms would match.
    """

    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]]
    suggestion: str | None = None


@dataclass(frozen=True)
class Completion:
    """One autocomplete proposal: the field value that completes the typed prefix."""

    id: str
    field: str
    text: str


@runtime_checkable
class SearchBackend(Protocol):
    """What every backend provides. ``index`` arguments are alias names."""

    def ensure_index(self, spec: IndexSpec) -> None: ...

    def upsert(self, index: str, docs: Iterable[Mapping[str, Any]]) -> None: ...

    def delete(self, index: str, ids: Iterable[str]) -> None: ...

    def search(self, index: str, query: Query) -> SearchResult: ...

    def complete(self, index: str, prefix: str, size: int = 10) -> list[Completion]:
        """Values of ``complete=True`` fields whose words start with the prefix's words
        (the last one as a prefix, earlier ones exact or with typos), best first."""
        ...

    def rebuild(
        self,
        spec: IndexSpec,
        docs: Iterable[Mapping[str, Any]],
        progress: Callable[[int], None] | None = None,
    ) -> str: ...

    def versions(self, index: str) -> dict[str, int]: ...

    def health(self) -> dict[str, Any]: ...

    def close(self) -> None: ...


# -- shared validation -----------------------------------------------------------


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
