"""Embedded backend on tantivy (Rust, memory-mapped segments), one directory per physical index.

Layout of the backend directory::

    <name>.alias                     JSON pointer {"physical": ...}, replaced atomically (os.replace)
    <name>_v<version>_<stamp>/       one tantivy index, plus mm_spec.json (the IndexSpec)
    .<physical>.write.lock           flock held by the one process writing to that index
    .<name>.build.lock               flock held while ensure_index or rebuild makes files

Readers: every process opens the index read-only and memory-maps its segments, so the
pages are shared by all worker processes (the kernel's page cache). Before each search a
process compares ``meta.json`` (written atomically by every commit) with what it loaded and
reloads its searcher when it changed, so a commit in any process is visible to the next search.

Results (:mod:`indexing.tantivy_physical`): each process keeps the answers of its recent searches per
physical index (an LRU of at most ``result_cache`` queries and ``RESULT_CACHE_HITS`` hits in all), dropped
whenever the searcher is reloaded,
so a cached answer is always the one the current commit gives (Elasticsearch's shard request cache does the
same, invalidated on refresh). Repeated searches (a landing page, facets while paging back, a refresh) then
cost a dictionary look-up instead of the page search and the aggregations.

Writers: tantivy allows one writer per index; across processes it is serialised by
``.<physical>.write.lock`` (waiting up to ``busy_timeout`` seconds, then
:class:`~indexing.contract.IndexUnavailable` so the caller's outbox keeps the change). Under
the lock the writer re-reads the stored versions (external versioning: an older or equal
version is ignored), deletes the old document, adds the new one and commits.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timezone
from itertools import islice
from pathlib import Path
from typing import Any

import tantivy
from tantivy import Query as TQ

from .contract import (
    Completion,
    IndexSpec,
    IndexUnavailable,
    Query,
    SearchError,
    SearchResult,
    UnknownIndex,
)
from .tantivy_schema import build_schema, id_hash, to_json
from .tantivy_physical import RESULT_CACHE, SPEC_FILE, Physical
from .validation import check_query, normalize_doc

BATCH = 1000
#: Heap of the writer that serves upserts (tantivy's minimum is 15 MB per thread).
UPSERT_HEAP = 20_000_000
REBUILD_HEAP = 200_000_000
#: Documents :meth:`TantivyBackend.rebuild` reads, validates and analyses at a time.
REBUILD_BATCH = 5000
def _stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S%f")


def prepare_batch(spec: IndexSpec, docs: Iterable[Mapping[str, Any]]) -> list[str]:
    """Documents of one rebuild batch, validated and analysed, as :meth:`TantivyBackend.rebuild_prepared`
    adds them (a document repeated in the batch: its highest version). Needs no index, so it runs anywhere."""
    latest: dict[str, dict[str, Any]] = {}
    for doc in map(lambda d: normalize_doc(spec, d), docs):
        if doc["id"] not in latest or doc["version"] > latest[doc["id"]]["version"]:
            latest[doc["id"]] = doc
    return [to_json(spec, doc) for doc in latest.values()]


class TantivyBackend:
    """The embedded search backend (see the module docstring). Thread-safe."""

    backend_name = "embedded"

    def __init__(self, directory: str | os.PathLike[str], *, busy_timeout: float = 10.0,
                 result_cache: int = RESULT_CACHE) -> None:
        self.dir = Path(directory)
        self.result_cache = result_cache
        self.dir.mkdir(parents=True, exist_ok=True)
        self.busy_timeout = busy_timeout
        self._open_lock = threading.RLock()  # re-entered when a rebuild swapped the alias while opening
        self._phys: dict[str, Physical] = {}

    # -- files ---------------------------------------------------------------------

    def _alias_path(self, name: str) -> Path:
        return self.dir / f"{name}.alias"

    def _physical_name(self, name: str) -> str:
        try:
            return json.loads(self._alias_path(name).read_text())["physical"]
        except FileNotFoundError:
            raise UnknownIndex(f"no index named {name!r}") from None
        except (OSError, ValueError, KeyError) as exc:
            raise IndexUnavailable(f"cannot read alias of {name!r}: {exc}") from exc

    # the previous embedded backend's name for it (app start-up housekeeping and tests use it)
    _physical = _physical_name

    def _set_alias(self, name: str, physical: str) -> None:
        tmp = self.dir / f".{name}.alias.{os.getpid()}.{threading.get_ident()}"
        tmp.write_text(json.dumps({"physical": physical}))
        os.replace(tmp, self._alias_path(name))

    def _open(self, name: str, retry: bool = True) -> Physical:
        physical = self._physical_name(name)
        p = self._phys.get(physical)
        if p is None:
            with self._open_lock:
                p = self._phys.get(physical)
                if p is None:
                    try:
                        p = Physical(self.dir / physical, self.result_cache)
                    except (OSError, ValueError) as exc:
                        # a rebuild in another process may have swapped the alias and deleted this physical
                        # index between reading the alias and opening it: read the alias again, once
                        if retry and self._physical_name(name) != physical:
                            return self._open(name, retry=False)
                        if isinstance(exc, FileNotFoundError):
                            raise UnknownIndex(f"physical index {physical!r} is missing") from None
                        raise IndexUnavailable(f"cannot open index {physical!r}: {exc}") from exc
                    # forget physical indexes of this alias the alias no longer names
                    for old in [k for k in self._phys if k.startswith(f"{name}_v") and k != physical]:
                        self._phys.pop(old, None)
                    self._phys[physical] = p
        return p

    def _create_physical(self, spec: IndexSpec) -> str:
        physical = f"{spec.name}_v{spec.version}_{_stamp()}"
        path = self.dir / physical
        path.mkdir()
        index = tantivy.Index(build_schema(spec), path=str(path), reuse=False)
        w = index.writer(UPSERT_HEAP, 1)
        w.commit()  # an empty first commit: readers can open it at once
        w.wait_merging_threads()
        (path / SPEC_FILE).write_text(json.dumps(spec.to_dict()))
        return physical

    @contextmanager
    def _flock(self, path: Path, wait: float | None) -> Iterator[bool]:
        """flock ``path`` (released by the kernel if the process dies); ``wait`` None = forever,
        0 = try once. Yields whether the lock is held."""
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            deadline = None if wait is None else time.monotonic() + wait
            delay = 0.002
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait is None else fcntl.LOCK_NB))
                    break
                except BlockingIOError:
                    if deadline is None or time.monotonic() >= deadline:
                        yield False
                        return
                    time.sleep(delay)
                    delay = min(delay * 2, 0.05)
            yield True
        finally:
            os.close(fd)

    @contextmanager
    def _build_lock(self, name: str, wait: bool = True) -> Iterator[bool]:
        with self._flock(self.dir / f".{name}.build.lock", None if wait else 0) as held:
            yield held

    @contextmanager
    def _writer(self, p: Physical, heap: int = UPSERT_HEAP) -> Iterator[tuple[tantivy.IndexWriter, tantivy.Searcher]]:
        """The index's one writer, across processes, and a searcher over the latest commit."""
        with self._flock(self.dir / f".{p.path.name}.write.lock", self.busy_timeout) as held:
            if not held:
                raise IndexUnavailable(f"index {p.path.name!r} is locked by another writer")
            if not p.path.exists():
                raise IndexUnavailable(f"index {p.path.name!r} was replaced by a rebuild; retry")
            try:
                writer = p.index.writer(heap, 1)
            except ValueError as exc:
                raise IndexUnavailable(f"cannot open the writer of {p.path.name!r}: {exc}") from exc
            try:
                yield writer, p.searcher()
                writer.commit()
            except BaseException:
                try:
                    writer.rollback()
                except ValueError:
                    pass
                raise
            finally:
                writer.wait_merging_threads()
            p.searcher()  # this process sees its own commit right away

    def _leftovers(self, name: str) -> list[Path]:
        try:
            current = self._physical_name(name)
        except UnknownIndex:
            current = None
        own = re.compile(rf"^{re.escape(name)}_v\d+_\d+$")
        lock = re.compile(rf"^\.({re.escape(name)}_v\d+_\d+)\.write\.lock$")
        temp = re.compile(rf"^\.{re.escape(name)}\.alias\..+$")
        out = []
        for path in self.dir.iterdir():
            m = lock.match(path.name)
            if (own.match(path.name) and path.name != current) or (m and m.group(1) != current) or temp.match(path.name):
                out.append(path)
        return sorted(out)

    def remove_leftovers(self, name: str) -> list[str]:
        """Delete what interrupted builds of ``name`` left; returns the names removed.
        Does nothing while a build of ``name`` runs (in any process)."""
        with self._build_lock(name, wait=False) as free:
            if not free:
                return []
            removed = []
            for path in self._leftovers(name):
                self._remove(path)
                removed.append(path.name)
            return removed

    @staticmethod
    def _remove(path: Path) -> None:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)  # readers keep their memory maps (POSIX)
        else:
            try:
                path.unlink()
            except FileNotFoundError:
                pass

    # -- contract: writes ----------------------------------------------------------

    def ensure_index(self, spec: IndexSpec) -> None:
        """Create the index and its alias if missing. Never migrates: a new spec version takes :meth:`rebuild`."""
        if self._alias_path(spec.name).exists():
            return
        with self._build_lock(spec.name):
            if self._alias_path(spec.name).exists():
                return
            physical = self._create_physical(spec)
            tmp = self.dir / f".{spec.name}.alias.new.{os.getpid()}"
            tmp.write_text(json.dumps({"physical": physical}))
            try:  # link() fails if another process created the alias first
                os.link(tmp, self._alias_path(spec.name))
            except FileExistsError:
                self._remove(self.dir / physical)
            finally:
                tmp.unlink()

    def upsert(self, index: str, docs: Iterable[Mapping[str, Any]]) -> None:
        """Insert or replace documents; a version not newer than the stored one is ignored."""
        p = self._open(index)
        it = iter(docs)
        while batch := [normalize_doc(p.spec, d) for d in islice(it, BATCH)]:
            latest: dict[str, dict[str, Any]] = {}
            for doc in batch:  # within a batch, too, the highest version wins
                if doc["id"] not in latest or doc["version"] > latest[doc["id"]]["version"]:
                    latest[doc["id"]] = doc
            try:
                with self._writer(p) as (writer, searcher):
                    stored = self._stored_versions(p, searcher, list(latest))
                    for doc in latest.values():
                        old = stored.get(doc["id"])
                        if old is not None and old >= doc["version"]:
                            continue
                        if old is not None:
                            writer.delete_documents_by_term("id", doc["id"])
                        writer.add_json(to_json(p.spec, doc))
            except (OSError, ValueError) as exc:
                raise IndexUnavailable(f"embedded index write failed: {exc}") from exc

    @staticmethod
    def _stored_versions(p: Physical, searcher: tantivy.Searcher, ids: list[str]) -> dict[str, int]:
        by_hash = {id_hash(i): i for i in ids}
        q = TQ.term_set_query(p.schema, "_h", list(by_hash))
        addrs = [a for _, a in searcher.search(q, max(1, len(ids)), count=False).hits]
        if not addrs:
            return {}
        hashes = searcher.fast_field_values("_h", addrs)
        versions = searcher.fast_field_values("version", addrs)
        return {by_hash[h]: v for h, v in zip(hashes, versions) if h in by_hash}

    def delete(self, index: str, ids: Iterable[str]) -> None:
        p = self._open(index)
        it = iter(ids)
        while chunk := [str(i) for i in islice(it, BATCH)]:
            try:
                with self._writer(p) as (writer, _):
                    for doc_id in chunk:
                        writer.delete_documents_by_term("id", doc_id)
            except (OSError, ValueError) as exc:
                raise IndexUnavailable(f"embedded index write failed: {exc}") from exc

    def rebuild(self, spec: IndexSpec, docs: Iterable[Mapping[str, Any]],
                progress: Callable[[int], None] | None = None) -> str:
        """Build a new physical index from ``docs``, swap the alias to it, delete the old one."""
        it = iter(docs)

        def batches() -> Iterator[tuple[int, list[str]]]:
            while chunk := list(islice(it, REBUILD_BATCH)):
                yield len(chunk), prepare_batch(spec, chunk)
        return self.rebuild_prepared(spec, batches(), progress)

    def rebuild_prepared(self, spec: IndexSpec, batches: Iterable[tuple[int, list[str]]],
                         progress: Callable[[int], None] | None = None) -> str:
        """:meth:`rebuild` from batches of (documents read, their :func:`prepare_batch`), which may have
        been prepared in other processes (the analysis is most of a rebuild's work): the one writer, the
        alias swap and the removal of the old index stay here."""
        with self._build_lock(spec.name):
            for path in self._leftovers(spec.name):  # what a killed rebuild left
                self._remove(path)
            physical = self._create_physical(spec)
            path = self.dir / physical
            writer = None
            try:
                index = tantivy.Index.open(str(path))
                writer = index.writer(REBUILD_HEAP, 1)
                count = 0
                for read, prepared in batches:
                    for doc in prepared:
                        writer.add_json(doc)
                    count += read
                    if progress:
                        progress(count)
                writer.commit()
                writer.wait_merging_threads()
            except BaseException:
                self._abandon(writer)
                writer = index = None
                self._remove(path)
                raise
            try:
                old = self._physical_name(spec.name)
            except UnknownIndex:
                old = None
            self._set_alias(spec.name, physical)
            if old and old != physical:
                self._remove(self.dir / old)
                self._remove(self.dir / f".{old}.write.lock")
            return physical

    @staticmethod
    def _abandon(writer) -> None:
        """Roll back a failed rebuild's writer and join its threads, so none writes into the files removed next."""
        if writer is None:
            return
        try:
            writer.rollback()
            writer.wait_merging_threads()
        except (OSError, ValueError, RuntimeError):
            pass  # already consumed by wait_merging_threads (the failure came after it)

    # -- contract: reads -----------------------------------------------------------

    def _reading(self, index: str, read):
        """``read(physical)`` on the index the alias names; if a rebuild in another process swapped
        the alias and deleted the physical index between reading the alias and searching it, the
        alias is read again once (a reader never sees a half-swapped index, only the old or the new)."""
        p = self._open(index)
        try:
            return read(p)
        except FileNotFoundError:
            self._phys.pop(p.path.name, None)
            return read(self._open(index))

    def search(self, index: str, query: Query) -> SearchResult:
        def read(p):
            filters, sort = check_query(p.spec, query)
            return p.cached_search(query, lambda searcher, memo: p.searching.search(searcher, query, filters,
                                                                                         sort, memo))
        try:
            return self._reading(index, read)
        except SearchError:
            raise
        except (OSError, ValueError) as exc:
            raise IndexUnavailable(f"embedded search failed: {exc}") from exc

    def complete(self, index: str, prefix: str, size: int = 10) -> list[Completion]:
        size = max(1, min(int(size), 50))
        try:
            return self._reading(index, lambda p: p.searching.complete(p.searcher(), prefix, size))
        except SearchError:
            raise
        except (OSError, ValueError) as exc:
            raise IndexUnavailable(f"embedded completion failed: {exc}") from exc

    def versions(self, index: str) -> dict[str, int]:
        p = self._open(index)
        searcher = p.searcher()
        n = searcher.num_docs
        if not n:
            return {}
        addrs = [a for _, a in searcher.search(TQ.all_query(), n, count=False).hits]
        versions = searcher.fast_field_values("version", addrs)
        return {searcher.doc(a).get_first("id"): v for a, v in zip(addrs, versions)}

    def built_spec(self, index: str) -> IndexSpec:
        physical = self._physical_name(index)
        try:
            return IndexSpec.from_dict(json.loads((self.dir / physical / SPEC_FILE).read_text()))
        except FileNotFoundError:
            raise UnknownIndex(f"physical index {physical!r} is missing") from None
        except (OSError, ValueError, KeyError) as exc:
            raise IndexUnavailable(f"cannot read the spec of {physical!r}: {exc}") from exc

    def health(self) -> dict[str, Any]:
        out: dict[str, Any] = {"backend": self.backend_name, "engine": "tantivy", "ok": True,
                               "path": str(self.dir), "indexes": {}}
        try:
            for alias in sorted(self.dir.glob("*.alias")):
                p = self._open(alias.stem)
                out["indexes"][alias.stem] = {"physical": p.path.name, "docs": p.searcher().num_docs}
        except (OSError, ValueError, SearchError) as exc:
            out.update(ok=False, error=str(exc))
        return out

    def close(self) -> None:
        """Close every index this backend opened (a later call opens them again)."""
        with self._open_lock:
            phys, self._phys = list(self._phys.values()), {}
        for p in phys:
            p.close()
