"""consortia finished (issue 16): the offer as a contact quote, the buyer's subcontracting rule,
members' prices for their parts, the coordinator's small-firm share and price display

Revision ID: 0022
Revises: 0016
Create Date: 2026-12-01 17:00:00

* ``contact_quotes.consortium_proposal_id``: a quote that is a consortium's offer links its
  proposal, so the buyer's inquiry page shows the stage plan beside it.
* ``requirements.subcontracting``: ``allowed`` | ``declared`` (a consortium that names its
  members, no maker that subcontracts out of sight) | ``forbidden`` (single-firm answers only).
* ``consortium_parts.unit_price``: the price a member gave for its part when confirming it;
  the coordinator's next proposals use it as that member's cost.
* ``consortium_proposals.small_share`` / ``show_stage_prices``: the stated share for small
  firms, and whether the buyer sees each stage's price (else only the consortium's total).
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0022'
down_revision: Union[str, Sequence[str], None] = '0016'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('requirements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subcontracting', sa.String(length=10), nullable=False,
                                      server_default='allowed'))
    with op.batch_alter_table('contact_quotes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consortium_proposal_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_contact_quotes_consortium_proposal_id'), ['consortium_proposal_id'],
                              unique=False)
        batch_op.create_foreign_key('fk_contact_quote_consortium_proposal', 'consortium_proposals',
                                    ['consortium_proposal_id'], ['id'])
    with op.batch_alter_table('consortium_parts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_price', sa.Float(), nullable=True))
    with op.batch_alter_table('consortium_proposals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('small_share', sa.Float(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('show_stage_prices', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('consortium_proposals', schema=None) as batch_op:
        batch_op.drop_column('show_stage_prices')
        batch_op.drop_column('small_share')
    with op.batch_alter_table('consortium_parts', schema=None) as batch_op:
        batch_op.drop_column('unit_price')
    with op.batch_alter_table('contact_quotes', schema=None) as batch_op:
        batch_op.drop_constraint('fk_contact_quote_consortium_proposal', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_contact_quotes_consortium_proposal_id'))
        batch_op.drop_column('consortium_proposal_id')
    with op.batch_alter_table('requirements', schema=None) as batch_op:
        batch_op.drop_column('subcontracting')
