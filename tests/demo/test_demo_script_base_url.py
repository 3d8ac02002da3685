"""scripts/demo.sh tells the app where it is served, so outbox email links point there.

The real script runs in a scratch copy of the repository whose set-up, flask and python are stand-ins
that record the environment they were started with (gunicorn is never started).
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def scratch_repo(tmp_path):
    (tmp_path / "scripts").mkdir()
    shutil.copy(REPO / "scripts" / "demo.sh", tmp_path / "scripts" / "demo.sh")
    (tmp_path / "scripts" / "setup.sh").write_text("true\n")
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "flask").write_text("#!/bin/sh\ntrue\n")
    (bin_dir / "python").write_text('#!/bin/sh\necho "BASE_URL=$MATCHMAKER_BASE_URL"\necho "ARGS=$*"\n')
    for stub in ("flask", "python"):
        (bin_dir / stub).chmod(0o755)
    return tmp_path


def run_demo(repo, **env):
    clean = {k: v for k, v in os.environ.items() if k not in ("BIND", "MATCHMAKER_BASE_URL")}
    done = subprocess.run(["bash", str(repo / "scripts" / "demo.sh")], env={**clean, **env},
                          capture_output=True, text=True, check=True)
    return done.stdout


def test_base_url_follows_the_bind_address(scratch_repo):
    out = run_demo(scratch_repo, BIND="127.0.0.1:8765")
    assert "BASE_URL=http://127.0.0.1:8765\n" in out
    assert "--bind 127.0.0.1:8765" in out


def test_every_interface_is_linked_as_localhost(scratch_repo):
    out = run_demo(scratch_repo, BIND="0.0.0.0:8765")
    assert "BASE_URL=http://localhost:8765\n" in out
    assert "--bind 0.0.0.0:8765" in out


def test_default_bind_gives_the_default_address(scratch_repo):
    out = run_demo(scratch_repo)
    assert "BASE_URL=http://127.0.0.1:8000\n" in out


def test_a_base_url_already_set_is_kept(scratch_repo):
    out = run_demo(scratch_repo, BIND="127.0.0.1:8765", MATCHMAKER_BASE_URL="https://demo.example.org")
    assert "BASE_URL=https://demo.example.org\n" in out
