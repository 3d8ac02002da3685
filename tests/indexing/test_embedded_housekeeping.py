"""An interrupted rebuild leaves no partial files behind for long, and never disturbs a running one.

A real ``rebuild`` runs in a child process and is killed (SIGKILL) in the middle,
leaving its half-written index directory on disk.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from indexing_fixtures import DOCS, SPEC

from indexing import Query, open_backend

ROOT = str(Path(__file__).resolve().parents[2])

_SLOW_REBUILD = """
import sys, time
sys.path[:0] = [sys.argv[2], sys.argv[2] + "/tests/indexing"]
from indexing import open_backend
from indexing_fixtures import SPEC, many_docs
be = open_backend(sys.argv[1])
def docs():
    for i, doc in enumerate(many_docs(20000)):
        if i == 6000:                       # the first batch is written: say so, then stall
            print("mid-way", flush=True)
            if sys.argv[3] == "hang":
                time.sleep(3600)
            sys.stdin.readline()            # "gate": go on when the test says so
        yield doc
be.rebuild(SPEC, docs())
print("done", flush=True)
"""


def _start_rebuild(path: Path, mode: str) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", _SLOW_REBUILD, str(path), ROOT, mode],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "mid-way"
    return proc


def _files(path: Path) -> set[str]:
    return {p.name for p in path.iterdir() if not p.name.endswith(".lock")}


def _serving(path: Path) -> set[str]:
    physical = open_backend(str(path))._physical(SPEC.name)
    return {f"{SPEC.name}.alias", physical}


def _killed_mid_rebuild(path: Path) -> set[str]:
    """Serve DOCS, then kill a rebuild half-way; returns the files the killed rebuild left."""
    be = open_backend(str(path))
    be.ensure_index(SPEC)
    be.upsert(SPEC.name, DOCS)
    before = _files(path)
    proc = _start_rebuild(path, "hang")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    left = _files(path) - before
    assert any(name.startswith(f"{SPEC.name}_v") for name in left), left  # the partial index is on disk
    assert be.search(SPEC.name, Query()).total == len(DOCS)       # the old index kept serving
    return left


def test_the_next_rebuild_removes_what_a_killed_rebuild_left(tmp_path):
    left = _killed_mid_rebuild(tmp_path)
    be = open_backend(str(tmp_path))
    be.rebuild(SPEC, DOCS[:3])
    assert not left & _files(tmp_path)
    assert _files(tmp_path) <= _serving(tmp_path)
    assert be.search(SPEC.name, Query()).total == 3


def test_housekeeping_at_start_removes_leftovers_but_never_a_running_build(tmp_path):
    left = _killed_mid_rebuild(tmp_path)
    be = open_backend(str(tmp_path))
    removed = be.remove_leftovers(SPEC.name)
    assert set(removed) == left and not left & _files(tmp_path)
    assert be.search(SPEC.name, Query()).total == len(DOCS)

    before = _files(tmp_path)
    running = _start_rebuild(tmp_path, "gate")   # a rebuild in another process, held mid-way
    building = _files(tmp_path) - before
    assert any(name.startswith(f"{SPEC.name}_v") for name in building)
    assert be.remove_leftovers(SPEC.name) == []   # its files are not leftovers
    assert building <= _files(tmp_path)
    running.stdin.write("go\n")
    running.stdin.flush()
    assert running.stdout.readline().strip() == "done" and running.wait() == 0
    deadline = time.monotonic() + 5
    while be.search(SPEC.name, Query()).total != 20000 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert be.search(SPEC.name, Query()).total == 20000
    assert be.remove_leftovers(SPEC.name) == [] and _files(tmp_path) <= _serving(tmp_path)
