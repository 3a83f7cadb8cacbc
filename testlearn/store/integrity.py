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

from testlearn.domain.canonical import canonical_bytes, revision_id_from_text
from testlearn.domain.fingerprint import AGGREGATE_COLUMNS, UNIT_COLUMNS, Fingerprint
from testlearn.domain.verification import Finding
from testlearn.store.tables import RECORDS, AuditEvent, Dataset, Revision, table_of
from testlearn.store.unit_of_work import GENESIS, UnitOfWork, audit_hash, payload_columns

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
            expected = revision_id_from_text(
                entity=entity,
                row_id=uuid.UUID(str(row_id)),
                parents=json.loads(parents) if isinstance(parents, str) else parents,
                replica=uuid.UUID(str(replica)),
                payload_text=payload,
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
    revisions = table_of(Revision)
    for entity, (model, _fields) in RECORDS.items():
        table = table_of(model)
        columns = payload_columns(model)
        query = select(table, revisions.c.payload.label("head_payload")).select_from(
            table.outerjoin(revisions, revisions.c.id == table.c.rev)
        )
        for row in uow.conn.execute(query).mappings():
            where = f"{entity} {row['id']}"
            ids = {"entity": entity, "row_id": str(row["id"]), "revision": row["rev"]}
            payload = {name: row[name] for name in columns}
            if row["head_payload"] is None:
                yield Finding("records", where, "the record has no revision in the history", **ids)
            elif canonical_bytes(payload).decode("utf-8") != row["head_payload"]:
                yield Finding(
                    "records",
                    where,
                    "the record differs from its last recorded revision: it was changed "
                    "outside testlearn",
                    **ids,
                )


def _audit_chains(uow: UnitOfWork) -> Iterator[Finding]:
    events = table_of(AuditEvent)
    query = select(events).order_by(events.c.replica_id, events.c.seq)
    replica, expected_seq, prev = None, 1, GENESIS
    for event in uow.conn.execute(query).mappings():
        if event["replica_id"] != replica:
            replica, expected_seq, prev = event["replica_id"], 1, GENESIS
        seq = event["seq"]
        where = f"audit event {seq} of replica {str(replica)[:8]}"
        if seq != expected_seq:
            yield Finding("audit", where, f"the audit log has a gap before event {seq}")
        if event["prev_hash"] != prev:
            yield Finding(
                "audit", where, "the audit chain is broken: an earlier event was altered or removed"
            )
        if audit_hash({k: v for k, v in event.items() if k != "hash"}) != event["hash"]:
            yield Finding("audit", where, "the audit event was altered after it was written")
        expected_seq, prev = seq + 1, event["hash"]


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
    """Recompute every live dataset's fingerprint in one ordered pass over its rows."""
    datasets = table_of(Dataset)
    live = {
        str(uuid.UUID(str(row.id))): row
        for row in uow.conn.execute(select(datasets).where(datasets.c.deleted.is_(False)))
    }
    for shape, table, columns in (
        ("unit", "observation", UNIT_COLUMNS),
        ("aggregate", "aggregate_row", AGGREGATE_COLUMNS),
    ):
        wanted = {key for key, row in live.items() if row.shape == shape}
        if not wanted:
            continue
        result = uow.conn.execute(
            text(
                f"SELECT dataset_id, {', '.join(columns)} FROM {table} ORDER BY dataset_id, row_no"
            )
        )
        fingerprints = {key: Fingerprint(shape) for key in wanted}
        for row in result:
            key = str(uuid.UUID(str(row[0])))
            if key in fingerprints:
                fingerprints[key].add([tuple(row[1:])])
        for key, fingerprint in fingerprints.items():
            dataset = live[key]
            if fingerprint.hexdigest() != dataset.fingerprint:
                yield Finding(
                    "data",
                    f"dataset {key} ({dataset.source_name})",
                    "the outcome data no longer match the fingerprint recorded at import",
                    entity="dataset",
                    row_id=key,
                )
