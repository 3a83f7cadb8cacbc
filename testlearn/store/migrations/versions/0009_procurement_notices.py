"""Procurement Act notices: a contract's OCID and the notices imported for it, why it has no
KPIs when it says so, each KPI's id in the notices, and a statutory rating's date assessed,
period, source notice and id in it.

Every column is empty on every record written before: a revision leaves out a field added
later while it is empty (``records.OMITTED_WHILE_EMPTY``), so existing records keep their
revision ids and ``testlearn verify`` still finds each record equal to its last revision.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

TEXT_COLUMNS = {
    'procurement': ('ocid', 'no_agreed_metrics_rationale'),
    'kpi': ('notice_metric_id',),
    'kpi_rating': ('period', 'source_notice', 'notice_observation_id'),
}


def upgrade() -> None:
    for table, names in TEXT_COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in names:
                batch_op.add_column(
                    sa.Column(name, sa.String(), nullable=False, server_default='')
                )
            if table == 'procurement':
                batch_op.add_column(
                    sa.Column('notices', sa.JSON(), nullable=False, server_default='[]')
                )
            if table == 'kpi_rating':
                batch_op.add_column(sa.Column('assessed_on', sa.Date(), nullable=True))


def downgrade() -> None:
    for table, names in TEXT_COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            if table == 'kpi_rating':
                batch_op.drop_column('assessed_on')
            if table == 'procurement':
                batch_op.drop_column('notices')
            for name in reversed(names):
                batch_op.drop_column(name)
