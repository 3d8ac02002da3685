"""orders: one open dispute per figure; the delivery date in force over time (audit items 3, 4, 5)

Raising a dispute checks for an open one on the same figure under the order's row lock; this
partial unique index on ``(order_id, subject, subject_id, field)`` over the open disputes makes
the rule hold in the database too, whatever path writes the row. Answered and withdrawn disputes
are not compared, so a figure may be disputed again later.

``order_agreed_dates`` keeps the delivery date each order was created with and each one both sides
confirmed, with the moment it came into force: the ranker and monitoring judge deliveries against
it instead of the order's current date, which one side may have changed alone. Existing orders get
a ``created`` row (the date before the first recorded change of it, else the current one, from the
order's creation) and, when both sides have confirmed the current terms, a ``confirmed`` row from
the later confirmation.

Revision ID: 0025_integrity
Revises: 0024
"""
from datetime import date, datetime
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0025_integrity"
down_revision: Union[str, Sequence[str], None] = "0024"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

OPEN = sa.text("status = 'open'")


def upgrade() -> None:
    _agreed_dates()
    op.create_index("uq_order_dispute_open", "order_disputes", ["order_id", "subject", "subject_id", "field"],
                    unique=True, postgresql_where=OPEN, sqlite_where=OPEN)


def _agreed_dates() -> None:
    table = op.create_table(
        "order_agreed_dates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("delivery_date", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_order_agreed_dates_order_id", "order_agreed_dates", ["order_id"])
    conn = op.get_bind()
    first_old = {}
    for order_id, old in conn.execute(sa.text(
            "SELECT order_id, old_value FROM order_term_changes WHERE field = 'delivery_date' ORDER BY id DESC")):
        first_old[order_id] = old  # the earliest change wins (rows read newest first)
    rows = []
    for oid, day, created, buyer_at, maker_at in conn.execute(sa.text(
            "SELECT id, delivery_date, created_at, buyer_confirmed_at, maker_confirmed_at FROM orders")):
        original = first_old.get(oid)
        rows.append({"order_id": oid, "delivery_date": date.fromisoformat(original) if original else _day(day),
                     "source": "created", "at": _moment(created)})
        if buyer_at is not None and maker_at is not None:
            rows.append({"order_id": oid, "delivery_date": _day(day), "source": "confirmed",
                         "at": max(_moment(buyer_at), _moment(maker_at))})
    if rows:
        op.bulk_insert(table, rows)


def _day(value):
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _moment(value):
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def downgrade() -> None:
    op.drop_table("order_agreed_dates")
    op.drop_index("uq_order_dispute_open", table_name="order_disputes")
