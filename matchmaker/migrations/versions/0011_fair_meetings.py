"""fairs during and after: video meetings, check-in, follow-up answers, the fill-minimums option

Revision ID: 0011
Revises: 0008
Create Date: 2026-12-01 14:00:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: Union[str, Sequence[str], None] = "0008"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("fairs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fill_minimums", sa.Boolean(), nullable=False, server_default=sa.false()))

    op.create_table(
        "fair_pair_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column("buyer_participant_id", sa.Integer(), nullable=False),
        sa.Column("maker_participant_id", sa.Integer(), nullable=False),
        sa.Column("virtual", sa.Boolean(), nullable=False),
        sa.Column("virtual_by", sa.String(length=10), nullable=True),
        sa.Column("video_token", sa.String(length=64), nullable=False),
        sa.Column("checked_in_by_id", sa.Integer(), nullable=True),
        sa.Column("checked_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["fair_id"], ["fairs.id"]),
        sa.ForeignKeyConstraint(["buyer_participant_id"], ["fair_participants.id"]),
        sa.ForeignKeyConstraint(["maker_participant_id"], ["fair_participants.id"]),
        sa.ForeignKeyConstraint(["checked_in_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("fair_id", "buyer_participant_id", "maker_participant_id"),
    )
    for col in ("fair_id", "buyer_participant_id", "maker_participant_id"):
        op.create_index(f"ix_fair_pair_settings_{col}", "fair_pair_settings", [col])

    op.create_table(
        "fair_follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column("buyer_participant_id", sa.Integer(), nullable=False),
        sa.Column("maker_participant_id", sa.Integer(), nullable=False),
        sa.Column("side", sa.String(length=10), nullable=False),
        sa.Column("wave", sa.String(length=10), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("next_step", sa.String(length=20), nullable=False),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome_event_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["fair_id"], ["fairs.id"]),
        sa.ForeignKeyConstraint(["buyer_participant_id"], ["fair_participants.id"]),
        sa.ForeignKeyConstraint(["maker_participant_id"], ["fair_participants.id"]),
        sa.ForeignKeyConstraint(["answered_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["outcome_event_id"], ["outcome_events.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("fair_id", "buyer_participant_id", "maker_participant_id", "side", "wave"),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name="ck_fair_follow_up_rating"),
    )
    for col in ("fair_id", "buyer_participant_id", "maker_participant_id"):
        op.create_index(f"ix_fair_follow_ups_{col}", "fair_follow_ups", [col])


def downgrade() -> None:
    op.drop_table("fair_follow_ups")
    op.drop_table("fair_pair_settings")
    with op.batch_alter_table("fairs", schema=None) as batch_op:
        batch_op.drop_column("fill_minimums")
