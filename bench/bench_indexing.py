"""Benchmark the search backends on synthetic maker documents.

    .venv/bin/python bench/bench_indexing.py --docs 10000
    .venv/bin/python bench/bench_indexing.py --docs 100000
    .venv/bin/python bench/bench_indexing.py --docs 10000 --elasticsearch   # against an osmem-server it starts

Reports index (rebuild) time, and p50/p95 of a search with text + three
filters (AnyOf processes, Range headcount, GeoDistance) + three keyword
facets + a range facet. Documents and queries come from a fixed seed.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from indexing import AnyOf, Field, GeoDistance, IndexSpec, Query, Range, open_backend  # noqa: E402

SPEC = IndexSpec("makers", 1, (
    Field("name", "text", 3.0), Field("description", "text"), Field("processes", "keyword"),
    Field("certificates", "keyword"), Field("state", "keyword"), Field("headcount", "integer"),
    Field("monthly_capacity", "float"), Field("founded", "date"), Field("location", "geo_point"),
    Field("verified", "boolean"),
))
WORDS = ("pantalones mezclilla stretch dama caballero lavado láser lotes pequeños lavandería industrial "
         "stone enzyme wash washes jeans denim jackets garment sewing confección corte tela camisas chamarras "
         "bordado serigrafía estampado planchado etiquetado empaque finishing packing export brands marcas "
         "calidad entrega rápida producción capacidad maquila taller fábrica costura overol uniformes "
         "escolares deportivos knit woven algodón orgánico sustainable recycled reciclado teñido dyeing").split()
PROCESSES = "cutting sewing laundry finishing design embroidery printing packing dyeing supplies".split()
CERTS = "WRAP ISO9001 OEKO-TEX GOTS BSCI SEDEX".split()
STATES = "Jalisco Aguascalientes Guanajuato Puebla Coahuila Yucatán Nuevo_León CDMX".split()
CITIES = [(20.67, -103.35), (21.88, -102.29), (21.12, -101.68), (19.04, -98.20)]


def make_docs(n: int, seed: int = 42):
    rnd = random.Random(seed)
    for i in range(n):
        lat, lon = rnd.choice(CITIES)
        yield {
            "id": f"d{i}", "version": 1,
            "name": " ".join(rnd.choices(WORDS, k=3)).title(),
            "description": " ".join(rnd.choices(WORDS, k=rnd.randint(10, 30))),
            "processes": rnd.sample(PROCESSES, rnd.randint(1, 4)),
            "certificates": rnd.sample(CERTS, rnd.randint(0, 2)),
            "state": rnd.choice(STATES),
            "headcount": rnd.randint(3, 800),
            "monthly_capacity": round(rnd.uniform(100, 100_000), 1),
            "founded": f"{rnd.randint(1970, 2024)}-{rnd.randint(1, 12):02d}-01",
            "location": (lat + rnd.gauss(0, 0.3), lon + rnd.gauss(0, 0.3)),
            "verified": rnd.random() < 0.4,
        }


def make_queries(n: int, seed: int = 7) -> list[Query]:
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        lat, lon = rnd.choice(CITIES)
        lo = rnd.randint(0, 200)
        out.append(Query(
            text=" ".join(rnd.sample(WORDS, 2)),
            filters=(AnyOf("processes", tuple(rnd.sample(PROCESSES, 2))),
                     Range("headcount", gte=lo, lte=lo + rnd.randint(50, 600)),
                     GeoDistance("location", lat, lon, rnd.choice((50, 150, 300)))),
            facets=("processes", "state", "certificates"),
            range_facets={"headcount": [(None, 50), (50, 250), (250, None)]},
            per_page=20,
        ))
    return out


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def run(backend, label: str, n_docs: int, n_queries: int, updates: int = 0) -> dict:
    print(f"[{label}] indexing {n_docs} docs ...", flush=True)
    t0, c0 = time.perf_counter(), time.process_time()
    backend.rebuild(SPEC, make_docs(n_docs),
                    progress=lambda k: k % max(1, n_docs // 5) == 0 and print(f"  {k} docs", flush=True))
    index_s = time.perf_counter() - t0
    print(f"[{label}] indexed in {index_s:.1f} s ({n_docs / index_s:.0f} docs/s, CPU {time.process_time() - c0:.1f} s)",
          flush=True)
    if hasattr(backend, "dir"):  # embedded: size right after the rebuild (before the update test grows the WAL)
        size = sum(p.stat().st_size for p in Path(backend.dir).glob("*.sqlite*"))
        print(f"[{label}] index size on disk: {size / 1e6:.1f} MB", flush=True)
    queries = make_queries(n_queries)
    t = time.perf_counter()
    backend.search("makers", queries[0])  # embedded: loads the in-memory snapshot
    print(f"[{label}] first search (cold, loads caches) {(time.perf_counter() - t) * 1000:.0f} ms", flush=True)
    for q in queries[:10]:  # warm caches
        backend.search("makers", q)
    times, cpu, totals = [], [], []
    for q in queries:
        t, c = time.perf_counter(), time.process_time()
        r = backend.search("makers", q)
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        totals.append(r.total)
    res = {"label": label, "docs": n_docs, "index_s": index_s, "p50_ms": pct(times, 50),
           "p95_ms": pct(times, 95), "mean_hits": statistics.mean(totals)}
    print(f"[{label}] {n_queries} searches (text + 3 filters + 4 facets): p50 {res['p50_ms']:.2f} ms, "
          f"p95 {res['p95_ms']:.2f} ms (CPU p50 {pct(cpu, 50):.2f} ms, p95 {pct(cpu, 95):.2f} ms), "
          f"mean total {res['mean_hits']:.0f}", flush=True)
    if updates and hasattr(backend, "engine"):
        # one small upsert between searches, as the app does after each commit: every search then
        # first patches its snapshot from the change log
        docs = list(make_docs(updates, seed=99))
        times = []
        for i, q in enumerate(queries[:updates]):
            backend.upsert("makers", [{**docs[i], "id": f"d{i * 7}", "version": 2}])
            t = time.perf_counter()
            backend.search("makers", q)
            times.append((time.perf_counter() - t) * 1000)
        print(f"[{label}] {updates} searches each right after a 1-doc upsert: p50 {pct(times, 50):.2f} ms, "
              f"p95 {pct(times, 95):.2f} ms", flush=True)
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--elasticsearch", action="store_true", help="measure an osmem-server started here")
    ap.add_argument("--dir", help="embedded index directory (default: a temp dir)")
    ap.add_argument("--engine", default="memory", choices=("memory", "sql"),
                    help="embedded search engine: in-memory numpy snapshot (default) or the SQL reference")
    ap.add_argument("--updates", type=int, default=50, help="embedded: searches measured right after an upsert")
    args = ap.parse_args()
    if args.elasticsearch:
        from osmem_server import OsmemServer

        from tests.support.osmem_transport import PlainJsonNode

        with OsmemServer.start(japanese=False) as server:
            backend = open_backend(server.url, node_class=PlainJsonNode, request_timeout=120)
            run(backend, "elasticsearch API on osmem-server (in-memory, NOT a real cluster)", args.docs, args.queries)
        return
    with tempfile.TemporaryDirectory() as tmp:
        backend = open_backend(args.dir or tmp, engine=args.engine)
        run(backend, f"embedded sqlite-fts5 engine={args.engine}", args.docs, args.queries, args.updates)


if __name__ == "__main__":
    main()
