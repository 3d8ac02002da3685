"""pyproject.toml: the app and the engines are packages, the ``matchmaker`` console script is the flask
command line with the app loaded, and ruff runs before the tests."""
from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_pyproject_names_the_packages_the_script_and_ruff():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    found = project["tool"]["setuptools"]["packages"]["find"]["include"]
    assert {"matchmaker*", "indexing*", "models*", "scheduling*"} <= set(found)
    assert project["project"]["scripts"]["matchmaker"] == "matchmaker.console:main"
    assert project["tool"]["ruff"]["line-length"] == 120
    assert "ruff check" in (ROOT / "scripts" / "test.sh").read_text()
    pinned = (ROOT / "requirements.txt").read_text().splitlines()
    assert any(line.startswith("ruff==") for line in pinned) and any(line.startswith("spectree==") for line in pinned)


def test_the_console_script_runs_the_flask_commands_with_the_app(tmp_path):
    env = dict(os.environ, MATCHMAKER_SECRET_KEY="test", MATCHMAKER_DATABASE_URL=f"sqlite:///{tmp_path / 'm.db'}",
               MATCHMAKER_SEARCH_URL="embedded", MATCHMAKER_SEARCH_PATH=str(tmp_path / "search"))
    out = subprocess.run([sys.executable, "-c", "from matchmaker.console import main; main(['routes'])"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "/api/v1/docs" in out.stdout and "/api/v1/openapi.json" in out.stdout


def test_no_test_helpers_ship_inside_the_app():
    """Fixtures and shortcuts that skip a workflow (clearing a buyer without a case) belong to the tests."""
    shipped = [str(p.relative_to(ROOT)) for package in ("matchmaker", "models", "indexing", "scheduling")
               for p in (ROOT / package).rglob("*.py")
               if p.stem in ("testing", "conftest") or p.stem.startswith("test_")]
    assert shipped == []
