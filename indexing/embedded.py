"""Embedded backend: SQLite FTS5, one database file per physical index.

Layout of the directory::

    <name>.alias                     JSON pointer {"physical": ...}, replaced atomically
    <name>_v<version>_<stamp>.sqlite one physical index (WAL mode)
    .<name>.build.lock               held (flock) while a rebuild or ensure_index writes files

Each physical file holds ``docs`` (one row per document: id, version, one
column per scalar field, min/max of keyword fields for sorting, lat/lon),
``kw`` (one row per keyword value, for filters and GROUP BY facets) and an
FTS5 table ``fts`` whose columns are ``<field>__es`` / ``<field>__en``:
the text already analysed in Python (:mod:`indexing.analysis`), ranked by
bm25 with the field boosts as column weights.

Why: no server to run, readers in many processes (gunicorn workers) never
block one writer thanks to WAL, and a rebuild writes a brand-new file and
then swaps the alias file with ``os.replace`` so readers only ever see a
complete index. A rebuild killed mid-way leaves its partial file behind; the
next rebuild, or :meth:`EmbeddedBackend.remove_leftovers` at start-up, deletes
every physical file the alias does not name, but only while no build holds the
lock, so a rebuild running in another process is never disturbed.
"""

from __future__ import annotations

import fcntl
import json
import math
import os
import re
import sqlite3
import threading
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timezone
from bisect import bisect_left
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np

from . import analysis
from .contract import (
    EARTH_RADIUS_KM,
    AllOf,
    AnyOf,
    GeoDistance,
    Completion,
    Hit,
    IndexSpec,
    IndexUnavailable,
    NoneOf,
    Query,
    Range,
    SearchResult,
    UnknownIndex,
    bucket_bounds,
    bucket_key,
    check_query,
    normalize_doc,
)

BATCH = 1000
#: Change log read by the in-memory search snapshots of every process (see ``_Snapshot``).
CHANGES_DDL = "CREATE TABLE IF NOT EXISTS changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, rid INTEGER NOT NULL)"
#: Change-log rows kept; a reader further behind than this reloads its snapshot fully.
CHANGES_KEPT = 100_000


_SRC_DDL = "CREATE TABLE IF NOT EXISTS src (id TEXT PRIMARY KEY, data TEXT NOT NULL)"  # TEMP shim


def _edits(a: str, b: str) -> int:
    """Damerau-Levenshtein (adjacent transpositions) distance; TEMP shim."""
    prev2, prev = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
            if prev2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def _stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S%f")


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _fts_quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


class _Layout:
    """Column names and SQL for one spec (kept apart from the backend state)."""

    def __init__(self, spec: IndexSpec) -> None:
        self.spec = spec
        self.text = spec.of_type("text")
        self.fts_cols = [f"{f.name}__{lang}" for f in self.text for lang in ("es", "en")]
        self.weights = [f.boost for f in self.text for _ in ("es", "en")]
        self.kw_no = {f.name: i for i, f in enumerate(spec.fields) if f.type == "keyword"}
        #: The file has the change log and per-doc term ids the in-memory search needs (files
        #: written by older code do not: they are searched in SQL until rebuilt).
        self.memory = True

    def schema(self) -> list[str]:
        cols = ["rid INTEGER PRIMARY KEY", "id TEXT NOT NULL UNIQUE", "version INTEGER NOT NULL"]
        indexes = []
        for f in self.spec.fields:
            if f.type in ("integer", "date", "boolean"):
                cols.append(f"f_{f.name} INTEGER")
                indexes.append(f"CREATE INDEX docs_{f.name} ON docs(f_{f.name})")
            elif f.type == "float":
                cols.append(f"f_{f.name} REAL")
                indexes.append(f"CREATE INDEX docs_{f.name} ON docs(f_{f.name})")
            elif f.type == "keyword":
                cols += [f"f_{f.name}_min TEXT", f"f_{f.name}_max TEXT"]
            elif f.type == "geo_point":
                cols += [f"f_{f.name}_lat REAL", f"f_{f.name}_lon REAL"]
                indexes.append(f"CREATE INDEX docs_{f.name}_geo ON docs(f_{f.name}_lat, f_{f.name}_lon)")
        fts_cols = ", ".join(self.fts_cols or ["_none"])
        return [
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            f"CREATE TABLE docs ({', '.join(cols)})",
            *indexes,
            "CREATE TABLE kw (doc INTEGER NOT NULL, field INTEGER NOT NULL, value TEXT NOT NULL,"
            " PRIMARY KEY (doc, field, value)) WITHOUT ROWID",
            "CREATE INDEX kw_value ON kw(field, value, doc)",
            CHANGES_DDL,
            "CREATE TABLE terms (tid INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE)",
            "CREATE TABLE tdoc (rid INTEGER PRIMARY KEY, data BLOB NOT NULL)",
            f"CREATE VIRTUAL TABLE fts USING fts5({fts_cols}, tokenize = 'unicode61 remove_diacritics 0',"
            " detail = 'full')",
        ]

    def docs_row(self, doc: Mapping[str, Any]) -> dict[str, Any]:
        row: dict[str, Any] = {"id": doc["id"], "version": doc["version"]}
        for f in self.spec.fields:
            v = doc.get(f.name)
            if f.type == "keyword":
                row[f"f_{f.name}_min"] = v[0] if v else None
                row[f"f_{f.name}_max"] = v[-1] if v else None
            elif f.type == "geo_point":
                row[f"f_{f.name}_lat"] = v["lat"] if v else None
                row[f"f_{f.name}_lon"] = v["lon"] if v else None
            elif f.type == "boolean":
                row[f"f_{f.name}"] = None if v is None else int(v)
            elif f.type != "text":
                row[f"f_{f.name}"] = v
        return row

    def fts_row(self, doc: Mapping[str, Any]) -> list[str]:
        out = []
        for f in self.text:
            toks = analysis.words(doc.get(f.name, ""))
            out += [" ".join(analysis.stem_es(toks)), " ".join(analysis.stem_en(toks))]
        return out

    def kw_rows(self, rid: int, doc: Mapping[str, Any]) -> Iterator[tuple[int, int, str]]:
        for name, no in self.kw_no.items():
            for v in doc.get(name, ()):
                yield rid, no, v

    def fts_match(self, words: list[str]) -> str:
        es = " OR ".join(_fts_quote(t) for t in dict.fromkeys(analysis.stem_es(words)))
        en = " OR ".join(_fts_quote(t) for t in dict.fromkeys(analysis.stem_en(words)))
        cols_es = " ".join(c for c in self.fts_cols if c.endswith("__es"))
        cols_en = " ".join(c for c in self.fts_cols if c.endswith("__en"))
        return f"{{{cols_es}}} : ({es}) OR {{{cols_en}}} : ({en})"


# -- in-memory search snapshot ------------------------------------------------------

_SHIFT = 32  # posting keys are (term or value number) << 32 | rowid
_LOW = (1 << _SHIFT) - 1
_K1, _B = 1.2, 0.75  # FTS5's bm25 constants


def _grow(arr: np.ndarray, size: int, fill: Any) -> np.ndarray:
    if len(arr) >= size:
        return arr
    out = np.full(max(size, len(arr) * 5 // 4 + 64), fill, dtype=arr.dtype)
    out[: len(arr)] = arr
    return out


def _merge(keys: np.ndarray, vals: np.ndarray, drop: np.ndarray, new_keys: np.ndarray,
           new_vals: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted posting keys minus rows of the ``drop`` rowid mask, plus new (sorted) keys."""
    keep = ~drop[keys & _LOW]
    keys, vals = keys[keep], vals[keep]
    pos = np.searchsorted(keys, new_keys)
    return np.insert(keys, pos, new_keys), np.insert(vals, pos, new_vals)


class _Snapshot:
    """Columns, keyword postings and text postings of one physical index, in numpy.

    Built from the SQLite file in one read transaction, then patched from the
    ``changes`` log: every search checks ``max(seq)`` (one indexed lookup), so
    a process never answers from data older than the file it just read. FTS5
    stays the source of truth for the analysed text; the postings here are
    only its content split on spaces, scored with the same bm25 as FTS5.
    Patching builds a new object (copy on write), so threads that hold the
    old one keep a consistent view.
    """

    def __init__(self, layout: _Layout) -> None:
        self.layout = layout
        self.seq = 0
        self.size = 0
        self.alive = np.zeros(0, bool)
        self.ids = np.zeros(0, object)
        self.id_rank = np.zeros(0, np.int64)
        self.num: dict[str, np.ndarray] = {}  # integer/float/date/boolean and geo <f>_lat/<f>_lon, NaN = missing
        self.kw_min: dict[str, np.ndarray] = {}  # value number of the min/max keyword, -1 = missing
        self.kw_max: dict[str, np.ndarray] = {}
        self.kw_values: dict[str, list[str]] = {}  # value number -> value
        self.kw_vno: dict[str, dict[str, int]] = {}
        self.kw_keys: dict[str, np.ndarray] = {}  # sorted vno << 32 | rid
        self.kw_rank: dict[str, np.ndarray] = {}  # vno -> rank of the value in sorted order
        self.terms: dict[str, int] = {}
        self.max_tid = 0
        # sorted (term id * FTS columns + column) << 32 | rid, and the term frequency
        self.t_keys = np.zeros(0, np.int64)
        self.t_tf = np.zeros(0, np.int32)
        self.t_stale: np.ndarray | None = None  # base postings of these rowids are outdated
        self.d_keys = np.zeros(0, np.int64)  # delta postings of rowids changed since the last compaction
        self.d_tf = np.zeros(0, np.int32)
        self.sorted_ids: list[str] = []
        self.sorted_ranks: list[int] = []
        self.dlen = np.zeros(0, np.float64)  # tokens in the row, all columns (FTS5's D)
        self.n_alive = 0
        self.tokens = 0.0

    def _copy(self) -> _Snapshot:
        new = _Snapshot.__new__(_Snapshot)
        new.__dict__.update(self.__dict__)
        for name in ("num", "kw_min", "kw_max"):
            setattr(new, name, {k: v.copy() for k, v in getattr(self, name).items()})
        new.kw_values = {k: list(v) for k, v in self.kw_values.items()}
        new.kw_vno = {k: dict(v) for k, v in self.kw_vno.items()}
        new.kw_keys, new.kw_rank = dict(self.kw_keys), dict(self.kw_rank)
        new.terms = dict(self.terms)
        new.alive, new.ids, new.dlen = self.alive.copy(), self.ids.copy(), self.dlen.copy()
        new.id_rank = self.id_rank.copy()
        new.t_stale = None if self.t_stale is None else self.t_stale.copy()
        new.sorted_ids, new.sorted_ranks = list(self.sorted_ids), list(self.sorted_ranks)
        return new

    # -- loading ------------------------------------------------------------------

    @classmethod
    def load(cls, conn: sqlite3.Connection, layout: _Layout, seq: int) -> _Snapshot:
        snap = cls(layout)
        snap.seq = seq
        (top,) = conn.execute("SELECT coalesce(max(rid), 0) FROM docs").fetchone()
        snap._resize(top + 1)
        for name in layout.kw_no:
            snap.kw_values[name], snap.kw_vno[name] = [], {}
            snap.kw_keys[name] = np.zeros(0, np.int64)
        snap._apply(conn, None)
        return snap

    def refreshed(self, conn: sqlite3.Connection, seq: int, rids: list[int]) -> _Snapshot:
        new = self._copy()
        new.seq = seq
        new._apply(conn, rids)
        return new

    def _resize(self, size: int) -> None:
        if size <= self.size:
            return
        self.alive = _grow(self.alive, size, False)
        self.ids = _grow(self.ids, size, None)
        self.dlen = _grow(self.dlen, size, 0.0)
        self.id_rank = _grow(self.id_rank, size, np.iinfo(np.int64).max)
        spec = self.layout.spec
        for f in spec.fields:
            if f.type in ("integer", "float", "date", "boolean"):
                self.num[f.name] = _grow(self.num.get(f.name, np.zeros(0)), size, np.nan)
            elif f.type == "geo_point":
                for part in ("lat", "lon"):
                    key = f"{f.name}_{part}"
                    self.num[key] = _grow(self.num.get(key, np.zeros(0)), size, np.nan)
            elif f.type == "keyword":
                self.kw_min[f.name] = _grow(self.kw_min.get(f.name, np.zeros(0, np.int64)), size, -1)
                self.kw_max[f.name] = _grow(self.kw_max.get(f.name, np.zeros(0, np.int64)), size, -1)
        self.size = len(self.alive)

    def _apply(self, conn: sqlite3.Connection, rids: list[int] | None) -> None:
        """Read every row (``rids`` None) or just ``rids`` (deleted ones included)."""
        layout, spec = self.layout, self.layout.spec
        chunks = [None] if rids is None else [rids[i : i + 500] for i in range(0, len(rids), 500)]

        def rows(sql: str, where: str) -> list[tuple]:
            out: list[tuple] = []
            for chunk in chunks:
                if chunk is None:
                    out += conn.execute(sql).fetchall()
                else:
                    out += conn.execute(f"{sql} WHERE {where} IN ({','.join('?' * len(chunk))})", chunk).fetchall()
            return out

        cols, kinds = ["rid", "id"], []
        for f in spec.fields:
            if f.type in ("integer", "float", "date", "boolean"):
                cols.append(f"f_{f.name}")
                kinds.append(("num", f.name))
            elif f.type == "geo_point":
                cols += [f"f_{f.name}_lat", f"f_{f.name}_lon"]
                kinds += [("num", f"{f.name}_lat"), ("num", f"{f.name}_lon")]
            elif f.type == "keyword":
                cols += [f"f_{f.name}_min", f"f_{f.name}_max"]
                kinds += [("kmin", f.name), ("kmax", f.name)]
        doc_rows = rows(f"SELECT {', '.join(cols)} FROM docs", "rid")
        if rids is None:  # one row per value, its docs as text: far fewer Python objects than a row per pair
            kw_rows = conn.execute("SELECT field, value, group_concat(doc) FROM kw GROUP BY field, value").fetchall()
        else:
            kw_rows = rows("SELECT field, value, doc FROM kw", "doc")
        tdoc_rows = rows("SELECT rid, data FROM tdoc", "rid") if layout.text else []
        for term, tid in conn.execute("SELECT term, tid FROM terms WHERE tid > ?", (self.max_tid,)):
            self.terms[term] = tid
            self.max_tid = max(self.max_tid, tid)

        present = np.array([r[0] for r in doc_rows], np.int64)
        top = max([int(present.max()) if len(present) else 0, *(rids or [0])])
        self._resize(top + 1)
        drop = np.zeros(self.size, bool)
        old_ids = [] if rids is None else self.ids[rids].tolist()
        if rids:
            gone = np.array(rids, np.int64)
            drop[gone] = True
            self.alive[gone] = False
            self.ids[gone] = None
            self.dlen[gone] = 0.0
            for arr in self.num.values():
                arr[gone] = np.nan
            for arr in (*self.kw_min.values(), *self.kw_max.values()):
                arr[gone] = -1
        if len(present):
            columns = list(zip(*doc_rows))
            self.alive[present] = True
            self.ids[present] = columns[1]
            for (kind, name), values in zip(kinds, columns[2:]):
                if kind == "num":
                    self.num[name][present] = np.array(values, np.float64)  # None -> NaN
                else:
                    vno = self.kw_vno[name]
                    for v in values:
                        if v is not None and v not in vno:
                            vno[v] = len(vno)
                            self.kw_values[name].append(v)
                    target = self.kw_min if kind == "kmin" else self.kw_max
                    target[name][present] = [-1 if v is None else vno[v] for v in values]

        # keyword postings
        names = {no: name for name, no in layout.kw_no.items()}
        by_field: dict[int, list[tuple[str, Any]]] = {}
        for field, value, doc in kw_rows:
            by_field.setdefault(field, []).append((value, doc))
        for no, name in names.items():
            pairs = by_field.get(no, [])
            vno = self.kw_vno[name]
            for value, _ in pairs:
                if value not in vno:
                    vno[value] = len(vno)
                    self.kw_values[name].append(value)
            if rids is None:
                parts = [(vno[v] << _SHIFT) | np.array(d.split(","), np.int64) for v, d in pairs]
                new = np.concatenate(parts) if parts else np.zeros(0, np.int64)
            else:
                new = np.array([(vno[v] << _SHIFT) | d for v, d in pairs], np.int64)
            new.sort()
            if rids is None:
                self.kw_keys[name] = new
            else:
                self.kw_keys[name], _ = _merge(self.kw_keys[name], self.kw_keys[name], drop, new, new)
            values = self.kw_values[name]
            rank = np.empty(len(values), np.int64)
            rank[sorted(range(len(values)), key=values.__getitem__)] = np.arange(len(values))
            self.kw_rank[name] = rank

        # text postings, from the per-doc term ids written beside FTS5 (table tdoc)
        if layout.text:
            trids = np.array([r[0] for r in tdoc_rows], np.int64)
            lens = np.fromiter((len(r[1]) // 8 for r in tdoc_rows), np.int64, len(tdoc_rows))
            pairs = np.frombuffer(b"".join(r[1] for r in tdoc_rows), np.int32).reshape(-1, 2)
            docs = np.repeat(trids, lens)
            keys = (pairs[:, 0].astype(np.int64) << _SHIFT) | docs
            order = np.argsort(keys)
            keys, tf = keys[order], pairs[order, 1].copy()
            self.dlen += np.bincount(docs, weights=pairs[:, 1], minlength=self.size)[: self.size]
            if rids is None:
                self.t_keys, self.t_tf = keys, tf
            else:  # changed docs go to a small delta; their base postings are masked as stale
                self.t_stale = _grow(self.t_stale, self.size, False) if self.t_stale is not None \
                    else np.zeros(self.size, bool)
                self.t_stale[drop] = True
                self.d_keys, self.d_tf = _merge(self.d_keys, self.d_tf, drop, keys, tf)
                if len(self.d_keys) > max(50_000, len(self.t_keys) // 20):  # compact
                    self.t_keys, self.t_tf = _merge(self.t_keys, self.t_tf, self.t_stale, self.d_keys, self.d_tf)
                    self.d_keys, self.d_tf, self.t_stale = np.zeros(0, np.int64), np.zeros(0, np.int32), None

        alive_ids = np.flatnonzero(self.alive)
        self.n_alive = len(alive_ids)
        self.tokens = float(self.dlen[alive_ids].sum())
        self._rank_ids(rids, old_ids)

    _GAP = 1 << 20

    def _rank_ids(self, rids: list[int] | None, old_ids: list[Any]) -> None:
        """``id_rank``: order of ids (ties break by id), with gaps so new ids rarely force a re-sort."""
        if rids is not None:
            new = [(r, self.ids[r]) for r, old in zip(rids, old_ids) if self.ids[r] is not None and self.ids[r] != old]
            if len(new) <= 100:
                sorted_ids, ranks = self.sorted_ids, self.sorted_ranks
                for rid, doc_id in new:
                    pos = bisect_left(sorted_ids, doc_id)
                    if pos < len(sorted_ids) and sorted_ids[pos] == doc_id:  # a known id (deleted, then re-added)
                        self.id_rank[rid] = ranks[pos]
                        continue
                    lo = ranks[pos - 1] if pos else -self._GAP
                    hi = ranks[pos] if pos < len(ranks) else ranks[-1] + 2 * self._GAP if ranks else self._GAP
                    if hi - lo < 2:
                        break
                    sorted_ids.insert(pos, doc_id)
                    ranks.insert(pos, (lo + hi) // 2)
                    self.id_rank[rid] = ranks[pos]
                else:
                    return
        alive_ids = np.flatnonzero(self.alive).tolist()
        order = sorted(alive_ids, key=self.ids.__getitem__)
        self.sorted_ids = [self.ids[r] for r in order]
        self.sorted_ranks = list(range(0, len(order) * self._GAP, self._GAP))
        self.id_rank = np.full(self.size, np.iinfo(np.int64).max, np.int64)
        self.id_rank[order] = self.sorted_ranks

    # -- searching ----------------------------------------------------------------

    def postings(self, keys: np.ndarray, no: int) -> np.ndarray:
        lo, hi = np.searchsorted(keys, [no << _SHIFT, (no + 1) << _SHIFT])
        return slice(lo, hi)

    def _id_ranks(self, ids: Iterable[str]) -> list[int]:
        """``id_rank`` values of the live documents with these ids (unknown ids are skipped)."""
        out = []
        for doc_id in ids:
            pos = bisect_left(self.sorted_ids, doc_id)
            if pos < len(self.sorted_ids) and self.sorted_ids[pos] == doc_id:
                out.append(self.sorted_ranks[pos])
        return out

    def kw_docs(self, name: str, value: str) -> np.ndarray:
        no = self.kw_vno[name].get(value)
        if no is None:
            return np.zeros(0, np.int64)
        keys = self.kw_keys[name]
        return keys[self.postings(keys, no)] & _LOW

    def text(self, words: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(sorted matching rowids, their -bm25) exactly as the FTS5 query of ``_Layout.fts_match``."""
        layout = self.layout
        score = np.zeros(self.size, np.float64)
        matched = np.zeros(self.size, bool)
        n = self.n_alive
        avgdl = self.tokens / n if n else 1.0
        ncols = len(layout.fts_cols)
        for lang, stem in (("es", analysis.stem_es), ("en", analysis.stem_en)):
            cols = [c for c, name in enumerate(layout.fts_cols) if name.endswith("__" + lang)]
            for term in dict.fromkeys(stem(words)):
                no = self.terms.get(term)
                if no is None:
                    continue
                freq = np.zeros(self.size, np.float64)
                hit = np.zeros(self.size, bool)
                for c in cols:
                    for keys, tfs, stale in ((self.t_keys, self.t_tf, self.t_stale), (self.d_keys, self.d_tf, None)):
                        sl = self.postings(keys, no * ncols + c)
                        docs, tf = keys[sl] & _LOW, tfs[sl]
                        if stale is not None:
                            fresh = ~stale[docs]
                            docs, tf = docs[fresh], tf[fresh]
                        freq[docs] += tf * layout.weights[c]
                        hit[docs] = True
                docs = np.flatnonzero(hit)
                if not len(docs):
                    continue
                idf = math.log((n - len(docs) + 0.5) / (len(docs) + 0.5))
                if idf <= 0:
                    idf = 1e-6
                f = freq[docs]
                score[docs] += idf * (f * (_K1 + 1.0)) / (f + _K1 * (1 - _B + _B * self.dlen[docs] / avgdl))
                matched[docs] = True
        docs = np.flatnonzero(matched)
        return docs, score[docs]

    def search(self, query: Query, filters: list[Any], sort: Any, words: list[str]) -> SearchResult:
        spec = self.layout.spec
        mask = self.alive.copy()
        for flt in filters:
            if isinstance(flt, NoneOf) and flt.field == "id":
                mask &= ~np.isin(self.id_rank, self._id_ranks(flt.values))
                continue
            f = spec.field(flt.field)
            assert f is not None
            if isinstance(flt, NoneOf):
                for v in flt.values:
                    mask[self.kw_docs(f.name, v)] = False
            elif isinstance(flt, (AnyOf, AllOf)) and f.type == "boolean":
                vals = {int(v) for v in flt.values}
                if isinstance(flt, AllOf) and len(vals) > 1:
                    mask[:] = False
                else:
                    mask &= np.isin(self.num[f.name], list(vals))
            elif isinstance(flt, AnyOf):
                m = np.zeros(self.size, bool)
                for v in flt.values:
                    m[self.kw_docs(f.name, v)] = True
                mask &= m
            elif isinstance(flt, AllOf):
                for v in flt.values:
                    m = np.zeros(self.size, bool)
                    m[self.kw_docs(f.name, v)] = True
                    mask &= m
            elif isinstance(flt, Range):
                col = self.num[f.name]
                with np.errstate(invalid="ignore"):
                    if flt.gte is not None:
                        mask &= col >= flt.gte
                    if flt.lte is not None:
                        mask &= col <= flt.lte
            elif isinstance(flt, GeoDistance):
                lat, lon = self.num[f"{f.name}_lat"], self.num[f"{f.name}_lon"]
                (la0, la1), lon_box = _geo_box(flt)
                with np.errstate(invalid="ignore"):
                    mask &= (lat >= la0) & (lat <= la1)
                    if lon_box:
                        mask &= (lon >= lon_box[0]) & (lon <= lon_box[1])
                cand = np.flatnonzero(mask)
                mask[cand[_haversine_np(flt.lat, flt.lon, lat[cand], lon[cand]) > flt.km]] = False

        if words:
            docs, scores = self.text(words)
            keep = mask[docs]
            hits, scores = docs[keep], scores[keep]
        else:
            hits = np.flatnonzero(mask)
            scores = np.zeros(len(hits))
        total = len(hits)
        offset = (query.page - 1) * query.per_page
        out: list[Hit] = []
        if offset < total:
            ranks = self.id_rank[hits]
            if sort.field is None:
                primary = -scores if words else ranks
            elif sort.field == "id":
                primary = -ranks if sort.descending else ranks
            else:
                if sort.type == "keyword":
                    vno = (self.kw_max if sort.descending else self.kw_min)[sort.field][hits]
                    rank = self.kw_rank[sort.field]
                    col = np.where(vno >= 0, rank[np.maximum(vno, 0)], np.nan) if len(rank) else np.full(total, np.nan)
                else:
                    col = self.num[sort.field][hits]
                primary = np.where(np.isnan(col), np.inf, -col if sort.descending else col)
            k = offset + query.per_page
            sel = np.arange(total)
            if total > 2 * k:  # keep the k best (and everything tied with the k-th), then sort those
                kth = np.partition(primary, k - 1)[k - 1]
                sel = np.flatnonzero(primary <= kth)
            order = sel[np.lexsort((ranks[sel], primary[sel]))][offset:k]
            out = [Hit(i, float(s)) for i, s in zip(self.ids[hits[order]].tolist(), scores[order].tolist())]
        return SearchResult(total, out, self.facets(query, hits))

    def facets(self, query: Query, hits: np.ndarray) -> dict[str, dict[str, int]]:
        spec = self.layout.spec
        out: dict[str, dict[str, int]] = {}
        chosen = None
        for name in query.facets:
            f = spec.field(name)
            assert f is not None
            if f.type == "boolean":
                col = self.num[name][hits]
                counts = [("true", int((col == 1).sum())), ("false", int((col == 0).sum()))]
            else:
                if chosen is None:
                    chosen = np.zeros(self.size, bool)
                    chosen[hits] = True
                keys = self.kw_keys[name]
                values = self.kw_values[name]
                sel = keys[chosen[keys & _LOW]]
                n = np.bincount(sel >> _SHIFT, minlength=len(values)) if len(sel) else np.zeros(len(values), np.int64)
                nz = np.flatnonzero(n)
                counts = [(values[i], int(n[i])) for i in nz.tolist()]
            counts = [c for c in counts if c[1] > 0]
            counts.sort(key=lambda c: (-c[1], c[0]))
            out[name] = dict(counts[: query.facet_size])
        for name, buckets in query.range_facets.items():
            f = spec.field(name)
            assert f is not None
            col = self.num[name][hits]
            col = col[~np.isnan(col)]
            res = {}
            for lo, hi in buckets:
                lo_n, hi_n = bucket_bounds(f.type, lo, hi)
                m = np.ones(len(col), bool)
                if lo_n is not None:
                    m &= col >= lo_n
                if hi_n is not None:
                    m &= col < hi_n
                res[bucket_key(lo, hi)] = int(m.sum())
            out[name] = res
        return out


def _geo_box(flt: GeoDistance) -> tuple[tuple[float, float], tuple[float, float] | None]:
    """Latitude bounds and (unless it would cross the antimeridian) longitude bounds around the circle."""
    dlat = math.degrees(flt.km / EARTH_RADIUS_KM)
    coslat = math.cos(math.radians(min(89.9, abs(flt.lat) + dlat)))
    dlon = 180.0 if coslat < 1e-6 else math.degrees(flt.km / (EARTH_RADIUS_KM * coslat))
    lon_box = (flt.lon - dlon, flt.lon + dlon) if dlon < 180 and abs(flt.lon) + dlon < 180 else None
    return (flt.lat - dlat, flt.lat + dlat), lon_box


def _haversine_np(lat1: float, lon1: float, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    p1, p2 = math.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    a = np.sin(dp / 2) ** 2 + math.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))


class EmbeddedBackend:
    """SQLite FTS5 backend living in ``directory`` (created if missing).

    Safe for many reader processes and one writer at a time (SQLite WAL +
    busy timeout); each thread uses its own connections.
    """

    backend_name = "embedded"

    def __init__(self, directory: str | os.PathLike[str], *, busy_timeout: float = 10.0,
                 engine: str = "memory") -> None:
        if engine not in ("memory", "sql"):
            raise ValueError("engine must be 'memory' or 'sql'")
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.busy_timeout = busy_timeout
        self.engine = engine
        self._local = threading.local()
        self._layouts: dict[str, _Layout] = {}
        self._snaps: dict[str, _Snapshot] = {}
        self._snap_lock = threading.Lock()
        self._has_log: set[str] = set()

    # -- files and connections ----------------------------------------------------

    def _alias_path(self, name: str) -> Path:
        return self.dir / f"{name}.alias"

    def _physical(self, name: str) -> str:
        try:
            return json.loads(self._alias_path(name).read_text())["physical"]
        except FileNotFoundError:
            raise UnknownIndex(f"no index named {name!r}") from None
        except (OSError, ValueError, KeyError) as exc:
            raise IndexUnavailable(f"cannot read alias of {name!r}: {exc}") from exc

    def _set_alias(self, name: str, physical: str) -> None:
        tmp = self.dir / f".{name}.alias.{os.getpid()}.{threading.get_ident()}"
        tmp.write_text(json.dumps({"physical": physical}))
        os.replace(tmp, self._alias_path(name))  # atomic on POSIX and Windows

    def _connect(self, physical: str) -> sqlite3.Connection:
        conns: dict[str, sqlite3.Connection] = self._local.__dict__.setdefault("conns", {})
        conn = conns.get(physical)
        if conn is None:
            path = self.dir / f"{physical}.sqlite"
            if not path.exists():
                raise UnknownIndex(f"physical index {physical!r} is missing")
            conn = sqlite3.connect(path, timeout=self.busy_timeout, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA temp_store=MEMORY")
            conn.execute("PRAGMA cache_size=-65536")
            conn.execute("PRAGMA mmap_size=268435456")
            conn.create_function("mm_km", 4, _haversine_km, deterministic=True)
            conns[physical] = conn
        return conn

    @contextmanager
    def _txn(self, conn: sqlite3.Connection, write: bool) -> Iterator[sqlite3.Connection]:
        try:
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            raise IndexUnavailable(f"embedded index busy or unreadable: {exc}") from exc

    def _layout(self, physical: str, conn: sqlite3.Connection) -> _Layout:
        layout = self._layouts.get(physical)
        if layout is None:
            (raw,) = conn.execute("SELECT value FROM meta WHERE key = 'spec'").fetchone()
            layout = _Layout(IndexSpec.from_dict(json.loads(raw)))
            layout.memory = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'tdoc'").fetchone() is not None
            self._layouts[physical] = layout
        return layout

    def _open(self, name: str) -> tuple[sqlite3.Connection, _Layout]:
        physical = self._physical(name)
        seen: dict[str, str] = self._local.__dict__.setdefault("aliases", {})
        previous = seen.get(name)
        if previous and previous != physical:  # the alias moved on: drop the old file's connection
            old = self._local.__dict__.get("conns", {}).pop(previous, None)
            if old is not None:
                old.close()
            self._layouts.pop(previous, None)
            self._snaps.pop(previous, None)
        seen[name] = physical
        conn = self._connect(physical)
        return conn, self._layout(physical, conn)

    def _snapshot(self, conn: sqlite3.Connection, layout: _Layout, physical: str) -> _Snapshot | None:
        """The up-to-date in-memory snapshot of ``physical`` (None: file has no change log yet)."""
        with self._txn(conn, write=False):
            if physical not in self._has_log:
                if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'changes'").fetchone():
                    return None
                self._has_log.add(physical)
            (seq,) = conn.execute("SELECT max(seq) FROM changes").fetchone()
            seq = seq or 0
            snap = self._snaps.get(physical)
            if snap is not None and snap.seq >= seq:
                return snap
            with self._snap_lock:
                snap = self._snaps.get(physical)
                if snap is not None and snap.seq >= seq:  # another thread refreshed it meanwhile
                    return snap
                rids: list[int] | None = None
                if snap is not None:
                    (low,) = conn.execute("SELECT min(seq) FROM changes").fetchone()
                    if low is not None and low <= snap.seq + 1:  # the log still covers what we missed
                        rids = [r for (r,) in conn.execute("SELECT DISTINCT rid FROM changes WHERE seq > ?", (snap.seq,))]
                        if len(rids) > max(2000, snap.n_alive // 10):
                            rids = None
                snap = _Snapshot.load(conn, layout, seq) if snap is None or rids is None else snap.refreshed(conn, seq, rids)
                self._snaps[physical] = snap
                return snap

    def _create_physical(self, spec: IndexSpec) -> tuple[str, sqlite3.Connection]:
        physical = f"{spec.name}_v{spec.version}_{_stamp()}"
        conn = sqlite3.connect(self.dir / f"{physical}.sqlite", timeout=self.busy_timeout, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("BEGIN")
        for stmt in _Layout(spec).schema():
            conn.execute(stmt)
        conn.execute("INSERT INTO meta VALUES ('spec', ?)", (json.dumps(spec.to_dict()),))
        conn.execute("COMMIT")
        return physical, conn

    @contextmanager
    def _build_lock(self, name: str, wait: bool = True) -> Iterator[bool]:
        """Hold ``.<name>.build.lock`` (flock: released by the kernel if the process dies).
        Yields False, without waiting, if ``wait`` is off and another build holds it."""
        fd = os.open(self.dir / f".{name}.build.lock", os.O_CREAT | os.O_RDWR, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
            yield True
        finally:
            os.close(fd)  # closing releases the lock

    def _leftovers(self, name: str) -> list[Path]:
        """Files of index ``name`` that the alias does not name: partial builds, stale alias temp files.
        Only meaningful while holding the build lock."""
        try:
            current = self._physical(name)
        except UnknownIndex:
            current = None
        own = re.compile(rf"^{re.escape(name)}_v\d+_\d+\.sqlite(-wal|-shm|-journal)?$")
        temp = re.compile(rf"^\.{re.escape(name)}\.alias\..+$")
        out = []
        for path in self.dir.iterdir():
            if own.match(path.name) and path.name.split(".sqlite")[0] != current:
                out.append(path)
            elif temp.match(path.name):
                out.append(path)
        return sorted(out)

    def remove_leftovers(self, name: str) -> list[str]:
        """Delete what interrupted builds of ``name`` left; returns the file names removed.
        Does nothing while a build of ``name`` runs (in any process)."""
        with self._build_lock(name, wait=False) as free:
            if not free:
                return []
            removed = []
            for path in self._leftovers(name):
                try:
                    path.unlink()
                    removed.append(path.name)
                except FileNotFoundError:
                    pass
            return removed

    def _remove_physical(self, physical: str) -> None:
        for suffix in (".sqlite", ".sqlite-wal", ".sqlite-shm"):
            try:
                (self.dir / f"{physical}{suffix}").unlink()
            except FileNotFoundError:
                pass

    # -- contract -----------------------------------------------------------------

    def ensure_index(self, spec: IndexSpec) -> None:
        """Create the index and its alias if missing. Never migrates: a
        changed spec version takes :meth:`rebuild`."""
        if self._alias_path(spec.name).exists():
            return
        with self._build_lock(spec.name):
            if self._alias_path(spec.name).exists():  # another process made it while we waited
                return
            physical, conn = self._create_physical(spec)
            conn.close()
            try:  # link() fails if another process created the alias first
                tmp = self.dir / f".{spec.name}.alias.new.{os.getpid()}"
                tmp.write_text(json.dumps({"physical": physical}))
                os.link(tmp, self._alias_path(spec.name))
                tmp.unlink()
            except FileExistsError:
                tmp.unlink()
                self._remove_physical(physical)

    def upsert(self, index: str, docs: Iterable[Mapping[str, Any]]) -> None:
        """Insert or replace documents; a version not newer than the stored
        one is ignored (external versioning)."""
        conn, layout = self._open(index)
        it = iter(docs)
        while batch := [normalize_doc(layout.spec, d) for d in islice(it, BATCH)]:
            with self._txn(conn, write=True):
                rids = self._write_batch(conn, layout, batch)
                if layout.memory:
                    self._log_changes(conn, rids)

    @staticmethod
    def _log_changes(conn: sqlite3.Connection, rids: list[int]) -> None:
        """Record changed rowids, in the writing transaction, for the readers' snapshots."""
        if not rids:
            return
        conn.executemany("INSERT INTO changes (rid) VALUES (?)", [(r,) for r in rids])
        conn.execute("DELETE FROM changes WHERE seq <= (SELECT max(seq) FROM changes) - ?", (CHANGES_KEPT,))

    def _write_batch(self, conn: sqlite3.Connection, layout: _Layout, batch: list[dict[str, Any]]) -> list[int]:
        latest: dict[str, dict[str, Any]] = {}
        for doc in batch:  # within a batch, too, the highest version wins
            if doc["id"] not in latest or doc["version"] > latest[doc["id"]]["version"]:
                latest[doc["id"]] = doc
        ids = list(latest)
        stored: dict[str, tuple[int, int]] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            q = f"SELECT id, rid, version FROM docs WHERE id IN ({','.join('?' * len(chunk))})"
            stored.update((r[0], (r[1], r[2])) for r in conn.execute(q, chunk))
        written, texts = [], []
        conn.execute(_SRC_DDL)  # TEMP shim: stored sources for include_source / complete()
        for doc in latest.values():
            old = stored.get(doc["id"])
            if old and old[1] >= doc["version"]:
                continue
            row = layout.docs_row(doc)
            if old:
                rid = old[0]
                conn.execute("DELETE FROM kw WHERE doc = ?", (rid,))
                conn.execute("DELETE FROM fts WHERE rowid = ?", (rid,))
                sets = ", ".join(f"{k} = :{k}" for k in row)
                conn.execute(f"UPDATE docs SET {sets} WHERE rid = :rid", {**row, "rid": rid})
            else:
                cols = ", ".join(row)
                rid = conn.execute(
                    f"INSERT INTO docs ({cols}) VALUES ({', '.join(':' + k for k in row)})", row
                ).lastrowid
            conn.executemany("INSERT INTO kw VALUES (?, ?, ?)", layout.kw_rows(rid, doc))
            if layout.text:
                marks = ", ".join("?" * (len(layout.fts_cols) + 1))
                fts = layout.fts_row(doc)
                conn.execute(f"INSERT INTO fts (rowid, {', '.join(layout.fts_cols)}) VALUES ({marks})", [rid, *fts])
                texts.append((rid, fts))
            written.append(rid)
            conn.execute("INSERT OR REPLACE INTO src VALUES (?, ?)", (doc["id"], json.dumps(doc)))
        if layout.memory and texts:
            self._write_term_ids(conn, layout, texts)
        return written

    @staticmethod
    def _write_term_ids(conn: sqlite3.Connection, layout: _Layout, texts: list[tuple[int, list[str]]]) -> None:
        """Per doc, the analysed text as int32 pairs (term id * columns + column, frequency): what
        the in-memory snapshots load instead of re-splitting FTS5 content."""
        counted = [(rid, [Counter(col.split()) for col in cols]) for rid, cols in texts]
        vocab = set().union(*(c for _, cols in counted for c in cols))
        tids: dict[str, int] = {}
        words = list(vocab)
        for i in range(0, len(words), 500):
            chunk = words[i : i + 500]
            tids.update(conn.execute(f"SELECT term, tid FROM terms WHERE term IN ({','.join('?' * len(chunk))})", chunk))
        for w in words:
            if w not in tids:
                tids[w] = conn.execute("INSERT INTO terms (term) VALUES (?)", (w,)).lastrowid
        ncols = len(layout.fts_cols)
        rows = []
        for rid, cols in counted:
            data = array("i")
            for c, counts in enumerate(cols):
                for w, n in counts.items():
                    data.append(tids[w] * ncols + c)
                    data.append(n)
            rows.append((rid, data.tobytes()))
        conn.executemany("INSERT OR REPLACE INTO tdoc (rid, data) VALUES (?, ?)", rows)

    def delete(self, index: str, ids: Iterable[str]) -> None:
        conn, layout = self._open(index)
        it = iter(ids)
        while chunk := [str(i) for i in islice(it, 500)]:
            with self._txn(conn, write=True):
                q = f"SELECT rid FROM docs WHERE id IN ({','.join('?' * len(chunk))})"
                rids = [(r[0],) for r in conn.execute(q, chunk)]
                conn.executemany("DELETE FROM kw WHERE doc = ?", rids)
                conn.executemany("DELETE FROM fts WHERE rowid = ?", rids)
                conn.executemany("DELETE FROM docs WHERE rid = ?", rids)
                conn.execute(_SRC_DDL)
                conn.executemany("DELETE FROM src WHERE id = ?", [(i,) for i in chunk])
                if layout.memory:
                    conn.executemany("DELETE FROM tdoc WHERE rid = ?", rids)
                    self._log_changes(conn, [r for (r,) in rids])

    def versions(self, index: str) -> dict[str, int]:
        conn, _ = self._open(index)
        with self._txn(conn, write=False):
            return dict(conn.execute("SELECT id, version FROM docs"))

    def rebuild(
        self,
        spec: IndexSpec,
        docs: Iterable[Mapping[str, Any]],
        progress: Callable[[int], None] | None = None,
    ) -> str:
        """Build a new physical file from ``docs``, then swap the alias.

        Changes upserted into the old index while this runs are not carried
        over: replay them afterwards (compare :meth:`versions` to the DB).
        One build per index at a time (a second waits); it first deletes what
        an interrupted build left behind.
        """
        with self._build_lock(spec.name):
            for path in self._leftovers(spec.name):
                path.unlink(missing_ok=True)
            return self._rebuild_locked(spec, docs, progress)

    def _rebuild_locked(self, spec: IndexSpec, docs: Iterable[Mapping[str, Any]],
                        progress: Callable[[int], None] | None) -> str:
        physical, conn = self._create_physical(spec)
        layout = _Layout(spec)
        try:
            conn.execute("PRAGMA synchronous=OFF")
            count = 0
            it = iter(docs)
            while batch := [normalize_doc(spec, d) for d in islice(it, 5000)]:
                conn.execute("BEGIN")
                self._write_batch(conn, layout, batch)
                conn.execute("COMMIT")
                count += len(batch)
                if progress:
                    progress(count)
            conn.execute("INSERT INTO fts(fts) VALUES ('optimize')")
            conn.execute("ANALYZE")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except BaseException:
            conn.close()
            self._remove_physical(physical)
            raise
        conn.close()
        try:
            old = self._physical(spec.name)
        except UnknownIndex:
            old = None
        self._set_alias(spec.name, physical)
        if old and old != physical:
            self._remove_physical(old)  # open readers keep their file handle (POSIX)
        return physical

    def health(self) -> dict[str, Any]:
        out: dict[str, Any] = {"backend": self.backend_name, "ok": True, "path": str(self.dir), "indexes": {}}
        try:
            for alias in sorted(self.dir.glob("*.alias")):
                name = alias.stem
                conn, _ = self._open(name)
                (n,) = conn.execute("SELECT count(*) FROM docs").fetchone()
                out["indexes"][name] = {"physical": self._physical(name), "docs": n}
        except (sqlite3.Error, OSError, IndexUnavailable, UnknownIndex) as exc:
            out.update(ok=False, error=str(exc))
        return out

    def close(self) -> None:
        for conn in self._local.__dict__.pop("conns", {}).values():
            conn.close()

    # -- search -------------------------------------------------------------------

    def search(self, index: str, query: Query) -> SearchResult:
        """TEMP shim around the engine: sources and a did-you-mean (the tantivy engine replaces this)."""
        result = self._search_engine(index, query)
        conn, _ = self._open(index)
        if query.include_source and result.hits:
            found = self._sources(conn, [h.id for h in result.hits])
            result.hits = [Hit(h.id, h.score, found.get(h.id)) for h in result.hits]
        if result.total == 0 and analysis.query_words(query.text):
            words = analysis.query_words(query.text)
            vocab: set[str] = set()
            for doc in self._all_sources(conn):
                for f in self._layout(self._physical(index), conn).text:
                    vocab.update(analysis.words(doc.get(f.name, "")))
            fixed = [min(vocab, key=lambda v: (_edits(w, v), v)) if vocab else w for w in words]
            fixed = [f if _edits(w, f) <= 2 else w for w, f in zip(words, fixed)]
            if fixed != words:
                text = " ".join(fixed)
                if self._search_engine(index, Query(text=text, filters=query.filters, per_page=1)).total:
                    result.suggestion = text
        return result

    def _sources(self, conn: sqlite3.Connection, ids: list[str]) -> dict[str, dict]:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'src'").fetchone():
            return {}
        q = f"SELECT id, data FROM src WHERE id IN ({','.join('?' * len(ids))})"
        return {i: json.loads(d) for i, d in conn.execute(q, ids)}

    def _all_sources(self, conn: sqlite3.Connection) -> list[dict]:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'src'").fetchone():
            return []
        return [json.loads(d) for (d,) in conn.execute("SELECT data FROM src")]

    def complete(self, index: str, prefix: str, size: int = 10) -> list[Completion]:
        """TEMP shim: a scan of the stored sources (the tantivy engine replaces this)."""
        conn, layout = self._open(index)
        words = analysis.query_words(prefix[:200], limit=8)
        names = [f.name for f in layout.spec.fields if f.complete]
        if not words or not names:
            return []
        found = []
        for doc in self._all_sources(conn):
            for name in names:
                value = doc.get(name)
                for v in [value] if isinstance(value, str) else value or []:
                    own = analysis.words(v)
                    if not any(w.startswith(words[-1]) for w in own):
                        continue
                    if not all(any(_edits(w, o) <= (0 if len(w) < 4 else 1 if len(w) < 8 else 2) for o in own)
                               for w in words[:-1]):
                        continue
                    first = next(i for i, w in enumerate(own) if w.startswith(words[-1]))
                    found.append(((first, len(v), doc["id"]), Completion(doc["id"], name, v)))
        return [c for _, c in sorted(found, key=lambda x: x[0])][:size]

    def _search_engine(self, index: str, query: Query) -> SearchResult:
        conn, layout = self._open(index)
        filters, sort = check_query(layout.spec, query)
        words = analysis.query_words(query.text)
        if self.engine == "memory":
            try:
                snap = self._snapshot(conn, layout, self._local.aliases[index])
            except sqlite3.Error as exc:
                raise IndexUnavailable(f"embedded search failed: {exc}") from exc
            if snap is not None:
                return snap.search(query, filters, sort, words)
        return self._search_sql(conn, layout, query, filters, sort, words)

    def _search_sql(self, conn: sqlite3.Connection, layout: _Layout, query: Query, filters: list[Any],
                    sort: Any, words: list[str]) -> SearchResult:
        """Reference implementation in SQL (``engine="sql"``, and files without a change log)."""
        spec = layout.spec

        where, params = [], []
        for flt in filters:
            if isinstance(flt, NoneOf) and flt.field == "id":
                where.append(f"d.id NOT IN ({','.join('?' * len(flt.values))})")
                params += list(flt.values)
                continue
            f = spec.field(flt.field)
            assert f is not None
            if isinstance(flt, NoneOf):
                where.append(f"d.rid NOT IN (SELECT doc FROM kw WHERE field = ? AND value IN ({','.join('?' * len(flt.values))}))")
                params += [layout.kw_no[f.name], *flt.values]
            elif isinstance(flt, (AnyOf, AllOf)) and f.type == "boolean":
                vals = [int(v) for v in flt.values]
                if isinstance(flt, AllOf) and len(vals) > 1:
                    where.append("0")
                else:
                    where.append(f"d.f_{f.name} IN ({','.join('?' * len(vals))})")
                    params += vals
            elif isinstance(flt, AnyOf):
                where.append(f"d.rid IN (SELECT doc FROM kw WHERE field = ? AND value IN ({','.join('?' * len(flt.values))}))")
                params += [layout.kw_no[f.name], *flt.values]
            elif isinstance(flt, AllOf):
                for v in flt.values:
                    where.append("d.rid IN (SELECT doc FROM kw WHERE field = ? AND value = ?)")
                    params += [layout.kw_no[f.name], v]
            elif isinstance(flt, Range):
                if flt.gte is not None:
                    where.append(f"d.f_{f.name} >= ?")
                    params.append(flt.gte)
                if flt.lte is not None:
                    where.append(f"d.f_{f.name} <= ?")
                    params.append(flt.lte)
            elif isinstance(flt, GeoDistance):
                dlat = math.degrees(flt.km / EARTH_RADIUS_KM)
                coslat = math.cos(math.radians(min(89.9, abs(flt.lat) + dlat)))
                dlon = 180.0 if coslat < 1e-6 else math.degrees(flt.km / (EARTH_RADIUS_KM * coslat))
                lat, lon = f"d.f_{f.name}_lat", f"d.f_{f.name}_lon"
                where.append(f"{lat} BETWEEN ? AND ?")
                params += [flt.lat - dlat, flt.lat + dlat]
                if dlon < 180 and abs(flt.lon) + dlon < 180:  # skip the box across the antimeridian
                    where.append(f"{lon} BETWEEN ? AND ?")
                    params += [flt.lon - dlon, flt.lon + dlon]
                where.append(f"mm_km(?, ?, {lat}, {lon}) <= ?")
                params += [flt.lat, flt.lon, flt.km]

        if words:
            weights = ", ".join(str(w) for w in layout.weights)
            # bm25 sits in the outer query so SQLite only scores rows that pass the filters.
            source = "fts JOIN docs d ON d.rid = fts.rowid"
            where.insert(0, "fts MATCH ?")
            params.insert(0, layout.fts_match(words))
            score = f"-bm25(fts, {weights})"
        else:
            source, score = "docs d", "0.0"
        sql = f"INSERT INTO temp.hits SELECT d.rid, {score} FROM {source}"
        if where:
            sql += " WHERE " + " AND ".join(where)

        if sort.field is None:
            order = "h.score DESC, d.id" if words else "d.id"
        else:
            col = {"keyword": f"d.f_{sort.field}_{'max' if sort.descending else 'min'}"}.get(
                sort.type or "", f"d.f_{sort.field}")
            if sort.field == "id":
                col = "d.id"
            order = f"{col} IS NULL, {col} {'DESC' if sort.descending else 'ASC'}, d.id"

        try:
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS hits (rid INTEGER PRIMARY KEY, score REAL)")
            with self._txn(conn, write=False):
                conn.execute("DELETE FROM temp.hits")
                conn.execute(sql, params)
                (total,) = conn.execute("SELECT count(*) FROM temp.hits").fetchone()
                offset = (query.page - 1) * query.per_page
                hits: list[Hit] = []
                if offset < total:
                    rows = conn.execute(
                        f"SELECT d.id, h.score FROM temp.hits h CROSS JOIN docs d ON d.rid = h.rid"
                        f" ORDER BY {order} LIMIT ? OFFSET ?", (query.per_page, offset))
                    hits = [Hit(i, float(s)) for i, s in rows]
                facets = self._facets(conn, layout, query)
                conn.execute("DELETE FROM temp.hits")
        except sqlite3.OperationalError as exc:
            raise IndexUnavailable(f"embedded search failed: {exc}") from exc
        return SearchResult(total, hits, facets)

    def _facets(self, conn: sqlite3.Connection, layout: _Layout, query: Query) -> dict[str, dict[str, int]]:
        spec = layout.spec
        out: dict[str, dict[str, int]] = {}
        for name in query.facets:
            f = spec.field(name)
            assert f is not None
            if f.type == "boolean":
                rows = conn.execute(
                    f"SELECT CASE d.f_{name} WHEN 1 THEN 'true' ELSE 'false' END AS v, count(*) AS n"
                    f" FROM temp.hits h CROSS JOIN docs d ON d.rid = h.rid WHERE d.f_{name} IS NOT NULL"
                    " GROUP BY v ORDER BY n DESC, v LIMIT ?", (query.facet_size,))
            else:
                rows = conn.execute(
                    # IN (not a join): SQLite then probes kw's primary key per hit instead
                    # of building a Bloom filter over the whole kw table.
                    "SELECT value, count(*) AS n FROM kw WHERE field = ? AND doc IN (SELECT rid FROM temp.hits)"
                    " GROUP BY value ORDER BY n DESC, value LIMIT ?", (layout.kw_no[name], query.facet_size))
            out[name] = dict(rows)
        for name, buckets in query.range_facets.items():
            f = spec.field(name)
            assert f is not None
            exprs, params, keys = [], [], []
            for lo, hi in buckets:
                lo_n, hi_n = bucket_bounds(f.type, lo, hi)
                cond = ["1"]
                if lo_n is not None:
                    cond.append(f"d.f_{name} >= ?")
                    params.append(lo_n)
                if hi_n is not None:
                    cond.append(f"d.f_{name} < ?")
                    params.append(hi_n)
                exprs.append(f"coalesce(sum(d.f_{name} IS NOT NULL AND {' AND '.join(cond)}), 0)")
                keys.append(bucket_key(lo, hi))
            if not exprs:
                out[name] = {}
                continue
            row = conn.execute(
                f"SELECT {', '.join(exprs)} FROM temp.hits h CROSS JOIN docs d ON d.rid = h.rid", params).fetchone()
            out[name] = dict(zip(keys, (int(n) for n in row)))
        return out
