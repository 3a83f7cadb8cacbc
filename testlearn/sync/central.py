"""What the central store already holds, looked up in batches for a merge plan."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from sqlalchemy import select

from testlearn.store.tables import RECORDS, AuditEvent, MergeSource, Revision, table_of
from testlearn.store.unit_of_work import UnitOfWork

T = TypeVar("T")
BATCH = 500


def batches(items: Iterable[T], size: int = BATCH) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def heads(uow: UnitOfWork, entity: str, row_ids: Iterable[str]) -> dict[str, str]:
    """row id -> head revision, for the rows the central store has."""
    table = table_of(RECORDS[entity][0])
    out: dict[str, str] = {}
    for chunk in batches(uuid.UUID(r) for r in row_ids):
        for row_id, rev in uow.conn.execute(
            select(table.c.id, table.c.rev).where(table.c.id.in_(chunk))
        ):
            out[str(row_id)] = rev
    return out


def known_revisions(uow: UnitOfWork, revision_ids: Iterable[str]) -> set[str]:
    table = table_of(Revision)
    known: set[str] = set()
    for chunk in batches(revision_ids):
        known.update(uow.conn.execute(select(table.c.id).where(table.c.id.in_(chunk))).scalars())
    return known


def revisions_of_rows(uow: UnitOfWork, row_ids: Iterable[str]) -> list[dict[str, Any]]:
    """Every central revision of the given records: id, parents, payload, replica."""
    table = table_of(Revision)
    rows: list[dict[str, Any]] = []
    for chunk in batches(uuid.UUID(r) for r in row_ids):
        query = select(table.c.id, table.c.parents, table.c.payload, table.c.replica_id).where(
            table.c.row_id.in_(chunk)
        )
        for rev, parents, payload, replica in uow.conn.execute(query):
            rows.append(
                {
                    "id": rev,
                    "parents": tuple(json.loads(parents) if isinstance(parents, str) else parents),
                    "payload": payload,
                    "replica": str(replica),
                }
            )
    return rows


def audit_hashes(uow: UnitOfWork, replica_ids: Iterable[str]) -> dict[tuple[str, int], str]:
    """(replica, seq) -> hash of the audit events the central store holds for these replicas."""
    table = table_of(AuditEvent)
    out: dict[tuple[str, int], str] = {}
    wanted = [uuid.UUID(r) for r in replica_ids]
    if not wanted:
        return out
    query = select(table.c.replica_id, table.c.seq, table.c.hash).where(
        table.c.replica_id.in_(wanted)
    )
    for replica, seq, digest in uow.conn.execute(query):
        out[(str(replica), int(seq))] = digest
    return out


def live_pilot_references(uow: UnitOfWork) -> dict[str, str]:
    """lower-case reference -> pilot id, for duplicate detection."""
    table = table_of(RECORDS["pilot"][0])
    query = select(table.c.reference, table.c.id).where(table.c.deleted.is_(False))
    return {ref.casefold(): str(row_id) for ref, row_id in uow.conn.execute(query)}


def merged_before(uow: UnitOfWork, sha256: str) -> dict[str, Any] | None:
    """The provenance of an earlier merge of exactly these bytes, if there was one."""
    table = table_of(MergeSource)
    row = (
        uow.conn.execute(
            select(table)
            .where(table.c.source_sha256 == sha256)
            .order_by(table.c.merged_at)
            .limit(1)
        )
        .mappings()
        .first()
    )
    return dict(row) if row else None
