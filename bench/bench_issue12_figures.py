"""Issue 12: the app's search figures at one size, on the bench database (bench/out/api-<N>/, built once).

Each part runs in a fresh process, as a new gunicorn worker would:

1. first search in a fresh process (after ``create_app``, before any other search), engine call and
   whole API request through the test client;
2. search (text + 3 filters + 5 facets, ``bench_issue12_app.SEARCH_URL``) through the test client, p50/p95:
   the one same request repeated (answered from the engine's per-commit cache after the first), and
   ``--distinct`` different searches in a cycle longer than that cache (never answered from it);
   beside it the engine alone with its cache off, on the same distinct queries;
3. filtered list ``GET /api/v1/makers`` (3 filters, page 3) p50/p95;
4. memory the index adds to the process: anonymous (private) kB added from before opening the index to
   after the searches, and resident pages of the memory-mapped index files (page cache, shared by every
   worker, counted once);
5. a one-document update written by another process, seconds until a search here sees it.

Wall clock and thread CPU time are both given (CPU is steadier on the shared 2 cores).
Run: ``.venv/bin/python bench/bench_issue12_figures.py --makers 10000`` (and ``--makers 100000``).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_api import build, token  # noqa: E402
from bench_issue12_app import LIST_URL, SEARCH_URL  # noqa: E402
from bench_issue12_gunicorn import distinct_search_urls  # noqa: E402


def memory(index_dir: str) -> dict:
    """kB: anonymous memory of this process, and resident pages of files under ``index_dir``."""
    out = {"private": 0, "index_mapped": 0}
    cur = ""
    for line in Path("/proc/self/smaps").read_text().splitlines():
        parts = line.split()
        if not parts[0].endswith(":"):
            cur = parts[5] if len(parts) > 5 else ""
            continue
        if parts[0] == "Rss:" and cur.startswith(index_dir):
            out["index_mapped"] += int(parts[1])
        elif parts[0] == "Anonymous:":
            out["private"] += int(parts[1])
    return out


def pcts(samples: list[float]) -> str:
    s = sorted(samples)
    return f"p50 {statistics.median(s):.2f} / p95 {s[int(0.95 * len(s)) - 1]:.2f} ms"


def timed(fn, items, rounds: int = 1) -> tuple[list[float], list[float]]:
    wall, cpu = [], []
    for _ in range(rounds):
        for item in items:
            t, c = time.perf_counter(), time.thread_time()
            fn(item)
            wall.append((time.perf_counter() - t) * 1000)
            cpu.append((time.thread_time() - c) * 1000)
    return wall, cpu


def child(makers: int, distinct: int, n: int) -> None:
    import indexing  # noqa: F401 - loaded before the baseline, so only the index counts
    import tantivy  # noqa: F401
    from werkzeug.datastructures import MultiDict

    from matchmaker import create_app
    from matchmaker.search.queries import maker_query
    from matchmaker.search.sync import backend

    app = create_app()
    tok = token(app)
    headers = {"Authorization": f"Bearer {tok}"}
    client = app.test_client()
    index_dir = os.environ["MATCHMAKER_SEARCH_PATH"]
    base = memory(index_dir)
    with app.app_context():
        q = maker_query(MultiDict(parse_qsl(urlsplit(SEARCH_URL).query)))
        t = time.perf_counter()
        backend().search("makers", q)
        first_engine = (time.perf_counter() - t) * 1000
    t = time.perf_counter()
    assert client.get(SEARCH_URL, headers=headers).status_code == 200
    first_request = (time.perf_counter() - t) * 1000
    print(f"[{makers} makers] first search in a fresh process: engine {first_engine:.1f} ms "
          f"(also opens the index), then the first API request {first_request:.1f} ms")

    def get(url):
        r = client.get(url, headers=headers)
        assert r.status_code == 200, (url, r.status_code)

    timed(get, [SEARCH_URL] * 20)
    wall, cpu = timed(get, [SEARCH_URL] * n)
    print(f"  search, one same request repeated (engine cache hit): wall {pcts(wall)}; CPU {pcts(cpu)}")
    urls = distinct_search_urls(distinct)
    timed(get, urls)                                   # warm: the cycle is longer than the engine's cache
    wall, cpu = timed(get, urls)
    print(f"  search, {distinct} distinct requests in a cycle (no cache hit): wall {pcts(wall)}; CPU {pcts(cpu)}")
    with app.app_context():
        from indexing import open_backend
        cold = open_backend(index_dir, result_cache=0)
        queries = [maker_query(MultiDict(parse_qsl(urlsplit(u).query))) for u in urls]
        timed(lambda qq: cold.search("makers", qq), queries)
        wall, cpu = timed(lambda qq: cold.search("makers", qq), queries)
        print(f"  engine alone, cache off, same {distinct} queries: wall {pcts(wall)}; CPU {pcts(cpu)}")
        wall, cpu = timed(lambda qq: cold.search("makers", qq), [q] * n)
        print(f"  engine alone, cache off, the bench's one search: wall {pcts(wall)}; CPU {pcts(cpu)}")
    timed(get, [LIST_URL] * 20)
    wall, cpu = timed(get, [LIST_URL] * n)
    print(f"  filtered list (index): wall {pcts(wall)}; CPU {pcts(cpu)}")
    mem = memory(index_dir)
    print(f"  memory the index adds: {(mem['private'] - base['private']) / 1024:.1f} MB private (anonymous, "
          f"includes both engine caches), {mem['index_mapped'] / 1024:.1f} MB of index pages mapped (shared)")
    # one-document update by another process
    from indexing import Query
    with app.app_context():
        src = backend().search("makers", Query(include_source=True, per_page=1)).hits[0].source
    word = f"zq{os.getpid()}marker"
    doc = {**src, "version": src["version"] + 10**9 + int(time.time()), "about": word}
    code = ("import sys,time,json; sys.path.insert(0, sys.argv[1]); from indexing import open_backend;"
            "be = open_backend(sys.argv[2]); print(time.time(), flush=True);"
            "be.upsert('makers', [json.loads(sys.argv[3])]); print(time.time(), flush=True)")
    proc = subprocess.Popen([sys.executable, "-c", code, str(ROOT), index_dir, json.dumps(doc)],
                            stdout=subprocess.PIPE, text=True)
    started = float(proc.stdout.readline())
    seen = None
    with app.app_context():
        while time.time() - started < 30:
            if backend().search("makers", Query(text=word)).total:
                seen = time.time() - started
                break
            time.sleep(0.005)
    written = float(proc.stdout.readline()) - started
    proc.wait()
    print(f"  one-document update by another process: written in {written:.2f} s, visible here after "
          f"{seen:.2f} s" if seen is not None else "  update not seen within 30 s")
    print(f"  load average at the end {os.getloadavg()[0]:.1f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--makers", type=int, default=10000)
    ap.add_argument("--distinct", type=int, default=400)
    ap.add_argument("-n", type=int, default=300)
    ap.add_argument("--child", action="store_true")
    args = ap.parse_args()
    env = build(ROOT / "bench" / "out" / f"api-{args.makers}", args.makers)
    if args.child:
        child(args.makers, args.distinct, args.n)
        return
    from harness import cpu_reference
    print(f"load average at the start {os.getloadavg()[0]:.1f}; machine speed: 10M CPython additions in "
          f"{cpu_reference():.2f} s (harness.cpu_reference)", flush=True)
    subprocess.run([sys.executable, __file__, "--child", "--makers", str(args.makers), "--distinct",
                    str(args.distinct), "-n", str(args.n)], check=True, env={**os.environ, **env})


if __name__ == "__main__":
    main()
