"""Bulk storage of outcome data rows: the one path where a million rows go in.

Rows go through the DB-API ``executemany`` directly: the ORM's per-object bookkeeping
costs several times the insert itself, and these rows have no identity of their own
beyond (dataset, row number).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import text

from testlearn.domain.fingerprint import AGGREGATE_COLUMNS, OBSERVATION_COLUMNS
from testlearn.store.unit_of_work import UnitOfWork

CHUNK = 50_000


def _table(shape: str) -> tuple[str, tuple[str, ...]]:
    return (
        ("observation", OBSERVATION_COLUMNS)
        if shape == "unit"
        else ("aggregate_row", AGGREGATE_COLUMNS)
    )


def insert_rows(
    uow: UnitOfWork,
    dataset_id: uuid.UUID,
    shape: str,
    chunks: Iterable[Sequence[Sequence[Any]]],
) -> int:
    """Insert rows (in the shape's column order), numbering them from 1. Returns the count.

    The dataset record may be created after its rows (its revision carries their
    fingerprint, known only once all rows are read), so foreign keys are checked at commit.
    """
    uow.session.flush()
    if uow.conn.dialect.name == "sqlite":
        uow.conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    else:
        uow.conn.exec_driver_sql("SET CONSTRAINTS ALL DEFERRED")
    table, columns = _table(shape)
    sql = (
        f"INSERT INTO {table} (dataset_id, row_no, {', '.join(columns)}) "
        f"VALUES (?, ?, {', '.join('?' * len(columns))})"
    )
    if uow.conn.dialect.name != "sqlite":
        sql = sql.replace("?", "%s")
    key = dataset_id.hex if uow.conn.dialect.name == "sqlite" else dataset_id
    cursor = uow.conn.connection.cursor()
    count = 0
    try:
        for chunk in chunks:
            start = count + 1
            cursor.executemany(sql, [(key, start + i, *row) for i, row in enumerate(chunk)])
            count += len(chunk)
    finally:
        cursor.close()
    return count


def iter_rows(
    uow: UnitOfWork, dataset_id: uuid.UUID, shape: str
) -> Iterator[list[tuple[Any, ...]]]:
    """The rows of a dataset in row order, in chunks, in the shape's column order."""
    table, columns = _table(shape)
    key = dataset_id.hex if uow.conn.dialect.name == "sqlite" else dataset_id
    result = uow.conn.execute(
        text(f"SELECT {', '.join(columns)} FROM {table} WHERE dataset_id = :d ORDER BY row_no"),
        {"d": key},
    )
    while True:
        chunk = result.fetchmany(CHUNK)
        if not chunk:
            return
        yield [tuple(row) for row in chunk]


def read_columns(uow: UnitOfWork, dataset_id: uuid.UUID, shape: str) -> dict[str, list[Any]]:
    """The rows of a dataset as columns (what the analysis engine takes)."""
    _, columns = _table(shape)
    out: dict[str, list[Any]] = {name: [] for name in columns}
    for chunk in iter_rows(uow, dataset_id, shape):
        for name, values in zip(columns, zip(*chunk, strict=True), strict=True):
            out[name].extend(values)
    return out
