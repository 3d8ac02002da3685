"""The embedded backend's in-memory search (numpy snapshot) gives exactly what its SQL
reference gives: same totals, facets, and (apart from float noise in bm25) the same ranking,
also after upserts and deletes made through another backend object (another process's view)."""

from __future__ import annotations

import random

import pytest
from indexing_fixtures import AGS, GDL, SPEC

from indexing import AllOf, AnyOf, GeoDistance, Query, Range, open_backend

WORDS = ("pantalones mezclilla stretch dama lavado láser lavandería industrial stone wash jeans denim "
         "sewing confección corte tela camisas bordado serigrafía finishing packing calidad taller").split()
PROCS = ["cutting", "sewing", "laundry", "finishing", "design", "printing"]
STATES = ["Jalisco", "Aguascalientes", "Guanajuato", "Yucatán"]


def _docs(n: int, seed: int, version: int = 1) -> list[dict]:
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        doc = {"id": f"r{rnd.randint(0, n * 2)}", "version": version,
               "name": " ".join(rnd.choices(WORDS, k=2)),
               "description": " ".join(rnd.choices(WORDS, k=rnd.randint(0, 12)))}
        if rnd.random() < 0.9:
            doc["processes"] = rnd.sample(PROCS, rnd.randint(0, 3))
        if rnd.random() < 0.8:
            doc["state"] = rnd.choice(STATES)
        if rnd.random() < 0.8:
            doc["headcount"] = rnd.randint(1, 60)
        if rnd.random() < 0.7:
            doc["monthly_capacity"] = float(rnd.randint(0, 5)) * 1000
        if rnd.random() < 0.8:
            base = rnd.choice((GDL, AGS))
            doc["location"] = (base[0] + rnd.gauss(0, 0.5), base[1] + rnd.gauss(0, 0.5))
        if rnd.random() < 0.7:
            doc["verified"] = rnd.random() < 0.5
        if rnd.random() < 0.5:
            doc["founded"] = f"{rnd.randint(1990, 2024)}-01-01"
        out.append(doc)
    return out


def _queries(n: int, seed: int) -> list[Query]:
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        filters = []
        if rnd.random() < 0.5:
            filters.append(AnyOf("processes", tuple(rnd.sample(PROCS, rnd.randint(1, 2)))))
        if rnd.random() < 0.2:
            filters.append(AllOf("processes", tuple(rnd.sample(PROCS, 2))))
        if rnd.random() < 0.3:
            filters.append(AnyOf("state", (rnd.choice(STATES + ["Nowhere"]),)))
        if rnd.random() < 0.4:
            lo = rnd.randint(0, 40)
            filters.append(Range("headcount", gte=lo, lte=lo + rnd.randint(0, 30)))
        if rnd.random() < 0.4:
            filters.append(GeoDistance("location", *rnd.choice((GDL, AGS)), km=rnd.choice((10, 50, 150))))
        if rnd.random() < 0.2:
            filters.append(AnyOf("verified", (rnd.random() < 0.5,)))
        out.append(Query(
            text=" ".join(rnd.sample(WORDS, rnd.randint(0, 3))),
            filters=tuple(filters),
            facets=("processes", "state", "verified"),
            range_facets={"headcount": [(None, 10), (10, 30), (30, None)], "founded": [("2010-01-01", None)]},
            sort=rnd.choice(("score", "score", "headcount", "-headcount", "-monthly_capacity", "state",
                             "-state", "processes", "-processes", "id", "-id", "founded", "verified")),
            page=rnd.choice((1, 1, 2, 5)),
            per_page=rnd.choice((5, 20, 100)),
        ))
    return out


def _same(mem, ref, index, queries):
    for q in queries:
        a, b = mem.search(index, q), ref.search(index, q)
        assert a.total == b.total, q
        assert a.facets == b.facets, q
        if q.sort == "score" and q.text.strip():
            # bm25 equal up to float noise: compare scores, and ids where scores are distinct
            assert [round(h.score, 6) for h in a.hits] == [round(h.score, 6) for h in b.hits], q
        else:
            assert [h.id for h in a.hits] == [h.id for h in b.hits], q
            assert [h.score for h in a.hits] == pytest.approx([h.score for h in b.hits]), q


def test_memory_engine_matches_sql_reference_through_writes(tmp_path):
    path = str(tmp_path / "idx")
    mem, ref, writer = open_backend(path), open_backend(path, engine="sql"), open_backend(path)
    assert mem.engine == "memory"
    writer.ensure_index(SPEC)
    writer.upsert(SPEC.name, _docs(400, seed=1))
    _same(mem, ref, SPEC.name, _queries(120, seed=2))
    # small changes: the snapshot is patched from the change log
    for step in range(5):
        writer.upsert(SPEC.name, _docs(15, seed=10 + step, version=2 + step))
        writer.delete(SPEC.name, [f"r{i}" for i in range(step * 7, step * 7 + 5)])
        writer.upsert(SPEC.name, [{"id": f"new{step}", "version": 1, "name": "zzznuevo término",
                                   "processes": [f"brand-new-{step}"], "state": "Colima", "headcount": 5}])
        _same(mem, ref, SPEC.name, _queries(25, seed=20 + step))
        r = mem.search(SPEC.name, Query(text="zzznuevo", facets=("processes",)))
        assert r.total == step + 1 and r.facets["processes"].get(f"brand-new-{step}") == 1
    # many changes at once: the snapshot is reloaded
    writer.upsert(SPEC.name, _docs(400, seed=3, version=50))
    _same(mem, ref, SPEC.name, _queries(40, seed=4))
    # rebuild: a new file behind the alias
    writer.rebuild(SPEC, _docs(200, seed=5))
    _same(mem, ref, SPEC.name, _queries(40, seed=6))
    for b in (mem, ref, writer):
        b.close()


def test_file_without_change_log_is_searched_in_sql(tmp_path):
    """Index files written before the in-memory engine existed keep working (SQL) until rebuilt."""
    path = tmp_path / "idx"
    b = open_backend(str(path))
    b.ensure_index(SPEC)
    b.upsert(SPEC.name, _docs(50, seed=7))
    b.close()
    import sqlite3

    (db,) = path.glob("*.sqlite")
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE tdoc")
        conn.execute("DROP TABLE changes")
    old, ref = open_backend(str(path)), open_backend(str(path), engine="sql")
    old.upsert(SPEC.name, _docs(10, seed=8, version=2))
    old.delete(SPEC.name, ["r1", "r2"])
    _same(old, ref, SPEC.name, _queries(20, seed=9))
    assert not old._snaps
    old.rebuild(SPEC, _docs(50, seed=7))
    _same(old, ref, SPEC.name, _queries(20, seed=9))
    assert old._snaps
