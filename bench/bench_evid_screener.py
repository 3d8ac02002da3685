"""The screener trained on the demo history, as ``flask train screener`` trains it (branch evid).

Builds the demo cluster (``matchmaker.demo.generate``, default sizes) once into ``--folder`` (kept and
reused: the cluster does not depend on the vetting code), copies it, writes the vetting history
(``matchmaker.vetting.demo``) with the code of the tree the script runs from, then calls
``matchmaker.vetting.screening.train_screener`` with a throw-away model registry: it prints the
screener's AUC, Brier and log loss beside the points baseline on the latest cutoff.

    OMP_NUM_THREADS=1 .venv/bin/python bench/bench_evid_screener.py [--folder bench/out/evid] [--seed 7]

Run it from another tree (``git worktree add /tmp/old <commit>``; copy this file there) for a "before".
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--folder", default="bench/out/evid")
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    from flask import Flask
    from sqlalchemy.orm import Session

    from matchmaker.all_tables import import_all_tables
    from matchmaker.cli import upgrade_database
    from matchmaker.db import make_engine
    from matchmaker.demo import generate
    from matchmaker.vetting.demo import generate_vetting_history
    from matchmaker.vetting.screening import train_screener
    from models.registry import ModelRegistry

    import_all_tables()   # every mapper configured, as a migration would, when the cluster is reused
    folder = Path(a.folder)
    folder.mkdir(parents=True, exist_ok=True)
    cluster = folder / f"cluster-{a.seed}.db"
    today_file = folder / f"cluster-{a.seed}.today"
    if not cluster.exists():
        t0 = time.perf_counter()
        upgrade_database(f"sqlite:///{cluster}.tmp")
        engine = make_engine(f"sqlite:///{cluster}.tmp")
        summary = generate(engine, seed=a.seed)
        engine.dispose()  # the last connection's close checkpoints the write-ahead log into the file
        os.replace(f"{cluster}.tmp", cluster)
        today_file.write_text(summary.today.isoformat())
        print(f"demo cluster (seed {a.seed}) built in {time.perf_counter() - t0:.1f} s")
    from datetime import date

    today = date.fromisoformat(today_file.read_text().strip())
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.db"
        shutil.copy(cluster, path)
        engine = make_engine(f"sqlite:///{path}")
        app = Flask("bench_evid")
        app.config["MODEL_DIR"] = str(Path(tmp) / "models")
        with Session(engine) as session, app.app_context():
            t0 = time.perf_counter()
            print("vetting history:", generate_vetting_history(session, seed=a.seed, today=today))
            t1 = time.perf_counter()
            train_screener(session, ModelRegistry(app.config["MODEL_DIR"]))
            print(f"vetting history {t1 - t0:.1f} s, training {time.perf_counter() - t1:.1f} s")


if __name__ == "__main__":
    main()
