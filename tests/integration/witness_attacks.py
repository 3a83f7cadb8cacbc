"""Raw-SQL attacks on a database file, as someone with the sqlite3 shell and the source would
make them: only the sqlite3 module touches the file; the hashes are recomputed with the
published canonical form (testlearn.domain.canonical), so every hash in the file checks out.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import uuid
from pathlib import Path
from typing import Any

from testlearn.domain.canonical import canonical_bytes, revision_id
from testlearn.domain.registration import snapshot_hash
from testlearn.store.unit_of_work import audit_hash

EVENT_COLUMNS = (
    "replica_id",
    "seq",
    "at",
    "actor",
    "action",
    "entity",
    "row_id",
    "revision_id",
    "summary",
    "detail",
    "prev_hash",
)


def connect(path: Path) -> sqlite3.Connection:
    # The manifest beside an export would give the change away at once; an attacker drops it.
    Path(f"{path}.manifest.json").unlink(missing_ok=True)
    return sqlite3.connect(path)


def own_replica(conn: sqlite3.Connection) -> str:
    return str(uuid.UUID(conn.execute("SELECT id FROM replica WHERE is_self").fetchone()[0]))


def registration_of(conn: sqlite3.Connection, reference: str) -> str:
    return str(
        conn.execute(
            "SELECT r.id FROM registration r JOIN pilot p ON p.id = r.pilot_id "
            "WHERE p.reference = ?",
            (reference,),
        ).fetchone()[0]
    )


def hypothesis_of(conn: sqlite3.Connection, reference: str, code: str) -> str:
    return str(
        conn.execute(
            "SELECT h.id FROM hypothesis h JOIN pilot p ON p.id = h.pilot_id "
            "WHERE p.reference = ? AND h.code = ?",
            (reference, code),
        ).fetchone()[0]
    )


def head(conn: sqlite3.Connection, table: str, row: str) -> tuple[str, dict[str, Any]]:
    rev = conn.execute(f"SELECT rev FROM {table} WHERE id = ?", (row,)).fetchone()[0]
    payload = conn.execute("SELECT payload FROM revision WHERE id = ?", (rev,)).fetchone()[0]
    return rev, json.loads(payload)


def append_revision(
    conn: sqlite3.Connection,
    *,
    entity: str,
    table: str,
    row: str,
    payload: dict[str, Any],
    parents: list[str],
    columns: dict[str, Any],
) -> str:
    """Add a correctly hashed revision and point the record at it; no audit event."""
    replica = own_replica(conn)
    rev = revision_id(
        entity=entity,
        row_id=uuid.UUID(row),
        parents=parents,
        replica=uuid.UUID(replica),
        payload=payload,
    )
    conn.execute(
        "INSERT INTO revision (id, entity, row_id, parents, replica_id, payload, op, "
        "recorded_at, actor) VALUES (?, ?, ?, ?, ?, ?, 'update', ?, 'attacker')",
        (
            rev,
            entity,
            row,
            json.dumps(parents),
            uuid.UUID(replica).hex,
            canonical_bytes(payload).decode("utf-8"),
            dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f"),
        ),
    )
    sets = ", ".join(f"{name} = ?" for name in columns)
    conn.execute(f"UPDATE {table} SET {sets}, rev = ? WHERE id = ?", (*columns.values(), rev, row))
    return rev


def change_registered_value(
    path: Path, reference: str, code: str, field: str, value: Any, *, new_snapshot: bool
) -> None:
    """Attack 7: a hypothesis revision changing a registered value, and (``new_snapshot``) a
    registration revision whose snapshot and hash agree with it."""
    conn = connect(path)
    hypothesis = hypothesis_of(conn, reference, code)
    rev, payload = head(conn, "hypothesis", hypothesis)
    append_revision(
        conn,
        entity="hypothesis",
        table="hypothesis",
        row=hypothesis,
        payload={**payload, field: value},
        parents=[rev],
        columns={field: value},
    )
    if new_snapshot:
        registration = registration_of(conn, reference)
        rev, payload = head(conn, "registration", registration)
        snapshot = payload["snapshot"]
        snapshot["hypotheses"][str(uuid.UUID(hypothesis))][field] = value
        digest = snapshot_hash(snapshot)
        append_revision(
            conn,
            entity="registration",
            table="registration",
            row=registration,
            payload={**payload, "snapshot": snapshot, "content_hash": digest},
            parents=[rev],
            columns={"snapshot": json.dumps(snapshot), "content_hash": digest},
        )
    conn.commit()
    conn.close()


def back_date(path: Path, reference: str, when: dt.datetime, *, how: str) -> None:
    """Attack 8: the registration's time moved back.

    ``how`` is "appended" (one revision changing only registered_at), "root" (a new first
    revision with only registered_at changed, the record pointed at it) or "resnapshot" (a
    new first revision whose hashed snapshot says the same earlier time, hash recomputed:
    the file is consistent in itself).
    """
    conn = connect(path)
    registration = registration_of(conn, reference)
    rev, payload = head(conn, "registration", registration)
    column = when.strftime("%Y-%m-%d %H:%M:%S.%f")
    moment = when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    changed = {**payload, "registered_at": moment}
    columns: dict[str, Any] = {"registered_at": column}
    if how == "resnapshot":
        snapshot = {**payload["snapshot"], "registered_at": moment}
        changed.update(snapshot=snapshot, content_hash=snapshot_hash(snapshot))
        columns.update(snapshot=json.dumps(snapshot), content_hash=changed["content_hash"])
    append_revision(
        conn,
        entity="registration",
        table="registration",
        row=registration,
        payload=changed,
        parents=[rev] if how == "appended" else [],
        columns=columns,
    )
    conn.commit()
    conn.close()


def rewrite_history(path: Path, seq: int, actor: str) -> None:
    """One old audit event of the file's own replica changed, the chain rebuilt after it, and
    the append-only guard put back exactly as it was (so `verify` sees nothing)."""
    conn = connect(path)
    replica = uuid.UUID(own_replica(conn)).hex
    guard = conn.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'audit_event_append_only_update'"
    ).fetchone()[0]
    conn.execute("DROP TRIGGER audit_event_append_only_update")
    rows = conn.execute(
        f"SELECT {', '.join(EVENT_COLUMNS)} FROM audit_event WHERE replica_id = ? ORDER BY seq",
        (replica,),
    ).fetchall()
    prev = "0" * 64
    for row in rows:
        event = dict(zip(EVENT_COLUMNS, row, strict=True))
        if event["seq"] == seq:
            event["actor"] = actor
        event["prev_hash"] = prev
        prev = audit_hash(
            {
                **event,
                "replica_id": uuid.UUID(event["replica_id"]),
                "row_id": uuid.UUID(event["row_id"]) if event["row_id"] else None,
                "at": dt.datetime.fromisoformat(event["at"]).replace(tzinfo=dt.UTC),
                "detail": json.loads(event["detail"]),
            }
        )
        conn.execute(
            "UPDATE audit_event SET actor = ?, prev_hash = ?, hash = ? "
            "WHERE replica_id = ? AND seq = ?",
            (event["actor"], event["prev_hash"], prev, replica, event["seq"]),
        )
    conn.execute(guard)
    conn.commit()
    conn.close()


def cut_history(path: Path, keep: int) -> None:
    """The file's own history cut after event ``keep`` (the guard put back as it was)."""
    conn = connect(path)
    replica = uuid.UUID(own_replica(conn)).hex
    guard = conn.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'audit_event_append_only_delete'"
    ).fetchone()[0]
    conn.execute("DROP TRIGGER audit_event_append_only_delete")
    conn.execute("DELETE FROM audit_event WHERE replica_id = ? AND seq > ?", (replica, keep))
    conn.execute(guard)
    conn.commit()
    conn.close()


def append_event(conn: sqlite3.Connection, *, entity: str, row: str, revision: str) -> None:
    """An audit event naming a hand-made revision, correctly chained onto the last one."""
    replica = uuid.UUID(own_replica(conn)).hex
    seq, prev = conn.execute(
        "SELECT seq, hash FROM audit_event WHERE replica_id = ? ORDER BY seq DESC LIMIT 1",
        (replica,),
    ).fetchone()
    at = dt.datetime.now(dt.UTC)
    event = {
        "replica_id": uuid.UUID(replica),
        "seq": seq + 1,
        "at": at,
        "actor": "attacker",
        "action": "update",
        "entity": entity,
        "row_id": uuid.UUID(row),
        "revision_id": revision,
        "summary": f"updated {entity}",
        "detail": {},
        "prev_hash": prev,
    }
    conn.execute(
        f"INSERT INTO audit_event ({', '.join(EVENT_COLUMNS)}, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            replica,
            seq + 1,
            at.strftime("%Y-%m-%d %H:%M:%S.%f"),
            "attacker",
            "update",
            entity,
            row,
            revision,
            f"updated {entity}",
            "{}",
            prev,
            audit_hash(event),
        ),
    )


def back_date_with_events(path: Path, reference: str, when: dt.datetime) -> None:
    """The self-consistent back-dating ("resnapshot"), with an event for the new revision."""
    back_date(path, reference, when, how="resnapshot")
    conn = connect(path)
    registration = registration_of(conn, reference)
    rev, _ = head(conn, "registration", registration)
    append_event(conn, entity="registration", row=registration, revision=rev)
    conn.commit()
    conn.close()
