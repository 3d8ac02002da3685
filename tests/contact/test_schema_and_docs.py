"""Migration 0007 builds on 0003 and downgrades alone, and the API document describes the contact routes."""
from __future__ import annotations

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect

from matchmaker.cli import alembic_config, upgrade_database

CONTACT_TABLES = {"contact_shortlists", "contact_shortlist_entries", "contact_inquiries", "contact_quotes",
                  "contact_messages", "contact_inquiry_day_counts", "contact_notifications", "contact_email_outbox"}


def test_db_upgrade_creates_the_contact_tables_and_0007_downgrades_alone(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    script = ScriptDirectory.from_config(alembic_config(url))
    assert script.get_revision("0007").down_revision == "0003"
    assert len(script.get_heads()) == 1, "migrations must end in one head"
    upgrade_database(url)
    engine = create_engine(url)
    tables = set(inspect(engine).get_table_names())
    assert CONTACT_TABLES <= tables and "fairs" in tables
    command.downgrade(alembic_config(url), "0008")  # the merge revision above 0007
    command.downgrade(alembic_config(url), "0007@0003")
    after = set(inspect(engine).get_table_names())
    assert not (CONTACT_TABLES & after) and "fairs" in after and "requirements" in after
    engine.dispose()


def test_the_api_document_describes_the_contact_routes(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    quote = doc["paths"]["/api/v1/inquiries/{inquiry_id}/quotes"]["post"]
    assert quote["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/QuoteIn")
    props = doc["components"]["schemas"]["QuoteIn"]["properties"]
    assert {"unit_price", "currency", "lead_time_days", "moq", "valid_until", "notes"} == set(props)
    assert "buyer_user" in doc["paths"]["/api/v1/inquiries"]["post"]["description"]


NOTIFY_TABLES = {"contact_notification_prefs", "contact_digest_runs"}


def test_0010_builds_on_0008_and_downgrades_alone_keeping_inquiry_notices(tmp_path):
    from sqlalchemy import text

    url = f"sqlite:///{tmp_path / 'n.db'}"
    script = ScriptDirectory.from_config(alembic_config(url))
    assert script.get_revision("0010").down_revision == "0008"
    upgrade_database(url)
    engine = create_engine(url)
    assert NOTIFY_TABLES <= set(inspect(engine).get_table_names())
    columns = {c["name"] for c in inspect(engine).get_columns("contact_email_outbox")}
    assert {"message_id", "claimed_by", "next_attempt_at", "failed_at"} <= columns
    command.downgrade(alembic_config(url), "0008")
    assert not (NOTIFY_TABLES & set(inspect(engine).get_table_names()))
    assert "message_id" not in {c["name"] for c in inspect(engine).get_columns("contact_email_outbox")}
    command.upgrade(alembic_config(url), "head")
    with engine.connect() as conn:
        assert conn.execute(text("select count(*) from contact_notifications")).scalar() == 0
    engine.dispose()


def test_the_api_document_describes_notifications_and_preferences(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    put = doc["paths"]["/api/v1/notifications/preferences"]["put"]
    assert put["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/PreferencesIn")
    assert "preferences.<kind>" in put["summary"]
    assert "get" in doc["paths"]["/api/v1/notifications/preferences"]
    assert "Roles:" not in doc["paths"]["/api/v1/notifications"]["get"].get("description", "")  # every signed-in role
