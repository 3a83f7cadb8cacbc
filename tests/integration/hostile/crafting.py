"""Crafting hostile department files as someone with the sqlite3 module and the source would.

Every change is made so that all the file's hashes check out: the revision id recomputed over
the payload text as stored, the record's columns set to match it, an audit event appended to
the replica's chain with its hash, and the manifest rewritten for the new bytes. Only the
validation of what the records say can then tell the file from an honest one.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import uuid
from pathlib import Path
from typing import Any

from testlearn.domain.canonical import canonical_bytes, revision_id_from_text
from testlearn.store.unit_of_work import audit_hash
from testlearn.sync.export import describe_snapshot, manifest_path, sha256_of

#: Tables of records that are safe to change without touching a registration.
FREE_TABLES = {
    "pilot": "pilot",
    "lesson": "lesson",
    "decision": "decision",
    "cost": "cost",
    "dataset": "dataset",
    "result": "analysis_result",
}


def connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def record_ids(path: Path, table: str) -> list[str]:
    conn = connect(path)
    try:
        return [row[0] for row in conn.execute(f"SELECT id FROM {table} ORDER BY id")]
    finally:
        conn.close()


def head(conn: sqlite3.Connection, table: str, row: str) -> tuple[str, dict[str, Any]]:
    rev = conn.execute(f"SELECT rev FROM {table} WHERE id = ?", (row,)).fetchone()[0]
    text = conn.execute("SELECT payload FROM revision WHERE id = ?", (rev,)).fetchone()[0]
    return rev, json.loads(text)


def change_record(
    path: Path,
    entity: str,
    row: str,
    changes: dict[str, Any],
    *,
    payload_text: str | None = None,
    column_values: dict[str, Any] | None = None,
) -> str:
    """A correctly hashed, audited revision of one record; returns its id.

    ``payload_text`` stores a payload as given (not JSON, NaN, nested without end) instead
    of the canonical text of the changed payload; ``column_values`` are the columns written
    (by default the changes, JSON ones as text).
    """
    table = FREE_TABLES.get(entity, entity)
    conn = connect(path)
    try:
        rev, payload = head(conn, table, row)
        payload.update(changes)
        text = payload_text
        if text is None:
            try:
                text = canonical_bytes(payload).decode("utf-8")
            except ValueError:  # NaN or infinity: written as Python's json writes them
                text = json.dumps(payload, sort_keys=True, separators=(",", ":"))
        replica = conn.execute("SELECT id FROM replica WHERE is_self").fetchone()[0]
        new = revision_id_from_text(
            entity=entity,
            row_id=uuid.UUID(row),
            parents=[rev],
            replica=uuid.UUID(replica),
            payload_text=text,
        )
        now = dt.datetime.now(dt.UTC)
        conn.execute("BEGIN")
        conn.execute(
            "INSERT INTO revision (id, entity, row_id, parents, replica_id, payload, op, "
            "recorded_at, actor) VALUES (?, ?, ?, ?, ?, ?, 'update', ?, 'ana')",
            (new, entity, row, json.dumps([rev]), replica, text, _stamp(now)),
        )
        values = dict(column_values if column_values is not None else changes)
        stored = {k: json.dumps(v) if isinstance(v, dict | list) else v for k, v in values.items()}
        sets = "".join(f", {name} = ?" for name in stored)
        conn.execute(f"UPDATE {table} SET rev = ?{sets} WHERE id = ?", (new, *stored.values(), row))
        append_event(conn, replica, entity, row, new, now)
        conn.execute("COMMIT")
    finally:
        conn.close()
    return new


def append_event(
    conn: sqlite3.Connection, replica: str, entity: str, row: str, rev: str, now: dt.datetime
) -> None:
    """The audit event testlearn writes beside a revision, linked to the chain's head."""
    seq, prev = conn.execute(
        "SELECT seq, hash FROM audit_event WHERE replica_id = ? ORDER BY seq DESC LIMIT 1",
        (replica,),
    ).fetchone()
    event = {
        "replica_id": uuid.UUID(replica),
        "seq": seq + 1,
        "at": now,
        "actor": "ana",
        "action": "update",
        "entity": entity,
        "row_id": uuid.UUID(row),
        "revision_id": rev,
        "summary": f"updated {entity}",
        "detail": {},
        "prev_hash": prev,
    }
    conn.execute(
        "INSERT INTO audit_event (replica_id, seq, at, actor, action, entity, row_id, "
        "revision_id, summary, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?)",
        (
            replica,
            seq + 1,
            _stamp(now),
            "ana",
            "update",
            entity,
            row,
            rev,
            event["summary"],
            "{}",
            prev,
            audit_hash(event),
        ),
    )


def run_sql(path: Path, *statements: str) -> None:
    conn = connect(path)
    try:
        for statement in statements:
            conn.execute(statement)
    finally:
        conn.close()


def reissue_manifest(path: Path) -> None:
    """The manifest an attacker writes for the changed file: its sha256, counts and heads."""
    manifest_file = manifest_path(path)
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    manifest.update(describe_snapshot(path), sha256=sha256_of(path))
    manifest_file.write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")


def nested(depth: int) -> Any:
    value: Any = "deep"
    for _ in range(depth):
        value = {"x": [value]}
    return value


def _stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")
