"""auth epoch: the counter that lets workers cache bearer-token checks safely (issue 12)

Revision ID: 0023
Revises: 0016
"""
import secrets
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: Union[str, Sequence[str], None] = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "auth_epochs",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(table, [{"id": 1, "value": secrets.randbits(62)}])


def downgrade() -> None:
    op.drop_table("auth_epochs")
