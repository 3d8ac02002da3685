"""vetting_serialise: at most one decision per vetting case

Revision ID: 0004_vetting_serialise
Revises: 0003
Create Date: 2026-12-01

Two board members deciding one case at the same moment both got 201 and the case carried two
decisions. The service now claims the open case with a conditional UPDATE; this makes the index
on ``vetting_decisions.case_id`` unique as well, so the database itself refuses a second decision.
"""
from typing import Sequence, Union

from alembic import op


revision: str = '0004_vetting_serialise'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.drop_index('ix_vetting_decisions_case_id', table_name='vetting_decisions')
    op.create_index('ix_vetting_decisions_case_id', 'vetting_decisions', ['case_id'], unique=True)


def downgrade() -> None:
    op.drop_index('ix_vetting_decisions_case_id', table_name='vetting_decisions')
    op.create_index('ix_vetting_decisions_case_id', 'vetting_decisions', ['case_id'], unique=False)
