"""One search on one tantivy searcher: text + filters, exact total, sorted page, disjunctive facets,
did-you-mean, and completion. The backend (:mod:`indexing.tantivy_backend`) hands over a fresh searcher."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from typing import Any

import tantivy
from tantivy import FieldType, Occur, Order, Query as TQ

from . import analysis, textplan
from .contract import AnyOf, Completion, GeoDistance, Hit, IndexSpec, Query, Range, SearchResult
from .tantivy_query import TextQuery, combine, facet_aggs, filter_clauses, geo_outside, read_facets
from .tantivy_schema import sort_field
from .tantivy_terms import TermExpansions
from .validation import SortKey

#: Most extra hits fetched to order equal scores by id; beyond, equal scores keep tantivy's order.
TIE_FETCH_CAP = 500


class Memo:
    """What searches remember of one commit: did-you-mean corrections and term expansions."""

    def __init__(self, stemmed: dict[str, tuple[str, str]]) -> None:
        #: word -> its did-you-mean correction on this commit
        self.corrections: dict[str, str | None] = {}
        #: each word's typo and prefix expansions on this commit
        self.terms = TermExpansions(stemmed)


class Searching:
    """What one physical index needs to answer queries (built once per physical index)."""

    def __init__(self, spec: IndexSpec, schema: tantivy.Schema) -> None:
        self.spec, self.schema = spec, schema
        self.text = TextQuery(spec, schema)
        self._stemmed: dict[str, tuple[str, str]] = {}
        #: what searches remember of the current commit (replaced by :meth:`forget`)
        self.memo = Memo(self._stemmed)

    def forget(self) -> None:
        """Called when the searcher moves to a new commit, after the reload: its terms may differ. The memo
        is replaced, not cleared, so a search still running on the older commit only fills the old one."""
        self.memo = Memo(self._stemmed)

    # -- search -------------------------------------------------------------------

    def search(self, searcher: tantivy.Searcher, query: Query, filters: list[Any], sort: SortKey,
               memo: Memo | None = None) -> SearchResult:
        """``memo``: the one of ``searcher``'s commit, taken before the searcher (the current one if None)."""
        memo = memo or self.memo
        units = textplan.plan(query.text, self.spec.synonyms)
        lookup = memo.terms.on(searcher)
        match_q = self.text.matching(units, lookup)  # which documents: one union of terms a word (counting passes)
        outside = self._geo(searcher, match_q, filters, query)
        clauses = filter_clauses(self.spec, self.schema, filters, outside)
        matching = combine(match_q, clauses)
        offset = (query.page - 1) * query.per_page
        if sort.field is None and match_q is not None:
            # the scoring clauses and phrases: only in the page pass (which also counts)
            full = combine(self.text.build(units, lookup), clauses)
            total, page = self._by_score(searcher, full, offset, query.per_page)
        elif sort.field is None or sort.field == "id":
            order = Order.Desc if sort.field == "id" and sort.descending else Order.Asc
            res = searcher.search(matching, query.per_page, count=True, order_by_field="id", offset=offset,
                                  order=order)
            total, page = res.count, [(0.0, a) for _, a in res.hits]
        else:
            total = searcher.search(matching, 1, count=True).count
            page = self._by_field(searcher, matching, sort, offset, query.per_page) if offset < total else []
        hits = self._hits(searcher, page, query.include_source, scored=match_q is not None)
        facets = self._facets(searcher, query, filters, match_q, outside, matching)
        suggestion = None
        if total == 0 and units:
            suggestion = self.suggest(searcher, units, filters, memo)
            if suggestion and query.autocorrect:  # "showing results for": the correction matches, by suggest()
                fixed = self.search(searcher, replace(query, text=suggestion, autocorrect=False), filters, sort, memo)
                return SearchResult(fixed.total, fixed.hits, fixed.facets, suggestion, corrected=suggestion)
        return SearchResult(total, hits, facets, suggestion)

    def _geo(self, searcher: tantivy.Searcher, text_q: TQ | None, filters: list[Any], query: Query) -> dict[int, list[int]]:
        """Per GeoDistance filter, the documents of its box that are too far, among the candidates of
        every query this search runs (facets drop the AnyOf filters on their own fields)."""
        geo = [i for i, f in enumerate(filters) if isinstance(f, GeoDistance)]
        if not geo:
            return {}
        loose = [f for f in filters if not (isinstance(f, AnyOf) and f.field in query.facets)
                 and not (isinstance(f, Range) and f.field in query.range_facets)]
        base = combine(None, filter_clauses(self.spec, self.schema, loose))  # text would cost more than it narrows
        return {i: geo_outside(searcher, self.schema, base, filters[i]) for i in geo}

    def _hits(self, searcher: tantivy.Searcher, page: list[tuple[float, Any]], source: bool, scored: bool) -> list[Hit]:
        out = []
        for score, addr in page:
            doc = searcher.doc(addr)
            src = json.loads(doc.get_first("_src")) if source else None
            out.append(Hit(doc.get_first("id"), float(score) if scored else 0.0, src))
        return out

    def _id_order(self, searcher: tantivy.Searcher, addrs: list[Any]) -> list[Any]:
        """``addrs`` ordered by document id (first 8 bytes from a fast field, the rest only on a tie)."""
        if len(addrs) < 2:
            return list(addrs)
        keys = searcher.fast_field_values("_ik", addrs)
        if len(set(keys)) == len(keys):
            return [addrs[i] for i in sorted(range(len(addrs)), key=keys.__getitem__)]
        ids = [searcher.doc(a).get_first("id") for a in addrs]
        return [addrs[i] for i in sorted(range(len(addrs)), key=lambda i: ids[i])]

    def _by_score(self, searcher: tantivy.Searcher, q: TQ, offset: int, n: int) -> tuple[int, list[tuple[float, Any]]]:
        """Exact total, and the page best first with equal scores by id: fetch past the page until the
        score after it differs (at most TIE_FETCH_CAP more)."""
        want = offset + n
        first = searcher.search(q, want + 1, count=True)
        total, res = first.count, first.hits
        limit = want + 1
        while len(res) == limit and res[-1][0] == res[want - 1][0] and limit < want + TIE_FETCH_CAP:
            limit = min(limit * 2, want + TIE_FETCH_CAP)
            res = searcher.search(q, limit, count=False).hits
        if len(res) <= offset:
            return total, []
        top, bottom = res[offset][0], res[min(want, len(res)) - 1][0]
        lo = next(i for i, (s, _) in enumerate(res) if s == top)
        out: list[tuple[float, Any]] = []
        i = lo
        while i < len(res) and res[i][0] >= bottom:  # score groups in order, each by id
            j = i
            while j < len(res) and res[j][0] == res[i][0]:
                j += 1
            out += [(res[i][0], a) for a in self._id_order(searcher, [a for _, a in res[i:j]])]
            i = j
        start = offset - lo
        return total, out[start : start + n]

    def _by_field(self, searcher: tantivy.Searcher, q: TQ, sort: SortKey, offset: int, n: int) -> list[tuple[float, Any]]:
        """Sorted on a fast field, ties by id, documents without a value last (both directions)."""
        assert sort.field is not None
        fname = sort_field(self.spec, sort.field, sort.descending)
        has = TQ.boolean_query([(Occur.Must, q), (Occur.Must, TQ.exists_query(fname))])
        order = Order.Desc if sort.descending else Order.Asc
        first = searcher.search(has, offset + n, count=True, order_by_field=fname, order=order)
        n_has, res = first.count, first.hits
        out: list[tuple[float, Any]] = []
        if offset < n_has:
            end = min(offset + n, n_has)
            keys = [k for k, _ in res]
            groups: list[list[int]] = []  # runs of equal keys inside the window (positions in res)
            for i in range(offset, end):
                if groups and keys[groups[-1][0]] == keys[i]:
                    groups[-1].append(i)
                else:
                    groups.append([i])
            for gi, g in enumerate(groups):
                key = keys[g[0]]
                if gi in (0, len(groups) - 1):  # may extend past the window: ask the index, by id
                    before = g[0] - keys.index(key)
                    eq = TQ.boolean_query([(Occur.Must, has), (Occur.Must, self._equals(fname, sort.type, key))])
                    part = searcher.search(eq, len(g), count=False, order_by_field="id", offset=before,
                                           order=Order.Asc).hits
                    out += [(0.0, a) for _, a in part]
                else:
                    out += [(0.0, a) for a in self._id_order(searcher, [res[i][1] for i in g])]
        if len(out) < n:
            missing = TQ.boolean_query([(Occur.Must, q), (Occur.MustNot, TQ.exists_query(fname))])
            rest = searcher.search(missing, n - len(out), count=False, order_by_field="id",
                                   offset=max(0, offset - n_has), order=Order.Asc).hits
            out += [(0.0, a) for _, a in rest]
        return out

    def _equals(self, fname: str, ftype: str | None, key: Any) -> TQ:
        if ftype == "float":
            return TQ.range_query(self.schema, fname, FieldType.Float, float(key), float(key))
        if ftype in ("integer", "date"):
            return TQ.range_query(self.schema, fname, FieldType.Integer, int(key), int(key))
        return TQ.term_query(self.schema, fname, key)

    # -- facets -------------------------------------------------------------------

    def _facets(self, searcher: tantivy.Searcher, query: Query, filters: list[Any], text_q: TQ | None,
                outside: dict[int, list[int]], full: TQ) -> dict[str, dict[str, int]]:
        """Disjunctive: a facet ignores the AnyOf (range facet: Range) filters on its own field.

        One aggregation call: over the query without any of those filters, each facet inside a
        ``filter`` aggregation that puts back the dropped filters of the other facets."""
        if not query.facets and not query.range_facets:
            return {}
        drops: dict[tuple[str, str], set[int]] = {}
        for name in query.facets:
            drops[("t", name)] = {i for i, f in enumerate(filters) if isinstance(f, AnyOf) and f.field == name}
        for name in query.range_facets:
            drops[("r", name)] = {i for i, f in enumerate(filters) if isinstance(f, Range) and f.field == name}
        dropped = set().union(*drops.values())
        rendered = {i: _query_string(self.spec, filters[i]) for i in dropped}
        if dropped and None in rendered.values():  # pragma: no cover - every droppable filter renders
            raise ValueError("cannot render a facet filter")
        kept = [i for i in range(len(filters)) if i not in dropped]
        base = full if not dropped else combine(text_q, filter_clauses(
            self.spec, self.schema, [filters[i] for i in kept],
            {k: outside[i] for k, i in enumerate(kept) if i in outside}))
        aggs: dict[str, Any] = {}
        wrapped: dict[str, str] = {}
        for n, ((kind, name), own) in enumerate(drops.items()):
            one = facet_aggs(self.spec, (name,) if kind == "t" else (), {name: query.range_facets[name]} if kind == "r" else {})
            back = sorted(dropped - own)
            if not back:
                aggs.update(one)
                continue
            key = f"g{n}"
            aggs[key] = {"filter": " AND ".join(rendered[i] for i in back), "aggs": one}
            wrapped[key] = next(iter(one), "")
        result = searcher.aggregate(base, aggs) if aggs else {}
        for key in wrapped:
            result.update({k: v for k, v in result.pop(key, {}).items() if k != "doc_count"})
        ranges = dict(query.range_facets)
        out = read_facets(result, self.spec, query.facets, ranges, query.facet_size)
        return {name: out.get(name, {}) for name in (*query.facets, *query.range_facets)}

    # -- did you mean ---------------------------------------------------------------

    def _correct(self, searcher: tantivy.Searcher, word: str, memo: Memo) -> str | None:
        """The index word closest to ``word`` (at most two edits, one below 4 letters), most frequent first.
        Remembered per commit: scanning the terms of a letter costs milliseconds, and typed words repeat."""
        corrections = memo.corrections
        if word not in corrections:
            if len(corrections) > 10_000:
                corrections.clear()
            corrections[word] = self._closest(searcher, word)
        return corrections[word]

    def _closest(self, searcher: tantivy.Searcher, word: str) -> str | None:
        limit = 2 if len(word) >= 4 else 1
        if len(word) < 3:
            return None
        best: tuple[int, int, str] | None = None
        for f in self.spec.of_type("text"):
            field = f"{f.name}__w"
            if searcher.doc_freq(field, word):
                return word
            for prefix in {word[:1]}:
                for term, df in searcher.terms_with_prefix(field, prefix):
                    d = textplan.edit_distance(word, term, limit + 1)
                    if d <= limit and (best is None or (d, -df, term) < best):
                        best = (d, -df, term)
        return best[2] if best else None

    def suggest(self, searcher: tantivy.Searcher, units: list[textplan.Unit], filters: list[Any],
                memo: Memo | None = None) -> str | None:
        memo = memo or self.memo
        words = [w for u in units for w in u.words]
        fixed = []
        for w in words:
            c = self._correct(searcher, w, memo)
            if c:
                fixed.append(c)
        if not fixed or fixed == words:
            return None
        text = " ".join(fixed)
        text_q = self.text.matching(textplan.plan(text, self.spec.synonyms), memo.terms.on(searcher))
        outside = self._geo(searcher, text_q, filters, Query())
        q = combine(text_q, filter_clauses(self.spec, self.schema, filters, outside))
        return text if searcher.search(q, 1, count=True).count else None

    # -- completion -----------------------------------------------------------------

    def complete(self, searcher: tantivy.Searcher, prefix: str, size: int) -> list[Completion]:
        words = analysis.query_words(prefix)
        fields = [f for f in self.spec.fields if f.complete]
        if not words or not fields:
            return []
        scored: list[tuple[float, int, Completion]] = []
        seen: set[tuple[str, str]] = set()
        for f in fields:
            field = f"{f.name}__w"
            parts = []
            for w in words[:-1]:
                d = textplan.fuzziness(w)
                parts.append((Occur.Must, TQ.fuzzy_term_query(self.schema, field, w, distance=d) if d
                              else TQ.term_query(self.schema, field, w)))
            last = words[-1]
            parts.append((Occur.Must, TQ.boolean_query([
                (Occur.Should, TQ.boost_query(TQ.term_query(self.schema, field, last), 2.0)),
                (Occur.Should, TQ.fuzzy_term_query(self.schema, field, last, distance=0, prefix=True))])))
            q = TQ.boolean_query(parts)
            for score, addr in searcher.search(q, size * 5, count=False).hits:
                src = json.loads(searcher.doc(addr).get_first("_src"))
                values = src.get(f.name)
                for value in ([values] if isinstance(values, str) else values or []):
                    if not _completes(words, analysis.words(value)):
                        continue
                    key = (f.name, analysis.fold(value))
                    if key in seen:
                        continue
                    seen.add(key)
                    scored.append((-score * f.boost, len(scored), Completion(src["id"], f.name, value)))
        scored.sort(key=lambda t: (t[0], t[1]))
        return [c for _, _, c in scored[:size]]


def _completes(typed: list[str], value_words: list[str]) -> bool:
    """Do the value's words hold the typed words (the last one as a prefix, earlier ones with typos)?"""
    *head, last = typed
    if not any(w.startswith(last) for w in value_words):
        return False
    for t in head:
        d = textplan.fuzziness(t)
        if not any(textplan.edit_distance(t, w, d + 1) <= d for w in value_words):
            return False
    return True


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _query_string(spec: IndexSpec, flt: Any) -> str | None:
    """An AnyOf or Range filter in tantivy's query language (for ``filter`` aggregations)."""
    f = spec.field(flt.field)
    if f is None:
        return None
    if isinstance(flt, AnyOf):
        if f.type == "boolean":
            return "(" + " OR ".join(f"{f.name}:{'true' if v else 'false'}" for v in flt.values) + ")"
        return "(" + " OR ".join(f"{f.name}:{_quote(v)}" for v in flt.values) + ")"
    if isinstance(flt, Range):
        if f.type == "float":
            lo = "*" if flt.gte is None else repr(float(flt.gte))
            hi = "*" if flt.lte is None else repr(float(flt.lte))
        else:
            lo = "*" if flt.gte is None else str(math.ceil(flt.gte))
            hi = "*" if flt.lte is None else str(math.floor(flt.lte))
        return f"{f.name}:[{lo} TO {hi}]"
    return None
