"""The conflicts merges kept, read with sqlite3 alone for `testlearn conflicts`.

The same rows, in the same order and with the same labels as ``conflicts.list_conflicts``
reads through the ORM; the values decoded as the ORM's column types decode them on SQLite
(JSON text as JSON, ids as UUIDs, times as UTC: SQLModel's ``UTCDateTime``), so the two cannot
be told apart in what is printed. A test compares them on the same files.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from testlearn.domain.merge_report import ConflictView
from testlearn.store.plain_reading import PlainReading

#: The table of each entity a conflict names (``tables.RECORDS``: a test keeps them equal).
TABLE_OF = {
    "pilot": "pilot",
    "procurement": "procurement",
    "kpi": "kpi",
    "kpi_rating": "kpi_rating",
    "comparator": "comparator",
    "hypothesis": "hypothesis",
    "registration": "registration",
    "deviation": "deviation",
    "dataset": "dataset",
    "cost": "cost",
    "lesson": "lesson",
    "decision": "decision",
    "result": "analysis_result",
    "clearance": "clearance",
}


def list_conflicts(read: PlainReading, *, include_resolved: bool = False) -> list[ConflictView]:
    query = (
        "SELECT c.id, c.kind, c.entity, c.row_id, c.field, c.base, c.value_a, c.value_b, "
        "c.shown, c.detail, c.status, c.detected_at, s.source_name "
        "FROM conflict c LEFT OUTER JOIN merge_source s ON c.merge_source_id = s.id"
        + ("" if include_resolved else " WHERE c.status = 'open'")
        + " ORDER BY c.detected_at, c.id"
    )
    found = []
    for (
        conflict_id,
        kind,
        entity,
        row_id,
        field,
        base,
        value_a,
        value_b,
        shown,
        detail,
        status,
        detected_at,
        source,
    ) in read.rows(query):
        a, b = _json(value_a), _json(value_b)
        ours, theirs = (a, b) if shown == "a" else (b, a)
        row = uuid.UUID(str(row_id))
        found.append(
            ConflictView(
                id=conflict_id,
                kind=kind,
                entity=entity,
                row_id=str(row),
                field=field,
                label=_label(read, entity, row),
                base=_json(base),
                ours=ours,
                theirs=theirs,
                status=status,
                source=source or "",
                detected_at=_utc(detected_at).isoformat(),
                detail=detail,
            )
        )
    return found


def _utc(value: str) -> dt.datetime:
    """A stored time as SQLModel's ``UTCDateTime`` reads it: without an offset it is UTC."""
    moment = dt.datetime.fromisoformat(value)
    if moment.utcoffset() is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def _json(value: str | None) -> Any:
    return None if value is None else json.loads(value)


def _label(read: PlainReading, entity: str, row_id: uuid.UUID) -> str:
    """The record in words, as ``conflicts._label`` gives it."""
    table = TABLE_OF[entity]
    found = read.mappings(
        f"SELECT * FROM {table} WHERE id = ?", (row_id.hex,)
    )  # a name from TABLE_OF
    if not found:
        return f"{entity} {str(row_id)[:8]}"
    row = found[0]
    name = row.get("reference") or row.get("code") or row.get("name") or str(row_id)[:8]
    label = f"{entity.replace('_', ' ')} {name}"
    if entity != "pilot" and row.get("pilot_id"):
        pilot = uuid.UUID(str(row["pilot_id"])).hex
        references = read.rows("SELECT reference FROM pilot WHERE id = ?", (pilot,))
        if references and references[0][0]:
            label += f" of {references[0][0]}"
    return label
