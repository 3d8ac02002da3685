"""milestone version: the optimistic lock of an order's milestone dates

Two users editing the same milestone at once must end in one winner and a 409, as the order's terms
do; ``order_milestones.version`` is the counter SQLAlchemy's ``version_id_col`` checks on UPDATE.
Existing rows start at 1.

Revision ID: 0025_polish_milestone_version
Revises: 0024
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0025_polish_milestone_version"
down_revision: Union[str, Sequence[str], None] = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("order_milestones") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("order_milestones") as batch:
        batch.drop_column("version")
