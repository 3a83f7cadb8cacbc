"""Analysis results: each stored with its engine version, method, seed and input hash.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('analysis_result',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('rev', sa.String(length=64), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('hypothesis_id', sa.Uuid(), nullable=False),
    sa.Column('dataset_id', sa.Uuid(), nullable=False),
    sa.Column('hypothesis_rev', sa.String(), nullable=False),
    sa.Column('data_fingerprint', sa.String(), nullable=False),
    sa.Column('registration_hash', sa.String(), nullable=False),
    sa.Column('engine_version', sa.String(), nullable=False),
    sa.Column('method', sa.String(), nullable=False),
    sa.Column('seed', sa.Integer(), nullable=True),
    sa.Column('input_hash', sa.String(), nullable=False),
    sa.Column('verdict', sa.String(), nullable=False),
    sa.Column('grade', sa.String(), nullable=True),
    sa.Column('estimate', sa.Float(), nullable=True),
    sa.Column('ci_low', sa.Float(), nullable=True),
    sa.Column('ci_high', sa.Float(), nullable=True),
    sa.Column('p_value', sa.Float(), nullable=True),
    sa.Column('p_adjusted', sa.Float(), nullable=True),
    sa.Column('mde_achieved', sa.Float(), nullable=True),
    sa.Column('sentence', sa.String(), nullable=False),
    sa.Column('warnings', sa.JSON(), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('analysed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('analysed_by', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['dataset_id'], ['dataset.id'], name=op.f('fk_analysis_result_dataset_id_dataset')),
    sa.ForeignKeyConstraint(['hypothesis_id'], ['hypothesis.id'], name=op.f('fk_analysis_result_hypothesis_id_hypothesis')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_analysis_result'))
    )
    with op.batch_alter_table('analysis_result', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_analysis_result_hypothesis_id'), ['hypothesis_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('analysis_result', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_analysis_result_hypothesis_id'))

    op.drop_table('analysis_result')
