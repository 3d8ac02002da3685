"""The search contract shared by every backend.

Plain dataclasses describe an index (:class:`IndexSpec`), a query
(:class:`Query` with filter objects) and a result (:class:`SearchResult`).
:class:`SearchBackend` is the protocol both backends implement, so the app
can swap the embedded SQLite backend for Elasticsearch without changes.

The validation both backends run on these types (:func:`~indexing.validation.check_query`,
:func:`~indexing.validation.normalize_doc`) is in :mod:`indexing.validation`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, Union, runtime_checkable

FieldType = Literal["text", "keyword", "integer", "float", "date", "geo_point", "boolean"]
FIELD_TYPES: tuple[str, ...] = ("text", "keyword", "integer", "float", "date", "geo_point", "boolean")

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


def synonyms_hash(groups: Iterable[Iterable[str]]) -> str:
    """sha256 (first 16 hex digits) of the groups as JSON: the same list gives the same hash in any process."""
    data = json.dumps([list(g) for g in groups], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


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

    @property
    def synonyms_hash(self) -> str:
        """A short digest of the synonym groups: differs whenever the list (or its order) changes."""
        return synonyms_hash(self.synonyms)

    def to_dict(self) -> dict[str, Any]:
        """What a built index keeps as its metadata (:meth:`SearchBackend.built_spec` reads it back);
        ``synonyms_hash`` is recorded beside the groups for whoever compares builds."""
        return {
            "name": self.name,
            "version": self.version,
            "fields": [{"name": f.name, "type": f.type, "boost": f.boost, "complete": f.complete}
                       for f in self.fields],
            "synonyms": [list(group) for group in self.synonyms],
            "synonyms_hash": self.synonyms_hash,
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
    ``autocorrect``: when the text matches nothing and its did-you-mean correction
    matches, the result is the corrected text's (see :attr:`SearchResult.corrected`);
    False searches the text as typed only (the user's "search instead for ...").
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
    autocorrect: bool = True


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
    nothing and a correction built from the index's own terms would match. ``corrected``
    is that correction when the backend ran it instead (``Query.autocorrect``): hits,
    total and facets are then the corrected text's ("showing results for ..."); None
    when the text was searched as given.
    """

    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]]
    suggestion: str | None = None
    corrected: str | None = None


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

    def built_spec(self, index: str) -> IndexSpec:
        """The spec the index behind alias ``index`` was built with (read from the index's own metadata,
        never from a cache), so a caller can tell an index built by older code (another spec version or
        synonym list) from a current one. :class:`UnknownIndex` if there is none."""
        ...

    def health(self) -> dict[str, Any]: ...

    def close(self) -> None: ...
