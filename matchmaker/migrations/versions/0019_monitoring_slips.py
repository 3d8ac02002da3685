"""monitoring slips: each target missed, kept so it is announced once (issue 15, monitoring)

Revision ID: 0019
Revises: 0016
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: Union[str, Sequence[str], None] = "0016"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "monitoring_slips",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("missed_on", sa.Date(), nullable=False),
        sa.Column("amount", sa.Float(), nullable=True),
        sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("monitoring_slips", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_monitoring_slips_order_id"), ["order_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("monitoring_slips", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitoring_slips_order_id"))
    op.drop_table("monitoring_slips")
