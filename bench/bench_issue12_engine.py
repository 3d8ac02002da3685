"""Issue 12: the embedded engine chosen by measurement, side by side in one run.

    .venv/bin/python bench/bench_issue12_engine.py                 # 10k and 100k, both engines
    .venv/bin/python bench/bench_issue12_engine.py --sizes 10000   # quicker

Engines: ``tantivy`` (indexing.tantivy_backend, the current embedded backend, with the issue's text
semantics), ``tantivy-plain`` (the same index and code with the old engine's text work: exact
stems, any word; facets stay disjunctive) and ``numpy``, the
engine it replaced (SQLite FTS5 + in-memory numpy snapshot), loaded from git history
(``indexing/embedded.py`` at LEGACY_REV) so both run in the same run on the same documents.
Documents: generated makers for the app's maker spec (matchmaker.search.documents.MAKER_SPEC,
with the trade synonyms), fixed seed. Queries: text (1-3 trade words) + three filters (AnyOf
processes, Range headcount, GeoDistance 150 km) + four facets (processes, state, certificates,
size_band), top 20; 300 queries, the same for both engines.

Every measurement runs in its own fresh process: build (index time, size on disk), then a
searcher (first query in that process, p50/p95 over the 300 queries after one warm-up pass,
memory), then a one-document update made by another process and polled for by the searcher.
Memory: VmRSS, and from /proc/self/smaps the private (anonymous + private dirty) memory the
process added since before it opened the index, and the resident pages of memory-mapped index
files, which are page cache shared by every worker and so counted once.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
LEGACY_REV = "54ac738"  # last commit with the numpy snapshot engine

WORDS = ("pantalones mezclilla stretch dama caballero lavado láser lotes pequeños lavandería industrial "
         "stone enzyme wash washes jeans denim jackets garment sewing confección corte tela camisas chamarras "
         "bordado serigrafía estampado planchado etiquetado empaque finishing packing export brands marcas "
         "calidad entrega rápida producción capacidad maquila taller fábrica costura overol uniformes "
         "escolares deportivos knit woven algodón orgánico sustainable recycled reciclado teñido dyeing").split()
PROCESSES = "cutting sewing laundry finishing design embroidery printing packing dyeing supplies".split()
LINES = "denim_jeans t_shirts uniforms sportswear dresses outerwear workwear knitwear".split()
CERTS = "WRAP ISO9001 OEKO-TEX GOTS BSCI SEDEX".split()
STATES = "Jalisco Aguascalientes Guanajuato Puebla Coahuila Yucatán Nuevo_León CDMX".split()
CITIES = [(20.67, -103.35), (21.88, -102.29), (21.12, -101.68), (19.04, -98.20)]
BANDS = "micro small medium large".split()


def spec():
    from indexing import synonyms
    from matchmaker.search.documents import MAKER_SPEC

    return replace(MAKER_SPEC, synonyms=synonyms.load())


def make_docs(n: int, seed: int = 42):
    rnd = random.Random(seed)
    for i in range(n):
        lat, lon = rnd.choice(CITIES)
        name = " ".join(rnd.choices(WORDS, k=3)).title()
        yield {
            "id": str(i), "version": 1, "name": name, "name_sort": name.lower(),
            "about": " ".join(rnd.choices(WORDS, k=rnd.randint(10, 30))),
            "capabilities": " ".join(rnd.choices(WORDS, k=rnd.randint(3, 8))),
            "processes": rnd.sample(PROCESSES, rnd.randint(1, 4)),
            "product_lines": rnd.sample(LINES, rnd.randint(1, 3)),
            "certificates": rnd.sample(CERTS, rnd.randint(0, 2)),
            "state": rnd.choice(STATES), "country": "MX", "size_band": rnd.choice(BANDS),
            "headcount": rnd.randint(3, 800), "monthly_capacity": rnd.randint(100, 100_000),
            "quality_rank": rnd.randint(0, 3), "export_experience": rnd.random() < 0.4,
            "location": (lat + rnd.gauss(0, 0.3), lon + rnd.gauss(0, 0.3)),
        }


def make_queries(n: int = 300, seed: int = 7):
    from indexing import AnyOf, GeoDistance, Query, Range

    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        lat, lon = rnd.choice(CITIES)
        lo = rnd.randint(3, 300)
        out.append(Query(
            text=" ".join(rnd.sample(WORDS, rnd.randint(1, 3))),
            filters=(AnyOf("processes", tuple(rnd.sample(PROCESSES, 2))), Range("headcount", gte=lo, lte=lo + 400),
                     GeoDistance("location", lat, lon, 150.0)),
            facets=("processes", "state", "certificates", "size_band"), per_page=20))
    return out


def _plain_text() -> None:
    """tantivy doing the old engine's text work: exact stems, any word (OR), no typo, prefix, phrase
    or synonym clauses; to separate the engine's cost from the cost of the new semantics."""
    from indexing import tantivy_query, textplan

    plan = textplan.plan
    textplan.plan = lambda text, groups=(): [textplan.Unit(u.words) for u in plan(text, ())]
    textplan.fuzziness = lambda word: 0
    tantivy_query.TextQuery.phrased = lambda self, core, units: core
    tantivy_query.TextQuery.build = lambda self, units, terms=None, phrases=True: \
        None if not units or not self.text_fields else \
        tantivy_query.TQ.boolean_query([(tantivy_query.Occur.Should, self.unit(u, terms)) for u in units])


def open_engine(engine: str, path: str):
    if engine in ("tantivy", "tantivy-plain"):
        from indexing import open_backend

        if engine == "tantivy-plain":
            _plain_text()
        return open_backend(path, result_cache=0)  # the engine's work, not its per-commit answer cache
    import indexing

    src = subprocess.run(["git", "-C", str(ROOT), "show", f"{LEGACY_REV}:indexing/embedded.py"],
                         check=True, capture_output=True, text=True).stdout
    tmp = Path(tempfile.gettempdir()) / "mm_legacy_embedded.py"
    tmp.write_text(src)
    mod_spec = importlib.util.spec_from_file_location("indexing._legacy_embedded", tmp)
    mod = importlib.util.module_from_spec(mod_spec)
    sys.modules["indexing._legacy_embedded"] = mod
    mod_spec.loader.exec_module(mod)
    assert indexing
    return mod.EmbeddedBackend(path)


def memory() -> dict:
    """kB: rss, private (anonymous), file-backed resident pages of the index."""
    out = {"rss": 0, "private": 0, "index_mapped": 0}
    cur = None
    for line in Path("/proc/self/smaps").read_text().splitlines():
        parts = line.split()
        if not parts[0].endswith(":"):  # a mapping header
            cur = parts[5] if len(parts) > 5 else ""
            continue
        key, val = parts[0][:-1], int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
        if key == "Rss":
            out["rss"] += val
            if cur and os.environ.get("MM_BENCH_DIR", "\0") in cur:
                out["index_mapped"] += val
        elif key == "Anonymous":
            out["private"] += val
    return out


def child_build(engine: str, path: str, n: int) -> dict:
    be = open_engine(engine, path)
    t0 = time.perf_counter()
    be.rebuild(spec(), make_docs(n))
    seconds = time.perf_counter() - t0
    size = sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())
    return {"index_s": round(seconds, 1), "disk_mb": round(size / 1e6, 1)}


def child_search(engine: str, path: str, n: int) -> dict:
    import indexing  # noqa: F401 - imported before the baseline so only the index counts
    import numpy  # noqa: F401
    import tantivy  # noqa: F401

    queries = make_queries()
    be = open_engine(engine, path)
    base = memory()
    t0 = time.perf_counter()
    be.search("makers", queries[0])
    first_ms = (time.perf_counter() - t0) * 1000
    for q in queries:  # warm-up pass
        be.search("makers", q)
    times, totals = [], []
    for q in queries:
        t = time.perf_counter()
        r = be.search("makers", q)
        times.append((time.perf_counter() - t) * 1000)
        totals.append(r.total)
    times.sort()
    mem = memory()
    # one-document update by another process, visible here
    word = f"zq{os.getpid()}marker"
    doc = {**next(make_docs(1)), "version": time.time_ns() // 1000, "about": word}  # newer than any run before
    code = ("import sys,time,json; sys.path.insert(0, sys.argv[1]); sys.path.insert(0, sys.argv[1] + '/bench');"
            "import bench_issue12_engine as b; be = b.open_engine(sys.argv[2], sys.argv[3]);"
            "print(time.time(), flush=True); be.upsert('makers', [json.loads(sys.argv[4])]); print(time.time())")
    from indexing import Query

    proc = subprocess.Popen([sys.executable, "-c", code, str(ROOT), engine, path, json.dumps(doc)],
                            stdout=subprocess.PIPE, text=True)
    started = float(proc.stdout.readline())
    seen = None
    while time.time() - started < 30:
        if be.search("makers", Query(text=word)).total:
            seen = time.time() - started
            break
        time.sleep(0.005)
    written = float(proc.stdout.readline()) - started
    proc.wait()
    return {"first_ms": round(first_ms, 1), "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[int(len(times) * 0.95)], 1), "mean_total": round(statistics.mean(totals)),
            "rss_mb": round(mem["rss"] / 1024), "added_private_mb": round((mem["private"] - base["private"]) / 1024),
            "index_mapped_mb": round(mem["index_mapped"] / 1024), "update_write_s": round(written, 2),
            "update_visible_s": None if seen is None else round(seen, 2)}


def run_child(kind: str, engine: str, path: str, n: int) -> dict:
    env = {**os.environ, "MM_BENCH_DIR": path}
    out = subprocess.run([sys.executable, __file__, "--child", kind, engine, path, str(n)], env=env,
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--engines", default="numpy,tantivy")
    ap.add_argument("--child", nargs=4)
    args = ap.parse_args()
    if args.child:
        kind, engine, path, n = args.child
        fn = child_build if kind == "build" else child_search
        print(json.dumps(fn(engine, path, int(n))))
        return
    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        for engine in args.engines.split(","):
            with tempfile.TemporaryDirectory() as tmp:
                built = run_child("build", engine, tmp, n)
                row = {"docs": n, "engine": engine, **built, **run_child("search", engine, tmp, n)}
                rows.append(row)
                print(json.dumps(row), flush=True)
                if engine == "tantivy":  # same index, the old engine's text work
                    plain = run_child("search", "tantivy-plain", tmp, n)
                    row = {"docs": n, "engine": "tantivy-plain", **built, **plain}
                    rows.append(row)
                    print(json.dumps(row), flush=True)
    keys = list(rows[0])
    print("\n| " + " | ".join(keys) + " |\n|" + "---|" * len(keys))
    for r in rows:
        print("| " + " | ".join(str(r[k]) for k in keys) + " |")


if __name__ == "__main__":
    main()
