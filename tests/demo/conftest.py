import pytest
from demo_helpers import fresh_sqlite

from matchmaker.demo import generate


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory):
    """The default demo cluster (1,400 makers, 300 buyers, seed 7) in a temp SQLite file."""
    engine = fresh_sqlite(tmp_path_factory.mktemp("demo") / "demo.db")
    summary = generate(engine)
    yield engine, summary
    engine.dispose()
