"""Alembic environment: migrations always run on a connection handed in by the store.

The store decides when to migrate (after backing the file up) and in which transaction;
this file only wires Alembic to that connection. ``render_as_batch`` lets ALTER work on
SQLite by rebuilding tables.
"""

from __future__ import annotations

from alembic import context

from testlearn.store.tables import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
