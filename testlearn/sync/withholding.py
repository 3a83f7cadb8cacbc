"""Leaving commercially sensitive values out of an export, history and all.

Run on the export's own fresh copy (never on the user's database): each commercially
sensitive field is emptied in its record and its key taken out of every revision of the
record, so no older revision carries a value either. The shortened revisions keep their
ids, which are listed in the copy (``testlearn.store.withheld``) so that ``verify`` and the
merge know them for what they are. Conflicts the department kept about those fields go
too, and the copy is vacuumed so that no freed page still holds an old value.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from testlearn.domain.canonical import canonical_bytes
from testlearn.domain.marking import PrintedMarking, raised_for_commercial
from testlearn.domain.vocabulary import Marking
from testlearn.store.tables import RECORDS
from testlearn.store.withheld import COMMERCIAL_FIELDS, WITHHELD_KEY, register_text

#: What an export's manifest says of one that leaves the commercial values out.
WITHOUT_COMMERCIAL = "without commercial values"


def commercial_marking() -> str:
    """The marking of an export that carries commercial values: the one reports print."""
    return raised_for_commercial(PrintedMarking(Marking.OFFICIAL)).text


@dataclass(frozen=True)
class Withheld:
    """One record whose commercial values were left out: which fields, never the values."""

    kind: str
    reference: str
    record: str
    id: str
    fields: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "reference": self.reference,
            "record": self.record,
            "id": self.id,
            "fields": list(self.fields),
        }


def carries_commercial(path: Path) -> bool:
    """Whether the database file at ``path`` holds any commercial value, now or in history."""
    conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
    try:
        for entity, fields in COMMERCIAL_FIELDS.items():
            table = str(RECORDS[entity][0].__tablename__)
            held = " OR ".join(f"{name} IS NOT NULL" for name in sorted(fields))
            if conn.execute(f"SELECT 1 FROM {table} WHERE {held} LIMIT 1").fetchone():
                return True
            for (payload,) in conn.execute(
                "SELECT payload FROM revision WHERE entity = ?", (entity,)
            ):
                found = json.loads(payload)
                if any(found.get(name) is not None for name in fields):
                    return True
    finally:
        conn.close()
    return False


def leave_out_commercial(path: Path) -> list[Withheld]:
    """Take every commercial value out of the database file at ``path``; say what went."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("BEGIN IMMEDIATE")
        # The append-only guards stand in the way of this one rewrite of a private copy;
        # they are put back word for word, as verify checks.
        guards = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'revision'"
        ).fetchall()
        for name, _sql in guards:
            conn.execute(f'DROP TRIGGER "{name}"')
        found: list[Withheld] = []
        shortened: list[str] = []
        for entity, fields in sorted(COMMERCIAL_FIELDS.items()):
            found.extend(_leave_out(conn, entity, sorted(fields), shortened))
        conn.execute(
            "INSERT OR REPLACE INTO database_info (key, value) VALUES (?, ?)",
            (WITHHELD_KEY, register_text(shortened)),
        )
        for _name, sql in guards:
            conn.execute(sql)
        conn.execute("COMMIT")
        conn.execute("VACUUM")
    finally:
        conn.close()
    return found


def _leave_out(
    conn: sqlite3.Connection, entity: str, fields: list[str], shortened: list[str]
) -> list[Withheld]:
    table = str(RECORDS[entity][0].__tablename__)
    columns = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
    held: dict[str, set[str]] = {}
    for row_id, *values in conn.execute(f"SELECT id, {', '.join(fields)} FROM {table}"):
        held.setdefault(str(row_id), set()).update(
            name for name, value in zip(fields, values, strict=True) if value is not None
        )
    conn.execute(f"UPDATE {table} SET " + ", ".join(f"{name} = NULL" for name in fields))
    revisions = conn.execute(
        "SELECT id, row_id, payload FROM revision WHERE entity = ?", (entity,)
    ).fetchall()
    for rev, row_id, payload in revisions:
        data = json.loads(payload)
        held.setdefault(str(row_id), set()).update(
            name for name in fields if data.get(name) is not None
        )
        kept = {key: value for key, value in data.items() if key not in fields}
        conn.execute(
            "UPDATE revision SET payload = ? WHERE id = ?",
            (canonical_bytes(kept).decode("utf-8"), rev),
        )
        shortened.append(str(rev))
    _leave_out_conflicts(conn, entity, set(fields))
    return _described(conn, entity, table, columns, held)


def _leave_out_conflicts(conn: sqlite3.Connection, entity: str, fields: set[str]) -> None:
    """A conflict about a commercial field holds both values: it goes. One about a whole
    record (an id collision) keeps its record without the commercial fields."""
    rows = conn.execute(
        "SELECT id, field, base, value_a, value_b, resolution FROM conflict WHERE entity = ?",
        (entity,),
    ).fetchall()
    for conflict, name, *values in rows:
        if name in fields:
            conn.execute("DELETE FROM conflict WHERE id = ?", (conflict,))
            continue
        kept = [_without(value, fields) for value in values]
        conn.execute(
            "UPDATE conflict SET base = ?, value_a = ?, value_b = ?, resolution = ? WHERE id = ?",
            (*kept, conflict),
        )


def _without(value: Any, fields: set[str]) -> Any:
    if not isinstance(value, str):
        return value
    try:
        data = json.loads(value)
    except ValueError:
        return value
    if not isinstance(data, dict):
        return value
    return json.dumps({key: item for key, item in data.items() if key not in fields})


def _described(
    conn: sqlite3.Connection,
    entity: str,
    table: str,
    columns: set[str],
    held: dict[str, set[str]],
) -> list[Withheld]:
    references = {str(k): str(v) for k, v in conn.execute("SELECT id, reference FROM pilot")}
    named = "name" if "name" in columns else "''"
    owner = "pilot_id" if "pilot_id" in columns else "NULL"
    out = []
    for row_id, name, pilot in conn.execute(f"SELECT id, {named}, {owner} FROM {table}"):
        fields = held.get(str(row_id))
        if fields:
            out.append(
                Withheld(
                    entity,
                    references.get(str(pilot), ""),
                    str(name or ""),
                    _hyphenated(str(row_id)),
                    tuple(sorted(fields)),
                )
            )
    return sorted(out, key=lambda w: (w.reference, w.kind, w.record, w.id))


def _hyphenated(raw: str) -> str:
    if len(raw) == 32:
        return f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:]}"
    return raw
