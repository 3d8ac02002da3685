"""The embedded (tantivy) index shared by processes: one writer at a time, readers see commits at once."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from indexing_fixtures import DOCS, SPEC

from indexing import IndexUnavailable, Query, open_backend

ROOT = str(Path(__file__).resolve().parents[2])

_WRITER = """
import sys
sys.path[:0] = [sys.argv[2], sys.argv[2] + "/tests/indexing"]
from indexing import open_backend
be = open_backend(sys.argv[1])
tag = sys.argv[3]
for i in range(40):   # one document per call: one writer open/commit each time
    be.upsert("makers", [{"id": f"{tag}{i}", "version": 1, "name": f"taller {tag}"}])
    be.upsert("makers", [{"id": "shared", "version": int(sys.argv[4]) + i, "name": "shared"}])
print("done", flush=True)
"""


def test_writers_in_several_processes_are_serialised_and_lose_nothing(tmp_path):
    be = open_backend(str(tmp_path))
    be.ensure_index(SPEC)
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(tmp_path), ROOT, tag, str(base)],
                              stdout=subprocess.PIPE, text=True) for tag, base in (("a", 1000), ("b", 2000))]
    for p in procs:
        assert p.stdout.readline().strip() == "done" and p.wait(60) == 0
    versions = be.versions(SPEC.name)
    assert {f"{t}{i}" for t in "ab" for i in range(40)} <= set(versions)
    assert versions["shared"] == 2039                       # the highest version won, whoever wrote last
    assert be.search(SPEC.name, Query(text="taller")).total == 80


def test_another_process_sees_a_one_document_update_within_a_second(tmp_path):
    reader = open_backend(str(tmp_path))
    reader.ensure_index(SPEC)
    reader.upsert(SPEC.name, DOCS)
    assert reader.search(SPEC.name, Query(text="overoles")).total == 0
    code = ("import sys; sys.path[:0] = [sys.argv[2]]; from indexing import open_backend;"
            "open_backend(sys.argv[1]).upsert('makers', [{'id': 'm1', 'version': 2, 'name': 'Overoles GDL'}])")
    started = time.monotonic()
    subprocess.run([sys.executable, "-c", code, str(tmp_path), ROOT], check=True)
    while reader.search(SPEC.name, Query(text="overoles")).total == 0:
        assert time.monotonic() - started < 5
        time.sleep(0.01)
    assert reader.search(SPEC.name, Query(text="mezclilla tapatia")).total == 0   # the old text is gone
    assert reader.versions(SPEC.name)["m1"] == 2


def test_a_held_write_lock_makes_writers_give_up_after_the_busy_timeout(tmp_path):
    from tests.support.index_lock import index_locked

    be = open_backend(str(tmp_path), busy_timeout=0.3)
    be.ensure_index(SPEC)
    be.upsert(SPEC.name, DOCS)
    with index_locked(tmp_path, SPEC.name):
        started = time.monotonic()
        with pytest.raises(IndexUnavailable):
            be.upsert(SPEC.name, [{**DOCS[0], "version": 2}])
        assert 0.25 < time.monotonic() - started < 3
        assert be.search(SPEC.name, Query()).total == len(DOCS)        # readers keep serving
    be.upsert(SPEC.name, [{**DOCS[0], "version": 2}])
    assert be.versions(SPEC.name)["m1"] == 2


def test_health_reports_each_index(tmp_path):
    be = open_backend(str(tmp_path))
    be.ensure_index(SPEC)
    be.upsert(SPEC.name, DOCS)
    health = be.health()
    assert health["ok"] is True and health["indexes"][SPEC.name]["docs"] == len(DOCS)


def test_a_repeated_search_answers_from_the_latest_commit_after_writes_and_rebuilds(tmp_path):
    """Answers kept for repeated queries never outlive the commit they were computed on."""
    be = open_backend(str(tmp_path))
    be.ensure_index(SPEC)
    be.upsert(SPEC.name, DOCS)
    query = Query(facets=("processes",))
    first = be.search(SPEC.name, query)
    assert be.search(SPEC.name, query).facets == first.facets          # same commit, same answer
    be.upsert(SPEC.name, [{"id": "new1", "version": 1, "name": "Nuevo", "processes": ["sewing"]}])
    after = be.search(SPEC.name, query)
    assert after.total == first.total + 1
    assert after.facets["processes"]["sewing"] == first.facets["processes"].get("sewing", 0) + 1
    be.delete(SPEC.name, ["new1"])
    assert be.search(SPEC.name, query).facets == first.facets
    be.rebuild(SPEC, DOCS[:1])
    assert be.search(SPEC.name, query).total == 1


def test_threads_searching_during_writes_never_leave_an_older_answer_behind(tmp_path):
    import threading

    be = open_backend(str(tmp_path))
    be.ensure_index(SPEC)
    be.upsert(SPEC.name, DOCS)
    query = Query(text="overoles", facets=("processes",))
    stop = threading.Event()

    def reader():
        while not stop.is_set():
            be.search(SPEC.name, query)

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    try:
        for version in range(2, 12):
            name = "Overoles GDL" if version % 2 == 0 else "Mezclilla Tapatía"
            be.upsert(SPEC.name, [{"id": "m1", "version": version, "name": name}])
            assert be.search(SPEC.name, query).total == (1 if version % 2 == 0 else 0)
    finally:
        stop.set()
        for t in threads:
            t.join()


def test_close_lets_go_of_every_tantivy_index_and_a_later_call_opens_it_again(tmp_path):
    from indexing import tantivy_physical

    before = tantivy_physical.open_indexes()
    be = open_backend(str(tmp_path))
    be.ensure_index(SPEC)
    be.upsert(SPEC.name, DOCS)
    assert be.search(SPEC.name, Query(per_page=100)).total == len(DOCS)
    assert tantivy_physical.open_indexes() == before + 1
    be.close()
    assert tantivy_physical.open_indexes() == before       # its reader threads and watcher go with it
    assert be.search(SPEC.name, Query(per_page=100)).total == len(DOCS)
    be.close()
    assert tantivy_physical.open_indexes() == before
