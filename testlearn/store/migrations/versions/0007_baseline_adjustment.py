"""The baseline adjustment: a hypothesis may register a baseline measure to adjust for, and
an outcome row may carry each unit's baseline value.

``hypothesis.baseline_covariate`` is text, empty on every hypothesis written before: a revision
and a registration snapshot leave it out while it is empty (``records.OMITTED_WHILE_EMPTY``,
``registration.frozen_content``), so existing records keep their revision ids and registrations
their hashes. ``observation.baseline`` is a number, empty (NULL) on every row written before;
the data fingerprint leaves an empty baseline out, so stored fingerprints still verify.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('hypothesis', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('baseline_covariate', sa.String(), nullable=False, server_default='')
        )
    with op.batch_alter_table('observation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('baseline', sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('observation', schema=None) as batch_op:
        batch_op.drop_column('baseline')
    with op.batch_alter_table('hypothesis', schema=None) as batch_op:
        batch_op.drop_column('baseline_covariate')
