"""The migrations build exactly the tables the code declares: what `flask db upgrade` gives an
operator is what the tests (which create tables from the models) exercised."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from matchmaker.cli import upgrade_database
from matchmaker.all_tables import import_all_tables
from matchmaker.records import Base


def _relevant(diff) -> bool:
    kind = diff[0] if isinstance(diff, tuple) else diff[0][0]
    return kind in {"add_table", "remove_table", "add_column", "remove_column"}


def test_upgrading_an_empty_database_gives_every_declared_table_and_column(tmp_path):
    import_all_tables()
    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade_database(url)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            diffs = [d for d in compare_metadata(MigrationContext.configure(conn), Base.metadata) if _relevant(d)]
    finally:
        engine.dispose()
    assert diffs == [], "migrations and tables differ: " + "; ".join(str(d)[:160] for d in diffs)
