"""Embedded backend: SQLite FTS5, one database file per physical index.

Layout of the directory::

    <name>.alias                     JSON pointer {"physical": ...}, replaced atomically
    <name>_v<version>_<stamp>.sqlite one physical index (WAL mode)

Each physical file holds ``docs`` (one row per document: id, version, one
column per scalar field, min/max of keyword fields for sorting, lat/lon),
``kw`` (one row per keyword value, for filters and GROUP BY facets) and an
FTS5 table ``fts`` whose columns are ``<field>__es`` / ``<field>__en``:
the text already analysed in Python (:mod:`indexing.analysis`), ranked by
bm25 with the field boosts as column weights.

Why: no server to run, readers in many processes (gunicorn workers) never
block one writer thanks to WAL, and a rebuild writes a brand-new file and
then swaps the alias file with ``os.replace`` so readers only ever see a
complete index.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timezone
from itertools import islice
from pathlib import Path
from typing import Any

from . import analysis
from .contract import (
    EARTH_RADIUS_KM,
    AllOf,
    AnyOf,
    BadQuery,
    GeoDistance,
    Hit,
    IndexSpec,
    IndexUnavailable,
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


class EmbeddedBackend:
    """SQLite FTS5 backend living in ``directory`` (created if missing).

    Safe for many reader processes and one writer at a time (SQLite WAL +
    busy timeout); each thread uses its own connections.
    """

    backend_name = "embedded"

    def __init__(self, directory: str | os.PathLike[str], *, busy_timeout: float = 10.0) -> None:
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.busy_timeout = busy_timeout
        self._local = threading.local()
        self._layouts: dict[str, _Layout] = {}

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
            layout = self._layouts[physical] = _Layout(IndexSpec.from_dict(json.loads(raw)))
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
        seen[name] = physical
        conn = self._connect(physical)
        return conn, self._layout(physical, conn)

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
                self._write_batch(conn, layout, batch)

    def _write_batch(self, conn: sqlite3.Connection, layout: _Layout, batch: list[dict[str, Any]]) -> None:
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
                conn.execute(f"INSERT INTO fts (rowid, {', '.join(layout.fts_cols)}) VALUES ({marks})",
                             [rid, *layout.fts_row(doc)])

    def delete(self, index: str, ids: Iterable[str]) -> None:
        conn, _ = self._open(index)
        it = iter(ids)
        while chunk := [str(i) for i in islice(it, 500)]:
            with self._txn(conn, write=True):
                q = f"SELECT rid FROM docs WHERE id IN ({','.join('?' * len(chunk))})"
                rids = [(r[0],) for r in conn.execute(q, chunk)]
                conn.executemany("DELETE FROM kw WHERE doc = ?", rids)
                conn.executemany("DELETE FROM fts WHERE rowid = ?", rids)
                conn.executemany("DELETE FROM docs WHERE rid = ?", rids)

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
        """
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
        conn, layout = self._open(index)
        spec = layout.spec
        filters, sort = check_query(spec, query)
        words = analysis.query_words(query.text)

        where, params = [], []
        for flt in filters:
            f = spec.field(flt.field)
            assert f is not None
            if isinstance(flt, (AnyOf, AllOf)) and f.type == "boolean":
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
