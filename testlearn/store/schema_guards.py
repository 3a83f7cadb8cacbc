"""The schema's own defences, checked by what they say rather than by their names.

A guard's name proves nothing: ``CREATE TRIGGER revision_append_only_update ... WHEN 0``
has the right name and never fires. So on SQLite each append-only guard's SQL text must be
the text testlearn wrote (whitespace, case and comments aside), and every table holding
UUIDs must still carry its canonical-id CHECK constraints (a table rebuilt without them
would take any spelling again). On PostgreSQL each guard trigger must exist, be enabled,
fire before UPDATE and DELETE of every row with no condition, and call a function whose
body raises.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from sqlalchemy import text

from testlearn.domain.verification import Finding
from testlearn.store.tables import canonical_id_condition, metadata, uuid_columns
from testlearn.store.unit_of_work import UnitOfWork

APPEND_ONLY = ("revision", "audit_event")
GUARDS = tuple(
    f"{table}_append_only_{action}" for table in APPEND_ONLY for action in ("update", "delete")
)

# tgtype bits (PostgreSQL's pg_trigger.h): ROW 1, BEFORE 2, DELETE 8, UPDATE 16.
_PG_ROW_BEFORE_UPDATE_DELETE = 1 | 2 | 8 | 16


def normal_sql(sql: str) -> str:
    """SQL text with comments dropped, whitespace collapsed and letters in lower case."""
    sql = re.sub(r"--[^\n]*", " ", sql)
    sql = re.sub(r"/\*.*?\*/", " ", sql, flags=re.DOTALL)
    sql = re.sub(r"\s+", " ", sql).strip().lower()
    return re.sub(r"\s*([(),;])\s*", r"\1", sql)


def expected_guard(table: str, action: str) -> str:
    return normal_sql(
        f"CREATE TRIGGER {table}_append_only_{action.lower()} BEFORE {action.upper()} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
    )


def expected_constraint(table: str, column: str) -> str:
    return normal_sql(
        f"CONSTRAINT ck_{table}_{column}_canonical CHECK ({canonical_id_condition(column)})"
    )


def check(uow: UnitOfWork) -> Iterator[Finding]:
    if uow.conn.dialect.name == "sqlite":
        yield from _sqlite(uow)
    elif uow.conn.dialect.name == "postgresql":
        yield from _postgres(uow)


def _sqlite(uow: UnitOfWork) -> Iterator[Finding]:
    schema = {
        (kind, name): normal_sql(sql or "")
        for kind, name, sql in uow.conn.execute(
            text("SELECT type, name, sql FROM sqlite_master WHERE type IN ('trigger', 'table')")
        )
    }
    for table in APPEND_ONLY:
        for action in ("update", "delete"):
            name = f"{table}_append_only_{action}"
            found = schema.get(("trigger", name))
            if found is None:
                yield Finding("guards", name, f"the append-only guard on {table} was removed")
            elif found != expected_guard(table, action):
                yield Finding(
                    "guards",
                    name,
                    f"the append-only guard on {table} was replaced by a trigger of the same "
                    "name that is not the guard testlearn made (it may never fire)",
                )
    for defined in metadata.sorted_tables:
        sql = schema.get(("table", defined.name))
        if sql is None:
            yield Finding("guards", f"table {defined.name}", "the table is missing from the file")
            continue
        lost = [c for c in uuid_columns(defined) if expected_constraint(defined.name, c) not in sql]
        if lost:
            yield Finding(
                "guards",
                f"table {defined.name}",
                "the table was rebuilt without its check that ids are written in their one "
                f"canonical form (column {', '.join(lost)}): it would take any spelling",
            )


def _postgres(uow: UnitOfWork) -> Iterator[Finding]:
    rows = uow.conn.execute(
        text(
            "SELECT c.relname, t.tgname, t.tgenabled, t.tgtype, t.tgqual IS NULL, p.prosrc "
            "FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_proc p ON p.oid = t.tgfoid "
            "WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace"
        )
    ).all()
    triggers = {(str(row[0]), str(row[1])): row for row in rows}
    for table in APPEND_ONLY:
        name = f"{table}_append_only"
        row = triggers.get((table, name))
        if row is None:
            yield Finding("guards", name, f"the append-only trigger on {table} was removed")
            continue
        _table, _name, enabled, kind, unconditional, source = row
        enabled = enabled.decode() if isinstance(enabled, bytes) else str(enabled)
        problems = []
        if enabled not in ("O", "A"):
            problems.append("it is disabled")
        if int(kind) & _PG_ROW_BEFORE_UPDATE_DELETE != _PG_ROW_BEFORE_UPDATE_DELETE:
            problems.append("it no longer fires before every update and delete")
        if not unconditional:
            problems.append("it was given a condition")
        if normal_sql(str(source)) != normal_sql(
            f"BEGIN RAISE EXCEPTION '{table} is append-only'; END"
        ):
            problems.append("its function no longer refuses the change")
        if problems:
            yield Finding(
                "guards",
                name,
                f"the append-only trigger on {table} does not guard it: {'; '.join(problems)}",
            )
