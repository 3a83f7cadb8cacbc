"""Every id written in its one canonical form, read as raw text.

On SQLite a UUID column holds text, and SQLAlchemy's Uuid type reads '{...}', upper case or
hyphenated text as the same UUID, while every query matches the text exactly. An id spelled
another way therefore hides its row from lists and analyses (an observation's dataset_id,
a lesson's pilot_id) while a check through SQLAlchemy sees nothing wrong. So this reads
each UUID column untyped, one query per column, and names every row that is not 32
lowercase hex digits. The CHECK constraints of schema 5 refuse such text, but
``PRAGMA ignore_check_constraints`` or a rebuilt table gets past them. PostgreSQL stores
uuids as such: there is nothing to spell otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import text

from testlearn.domain.verification import Finding
from testlearn.store.record_names import RecordNames, full_id, key, raw_text
from testlearn.store.tables import RECORDS, canonical_id_condition, metadata, uuid_columns
from testlearn.store.unit_of_work import UnitOfWork

ENTITY_OF = {model.__tablename__: entity for entity, (model, _) in RECORDS.items()}
#: Rows that are not records, grouped under what a reader would call them.
DATA_ROWS = ("observation", "aggregate_row")
#: Beyond this many rows of one column, the rest are counted rather than listed.
LISTED = 20


def check(uow: UnitOfWork, names: RecordNames) -> Iterator[Finding]:
    if uow.conn.dialect.name != "sqlite":
        return
    for table in metadata.sorted_tables:
        keys = [c.name for c in table.primary_key.columns]
        for column in uuid_columns(table):
            query = (
                f"SELECT {', '.join(keys)}, {column} FROM {table.name} "
                f"WHERE {column} IS NOT NULL AND NOT ({canonical_id_condition(column)})"
            )
            rows = uow.conn.execute(text(query)).all()
            if not rows:
                continue
            if table.name in DATA_ROWS:
                yield from _data_rows(table.name, column, rows, names)
            else:
                yield from _rows(table.name, keys, column, rows, names)


def _spelling(column: str, value: object) -> str:
    return (
        f"its {column} is written {raw_text(value)!r}, not as testlearn writes ids (32 "
        "lowercase hex digits): the row is hidden from every list and analysis that "
        "looks it up"
    )


def _rows(
    table: str, keys: list[str], column: str, rows: Sequence[Any], names: RecordNames
) -> Iterator[Finding]:
    entity = ENTITY_OF.get(table)
    for row in rows[:LISTED]:
        values = tuple(row)
        value = values[-1]
        if entity is not None:
            record = values[keys.index("id")]
            yield Finding(
                "ids",
                names.describe(entity, record),
                _spelling(column, value),
                entity=entity,
                row_id=full_id(record),
                pilot_id=names.pilot_id(entity, record),
            )
        else:
            where = f"{table} row " + ", ".join(
                f"{name} {raw_text(v)}" for name, v in zip(keys, values, strict=False)
            )
            yield Finding("ids", where, _spelling(column, value))
    if len(rows) > LISTED:
        yield Finding(
            "ids", f"table {table}", f"{len(rows) - LISTED} more rows spell {column} otherwise"
        )


def _data_rows(
    table: str, column: str, rows: Sequence[Any], names: RecordNames
) -> Iterator[Finding]:
    """Outcome rows, one finding per dataset they claim, with how many rows and which."""
    by_dataset: dict[str, list[tuple[object, object]]] = {}
    for row in rows:
        dataset, row_no, value = tuple(row)
        by_dataset.setdefault(key(dataset), []).append((row_no, value))
    for dataset, found in by_dataset.items():
        numbers = ", ".join(str(n) for n, _ in found[:5]) + (" ..." if len(found) > 5 else "")
        yield Finding(
            "ids",
            f"{len(found)} outcome row(s) ({numbers}) of {names.describe('dataset', dataset)}",
            _spelling(column, found[0][1]),
            entity="dataset",
            row_id=full_id(dataset),
            pilot_id=names.pilot_id("dataset", dataset),
        )
