"""What an attacker with the sqlite3 module (and hashlib, json) can do to a testlearn file.

Nothing here imports testlearn: each helper is the short script a person would write after
reading the schema and docs/registration.md, including computing a revision id correctly.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import uuid
from pathlib import Path
from typing import Any


def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)  # autocommit: every statement lands
    return conn


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def one(conn: sqlite3.Connection, sql: str, *args: Any) -> Any:
    row = conn.execute(sql, args).fetchone()
    assert row is not None, sql
    return row[0] if len(row) == 1 else row


def pilot_id(conn: sqlite3.Connection, reference: str) -> str:
    return str(one(conn, "SELECT id FROM pilot WHERE reference = ?", reference))


def hypothesis_id(conn: sqlite3.Connection, reference: str, code: str) -> str:
    return str(
        one(
            conn,
            "SELECT id FROM hypothesis WHERE pilot_id = ? AND code = ?",
            pilot_id(conn, reference),
            code,
        )
    )


def hyphenated(hex_id: str) -> str:
    return str(uuid.UUID(hex_id))


def append_revision(
    conn: sqlite3.Connection,
    entity: str,
    table: str,
    row_id: str,
    changes: dict[str, Any],
    columns: dict[str, Any] | None = None,
) -> str:
    """Append a correctly hashed revision changing ``changes``; point the record at it.

    ``columns`` are the new column values as stored (defaults to ``changes``).
    """
    rev = str(one(conn, f"SELECT rev FROM {table} WHERE id = ?", row_id))
    payload = json.loads(one(conn, "SELECT payload FROM revision WHERE id = ?", rev))
    payload.update(changes)
    replica = str(one(conn, "SELECT id FROM replica WHERE is_self"))
    new = hashlib.sha256(
        canonical(
            {
                "v": 1,
                "entity": entity,
                "id": hyphenated(row_id),
                "parents": [rev],
                "replica": hyphenated(replica),
                "payload": payload,
            }
        ).encode()
    ).hexdigest()
    conn.execute(
        "INSERT INTO revision (id, entity, row_id, parents, replica_id, payload, op, "
        "recorded_at, actor) VALUES (?, ?, ?, ?, ?, ?, 'update', ?, 'ana')",
        (new, entity, row_id, json.dumps([rev]), replica, canonical(payload), _now()),
    )
    values = columns if columns is not None else changes
    sets = ", ".join(f"{name} = ?" for name in values)
    conn.execute(
        f"UPDATE {table} SET rev = ?{', ' if sets else ''}{sets} WHERE id = ?",
        (new, *values.values(), row_id),
    )
    return new


def registration_snapshot_hash(snapshot: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(snapshot).encode()).hexdigest()


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
