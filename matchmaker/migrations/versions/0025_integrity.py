"""orders: at most one open dispute per figure (audit item 3)

Raising a dispute checks for an open one on the same figure under the order's row lock; this
partial unique index on ``(order_id, subject, subject_id, field)`` over the open disputes makes
the rule hold in the database too, whatever path writes the row. Answered and withdrawn disputes
are not compared, so a figure may be disputed again later.

Revision ID: 0025_integrity
Revises: 0024
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0025_integrity"
down_revision: Union[str, Sequence[str], None] = "0024"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

OPEN = sa.text("status = 'open'")


def upgrade() -> None:
    op.create_index("uq_order_dispute_open", "order_disputes", ["order_id", "subject", "subject_id", "field"],
                    unique=True, postgresql_where=OPEN, sqlite_where=OPEN)


def downgrade() -> None:
    op.drop_index("uq_order_dispute_open", table_name="order_disputes")
