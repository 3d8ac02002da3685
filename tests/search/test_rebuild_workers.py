"""A rebuild whose documents worker processes build (issue 12) writes the index the in-process rebuild
and the outbox drain write; a failing worker leaves the previous index serving; no worker outlives it."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from indexing import open_backend
from matchmaker import db
from matchmaker.makers.records import MakerProfile
from matchmaker.requirements.records import Requirement
from matchmaker.search import documents, rebuilding
from matchmaker.search.outbox import record_change
from matchmaker.search.rebuilding import RebuildFailed
from matchmaker.organizations.records import Organization
from matchmaker.search.rebuild import rebuild_all
from matchmaker.search.sync import backend, drain, spec_for, wait_idle
from tests.search.conftest import sources

ROOT = Path(__file__).resolve().parents[2]


def _children() -> set[int]:
    """Live child processes of this process (every thread's)."""
    out: set[int] = set()
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        try:
            out |= {int(pid) for pid in (task / "children").read_text().split()}
        except FileNotFoundError:
            pass  # the thread ended meanwhile
    return out


def _served_before(demo):
    """An index rebuilt in process, then what a failed rebuild must leave as it is: the backend, the makers
    index, the sources it serves, the files of the search directory and this process's children."""
    demo.config["SEARCH_REBUILD_WORKERS"] = 0
    rebuild_all(demo)
    be = backend(demo)
    index = spec_for(documents.MAKERS, demo).name
    return (be, index, sources(be, index), sorted(p.name for p in Path(demo.config["SEARCH_PATH"]).iterdir()),
            _children())


@pytest.fixture
def demo(demo, monkeypatch):
    """The shared demo cluster, rebuilt by worker processes even for its 60 rows."""
    demo.config.update(SEARCH_REBUILD_WORKERS=2, SEARCH_REBUILD_PARALLEL_MIN=1)
    monkeypatch.setattr(rebuilding, "RANGE", 7)  # many ranges per table, spread over both workers
    return demo


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="children are listed from /proc")
def test_documents_built_by_workers_are_those_of_the_in_process_rebuild_and_the_drain(demo, tmp_path):
    children = _children()
    physical = rebuild_all(demo)
    assert _children() == children  # every worker was reaped
    in_process, updated = open_backend(str(tmp_path / "in-process")), open_backend(str(tmp_path / "updated"))
    with demo.app_context():
        session = db.session()
        for name, fn in documents.DOCUMENTS.items():
            in_process.rebuild(spec_for(name, demo), fn(session))
        for org_id in session.scalars(select(MakerProfile.organization_id)):
            record_change(session, documents.MAKERS, org_id)
        for req_id in session.scalars(select(Requirement.id)):
            record_change(session, documents.REQUIREMENTS, req_id)
        session.commit()
        assert drain(session, updated, demo) > 60
        makers = session.query(MakerProfile).count()
    assert set(physical) == set(documents.DOCUMENTS)
    be = backend(demo)
    for name in documents.DOCUMENTS:
        index = spec_for(name, demo).name
        built, a, b = sources(be, index), sources(in_process, index), sources(updated, index)
        assert len(built) > 10 and built == a == b
    assert len(sources(be, spec_for(documents.MAKERS, demo).name)) == makers


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="children are listed from /proc")
def test_a_worker_that_cannot_open_the_database_fails_the_rebuild_and_the_old_index_serves(demo, tmp_path):
    be, index, served, files, children = _served_before(demo)
    # the app's own engine was made from the good URL; only the workers get this one
    demo.config.update(SEARCH_REBUILD_WORKERS=2, DATABASE_URL=f"sqlite:///{tmp_path}/missing/dir/x.db")
    with pytest.raises(RebuildFailed, match="worker failed on makers ids .*OperationalError.*unable to open"):
        rebuild_all(demo)
    assert _children() == children
    assert sorted(p.name for p in Path(demo.config["SEARCH_PATH"]).iterdir()) == files  # nothing half-built
    assert sources(be, index) == served and len(served) == 60


def test_rows_renamed_while_workers_read_reach_the_new_index_and_progress_is_reported(demo):
    with demo.app_context():
        ids = sorted(db.session().scalars(select(MakerProfile.organization_id)))
    first, last = ids[0], ids[-1]  # one already read when progress is first reported, one not yet
    seen: list[tuple[str, int, int]] = []

    def progress(label, n, total):
        if not seen:
            with demo.extensions["matchmaker.sessionmaker"]() as session:
                for org_id in (first, last):
                    session.get(Organization, org_id).name = f"renamed mid-rebuild {org_id}"
                session.commit()
        seen.append((label, n, total))

    rebuild_all(demo, progress=progress)
    assert wait_idle(demo)
    makers = [s for s in seen if s[0] == "index makers"]
    assert [n for _, n, _ in makers] == sorted(n for _, n, _ in makers) and makers[-1][1:] == (60, 60)
    assert any(label == "index requirements" for label, _, _ in seen)
    served = sources(backend(demo), spec_for(documents.MAKERS, demo).name)
    assert len(served) == 60
    assert {served[str(i)]["name"] for i in (first, last)} == {f"renamed mid-rebuild {i}" for i in (first, last)}


@pytest.mark.parametrize("workers", [0, 2])
def test_a_row_deleted_after_the_rebuild_read_it_is_not_in_the_new_index(demo, workers):
    # The delete's outbox entry is drained meanwhile into the index the alias still names (the drainer
    # thread does that in a served app); the new index, built from what was read before, must drop it too.
    demo.config["SEARCH_REBUILD_WORKERS"] = workers
    with demo.app_context():
        session = db.session()
        model = session.scalars(select(Requirement).order_by(Requirement.id)).first()
        doomed = Requirement(**{c: getattr(model, c) for c in ("buyer_id", "created_by_id", "product_line",
                                                              "quantity", "lead_time_days", "status")},
                             title="withdrawn mid-rebuild")
        session.add(doomed)
        session.flush()
        record_change(session, documents.REQUIREMENTS, doomed.id)
        session.commit()
        doomed_id = doomed.id
        drain(session, backend(demo), demo)
    index = spec_for(documents.REQUIREMENTS, demo).name
    assert str(doomed_id) in sources(backend(demo), index)

    def progress(label, n, total):
        if label == "index requirements" and n == total:   # every row read, the new index not yet swapped in
            with demo.extensions["matchmaker.sessionmaker"]() as s:
                s.delete(s.get(Requirement, doomed_id))
                record_change(s, documents.REQUIREMENTS, doomed_id)
                s.commit()
                drain(s, backend(demo), demo)

    rebuild_all(demo, progress=progress)
    served = sources(backend(demo), index)
    assert str(doomed_id) not in served and len(served) > 10
    with demo.app_context():
        assert set(served) == {str(i) for i in db.session().scalars(select(Requirement.id))}


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="children are listed from /proc")
def test_a_worker_killed_mid_rebuild_fails_it_and_the_old_index_serves(demo, monkeypatch):
    be, index, served, files, children = _served_before(demo)
    demo.config["SEARCH_REBUILD_WORKERS"] = 2
    monkeypatch.setattr(rebuilding, "RANGE", 1)  # 60 tasks: the killed worker still had work to take

    def kill_a_worker(label, n, total):
        if n == 1:
            workers = [pid for pid in _children() - children
                       if b"rebuild_worker" in Path(f"/proc/{pid}/cmdline").read_bytes()]
            os.kill(workers[0], signal.SIGKILL)

    with pytest.raises(RebuildFailed, match=r"worker \d+ died .*exit status -9"):
        rebuild_all(demo, progress=kill_a_worker)
    assert _children() == children
    assert sorted(p.name for p in Path(demo.config["SEARCH_PATH"]).iterdir()) == files
    assert sources(be, index) == served and len(served) == 60


_UNGUARDED = """
from matchmaker import create_app
from matchmaker.search.rebuild import rebuild_all

print(sorted(rebuild_all(create_app())), flush=True)
"""


def test_a_script_calling_the_rebuild_at_top_level_runs_it_once(demo, tmp_path):
    """Workers are fresh interpreters, not multiprocessing children re-importing the caller's script."""
    script = tmp_path / "rebuild_now.py"
    script.write_text(_UNGUARDED)
    env = {**os.environ, "MATCHMAKER_DATABASE_URL": demo.config["DATABASE_URL"], "MATCHMAKER_SECRET_KEY": "x",
           "MATCHMAKER_SEARCH_PATH": str(tmp_path / "script-search"), "PYTHONPATH": str(ROOT),
           "MATCHMAKER_SEARCH_REBUILD_WORKERS": "2", "MATCHMAKER_SEARCH_REBUILD_PARALLEL_MIN": "1"}
    done = subprocess.run([sys.executable, str(script)], env=env, cwd=tmp_path, capture_output=True, text=True,
                          timeout=300)  # a hang guard: a re-imported script would wait on the build lock
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("makers") == 1
