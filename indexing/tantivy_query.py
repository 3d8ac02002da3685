"""Contract queries as tantivy queries: text (:mod:`indexing.textplan`), filters and facets."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import tantivy
from tantivy import FieldType, Occur, Query as TQ

from . import analysis, textplan
from .tantivy_terms import MAX_TERMS, Lookup, any_term
from .contract import EARTH_RADIUS_KM, AllOf, AnyOf, GeoDistance, IndexSpec, NoneOf, Range
from .validation import bucket_bounds, bucket_key

#: Extra score for the words found together as a phrase (within ``PHRASE_SLOP`` positions).
PHRASE_BOOST = 0.5
PHRASE_SLOP = 2

#: (field, word, distance, prefix) -> the matching terms of the commit, or None (let tantivy expand)
Expand = Callable[[str, str, int, bool], 'tuple[str, ...] | None']


def _should(queries: list[TQ]) -> TQ:
    if len(queries) == 1:
        return queries[0]
    return TQ.boolean_query([(Occur.Should, q) for q in queries])


class TextQuery:
    """Builds the text part of a query for one spec and schema."""

    def __init__(self, spec: IndexSpec, schema: tantivy.Schema) -> None:
        self.spec, self.schema = spec, schema
        self.text_fields = spec.of_type("text")

    def _exact(self, words: tuple[str, ...], weight: float) -> list[TQ]:
        out = []
        for f in self.text_fields:
            b = f.boost * weight
            if len(words) == 1:
                es, en = analysis.stem_es(list(words))[0], analysis.stem_en(list(words))[0]
                out.append(TQ.boost_query(TQ.term_query(self.schema, f"{f.name}__es", es), b))
                out.append(TQ.boost_query(TQ.term_query(self.schema, f"{f.name}__en", en), b))
            else:  # a synonym phrase: the folded words in order
                out.append(TQ.boost_query(TQ.phrase_query(self.schema, f"{f.name}__w", list(words)), b))
        return out

    def _expanded(self, field: str, word: str, distance: int, prefix: bool, score: float,
                  terms: Expand | None) -> TQ:
        """Documents with a term of ``field`` within ``distance`` typos of ``word`` (``prefix``: starting
        with it), each scoring ``score``: from the commit's expansion when known, else tantivy's automaton."""
        found = terms(field, word, distance, prefix) if terms is not None else None
        if found is not None:
            return any_term(self.schema, field, found, score)
        return TQ.boost_query(TQ.fuzzy_term_query(self.schema, field, word, distance=distance, prefix=prefix), score)

    def unit(self, unit: textplan.Unit, terms: Expand | None = None) -> TQ:
        clauses = self._exact(unit.words, 1.0)
        if len(unit.words) == 1:
            w = unit.words[0]
            d = textplan.fuzziness(w)
            for f in self.text_fields:
                if d:
                    clauses.append(self._expanded(f"{f.name}__w", w, d, False, f.boost * textplan.FUZZY_WEIGHT, terms))
                if unit.prefix:
                    clauses.append(self._expanded(f"{f.name}__w", w, 0, True, f.boost * textplan.PREFIX_WEIGHT, terms))
        for alt in unit.synonyms:
            clauses += self._exact(alt, unit.synonym_weight)
        return _should(clauses)

    def build(self, units: list[textplan.Unit], terms: Expand | None = None, phrases: bool = True) -> TQ | None:
        """The text query; ``terms`` looks up the current commit's typo and prefix expansions
        (:mod:`indexing.tantivy_terms`), without it tantivy expands them on every search. Without
        ``phrases``, the same documents without the phrase boost (for counting, facets, field sorts)."""
        if not units or not self.text_fields:
            return None
        parts = [(Occur.Should, self.unit(u, terms)) for u in units]
        core = TQ.boolean_query(parts, textplan.minimum_should_match(len(units)))
        return self.phrased(core, units) if phrases else core

    def matching(self, units: list[textplan.Unit], terms: Lookup) -> TQ | None:
        """The documents of :meth:`build` without phrases, unscored (for counting, facets, field sorts).

        There a unit is 15-30 overlapping scoring clauses (each text field's stems in two languages, typo
        and prefix terms, synonyms), many reading the same documents from different fields. Here it is
        one unscored union of the ``__w`` terms any of them would match (:meth:`unit_terms`), each
        posting list once; the units keep their minimum-should-match, each one clause."""
        if not units or not self.text_fields:
            return None
        parts = [(Occur.Should, self.unit_match(u, terms)) for u in units]
        return TQ.boolean_query(parts, textplan.minimum_should_match(len(units)))

    def unit_terms(self, unit: textplan.Unit, field: str, terms: Lookup) -> set[str] | None:
        """The terms of ``field`` (a ``__w``) matching the unit's single words: its word's stems (either
        language), typos and prefix, its one-word synonyms' stems; None when an expansion is too large."""
        found: set[str] = set()
        for alt in [unit.words, *unit.synonyms]:
            if len(alt) == 1:
                found.update(terms.same_stem(field, alt[0]))
        if len(unit.words) == 1:
            w = unit.words[0]
            d = textplan.fuzziness(w)
            for distance, prefix in ((d, False),) * bool(d) + ((0, True),) * unit.prefix:
                more = terms.expanded(field, w, distance, prefix)
                if more is None:
                    return None
                found.update(more)
        return found

    def unit_match(self, unit: textplan.Unit, terms: Lookup) -> TQ:
        """The documents :meth:`unit` matches, unscored: its terms (up to MAX_TERMS a field as term
        queries, beyond as one term set, which tantivy reads whole) and synonym phrases in one union."""
        clauses = []
        for f in self.text_fields:
            field = f"{f.name}__w"
            found = self.unit_terms(unit, field, terms)
            if found is None:  # an expansion too large even for a term set: the scoring clauses
                return self.unit(unit, terms)
            if len(found) > MAX_TERMS:
                clauses.append(TQ.term_set_query(self.schema, field, sorted(found)))
            else:
                clauses += [TQ.const_score_query(TQ.term_query(self.schema, field, t), 1.0) for t in sorted(found)]
            clauses += [TQ.phrase_query(self.schema, field, list(alt))
                        for alt in [unit.words, *unit.synonyms] if len(alt) > 1]
        return _should(clauses) if clauses else TQ.empty_query()

    def phrased(self, core: TQ | None, units: list[textplan.Unit]) -> TQ | None:
        """``core`` (from :meth:`build` without phrases) scoring more where its words form a phrase."""
        words = [w for u in units for w in u.words]
        if core is None or len(words) < 2:
            return core
        phrases = [TQ.boost_query(TQ.phrase_query(self.schema, f"{f.name}__w", words, slop=PHRASE_SLOP),
                                  f.boost * PHRASE_BOOST) for f in self.text_fields]
        return TQ.boolean_query([(Occur.Must, core)] + [(Occur.Should, p) for p in phrases])


def _term(schema: tantivy.Schema, field: str, value: Any) -> TQ:
    return TQ.term_query(schema, field, value)


def filter_clauses(spec: IndexSpec, schema: tantivy.Schema, filters: Sequence[Any],
                   outside: Mapping[int, list[int]] | None = None) -> list[tuple[Occur, TQ]]:
    """Non-scoring (Must / MustNot) clauses of the AND-ed filters.

    A :class:`GeoDistance` is a lat/lon bounding box on fast fields; ``outside[i]`` lists the
    ``_h`` of documents in the box of filter ``i`` that the exact haversine rejects
    (:func:`geo_outside`)."""
    out: list[tuple[Occur, TQ]] = []
    for i, flt in enumerate(filters):
        if isinstance(flt, NoneOf):
            out.append((Occur.MustNot, TQ.term_set_query(schema, flt.field, list(flt.values))))
            continue
        f = spec.field(flt.field)
        assert f is not None
        if isinstance(flt, (AnyOf, AllOf)) and f.type == "boolean":
            values = list(flt.values)
            if isinstance(flt, AllOf) and len(set(values)) > 1:
                out.append((Occur.Must, TQ.empty_query()))
            else:
                out.append((Occur.Must, _should([_term(schema, f.name, v) for v in dict.fromkeys(values)])))
        elif isinstance(flt, AnyOf):
            out.append((Occur.Must, TQ.term_set_query(schema, f.name, list(flt.values))))
        elif isinstance(flt, AllOf):
            out += [(Occur.Must, _term(schema, f.name, v)) for v in flt.values]
        elif isinstance(flt, Range):
            ftype = FieldType.Float if f.type == "float" else FieldType.Integer
            if f.type == "float":
                lo = None if flt.gte is None else float(flt.gte)
                hi = None if flt.lte is None else float(flt.lte)
            else:  # a fractional bound on an integer field rounds inwards
                lo = None if flt.gte is None else math.ceil(flt.gte)
                hi = None if flt.lte is None else math.floor(flt.lte)
            out.append((Occur.Must, TQ.range_query(schema, f.name, ftype, lo, hi)))
        elif isinstance(flt, GeoDistance):
            out += [(Occur.Must, q) for q in geo_box(schema, flt)]
            if outside and outside.get(i):
                out.append((Occur.MustNot, TQ.term_set_query(schema, "_h", outside[i])))
    return out


def geo_box(schema: tantivy.Schema, flt: GeoDistance) -> list[TQ]:
    lat_f, lon_f = f"{flt.field}__lat", f"{flt.field}__lon"
    dlat = math.degrees(flt.km / EARTH_RADIUS_KM)
    coslat = math.cos(math.radians(min(89.9, abs(flt.lat) + dlat)))
    dlon = 180.0 if coslat < 1e-6 else math.degrees(flt.km / (EARTH_RADIUS_KM * coslat))
    box = [TQ.range_query(schema, lat_f, FieldType.Float, flt.lat - dlat, flt.lat + dlat)]
    if dlon < 180 and abs(flt.lon) + dlon < 180:  # no box across the antimeridian
        box.append(TQ.range_query(schema, lon_f, FieldType.Float, flt.lon - dlon, flt.lon + dlon))
    else:
        box.append(TQ.exists_query(lat_f))
    return box


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def geo_inner(schema: tantivy.Schema, flt: GeoDistance) -> TQ | None:
    """A lat/lon rectangle wholly inside the circle: its documents need no exact check.

    Over a rectangle (no pole, no antimeridian inside) the distance from the centre is largest
    at a corner (it grows with the longitude gap, and along a meridian edge it has one minimum),
    so checking the four corners proves the whole rectangle is inside."""
    dlat = math.degrees(flt.km / EARTH_RADIUS_KM) / math.sqrt(2)
    if flt.km <= 0 or abs(flt.lat) + dlat >= 89:
        return None
    p0, r = math.radians(flt.lat), flt.km / EARTH_RADIUS_KM
    dlon = math.pi
    for lat in (flt.lat - dlat, flt.lat + dlat):
        p = math.radians(lat)
        c = (math.cos(r) - math.sin(p0) * math.sin(p)) / (math.cos(p0) * math.cos(p))
        if not -1 <= c <= 1:
            return None
        dlon = min(dlon, math.acos(c))
    dlon = math.degrees(dlon) * 0.999
    if abs(flt.lon) + dlon >= 180:
        return None
    corners = [(flt.lat + a, flt.lon + b) for a in (-dlat, dlat) for b in (-dlon, dlon)]
    if max(_km(flt.lat, flt.lon, la, lo) for la, lo in corners) > flt.km:
        return None
    return TQ.boolean_query([
        (Occur.Must, TQ.range_query(schema, f"{flt.field}__lat", FieldType.Float, flt.lat - dlat, flt.lat + dlat)),
        (Occur.Must, TQ.range_query(schema, f"{flt.field}__lon", FieldType.Float, flt.lon - dlon, flt.lon + dlon))])


def geo_outside(searcher: tantivy.Searcher, schema: tantivy.Schema, candidates: TQ, flt: GeoDistance) -> list[int]:
    """``_h`` of the ``candidates`` (a query that includes the filter's box) farther than ``flt.km``.
    Only candidates outside the inscribed rectangle are read and checked."""
    inner = geo_inner(schema, flt)
    if inner is not None:
        candidates = TQ.boolean_query([(Occur.Must, candidates), (Occur.MustNot, inner)])
    n = searcher.search(candidates, 1, count=True).count
    if not n:
        return []
    addrs = [a for _, a in searcher.search(candidates, n, count=False, order_by_field="_h").hits]
    lat = np.radians(np.asarray(searcher.fast_field_values(f"{flt.field}__lat", addrs), dtype=float))
    lon = np.radians(np.asarray(searcher.fast_field_values(f"{flt.field}__lon", addrs), dtype=float))
    p1, l1 = math.radians(flt.lat), math.radians(flt.lon)
    a = np.sin((lat - p1) / 2) ** 2 + math.cos(p1) * np.cos(lat) * np.sin((lon - l1) / 2) ** 2
    km = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))
    far = np.nonzero(km > flt.km)[0]
    if not len(far):
        return []
    return [int(h) for h in searcher.fast_field_values("_h", [addrs[i] for i in far])]


def combine(text: TQ | None, clauses: list[tuple[Occur, TQ]]) -> TQ:
    """Text (scoring) AND filters (not scoring)."""
    parts: list[tuple[Occur, TQ]] = []
    if text is not None:
        parts.append((Occur.Must, text))
    for occur, q in clauses:
        parts.append((occur, TQ.const_score_query(q, 0.0) if occur == Occur.Must else q))
    if not parts:
        return TQ.all_query()
    if all(o == Occur.MustNot for o, _ in parts):
        parts.insert(0, (Occur.Must, TQ.const_score_query(TQ.all_query(), 0.0)))
    return TQ.boolean_query(parts)


# -- facets ---------------------------------------------------------------------------


def facet_aggs(spec: IndexSpec, facets: Sequence[str], range_facets: dict[str, Any]) -> dict[str, Any]:
    aggs: dict[str, Any] = {}
    for name in facets:
        aggs[f"t_{name}"] = {"terms": {"field": name, "size": 65000, "segment_size": 65000}}
    for name, buckets in range_facets.items():
        f = spec.field(name)
        assert f is not None
        ranges = []
        for i, (lo, hi) in enumerate(buckets):
            lo_n, hi_n = bucket_bounds(f.type, lo, hi)
            r: dict[str, Any] = {"key": f"b{i}"}
            if lo_n is not None:
                r["from"] = float(lo_n)
            if hi_n is not None:
                r["to"] = float(hi_n)
            ranges.append(r)
        if ranges:
            aggs[f"r_{name}"] = {"range": {"field": name, "ranges": ranges}}
    return aggs


def read_facets(result: dict[str, Any], spec: IndexSpec, facets: Sequence[str], range_facets: dict[str, Any],
                size: int) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for name in facets:
        f = spec.field(name)
        counts: dict[str, int] = {}
        for b in result.get(f"t_{name}", {}).get("buckets", []):
            key = b["key"]
            if f is not None and f.type == "boolean":
                key = "true" if key in (True, 1, "true") else "false"
            counts[str(key)] = counts.get(str(key), 0) + int(b["doc_count"])
        ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:size]
        out[name] = {k: n for k, n in ordered if n > 0}
    for name, buckets in range_facets.items():
        got = {b["key"]: int(b["doc_count"]) for b in result.get(f"r_{name}", {}).get("buckets", [])}
        out[name] = {bucket_key(lo, hi): got.get(f"b{i}", 0) for i, (lo, hi) in enumerate(buckets)}
    return out
