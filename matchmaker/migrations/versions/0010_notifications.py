"""notifications for every concern: kind + subject + params, per-kind email preferences, daily digest,
an outbox with Message-ID, claims and retry times (issue 14)

Revision ID: 0010
Revises: 0008
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: Union[str, Sequence[str], None] = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contact_notifications", schema=None) as b:
        b.alter_column("kind", existing_type=sa.String(length=10), type_=sa.String(length=30), existing_nullable=False)
        b.alter_column("inquiry_id", existing_type=sa.Integer(), nullable=True)
        b.add_column(sa.Column("subject_type", sa.String(length=20), nullable=False, server_default="inquiry"))
        b.add_column(sa.Column("subject_id", sa.Integer(), nullable=True))
        b.add_column(sa.Column("params", sa.JSON(), nullable=False, server_default="{}"))
        b.add_column(sa.Column("link", sa.String(length=300), nullable=False, server_default=""))
        b.add_column(sa.Column("email_mode", sa.String(length=10), nullable=False, server_default="immediate"))
        b.add_column(sa.Column("digest_outbox_id", sa.Integer(), nullable=True))
        b.add_column(sa.Column("dedup_key", sa.String(length=120), nullable=True))
        b.create_index("ix_contact_notification_digest", ["email_mode", "digest_outbox_id", "user_id"], unique=False)
        b.create_unique_constraint("uq_contact_notification_dedup", ["user_id", "dedup_key"])
    # notices written before 0010 were about inquiries: their subject is the inquiry
    op.execute("UPDATE contact_notifications SET subject_id = inquiry_id, "
               "link = '/inquiries/' || CAST(inquiry_id AS VARCHAR(20)) WHERE inquiry_id IS NOT NULL")

    with op.batch_alter_table("contact_email_outbox", schema=None) as b:
        b.add_column(sa.Column("user_id", sa.Integer(), nullable=True))
        b.add_column(sa.Column("kind", sa.String(length=30), nullable=False, server_default=""))
        b.add_column(sa.Column("message_id", sa.String(length=200), nullable=True))
        b.add_column(sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True))
        b.add_column(sa.Column("claimed_by", sa.String(length=40), nullable=True))
        b.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
        b.add_column(sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True))
        b.create_foreign_key("fk_contact_outbox_user", "users", ["user_id"], ["id"])
        b.create_unique_constraint("uq_contact_outbox_message_id", ["message_id"])
        b.create_index("ix_contact_email_outbox_user_id", ["user_id"], unique=False)
        b.create_index("ix_contact_outbox_due", ["sent_at", "failed_at", "next_attempt_at"], unique=False)
    op.execute("UPDATE contact_email_outbox SET message_id = '<outbox-' || CAST(id AS VARCHAR(20)) "
               "|| '@matchmaker.invalid>' WHERE message_id IS NULL")

    op.create_table(
        "contact_notification_prefs",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("user_id", "kind"),
    )
    op.create_table(
        "contact_digest_runs",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["outbox_id"], ["contact_email_outbox.id"]),
        sa.PrimaryKeyConstraint("user_id", "day"),
    )


def downgrade() -> None:
    op.drop_table("contact_digest_runs")
    op.drop_table("contact_notification_prefs")
    with op.batch_alter_table("contact_email_outbox", schema=None) as b:
        b.drop_index("ix_contact_outbox_due")
        b.drop_index("ix_contact_email_outbox_user_id")
        b.drop_constraint("uq_contact_outbox_message_id", type_="unique")
        b.drop_constraint("fk_contact_outbox_user", type_="foreignkey")
        for col in ("failed_at", "claimed_at", "claimed_by", "next_attempt_at", "message_id", "kind", "user_id"):
            b.drop_column(col)
    # only the four inquiry kinds of 0007 fit its columns: the other notices go, with their emails
    gone = "(inquiry_id IS NULL OR kind NOT IN ('inquiry', 'answer', 'quote', 'reply'))"
    op.execute(f"DELETE FROM contact_email_outbox WHERE notification_id IN "
               f"(SELECT id FROM contact_notifications WHERE {gone})")
    op.execute(f"DELETE FROM contact_notifications WHERE {gone}")
    with op.batch_alter_table("contact_notifications", schema=None) as b:
        b.drop_constraint("uq_contact_notification_dedup", type_="unique")
        b.drop_index("ix_contact_notification_digest")
        for col in ("dedup_key", "digest_outbox_id", "email_mode", "link", "params", "subject_id", "subject_type"):
            b.drop_column(col)
        b.alter_column("inquiry_id", existing_type=sa.Integer(), nullable=False)
        b.alter_column("kind", existing_type=sa.String(length=30), type_=sa.String(length=10), existing_nullable=False)
