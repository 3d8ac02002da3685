"""One open physical tantivy index in this process, and the answers of its recent searches.

A :class:`Physical` holds the Index, its schema and the ``meta.json`` it reflects; before each search it
compares ``meta.json`` (written atomically by every commit, in any process) with what it loaded and reloads
the searcher when it changed. It keeps the answers of its last ``cache_size`` distinct searches (at most
``RESULT_CACHE_HITS`` hits in all) and drops them on every reload, so a kept answer is always the one the
current commit gives: Elasticsearch's shard request cache, invalidated on refresh, does the same. Split from
:mod:`indexing.tantivy_backend` (the alias, the writers and the rebuild), which opens these.
"""

from __future__ import annotations

import json
import os
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

import tantivy

from .contract import IndexSpec, Query, SearchResult
from .tantivy_search import Memo, Searching

SPEC_FILE = "mm_spec.json"
#: Queries whose answers a process keeps per physical index (0 turns the cache off).
RESULT_CACHE = 256
#: Most hits held by the cache of one physical index (about 3 KB each with their sources).
RESULT_CACHE_HITS = 4000


#: The physical indexes of this process still holding their tantivy Index (each keeps reader threads and a
#: meta.json watcher in Rust until it is dropped): what :func:`open_indexes` counts.
_live: weakref.WeakSet[Physical] = weakref.WeakSet()


def open_indexes() -> int:
    """How many tantivy indexes this process holds open, in any backend (tests check none is left over)."""
    return sum(1 for p in list(_live) if p.index is not None)


class Physical:
    """One open physical index in this process: its Index, schema and the meta.json it reflects."""

    def __init__(self, path: Path, cache_size: int = RESULT_CACHE) -> None:
        self.path = path
        self.spec = IndexSpec.from_dict(json.loads((path / SPEC_FILE).read_text()))
        self.index = tantivy.Index.open(str(path))
        self.index.config_reader(reload_policy="Manual", num_warmers=0)
        self.schema = self.index.schema
        self.searching = Searching(self.spec, self.schema)
        self.seen = self._meta_key()
        self.lock = threading.Lock()
        self.cache_size = cache_size
        self.results: OrderedDict[tuple, SearchResult] = OrderedDict()
        self.cached_hits = 0
        _live.add(self)

    def close(self) -> None:
        """Drop the tantivy Index and what holds its searchers, so Rust stops their threads now."""
        with self.lock:
            self.index = None
            self.results.clear()
            self.cached_hits = 0
            self.searching.forget()
        _live.discard(self)

    def _meta_key(self) -> tuple[int, int, int]:
        st = os.stat(self.path / "meta.json")
        return st.st_ino, st.st_mtime_ns, st.st_size

    def searcher(self) -> tantivy.Searcher:
        """A searcher over the latest commit of any process."""
        key = self._meta_key()
        if key != self.seen:
            with self.lock:
                if key != self.seen:
                    # this order matters: a search reads ``seen``, then the memo, then the searcher, so one
                    # that read the new ``seen`` has the new commit's memo and searcher
                    self.index.reload()
                    self.searching.forget()
                    self.results.clear()
                    self.cached_hits = 0
                    self.seen = key
        return self.index.searcher()

    def cached_search(self, query: Query,
                      compute: Callable[[tantivy.Searcher, Memo], SearchResult]) -> SearchResult:
        """``compute(searcher, memo)``, or the answer kept from the same query on the same commit.
        The answer is shared: callers read it and never change it."""
        # the commit seen, then its memo, BEFORE taking the searcher: if another thread reloads meanwhile,
        # the answer (maybe from the older searcher) is neither taken from nor kept under the newer commit's
        # entries, and what it remembers goes to the older commit's memo, which nothing reads any more
        seen = self.seen
        memo = self.searching.memo
        searcher = self.searcher()
        key = _query_key(query) if self.cache_size else None
        if key is not None:
            with self.lock:
                hit = self.results.get(key)
                if hit is not None and seen == self.seen:
                    self.results.move_to_end(key)
                    return hit
        result = compute(searcher, memo)
        with self.lock:
            if seen == self.seen and key is not None and len(result.hits) <= RESULT_CACHE_HITS // 8 and key not in self.results:
                self.results[key] = result
                self.cached_hits += len(result.hits)
                while len(self.results) > self.cache_size or self.cached_hits > RESULT_CACHE_HITS:
                    _, old = self.results.popitem(last=False)
                    self.cached_hits -= len(old.hits)
        return result


def _query_key(query: Query) -> tuple:
    """A hashable key holding every part of ``query`` (its filters are frozen dataclasses of tuples)."""
    ranges = tuple(sorted((k, tuple(tuple(b) for b in v)) for k, v in query.range_facets.items()))
    return (query.text, query.filters, query.facets, ranges, query.sort, query.page, query.per_page,
            query.facet_size, query.include_source, query.autocorrect)
