"""consortia: coordinators' proposals and the parts members confirm (issue 16)

Revision ID: 0014
Revises: 0008
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: Union[str, Sequence[str], None] = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "consortium_proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requirement_id", sa.Integer(), nullable=False),
        sa.Column("coordinator_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("alternatives", sa.JSON(), nullable=False),
        sa.Column("greedy", sa.JSON(), nullable=True),
        sa.Column("shortfalls", sa.JSON(), nullable=False),
        sa.Column("locks", sa.JSON(), nullable=False),
        sa.Column("chosen", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["coordinator_id"], ["organizations.id"]),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["requirement_id"], ["requirements.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("requirement_id", "coordinator_id", name="uq_consortium_requirement"),
    )
    op.create_index("ix_consortium_proposals_requirement_id", "consortium_proposals", ["requirement_id"])
    op.create_index("ix_consortium_proposals_coordinator_id", "consortium_proposals", ["coordinator_id"])
    op.create_index("ix_consortium_proposals_status", "consortium_proposals", ["status"])
    op.create_table(
        "consortium_parts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=30), nullable=False),
        sa.Column("maker_id", sa.Integer(), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("confirmed_units", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["maker_id"], ["organizations.id"]),
        sa.ForeignKeyConstraint(["proposal_id"], ["consortium_proposals.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("proposal_id", "stage", "maker_id", name="uq_consortium_part"),
    )
    op.create_index("ix_consortium_parts_proposal_id", "consortium_parts", ["proposal_id"])
    op.create_index("ix_consortium_parts_maker_id", "consortium_parts", ["maker_id"])


def downgrade() -> None:
    op.drop_table("consortium_parts")
    op.drop_table("consortium_proposals")
