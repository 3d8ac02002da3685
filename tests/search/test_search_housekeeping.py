"""``index rebuild`` killed mid-way: the old index keeps serving, and the next start removes the partial files."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from matchmaker import create_app

from tests.search.test_search_api import cluster  # noqa: F401 - fixture

ROOT = Path(__file__).resolve().parents[2]

_REBUILD_THEN_HANG = """
import time
from matchmaker import create_app
from matchmaker.search.rebuild import rebuild_all

def hang(label, n, total):
    print("mid-way", flush=True)  # every document of this index is written, the alias not swapped yet
    time.sleep(3600)

rebuild_all(create_app(), progress=hang)
"""


def _index_files(path: Path) -> set[str]:
    return {p.name for p in path.iterdir() if p.is_dir()}  # one directory per physical index


def test_a_killed_rebuild_leaves_the_old_index_serving_and_start_up_removes_its_files(app, client, cluster):
    _, buyer, _ = cluster
    search = Path(app.config["SEARCH_PATH"])
    before = _index_files(search)
    env = {**os.environ, "MATCHMAKER_DATABASE_URL": app.config["DATABASE_URL"], "MATCHMAKER_SECRET_KEY": "x",
           "MATCHMAKER_SEARCH_PATH": str(search), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", _REBUILD_THEN_HANG], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "mid-way"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = _index_files(search) - before
    assert any(name.startswith("makers_v") for name in partial), partial

    r = client.get("/api/v1/search/makers", headers=buyer)
    assert r.status_code == 200 and r.json["total"] == 3        # the old index kept serving

    restarted = create_app({"TESTING": True, "SECRET_KEY": "x", "SEARCH_URL": "embedded",
                            "SEARCH_PATH": str(search), "MODEL_DIR": app.config["MODEL_DIR"]})
    try:
        assert not partial & _index_files(search)                 # start-up removed the partial files
        r = restarted.test_client().get("/api/v1/search/makers", headers=buyer)
        assert r.status_code == 200 and r.json["total"] == 3
    finally:
        from matchmaker.search import sync
        sync.stop(restarted)
        sync.close(restarted)
        restarted.extensions["matchmaker.engine"].dispose()
