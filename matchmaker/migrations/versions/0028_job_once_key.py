"""jobs.once_key: a job that may run once per key (the daily digest of one UTC day), unique in the database

Revision ID: 0028
Revises: 0027
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0028"
down_revision: Union[str, Sequence[str], None] = "0027"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("once_key", sa.String(length=120), nullable=True))
        batch_op.create_index(batch_op.f("ix_jobs_once_key"), ["once_key"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_jobs_once_key"))
        batch_op.drop_column("once_key")
