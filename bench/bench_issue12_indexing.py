"""Issue 12: ``rebuild_all`` (makers + requirements, from SQLite through the app's documents) and a
one-document update, at one size.

    .venv/bin/python bench/bench_issue12_indexing.py --makers 100000            # rebuild + update
    .venv/bin/python bench/bench_issue12_indexing.py --makers 10000 --profile   # cProfile of the rebuild

Data: the demo generator into ``bench/out/index-<N>/m.db`` (SQLite), built once and kept; the index is
rebuilt from scratch on every run (``bench/out/index-<N>/search``). Figures: wall clock, the process's
CPU time (user + system, all threads: tantivy's indexing threads count too) and the load average;
the rebuild split into reading the documents from the database, building them and the engine's part.
The update: one maker's profile changed through the ORM (as a page save does), its outbox drained into
the index by a second process, and the seconds until a search in this process sees the new text.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def build_data(out: Path, makers: int, index: str = "search") -> dict:
    env = {"MATCHMAKER_DATABASE_URL": f"sqlite:///{out / 'm.db'}", "MATCHMAKER_SEARCH_PATH": str(out / index),
           "MATCHMAKER_MODEL_DIR": str(out / "models"), "MATCHMAKER_SECRET_KEY": "bench",
           "MATCHMAKER_SEARCH_SYNC": "worker"}
    os.environ.update(env)
    if not (out / "data-ready").exists():
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        from matchmaker.cli import upgrade_database
        upgrade_database(env["MATCHMAKER_DATABASE_URL"])
        from matchmaker import create_app, db
        from matchmaker.demo import generate
        app = create_app()
        with app.app_context():
            t = time.perf_counter()
            generate(db.session(), makers=makers, buyers=300, progress=lambda p, d, n: None)
            print(f"demo data: {time.perf_counter() - t:.1f} s", flush=True)
        (out / "data-ready").write_text("ok")
    return env


def cpu() -> float:
    """CPU time of this process (all threads) and of its reaped children (the rebuild's workers)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def children_cpu() -> float:
    t = os.times()
    return t.children_user + t.children_system


def documents_only(app) -> None:
    """Reading and building every document, without the engine (the app's share of the rebuild)."""
    from matchmaker.search.documents import DOCUMENTS
    sessionmaker = app.extensions["matchmaker.sessionmaker"]
    for name, fn in DOCUMENTS.items():
        t, c = time.perf_counter(), cpu()
        with sessionmaker() as session:
            n = sum(1 for _ in fn(session))
        print(f"  documents of {name}: {n} in {time.perf_counter() - t:.1f} s wall, {cpu() - c:.1f} s CPU",
              flush=True)


def rebuild(app, profile: bool) -> None:
    from matchmaker.search import rebuilding
    from matchmaker.search.rebuild import rebuild_all
    load = os.getloadavg()[0]
    t, c, main, kids = time.perf_counter(), cpu(), time.thread_time(), children_cpu()
    if profile:
        prof = cProfile.Profile()
        prof.enable()
    rebuild_all(app)
    if profile:
        prof.disable()
    wall, used, main, kids = time.perf_counter() - t, cpu() - c, time.thread_time() - main, children_cpu() - kids
    print(f"  rebuild_all: {wall:.1f} s wall, {used:.1f} s CPU (main thread {main:.1f} s, children {kids:.1f} s; "
          f"workers {rebuilding.workers(app)}, from {rebuilding.parallel_min(app)} rows) "
          f"(load {load:.1f} -> {os.getloadavg()[0]:.1f})", flush=True)
    if profile:
        pstats.Stats(prof).sort_stats("cumulative").print_stats(35)
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)


UPDATE = """
import sys, time
sys.path.insert(0, sys.argv[1])
from matchmaker import create_app
from matchmaker.search.sync import backend, drain
app = create_app()
with app.extensions["matchmaker.sessionmaker"]() as s:
    be = backend(app)
    print(time.time(), flush=True)
    drain(s, be, app)
    print(time.time(), flush=True)
"""


def update(app) -> None:
    """One maker's profile changed through the ORM; another process drains it; seconds until seen here."""
    from sqlalchemy import select

    from indexing import Query
    from matchmaker.makers.records import MakerProfile
    from matchmaker.search.outbox import record_change
    from matchmaker.search.sync import backend
    sessionmaker = app.extensions["matchmaker.sessionmaker"]
    word = f"zq{secrets.token_hex(8)}"  # random: the search forgives a typo, so no two markers may be near
    with sessionmaker() as s:
        profile = s.scalars(select(MakerProfile).order_by(MakerProfile.organization_id.desc()).limit(1)).one()
        profile.about = f"{profile.about} {word}"
        record_change(s, "makers", profile.organization_id)
        s.commit()
    be = backend(app)
    be.search("makers", Query(text="denim"))  # the searcher is open before the write, as in a worker
    load = os.getloadavg()[0]
    proc = subprocess.Popen([sys.executable, "-c", UPDATE, str(ROOT)], stdout=subprocess.PIPE, text=True)
    started = float(proc.stdout.readline())
    seen = None
    while time.time() - started < 30:
        if be.search("makers", Query(text=word)).total:
            seen = time.time() - started
            break
        time.sleep(0.005)
    written = float(proc.stdout.readline()) - started
    proc.wait()
    print(f"  one-document update (outbox drained by another process): written in {written:.3f} s, "
          + (f"visible here after {seen:.3f} s" if seen is not None else "NOT seen within 30 s")
          + f" (load {load:.1f})", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--makers", type=int, default=10000)
    ap.add_argument("--profile", action="store_true", help="cProfile the rebuild (slows Python ~2x)")
    ap.add_argument("--documents", action="store_true", help="also time building the documents alone")
    ap.add_argument("--updates", type=int, default=3, help="one-document updates after the rebuild")
    ap.add_argument("--index", default="search", help="index directory under bench/out/index-<N>/ (rebuilt)")
    ap.add_argument("--data", type=Path, help="data directory (default bench/out/index-<N>/ of this tree)")
    ap.add_argument("--workers", type=int, help="SEARCH_REBUILD_WORKERS (0: documents built in this process)")
    ap.add_argument("--parallel-min", type=int, help="SEARCH_REBUILD_PARALLEL_MIN (smallest table built by workers)")
    ap.add_argument("--data-only", action="store_true", help="build the data, time nothing")
    args = ap.parse_args()
    out = args.data or ROOT / "bench" / "out" / f"index-{args.makers}"
    build_data(out, args.makers, args.index)
    if args.data_only:
        return
    shutil.rmtree(out / args.index, ignore_errors=True)
    from matchmaker import create_app
    app = create_app()
    if args.workers is not None:
        app.config["SEARCH_REBUILD_WORKERS"] = args.workers
    if args.parallel_min is not None:
        app.config["SEARCH_REBUILD_PARALLEL_MIN"] = args.parallel_min
    print(f"[{args.makers} makers] load average at the start {os.getloadavg()[0]:.1f}", flush=True)
    if args.documents:
        documents_only(app)
    rebuild(app, args.profile)
    for _ in range(args.updates):
        update(app)


if __name__ == "__main__":
    main()
