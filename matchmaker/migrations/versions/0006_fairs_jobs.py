"""fairs: jobs table, calendar entries (stable UID + SEQUENCE), request expiry, calendar tokens

Its own head beside other branches off 0003; ``db upgrade`` goes to every head.

Revision ID: 0006
Revises: 0003
Create Date: 2026-12-01 10:10:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = ('fairs_jobs',)
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('jobs',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('func_path', sa.String(length=200), nullable=False),
    sa.Column('kwargs', sa.JSON(), nullable=False),
    sa.Column('subject', sa.String(length=100), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('progress', sa.Float(), nullable=False),
    sa.Column('message', sa.String(length=300), nullable=False),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_jobs_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_jobs_subject'), ['subject'], unique=False)

    op.create_table('fair_calendar_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fair_id', sa.Integer(), nullable=False),
    sa.Column('buyer_participant_id', sa.Integer(), nullable=False),
    sa.Column('maker_participant_id', sa.Integer(), nullable=False),
    sa.Column('buyer_name', sa.String(length=200), nullable=False),
    sa.Column('maker_name', sa.String(length=200), nullable=False),
    sa.Column('uid', sa.String(length=120), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sa.String(length=120), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('table_label', sa.String(length=60), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['fair_id'], ['fairs.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('fair_id', 'buyer_participant_id', 'maker_participant_id')
    )
    with op.batch_alter_table('fair_calendar_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fair_calendar_entries_fair_id'), ['fair_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fair_calendar_entries_buyer_participant_id'),
                              ['buyer_participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fair_calendar_entries_maker_participant_id'),
                              ['maker_participant_id'], unique=False)

    with op.batch_alter_table('fair_participants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calendar_token', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint('uq_fair_participants_calendar_token', ['calendar_token'])

    with op.batch_alter_table('fair_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('fair_requests', schema=None) as batch_op:
        batch_op.drop_column('expires_at')
    with op.batch_alter_table('fair_participants', schema=None) as batch_op:
        batch_op.drop_constraint('uq_fair_participants_calendar_token', type_='unique')
        batch_op.drop_column('calendar_token')
    with op.batch_alter_table('fair_calendar_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fair_calendar_entries_maker_participant_id'))
        batch_op.drop_index(batch_op.f('ix_fair_calendar_entries_buyer_participant_id'))
        batch_op.drop_index(batch_op.f('ix_fair_calendar_entries_fair_id'))
    op.drop_table('fair_calendar_entries')
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jobs_subject'))
        batch_op.drop_index(batch_op.f('ix_jobs_name'))
    op.drop_table('jobs')
