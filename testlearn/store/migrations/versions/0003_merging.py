"""Merging: provenance of merged files, record origins, and kept conflicts.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('merge_source',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('source_name', sa.String(), nullable=False),
    sa.Column('source_sha256', sa.String(), nullable=False),
    sa.Column('replica_id', sa.Uuid(), nullable=False),
    sa.Column('department', sa.String(), nullable=False),
    sa.Column('app_version', sa.String(), nullable=False),
    sa.Column('schema_generation', sa.Integer(), nullable=False),
    sa.Column('operator', sa.String(), nullable=False),
    sa.Column('merged_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_merge_source'))
    )
    op.create_table('conflict',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('entity', sa.String(), nullable=False),
    sa.Column('row_id', sa.Uuid(), nullable=False),
    sa.Column('field', sa.String(), nullable=False),
    sa.Column('base', sa.JSON(), nullable=True),
    sa.Column('value_a', sa.JSON(), nullable=True),
    sa.Column('value_b', sa.JSON(), nullable=True),
    sa.Column('rev_a', sa.String(), nullable=False),
    sa.Column('rev_b', sa.String(), nullable=False),
    sa.Column('shown', sa.String(), nullable=False),
    sa.Column('detail', sa.String(), nullable=False),
    sa.Column('merge_source_id', sa.Uuid(), nullable=True),
    sa.Column('detected_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('resolution', sa.JSON(), nullable=True),
    sa.Column('resolved_by', sa.String(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolution_rev', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['merge_source_id'], ['merge_source.id'], name=op.f('fk_conflict_merge_source_id_merge_source')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conflict'))
    )
    op.create_table('record_origin',
    sa.Column('entity', sa.String(), nullable=False),
    sa.Column('row_id', sa.Uuid(), nullable=False),
    sa.Column('merge_source_id', sa.Uuid(), nullable=False),
    sa.Column('outcome', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['merge_source_id'], ['merge_source.id'], name=op.f('fk_record_origin_merge_source_id_merge_source')),
    sa.PrimaryKeyConstraint('entity', 'row_id', 'merge_source_id', name=op.f('pk_record_origin'))
    )


def downgrade() -> None:
    op.drop_table('record_origin')
    op.drop_table('conflict')
    op.drop_table('merge_source')
