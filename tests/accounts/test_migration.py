"""Migration 0009 builds on the 0008 merge, keeps one head, and downgrades alone."""
from __future__ import annotations

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect

from matchmaker.cli import alembic_config, upgrade_database


def test_0009_creates_account_signups_and_downgrades_alone(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    script = ScriptDirectory.from_config(alembic_config(url))
    assert script.get_revision("0009").down_revision == "0008"
    assert len(script.get_heads()) == 1
    upgrade_database(url)
    engine = create_engine(url)
    assert "account_signups" in inspect(engine).get_table_names()
    command.downgrade(alembic_config(url), "0008")
    tables = set(inspect(engine).get_table_names())
    assert "account_signups" not in tables and "users" in tables and "contact_email_outbox" in tables
    upgrade_database(url)
    assert "account_signups" in inspect(engine).get_table_names()
    engine.dispose()
