"""Canonical ids: every UUID column on SQLite must hold 32 lowercase hex digits.

SQLite has no uuid type, so each table holding one is rebuilt with a CHECK constraint per
UUID column (see ``tables.canonical_id_condition``). Rebuilding drops a table's triggers,
so the append-only guards of revision and audit_event are created again, with the same
text as 0001. A file whose ids are already spelled otherwise (only a hand edit does that)
is refused with the place named, and stays as it was: the migration runs in one
transaction after a backup. PostgreSQL's uuid type is canonical already: nothing to do.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from testlearn.errors import DatabaseFileError
from testlearn.store.tables import canonical_id_condition, metadata, uuid_columns

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

#: Tables whose rows are never updated or deleted once written (as in 0001).
APPEND_ONLY = ("revision", "audit_event")


def _tables() -> list[tuple[str, list[str]]]:
    names = set(sa.inspect(op.get_bind()).get_table_names())
    return [
        (table.name, uuid_columns(table))
        for table in metadata.sorted_tables
        if table.name in names and uuid_columns(table)
    ]


def _refuse_other_spellings(table: str, columns: list[str]) -> None:
    for column in columns:
        bad = op.get_bind().exec_driver_sql(
            f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL "
            f"AND NOT ({canonical_id_condition(column)}) LIMIT 1"
        ).first()
        if bad is not None:
            raise DatabaseFileError(
                f"{table}.{column} holds the id {bad[0]!r}, which testlearn never writes: "
                "the file was edited outside testlearn. It has not been changed; run "
                "`testlearn verify` with the version that made it, or open a backup"
            )


def upgrade() -> None:
    if op.get_context().dialect.name != "sqlite":
        return
    for table, columns in _tables():
        _refuse_other_spellings(table, columns)
        with op.batch_alter_table(table, recreate="always") as batch_op:
            for column in columns:
                batch_op.create_check_constraint(
                    op.f(f"ck_{table}_{column}_canonical"), canonical_id_condition(column)
                )
    for table in APPEND_ONLY:
        for action in ("UPDATE", "DELETE"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only_{action.lower()}")
            op.execute(
                f"CREATE TRIGGER {table}_append_only_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )


def downgrade() -> None:
    if op.get_context().dialect.name != "sqlite":
        return
    for table, columns in _tables():
        with op.batch_alter_table(table, recreate="always") as batch_op:
            for column in columns:
                batch_op.drop_constraint(op.f(f"ck_{table}_{column}_canonical"), type_="check")
    for table in APPEND_ONLY:
        for action in ("UPDATE", "DELETE"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only_{action.lower()}")
            op.execute(
                f"CREATE TRIGGER {table}_append_only_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )
