"""Clearances: who cleared a report of a pilot, and the fingerprint of what they cleared.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('clearance',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('rev', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('pilot_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('include_commercial', sa.Boolean(), nullable=False),
    sa.Column('content_hash', sa.String(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('cleared_by', sa.String(), nullable=False),
    sa.Column('role', sa.String(), nullable=False),
    sa.Column('cleared_on', sa.Date(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['pilot_id'], ['pilot.id'], name=op.f('fk_clearance_pilot_id_pilot')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clearance'))
    )
    with op.batch_alter_table('clearance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clearance_pilot_id'), ['pilot_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('clearance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clearance_pilot_id'))

    op.drop_table('clearance')
