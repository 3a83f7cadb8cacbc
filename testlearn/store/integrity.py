"""Tamper evidence: recompute every hash the file holds and say where they disagree.

Checks, each independent of the others so one edit is caught by several:
1. every revision's id is the hash of its content (a flipped byte in history shows);
2. every record equals the payload of its head revision (an edit by raw SQL shows);
3. every replica's audit chain links up, hash by hash, with no gaps;
4. the append-only guards on history are still in place;
5. every dataset's rows still hash to the fingerprint its revision recorded.
Registration content is checked by ``testlearn.domain.registration`` on top of these.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

from sqlalchemy import select, text
from sqlmodel import col

from testlearn.domain.canonical import canonical_bytes, revision_id
from testlearn.domain.fingerprint import Fingerprint
from testlearn.domain.verification import Finding
from testlearn.store.outcome_rows import iter_rows
from testlearn.store.tables import RECORDS, AuditEvent, Dataset
from testlearn.store.unit_of_work import GENESIS, UnitOfWork, audit_hash, payload_of

GUARDS = (
    "revision_append_only_update",
    "revision_append_only_delete",
    "audit_event_append_only_update",
    "audit_event_append_only_delete",
)


def verify_history(uow: UnitOfWork) -> Iterator[Finding]:
    yield from _revisions(uow)
    yield from _heads(uow)
    yield from _audit_chains(uow)
    yield from _guards(uow)
    yield from _datasets(uow)


def count_checked(uow: UnitOfWork) -> dict[str, int]:
    """How much was checked, by what a reader would call it."""

    def rows(table: str) -> int:
        return int(uow.conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())

    return {
        "records": sum(rows(str(table.__tablename__)) for table, _ in RECORDS.values()),
        "revisions": rows("revision"),
        "audit events": rows("audit_event"),
        "datasets": rows("dataset"),
    }


def _revisions(uow: UnitOfWork) -> Iterator[Finding]:
    rows = uow.conn.execute(
        text("SELECT id, entity, row_id, parents, replica_id, payload FROM revision")
    )
    for rev, entity, row_id, parents, replica, payload in rows:
        try:
            expected = revision_id(
                entity=entity,
                row_id=uuid.UUID(str(row_id)),
                parents=json.loads(parents) if isinstance(parents, str) else parents,
                replica=uuid.UUID(str(replica)),
                payload=json.loads(payload),
            )
        except (ValueError, TypeError):
            expected = ""
        if expected != rev:
            yield Finding(
                "history",
                f"revision {rev[:12]} of {entity} {row_id}",
                "the stored revision does not match its hash: history was altered",
                entity=entity,
                row_id=str(uuid.UUID(str(row_id))),
                revision=rev,
            )


def _heads(uow: UnitOfWork) -> Iterator[Finding]:
    for entity, (table, _fields) in RECORDS.items():
        for row in uow.session.exec(select(table)).scalars():  # type: ignore[call-overload]
            head = uow.conn.execute(
                text("SELECT payload FROM revision WHERE id = :id"), {"id": row.rev}
            ).scalar_one_or_none()
            where = f"{entity} {row.id}"
            ids = {"entity": entity, "row_id": str(row.id), "revision": row.rev}
            if head is None:
                yield Finding("records", where, "the record has no revision in the history", **ids)
            elif canonical_bytes(payload_of(row)).decode("utf-8") != head:
                yield Finding(
                    "records",
                    where,
                    "the record differs from its last recorded revision: it was changed "
                    "outside testlearn",
                    **ids,
                )


def _audit_chains(uow: UnitOfWork) -> Iterator[Finding]:
    replicas = uow.conn.execute(text("SELECT DISTINCT replica_id FROM audit_event")).scalars()
    for replica in list(replicas):
        query = select(AuditEvent).where(col(AuditEvent.replica_id) == uuid.UUID(str(replica)))
        expected_seq, prev = 1, GENESIS
        for event in uow.session.exec(query.order_by(col(AuditEvent.seq))).scalars():  # type: ignore[call-overload]
            where = f"audit event {event.seq} of replica {str(replica)[:8]}"
            fields = {
                name: getattr(event, name) for name in AuditEvent.model_fields if name != "hash"
            }
            if event.seq != expected_seq:
                yield Finding("audit", where, f"the audit log has a gap before event {event.seq}")
            if event.prev_hash != prev:
                yield Finding(
                    "audit",
                    where,
                    "the audit chain is broken: an earlier event was altered or removed",
                )
            if audit_hash(fields) != event.hash:
                yield Finding("audit", where, "the audit event was altered after it was written")
            expected_seq, prev = event.seq + 1, event.hash


def _guards(uow: UnitOfWork) -> Iterator[Finding]:
    if uow.conn.dialect.name != "sqlite":
        return
    present = set(
        uow.conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars()
    )
    for guard in GUARDS:
        if guard not in present:
            yield Finding("guards", guard, "an append-only guard on the history was removed")


def _datasets(uow: UnitOfWork) -> Iterator[Finding]:
    for dataset in uow.session.exec(select(Dataset)).scalars():  # type: ignore[call-overload]
        if dataset.deleted:
            continue
        fingerprint = Fingerprint(dataset.shape)
        for chunk in iter_rows(uow, dataset.id, dataset.shape):
            fingerprint.add(chunk)
        if fingerprint.hexdigest() != dataset.fingerprint:
            yield Finding(
                "data",
                f"dataset {dataset.id} ({dataset.source_name})",
                "the outcome data no longer match the fingerprint recorded at import",
                entity="dataset",
                row_id=str(dataset.id),
            )
