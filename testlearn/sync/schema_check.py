"""Opening a department file defensively, and its schema compared before any query.

A department file comes from outside: its schema can hold what no testlearn file holds (a
view that recurses for ever, a trigger, a table shadowing one of ours under the same name as
a view). SQLite's own defence is ``SQLITE_DBCONFIG_DEFENSIVE`` with ``trusted_schema`` off;
Python 3.11's ``sqlite3`` cannot set the first (``Connection.setconfig`` came in 3.12, and is
used when present), so what is possible is done: ``PRAGMA trusted_schema=OFF`` on every
connection, and ``sqlite_master`` read (which runs nothing of the schema) and compared, object
by object, with the schema the migrations of the file's generation make
(``known_schemas.json``), before any other query reaches the file.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from pathlib import Path

KNOWN_SCHEMAS = Path(__file__).with_name("known_schemas.json")
#: Tables SQLite itself adds (ANALYZE, PRAGMA optimize): statistics for its planner, no data.
SQLITE_OWN = ("sqlite_stat1", "sqlite_stat4")

Objects = dict[tuple[str, str], str]  # (type, name) -> normalised sql


def open_defensively(path: Path) -> sqlite3.Connection:
    """A read-only connection to ``path`` that trusts nothing in the file's schema."""
    conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
    conn.execute("PRAGMA trusted_schema=OFF")
    setconfig = getattr(conn, "setconfig", None)  # Python 3.12 and later
    if setconfig is not None:
        setconfig(getattr(sqlite3, "SQLITE_DBCONFIG_DEFENSIVE"), True)  # noqa: B009
    return conn


@functools.cache
def known_schema(generation: int) -> Objects:
    """The objects a testlearn file of ``generation`` holds (empty for an unknown one)."""
    every = json.loads(KNOWN_SCHEMAS.read_text(encoding="utf-8"))
    rows = every.get(str(generation), [])
    return {(kind, name): _normal(sql) for kind, name, _table, sql in rows}


def schema_problem(path: Path, generation: int) -> str | None:
    """What in the file's schema no testlearn file of its generation has (one line), or None.

    Only ``sqlite_master`` is read: nothing of the schema runs, so a recursive view or a
    trigger is named, never executed.
    """
    expected = known_schema(generation)
    if not expected:
        return f"schema {generation} is not one this version knows"
    try:
        conn = open_defensively(path)
        try:
            rows = conn.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        return f"its schema cannot be read ({error})"
    found: Objects = {}
    for kind, name, sql in rows:
        if str(name).startswith(SQLITE_OWN):
            continue
        found[(str(kind), str(name))] = _normal(sql)
    for key in sorted(found):
        kind, name = key
        if key not in expected:
            other = next((k for k, n in expected if n == name), None)
            if other is not None:
                return (
                    f"{name} is a {kind} where a testlearn file of schema {generation} has a "
                    f"{other}: it was replaced outside testlearn"
                )
            return (
                f"it holds a {kind} {name!r} that no testlearn file of schema {generation} "
                "has: it was added outside testlearn"
            )
        if found[key] != expected[key]:
            return (
                f"its {kind} {name} is not defined as in a testlearn file of schema "
                f"{generation}: it was changed outside testlearn"
            )
    missing = sorted(set(expected) - set(found))
    if missing:
        kind, name = missing[0]
        return f"its {kind} {name} is missing: it was removed outside testlearn"
    return None


def _normal(sql: str | None) -> str:
    """SQL text with its spacing and identifier quotes evened out, and a table's columns and
    constraints in a fixed order.

    SQLite keeps the text as written: a table rebuilt by a migration gains quotes from the
    rename, and lists its foreign keys in the order SQLAlchemy reflected them, which varies
    from run to run. Neither changes what the table is.
    """
    text = " ".join((sql or "").replace('"', "").split())
    if not text.upper().startswith("CREATE TABLE") or "(" not in text:
        return text
    head, _, body = text.partition("(")
    body = body[: body.rfind(")")]
    return f"{head.strip()} ({', '.join(sorted(_clauses(body)))})"


def _clauses(body: str) -> list[str]:
    """The comma-separated parts of a table's definition (commas inside brackets or quoted
    text belong to their part)."""
    parts, depth, quoted, start = [], 0, False, 0
    for i, char in enumerate(body):
        if char == "'":
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
        elif not quoted and depth == 0 and char == ",":
            parts.append(body[start:i].strip())
            start = i + 1
    parts.append(body[start:].strip())
    return parts
