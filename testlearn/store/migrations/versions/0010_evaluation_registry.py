"""The Evaluation Registry: what the registry asks of a pilot that no field held before, its
policy areas (the registry's taxonomies), the text of an "Other" evaluation type, the links to
its evaluation plan and published report with the date published, and why a complete
evaluation's report is unpublished.

Every column is empty on every record written before: a revision leaves out a field added
later while it is empty (``records.OMITTED_WHILE_EMPTY``), so existing records keep their
revision ids and ``testlearn verify`` still finds each record equal to its last revision.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

TEXT_COLUMNS = (
    'other_evaluation_type',
    'evaluation_plan_link',
    'report_link',
    'unpublished_details',
)
LIST_COLUMNS = ('policy_areas', 'unpublished_reasons')


def upgrade() -> None:
    with op.batch_alter_table('pilot', schema=None) as batch_op:
        for name in TEXT_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.String(), nullable=False, server_default=''))
        for name in LIST_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('report_published_on', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('pilot', schema=None) as batch_op:
        batch_op.drop_column('report_published_on')
        for name in reversed(LIST_COLUMNS):
            batch_op.drop_column(name)
        for name in reversed(TEXT_COLUMNS):
            batch_op.drop_column(name)
