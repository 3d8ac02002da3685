"""ranking_serves: rankings served with a randomised adjacent pair or team-draft interleaving (issue 13)

Revision ID: 0013
Revises: 0008
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: Union[str, Sequence[str], None] = "0008"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "ranking_serves",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requirement_id", sa.Integer(), nullable=False),
        sa.Column("buyer_id", sa.Integer(), nullable=False),
        sa.Column("served_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("intervention", sa.String(length=12), nullable=False),
        sa.Column("swap_position", sa.Integer(), nullable=True),
        sa.Column("arm_a", sa.String(length=40), nullable=False),
        sa.Column("arm_b", sa.String(length=40), nullable=True),
        sa.Column("makers", sa.JSON(), nullable=False),
        sa.Column("teams", sa.JSON(), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["requirement_id"], ["requirements.id"]),
        sa.ForeignKeyConstraint(["buyer_id"], ["organizations.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_ranking_serves_requirement_id", "ranking_serves", ["requirement_id"])
    op.create_index("ix_ranking_serves_served_at", "ranking_serves", ["served_at"])


def downgrade() -> None:
    op.drop_index("ix_ranking_serves_served_at", table_name="ranking_serves")
    op.drop_index("ix_ranking_serves_requirement_id", table_name="ranking_serves")
    op.drop_table("ranking_serves")
