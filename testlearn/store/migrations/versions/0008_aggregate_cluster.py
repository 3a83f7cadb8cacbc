"""Which cluster an aggregate row describes: a stepped wedge's data are one row per cluster and
calendar period.

Empty on every row written before; the data fingerprint leaves an empty cluster out of a row
(``domain.fingerprint``), so existing datasets keep their fingerprints and ``testlearn verify``
still finds them equal.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('aggregate_row', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cluster', sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('aggregate_row', schema=None) as batch_op:
        batch_op.drop_column('cluster')
