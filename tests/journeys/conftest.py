"""The demo cluster at its default size, made once per test run by the real command line.

``flask db upgrade`` then ``flask demo-data`` (1,400 makers, 300 buyers, the vetting history,
three fairs, the search index, a ranker and the screener) write into a SQLite file and an index
directory. The result is cached under pytest's cache directory, keyed by a hash of the code that
makes it, so later runs on the same code reuse it; every run works on its own copy.

The one shortcut: the ranker's validation grid is cut to its first setting (tuning runs, on one
setting instead of twelve); the model is trained, promoted and served as in the demo.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SECRET = "journeys-test-secret"
# the code that decides what the demo database, index and models hold
GENERATOR_CODE = ("matchmaker/vetting/demo.py", "matchmaker/vetting/records.py",
                  "matchmaker/vetting/screening.py", "matchmaker/demo", "matchmaker/fairs/records.py",
                  "matchmaker/fairs", "matchmaker/fairs/schemas.py", "matchmaker/migrations",
                  "matchmaker/records.py", "matchmaker/organizations/records.py", "matchmaker/makers/records.py",
                  "matchmaker/buyers/records.py", "matchmaker/requirements/records.py",
                  "matchmaker/accounts/records.py", "matchmaker/taxonomy.py", "matchmaker/search", "matchmaker/ranking",
                  "matchmaker/setup_steps.py", "matchmaker/cli.py", "indexing", "models", "scheduling",
                  "tests/journeys/conftest.py")


@dataclass
class DemoCluster:
    root: Path                      # this run's copy: matchmaker.db, search/, models/, instance/
    logins: list[dict]              # role, email, password, as the sign-in page lists them
    build_seconds: float            # what making it cost (0 when it came from the cache)
    build_output: str               # what `db upgrade` and `demo-data` printed and logged
    cached: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.root / 'matchmaker.db'}"

    def config(self, **overrides) -> dict:
        return {"SECRET_KEY": SECRET, "DATABASE_URL": self.database_url, "SEARCH_URL": "embedded",
                "SEARCH_PATH": str(self.root / "search"), "MODEL_DIR": str(self.root / "models"),
                "DEMO": True, **overrides}

    def login(self, role: str) -> dict:
        return next(entry for entry in self.logins if entry["role"] == role)


def generator_hash() -> str:
    digest = hashlib.sha256()
    for name in GENERATOR_CODE:
        path = REPO / name
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for f in files:
            digest.update(str(f.relative_to(REPO)).encode())
            digest.update(f.read_bytes())
    return digest.hexdigest()[:16]


@contextlib.contextmanager
def captured_logs(level: int = logging.INFO):
    """Every log record of the application while inside, kept in a list."""
    records: list[logging.LogRecord] = []

    class _Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = _Keep(level)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield records
    finally:
        root.removeHandler(handler)


def build_demo_cluster(root: Path) -> tuple[float, str]:
    """Run the real `db upgrade` and `demo-data` into ``root``; returns (seconds, output and log)."""
    from matchmaker import create_app
    from matchmaker.ranking import training

    root.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    url = f"sqlite:///{root / 'matchmaker.db'}"
    with captured_logs() as records:
        app = create_app({"SECRET_KEY": SECRET, "DATABASE_URL": url, "SEARCH_URL": "embedded",
                          "SEARCH_PATH": str(root / "search"), "MODEL_DIR": str(root / "models"), "DEMO": True})
        app.instance_path = str(root / "instance")  # demo-logins.json goes here, not into the repository
        runner = app.test_cli_runner()
        upgrade = runner.invoke(args=["db", "upgrade"])
        assert upgrade.exit_code == 0, upgrade.output
        with pytest.MonkeyPatch.context() as mp, app.app_context():  # `flask` pushes one for every command
            mp.setattr(training, "GRID", training.GRID[:1])
            demo = runner.invoke(args=["demo-data"])
        assert demo.exit_code == 0, f"{demo.output}\n{demo.exception!r}"
        app.extensions["matchmaker.engine"].dispose()
        search = app.extensions.get("matchmaker.search")
        if search is not None:
            search.close()
    formatter = logging.Formatter("%(levelname)s %(name)s: %(message)s")
    log = "\n".join(formatter.format(r) for r in records)
    output = f"$ flask db upgrade\n{upgrade.output}\n$ flask demo-data\n{demo.output}\n-- log --\n{log}\n"
    seconds = time.perf_counter() - started
    (root / "build.txt").write_text(f"{seconds:.1f}\n{output}")
    return seconds, output


def _cache_dir(config) -> Path | None:
    cache = getattr(config, "cache", None)
    if cache is None or os.environ.get("MATCHMAKER_JOURNEYS_NO_CACHE"):
        return None
    return Path(cache.mkdir("demo-cluster"))


@pytest.fixture(scope="session")
def demo_cluster(request, tmp_path_factory) -> DemoCluster:
    key = generator_hash()
    cache = _cache_dir(request.config)
    built = cache / key if cache is not None else None
    cached = built is not None and (built / "build.txt").exists()
    if not cached:
        target = (cache / f"{key}.building-{os.getpid()}") if cache is not None else tmp_path_factory.mktemp("demo")
        shutil.rmtree(target, ignore_errors=True)
        build_demo_cluster(target)
        if cache is not None:
            for old in cache.iterdir():  # other code versions' clusters
                if old.name != key and not old.name.startswith(f"{key}."):
                    shutil.rmtree(old, ignore_errors=True)
            try:
                os.replace(target, built)
            except OSError:  # another run finished first: use its copy
                shutil.rmtree(target, ignore_errors=True)
        else:
            built = target
    seconds, output = (built / "build.txt").read_text().split("\n", 1)
    root = tmp_path_factory.mktemp("journeys") / "cluster"
    shutil.copytree(built, root)
    logins = json.loads((root / "instance" / "demo-logins.json").read_text())
    return DemoCluster(root=root, logins=logins, build_seconds=0.0 if cached else float(seconds),
                       build_output=output, cached=cached)


@pytest.fixture(scope="session")
def demo_app(demo_cluster):
    """The application on this run's copy of the demo cluster, as gunicorn would serve it (not TESTING:
    an unexpected error becomes a logged 500, as a user would meet it)."""
    from matchmaker import create_app

    app = create_app(demo_cluster.config())
    app.instance_path = str(demo_cluster.root / "instance")
    yield app
    app.extensions["matchmaker.engine"].dispose()
