"""Elasticsearch backend (official ``elasticsearch`` 9 client).

Mapping conventions (see :func:`mappings`): each ``text`` field is analysed
with ``mm_es`` (Spanish Snowball) and has an ``.en`` subfield analysed with
``mm_en`` (English Snowball); both fold accents and share the stopword list
of :mod:`indexing.analysis`. ``keyword`` -> keyword, ``integer`` -> long,
``float`` -> double, ``date`` -> date (epoch millis), ``geo_point`` ->
geo_point, ``boolean`` -> boolean. A keyword ``id`` is added for
deterministic sorting (sorting on ``_id`` is disabled in recent versions).
The spec is kept in the mapping's ``_meta`` so searches can validate.

Physical indexes ``{name}_v{version}_{stamp}`` live behind the alias
``name``; :meth:`ElasticsearchBackend.rebuild` bulk-loads a new one and
swaps the alias in one ``update_aliases`` call. Writes use external
versioning: a stale version yields a 409 that is treated as success.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from functools import lru_cache
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime, timezone
from typing import Any

from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError, helpers
from elasticsearch.dsl import Q, Search

from . import analysis
from . import elastic_query as tq
from .contract import (
    AllOf,
    AnyOf,
    Completion,
    GeoDistance,
    Hit,
    IndexSpec,
    IndexUnavailable,
    NoneOf,
    Query,
    Range,
    SearchError,
    SearchResult,
    UnknownIndex,
)
from .validation import bucket_bounds, bucket_key, check_query, normalize_doc

log = logging.getLogger(__name__)

_FIELD_MAPPING = {
    "keyword": {"type": "keyword"},
    "integer": {"type": "long"},
    "float": {"type": "double"},
    "date": {"type": "date", "format": "epoch_millis"},
    "geo_point": {"type": "geo_point"},
    "boolean": {"type": "boolean"},
}
_RETRY_STATUS = (429, 502, 503, 504)


def mappings(spec: IndexSpec) -> dict[str, Any]:
    """Explicit, strict mapping of ``spec``."""
    props: dict[str, Any] = {"id": {"type": "keyword"}}
    words = {"type": "text", "analyzer": "mm_fold"}
    for f in spec.fields:
        if f.type == "text":
            props[f.name] = {
                "type": "text",
                "analyzer": "mm_es",
                "fields": {"en": {"type": "text", "analyzer": "mm_en"}, tq.WORDS: words},
            }
        else:
            props[f.name] = dict(_FIELD_MAPPING[f.type])
            if f.complete:
                props[f.name]["fields"] = {tq.WORDS: words}
    return {"dynamic": "strict", "_meta": {"spec": spec.to_dict()}, "properties": props}


def settings(shards: int = 1, replicas: int | None = None) -> dict[str, Any]:
    shared = analysis.es_analysis_settings()
    fold = dict(shared["analyzer"]["mm_es"], filter=["lowercase", "asciifolding", "mm_trunc", "mm_stop"])
    out: dict[str, Any] = {"number_of_shards": shards,
                           "analysis": {**shared, "analyzer": {**shared["analyzer"], "mm_fold": fold}}}
    if replicas is not None:
        out["number_of_replicas"] = replicas
    return out


class ElasticsearchBackend:
    """Backend on an Elasticsearch (or compatible) cluster at ``url``.

    ``client_options`` go to :class:`elasticsearch.Elasticsearch` unchanged
    (auth, TLS, ``node_class``...). ``request_timeout``/``max_retries``
    bound how long an unreachable cluster takes to raise
    :class:`IndexUnavailable`. ``refresh`` is passed to writes
    (``"wait_for"``: an edit is searchable when the call returns).
    """

    backend_name = "elasticsearch"

    def __init__(
        self,
        url: str,
        *,
        request_timeout: float = 10.0,
        max_retries: int = 3,
        bulk_retries: int = 3,
        bulk_backoff: float = 0.5,
        refresh: bool | str = "wait_for",
        shards: int = 1,
        replicas: int | None = None,
        **client_options: Any,
    ) -> None:
        options = {
            "request_timeout": request_timeout,
            "max_retries": max_retries,
            "retry_on_timeout": True,
            "retry_on_status": _RETRY_STATUS,
            **client_options,
        }
        self.url = url
        self.client = Elasticsearch(url, **options)
        self.bulk_retries = bulk_retries
        self.bulk_backoff = bulk_backoff
        self.refresh = refresh
        self.shards, self.replicas = shards, replicas
        self._specs: dict[str, IndexSpec] = {}

    # -- error wrapping -------------------------------------------------------------

    def _call(self, what: str, fn: Callable[[], Any]) -> Any:
        """Run one client call; engine errors become contract errors."""
        try:
            return fn()
        except NotFoundError as exc:
            raise UnknownIndex(f"{what}: index not found") from exc
        except ApiError as exc:
            if exc.meta.status in _RETRY_STATUS or exc.meta.status >= 500:
                raise IndexUnavailable(f"{what}: cluster answered {exc.meta.status}") from exc
            log.error("elasticsearch rejected %s: %s", what, exc)
            raise SearchError(f"{what}: rejected by the search engine ({exc.meta.status})") from exc
        except TransportError as exc:  # connection refused, timeouts, TLS ... after client retries
            raise IndexUnavailable(f"{what}: cluster unreachable ({type(exc).__name__})") from exc

    def _spec(self, index: str) -> IndexSpec:
        spec = self._specs.get(index)
        if spec is None:
            spec = self._specs[index] = self.built_spec(index)
        return spec

    def built_spec(self, index: str) -> IndexSpec:
        """The spec kept in the ``_meta`` of the physical index behind the alias (read now, not cached)."""
        body = self._call("get mapping", lambda: self.client.indices.get_mapping(index=index))
        spec = None
        for mapping in body.values():
            meta = mapping["mappings"].get("_meta", {})
            if "spec" in meta:
                spec = IndexSpec.from_dict(meta["spec"])
        if spec is None:
            raise UnknownIndex(f"{index!r} was not created by this backend")
        return spec

    def _physical_names(self, alias: str) -> list[str]:
        try:
            return list(self._call("get alias", lambda: self.client.indices.get_alias(name=alias)).keys())
        except UnknownIndex:
            return []

    def _create(self, spec: IndexSpec, alias: bool, stamp: str | None = None) -> str:
        physical = f"{spec.name}_v{spec.version}_{stamp or datetime.now(timezone.utc).strftime('%Y%m%d%H%M%S%f')}"
        extra = {"aliases": {spec.name: {}}} if alias else {}
        self._call("create index", lambda: self.client.indices.create(
            index=physical, settings=settings(self.shards, self.replicas), mappings=mappings(spec), **extra))
        return physical

    # -- contract -------------------------------------------------------------------

    def ensure_index(self, spec: IndexSpec) -> None:
        """Create ``{name}_v{version}_{stamp}`` with alias ``name`` if the alias
        is missing. Never migrates: a changed spec version takes :meth:`rebuild`."""
        exists = self._call("alias exists", lambda: self.client.indices.exists_alias(name=spec.name))
        if not exists:
            # A fixed first name: processes that race here (workers, the sync worker) create one
            # index between them, never two behind one alias (which then refuses every write).
            try:
                self._create(spec, alias=True, stamp="0" * 20)
            except SearchError as exc:
                if "resource_already_exists" not in str(getattr(exc.__cause__, "error", "")):
                    raise
        self._specs.pop(spec.name, None)

    def _bulk(self, actions: Iterable[dict[str, Any]], refresh: bool | str,
              progress: Callable[[int], None] | None = None) -> None:
        done = 0
        try:
            for ok, item in helpers.streaming_bulk(
                self.client, actions, chunk_size=500, raise_on_error=False, raise_on_exception=True,
                max_retries=self.bulk_retries, initial_backoff=self.bulk_backoff, refresh=refresh,
            ):
                done += 1
                if not ok:
                    op, result = next(iter(item.items()))
                    status = result.get("status")
                    if status == 409 or (op == "delete" and status == 404):
                        pass  # stale version / already gone: the newer state wins
                    elif status in _RETRY_STATUS:
                        raise IndexUnavailable(f"bulk {op} kept failing with {status}")
                    else:
                        log.error("elasticsearch rejected bulk %s: %s", op, result.get("error"))
                        raise SearchError(f"bulk {op} of {result.get('_id')!r} rejected ({status})")
                if progress and done % 1000 == 0:
                    progress(done)
        except NotFoundError as exc:
            raise UnknownIndex("bulk: index not found") from exc
        except ApiError as exc:
            raise IndexUnavailable(f"bulk: cluster answered {exc.meta.status}") from exc
        except TransportError as exc:
            raise IndexUnavailable(f"bulk: cluster unreachable ({type(exc).__name__})") from exc
        if progress and done % 1000:
            progress(done)

    def _index_actions(self, index: str, spec: IndexSpec, docs: Iterable[Mapping[str, Any]]) -> Iterator[dict]:
        for raw in docs:
            doc = normalize_doc(spec, raw)
            version = doc.pop("version")
            yield {"_op_type": "index", "_index": index, "_id": doc["id"], "version": version,
                   "version_type": "external", "_source": doc}

    def upsert(self, index: str, docs: Iterable[Mapping[str, Any]]) -> None:
        """Index documents; an older or equal version than stored is ignored."""
        spec = self._spec(index)
        if not self._physical_names(index):
            raise UnknownIndex(f"no index named {index!r}")
        self._bulk(self._index_actions(index, spec, docs), self.refresh)

    def delete(self, index: str, ids: Iterable[str]) -> None:
        self._bulk(({"_op_type": "delete", "_index": index, "_id": str(i)} for i in ids), self.refresh)

    def rebuild(self, spec: IndexSpec, docs: Iterable[Mapping[str, Any]],
                progress: Callable[[int], None] | None = None) -> str:
        """Load ``docs`` into a new physical index, then swap the alias
        atomically and delete the old indexes."""
        physical = self._create(spec, alias=False)
        try:
            self._call("pause refresh", lambda: self.client.indices.put_settings(
                index=physical, settings={"index": {"refresh_interval": "-1"}}))
            self._bulk(self._index_actions(physical, spec, docs), False, progress)
            self._call("resume refresh", lambda: self.client.indices.put_settings(
                index=physical, settings={"index": {"refresh_interval": None}}))
            self._call("refresh", lambda: self.client.indices.refresh(index=physical))
            old = self._physical_names(spec.name)
            actions = [{"remove": {"index": o, "alias": spec.name}} for o in old]
            actions.append({"add": {"index": physical, "alias": spec.name}})
            self._call("swap alias", lambda: self.client.indices.update_aliases(actions=actions))
        except BaseException:
            try:
                self.client.indices.delete(index=physical)
            except Exception:  # noqa: BLE001 - best effort cleanup; the original error matters
                log.warning("could not remove half-built index %s", physical)
            raise
        for o in old:
            try:
                self.client.indices.delete(index=o)
            except Exception:  # noqa: BLE001
                log.warning("could not delete old index %s", o)
        self._specs[spec.name] = spec
        return physical

    def versions(self, index: str) -> dict[str, int]:
        out: dict[str, int] = {}
        after: list[Any] | None = None
        while True:
            extra = {"search_after": after} if after else {}
            body = self._call("versions", lambda: self.client.search(
                index=index, size=1000, sort=[{"id": "asc"}], version=True, source=False,
                track_total_hits=False, **extra))
            rows = body["hits"]["hits"]
            for h in rows:
                out[h["_id"]] = h["_version"]
            if len(rows) < 1000:
                return out
            after = rows[-1]["sort"]

    def health(self) -> dict[str, Any]:
        try:
            h = self.client.options(request_timeout=min(5.0, self.client.transport.node_pool.all()[0].config.request_timeout or 5.0)).cluster.health()
            return {"backend": self.backend_name, "ok": h["status"] in ("green", "yellow"),
                    "status": h["status"], "url": self.url}
        except Exception as exc:  # noqa: BLE001 - health never raises
            return {"backend": self.backend_name, "ok": False, "error": type(exc).__name__, "url": self.url}

    def close(self) -> None:
        self.client.close()

    # -- search ---------------------------------------------------------------------

    def build_search(self, spec: IndexSpec, query: Query) -> Search:
        """The request for ``query`` as an ``elasticsearch.dsl`` Search.

        Disjunctive facets: ``AnyOf`` filters on a faceted field (and ``Range`` filters on a
        range-faceted field) go to ``post_filter``, so they narrow the hits and the total but
        not the aggregations; each facet aggregates under a ``filter`` holding every such
        filter except those on its own field.
        """
        filters, sort = check_query(spec, query)
        words = analysis.query_words(query.text)
        s = Search()
        clauses, excluded = [], []
        post: list[tuple[str, Any]] = []  # (field, clause) applied after the aggregations
        for flt in filters:
            if isinstance(flt, NoneOf):
                excluded.append(Q("terms", **{flt.field: list(flt.values)}))
            elif isinstance(flt, AnyOf):
                clause = Q("terms", **{flt.field: list(flt.values)})
                (post.append((flt.field, clause)) if flt.field in query.facets else clauses.append(clause))
            elif isinstance(flt, AllOf):
                clauses += [Q("term", **{flt.field: v}) for v in flt.values]
            elif isinstance(flt, Range):
                bounds = {k: v for k, v in (("gte", flt.gte), ("lte", flt.lte)) if v is not None}
                clause = Q("range", **{flt.field: bounds})
                (post.append((flt.field, clause)) if flt.field in query.range_facets else clauses.append(clause))
            elif isinstance(flt, GeoDistance):
                clauses.append(Q("geo_distance", distance=f"{flt.km}km", distance_type="arc",
                                 **{flt.field: {"lat": flt.lat, "lon": flt.lon}}))
        if words:
            text_q = tq.text_query(spec, words, _synonyms(spec.synonyms))
            s = s.query(Q("bool", must=[text_q], filter=clauses, must_not=excluded))
        else:
            s = s.query(Q("bool", filter=clauses, must_not=excluded))
        if post:
            s = s.post_filter(Q("bool", filter=[c for _, c in post]))

        if sort.field is None:
            order: list[Any] = [{"_score": {"order": "desc"}}] if words else []
        else:
            order = [{sort.field: {"order": "desc" if sort.descending else "asc", "missing": "_last"}}]
        if sort.field != "id":
            order.append({"id": {"order": "asc"}})
        s = s.sort(*order)
        start = (query.page - 1) * query.per_page
        s = s.extra(from_=start, size=query.per_page, track_total_hits=True,
                    _source=bool(query.include_source), version=bool(query.include_source))

        def scoped(agg_name: str, field: str):
            """The aggregation root for a facet of ``field``: under a filter of the other post filters."""
            others = [c for f, c in post if f != field]
            if not others:
                return s.aggs
            return s.aggs.bucket(agg_name, "filter", filter=Q("bool", filter=others))

        for name in query.facets:
            scoped(f"d_{name}", name).bucket(f"f_{name}", "terms", field=name, size=query.facet_size,
                                             order=[{"_count": "desc"}, {"_key": "asc"}])
        for name, buckets in query.range_facets.items():
            f = spec.field(name)
            assert f is not None
            ranges = []
            for lo, hi in buckets:
                lo_n, hi_n = bucket_bounds(f.type, lo, hi)
                r = {"key": bucket_key(lo, hi)}
                if lo_n is not None:
                    r["from"] = lo_n
                if hi_n is not None:
                    r["to"] = hi_n
                ranges.append(r)
            scoped(f"dr_{name}", name).bucket(f"r_{name}", "range", field=name, ranges=ranges, keyed=False)
        return s

    def search(self, index: str, query: Query) -> SearchResult:
        spec = self._spec(index)
        body = self.build_search(spec, query).to_dict()
        res = self._call("search", lambda: self.client.search(index=index, body=body))
        hits = [Hit(h["_id"], float(h.get("_score") or 0.0), _source_of(h) if query.include_source else None)
                for h in res["hits"]["hits"]]
        aggs = res.get("aggregations", {})
        facets: dict[str, dict[str, int]] = {}
        for name in query.facets:
            buckets = aggs.get(f"d_{name}", aggs).get(f"f_{name}", {}).get("buckets", [])
            facets[name] = {str(b.get("key_as_string", b["key"])): b["doc_count"] for b in buckets}
        for name in query.range_facets:
            buckets = aggs.get(f"dr_{name}", aggs).get(f"r_{name}", {}).get("buckets", [])
            facets[name] = {b["key"]: b["doc_count"] for b in buckets}
        total = res["hits"]["total"]["value"]
        suggestion = self._suggest(index, spec, query) if total == 0 and query.text.strip() else None
        if suggestion and query.autocorrect:  # "showing results for": _suggest checked that it matches
            fixed = self.search(index, replace(query, text=suggestion, autocorrect=False))
            return SearchResult(fixed.total, fixed.hits, fixed.facets, suggestion, corrected=suggestion)
        return SearchResult(total, hits, facets, suggestion)

    # -- did you mean, completion ---------------------------------------------------------

    def _suggest(self, index: str, spec: IndexSpec, query: Query) -> str | None:
        """A corrected text built from the index's own words (term suggester on the unstemmed
        ``.w`` sub-fields), returned only if that text finds something under the same filters."""
        words = analysis.query_words(query.text)
        fields = [f.name for f in spec.of_type("text")]
        if not words or not fields:
            return None
        suggest = {f"s_{f}": {"text": " ".join(words),
                              "term": {"field": f"{f}.{tq.WORDS}", "suggest_mode": "missing", "size": 3,
                                       "max_edits": 2, "min_word_length": 3, "sort": "score"}}
                   for f in fields}
        res = self._call("suggest", lambda: self.client.search(index=index, size=0, suggest=suggest,
                                                                track_total_hits=False))
        best: dict[str, tuple[float, int, str]] = {}
        for entries in res.get("suggest", {}).values():
            for entry in entries:
                for opt in entry.get("options", []):
                    key = (float(opt.get("score", 0)), int(opt.get("freq", 0)), opt["text"])
                    if entry["text"] not in best or key[:2] > best[entry["text"]][:2]:
                        best[entry["text"]] = key
        corrected = [best[w][2] if w in best else w for w in words]
        if corrected == words:
            return None
        text = " ".join(corrected)
        probe = Query(text=text, filters=query.filters, per_page=1)
        body = self.build_search(spec, probe).extra(track_total_hits=1).to_dict()
        found = self._call("suggest check", lambda: self.client.search(index=index, body=body))
        return text if found["hits"]["total"]["value"] > 0 else None

    def complete(self, index: str, prefix: str, size: int = 10) -> list[Completion]:
        """Values of ``complete=True`` fields completing ``prefix`` (see :func:`tq.complete_query`)."""
        spec = self._spec(index)
        names = [f.name for f in spec.fields if f.complete]
        words = analysis.query_words(prefix[:200], limit=8)
        if not names or not words or not 1 <= size <= 100:
            return []
        res = self._call("complete", lambda: self.client.search(
            index=index, query=tq.complete_query(spec, words).to_dict(), size=size * 2, source=names,
            sort=[{"_score": {"order": "desc"}}, {"id": {"order": "asc"}}], track_total_hits=False))
        out: list[Completion] = []
        seen: set[tuple[str, str]] = set()
        for h in res["hits"]["hits"]:
            for name in names:
                value = h.get("_source", {}).get(name)
                for v in ([value] if isinstance(value, str) else value or []):
                    key = (name, analysis.fold(v))  # one proposal per value, as the embedded engine gives
                    if key not in seen and tq.value_completes(v, words):
                        seen.add(key)
                        out.append(Completion(h["_id"], name, v))
        return out[:size]


@lru_cache(maxsize=32)
def _synonyms(groups: tuple[tuple[str, ...], ...]) -> tq.Synonyms:
    return tq.Synonyms(groups)


def _source_of(hit: Mapping[str, Any]) -> dict[str, Any]:
    """The stored document as upserted (normalised), ``version`` included."""
    src = dict(hit.get("_source") or {})
    src["id"] = hit["_id"]
    if "_version" in hit:
        src["version"] = hit["_version"]
    return src
