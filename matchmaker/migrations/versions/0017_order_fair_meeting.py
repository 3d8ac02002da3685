"""orders: one order per fair meeting (issue 15)

Recording "this order" from a fair meeting's follow-up may be clicked by both sides at once;
a unique index on ``orders.fair_meeting_id`` makes the second a 409 instead of a second order
(NULLs, the orders from quotes or entered by the maker, are not compared).

Revision ID: 0017
Revises: 0016
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0017"
down_revision: Union[str, Sequence[str], None] = "0016"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_index("uq_order_fair_meeting", "orders", ["fair_meeting_id"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_order_fair_meeting", table_name="orders")
