"""Submission fields on a pilot: equality impacts, legal considerations, the lead official and
contact, and the internal roles a brief is copied to (private office, special adviser, press
office, analysts, commercial lead).

Each is text, empty on every pilot written before: a revision leaves out a field added later
while it is empty (``records.OMITTED_WHILE_EMPTY``), so existing records keep their revision
ids and ``testlearn verify`` still finds each record equal to its last revision.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

COLUMNS = (
    "equality_impacts",
    "legal_considerations",
    "lead_official",
    "lead_official_contact",
    "private_office",
    "special_adviser",
    "press_office",
    "analysts",
    "commercial_lead",
)


def upgrade() -> None:
    with op.batch_alter_table('pilot', schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.String(), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('pilot', schema=None) as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
