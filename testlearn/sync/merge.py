"""`testlearn merge`: bring department files into a central store, losing nothing.

For each file: quarantine (``quarantine.py``), then plan every record against the central
store (``plan.py``), then apply, all files in one transaction. A dry run is the same run
rolled back, so it reports exactly what a real run would do. docs/merge.md has the design.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update

from testlearn import __version__
from testlearn.domain.canonical import canonical_hash, normalise
from testlearn.domain.merge_report import ConflictItem, MergeReport, RejectedItem, SourceReport
from testlearn.store.database import Database
from testlearn.store.tables import (
    RECORDS,
    AuditEvent,
    Conflict,
    MergeSource,
    RecordOrigin,
    Replica,
    Revision,
    table_of,
)
from testlearn.store.unit_of_work import UnitOfWork
from testlearn.sync import central
from testlearn.sync.plan import MERGE_REPLICA, RecordPlan, plan_record
from testlearn.sync.quarantine import Source, SourceRefused, quarantine

#: Parents before children, so foreign keys hold at every step (PostgreSQL checks at once).
ENTITY_ORDER = (
    "pilot",
    "procurement",
    "kpi",
    "kpi_rating",
    "comparator",
    "registration",
    "hypothesis",
    "deviation",
    "dataset",
    "result",
    "cost",
    "lesson",
    "decision",
)
Progress = Callable[[float], None]


class _DryRun(Exception):
    """Raised inside the transaction of a dry run, so that it rolls back."""


def merge_files(
    db: Database,
    sources: Sequence[Path],
    *,
    operator: str,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> MergeReport:
    report = MergeReport(central=str(db.path or db.url), dry_run=dry_run)
    with tempfile.TemporaryDirectory(prefix="testlearn-merge-") as work:
        accepted: list[tuple[Source, SourceReport]] = []
        for i, path in enumerate(sources):
            entry = SourceReport(source=str(path))
            report.sources.append(entry)
            try:
                source = quarantine(Path(path), Path(work))
            except SourceRefused as refusal:
                entry.refused = str(refusal)
                continue
            entry.sha256, entry.replica_id = source.sha256, source.replica_id
            entry.department, entry.schema_generation = source.department, source.generation
            entry.notes = list(source.notes)
            accepted.append((source, entry))
            if progress:
                progress(0.5 * (i + 1) / max(1, len(sources)))
        try:
            with db.transaction(operator) as uow:
                for j, (source, entry) in enumerate(accepted):
                    _merge_one(uow, source, entry)
                    if progress:
                        progress(0.5 + 0.5 * (j + 1) / max(1, len(accepted)))
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
    return report


def _merge_one(uow: UnitOfWork, source: Source, entry: SourceReport) -> None:
    central_replica = str(uow.replica_id)
    present = central.audit_hashes(uow, {str(e["replica_id"]) for e in source.audit})
    new_events = []
    for event in source.audit:
        key = (str(uuid.UUID(str(event["replica_id"]))), int(event["seq"]))
        if key in present:
            if present[key] != event["hash"]:
                entry.refused = (
                    f"{source.name}: audit event {key[1]} of replica {key[0][:8]} differs from "
                    "the one merged before: this copy's history was rewritten"
                )
                return
        else:
            new_events.append(event)
    plans = _plan(uow, source, central_replica)
    _reject_orphans(uow, plans)
    references = central.live_pilot_references(uow)
    for plan in plans:
        entry.counts[plan.outcome] += 1
        if plan.outcome == "rejected":
            entry.rejected.append(RejectedItem(plan.entity, plan.row_id, plan.reason))
        for spec in plan.conflicts:
            entry.conflicts.append(
                ConflictItem(
                    spec.id,
                    spec.kind,
                    plan.entity,
                    plan.row_id,
                    spec.field,
                    _label(plan),
                    spec.value_a,
                    spec.value_b,
                    spec.shown,
                )
            )
        if plan.entity == "pilot" and plan.outcome == "new" and plan.payload:
            other = references.get(str(plan.payload["reference"]).casefold())
            if other and other != plan.row_id:
                entry.duplicates.append(
                    f"pilot {plan.payload['reference']} ({plan.row_id}) has the same reference "
                    f"as {other}: possibly the same pilot entered twice; both are kept"
                )
    if not entry.changed and not new_events:
        entry.notes.append("nothing new: this file was merged before")
        return
    merge_source = _apply(uow, source, entry, plans, new_events)
    entry.merge_source_id = merge_source


def _plan(uow: UnitOfWork, source: Source, central_replica: str) -> list[RecordPlan]:
    known = central.known_revisions(uow, source.revisions)
    plans: list[RecordPlan] = []
    for entity in ENTITY_ORDER:
        rows = {row_id: head for (e, row_id), head in source.heads.items() if e == entity}
        heads = central.heads(uow, entity, rows)
        concurrent = [
            r for r, head in rows.items() if r in heads and heads[r] != head and head not in known
        ]
        parents: dict[str, tuple[str, ...]] = {}
        payloads: dict[str, str] = {}
        replicas: dict[str, str] = {}
        for revision in central.revisions_of_rows(uow, concurrent):
            parents[revision["id"]] = revision["parents"]
            payloads[revision["id"]] = revision["payload"]
            replicas[revision["id"]] = revision["replica"]
        for rev in source.revisions.values():
            if rev.entity == entity:
                parents[rev.id] = rev.parents
                payloads[rev.id] = rev.payload
                replicas[rev.id] = rev.replica_id
        for row_id, head in sorted(rows.items()):
            reason = source.rejected.get((entity, row_id))
            if reason is None and head not in payloads:
                reason = "its last revision is missing from the file's history"
            if reason is not None:
                plans.append(RecordPlan(entity, row_id, "rejected", reason=reason))
                continue
            plans.append(
                plan_record(
                    entity=entity,
                    row_id=row_id,
                    source_head=head,
                    central_head=heads.get(row_id),
                    parents=parents,
                    payloads=payloads,
                    replicas=replicas,
                    central_replica=central_replica,
                    known_in_central=known,
                )
            )
    return plans


def _foreign_keys(entity: str) -> list[tuple[str, str]]:
    """(column, referenced entity) for each reference a record of ``entity`` makes."""
    by_table = {t.__tablename__: e for e, (t, _) in RECORDS.items()}
    table = table_of(RECORDS[entity][0])
    found = []
    for column in table.columns:
        for key in column.foreign_keys:
            target = by_table.get(key.column.table.name)
            if target:
                found.append((column.name, target))
    return found


def _reject_orphans(uow: UnitOfWork, plans: list[RecordPlan]) -> None:
    """A new record whose parent was rejected (or never came) is rejected too."""
    accepted = {(p.entity, p.row_id) for p in plans if p.outcome != "rejected"}
    for plan in plans:  # plans are in parent-before-child order, so rejection cascades
        if plan.outcome != "new" or plan.payload is None:
            continue
        for column, target in _foreign_keys(plan.entity):
            value = plan.payload.get(column)
            if value is None or (target, str(value)) in accepted:
                continue
            if not central.heads(uow, target, [str(value)]):
                plan.outcome, plan.reason = (
                    "rejected",
                    f"it refers to a {target} that is not merged",
                )
                plan.new_revisions, plan.payload = [], None
                accepted.discard((plan.entity, plan.row_id))
                break


def _label(plan: RecordPlan) -> str:
    payload = plan.payload or {}
    name = payload.get("reference") or payload.get("code") or payload.get("name") or plan.row_id[:8]
    return f"{plan.entity.replace('_', ' ')} {name}"


def _row_values(entity: str, row_id: str, head: str, payload: dict[str, Any]) -> dict[str, Any]:
    table_class = RECORDS[entity][0]
    row = table_class.model_validate({**payload, "id": row_id, "rev": head})
    values = {}
    for column in table_of(table_class).columns:
        value = getattr(row, column.name)
        values[column.name] = (
            normalise(value) if column.type.__class__.__name__ == "JSON" else value
        )
    return values


def _apply(
    uow: UnitOfWork,
    source: Source,
    entry: SourceReport,
    plans: list[RecordPlan],
    new_events: list[dict[str, Any]],
) -> uuid.UUID:
    conn = uow.conn
    now = dt.datetime.now(dt.UTC)
    _add_replicas(uow, source)
    revisions: list[dict[str, Any]] = []
    seen: set[str] = set()
    for plan in plans:
        for rev_id in plan.new_revisions:
            if rev_id in seen:
                continue
            seen.add(rev_id)
            rev = source.revisions[rev_id]
            revisions.append(
                {
                    "id": rev.id,
                    "entity": rev.entity,
                    "row_id": uuid.UUID(rev.row_id),
                    "parents": list(rev.parents),
                    "replica_id": uuid.UUID(rev.replica_id),
                    "payload": rev.payload,
                    "op": rev.op,
                    "recorded_at": _aware(rev.recorded_at),
                    "actor": rev.actor,
                }
            )
        if plan.merge_revision:
            merge_id, parents, text = plan.merge_revision
            if merge_id not in seen:
                seen.add(merge_id)
                revisions.append(
                    {
                        "id": merge_id,
                        "entity": plan.entity,
                        "row_id": uuid.UUID(plan.row_id),
                        "parents": parents,
                        "replica_id": uuid.UUID(MERGE_REPLICA),
                        "payload": text,
                        "op": "merge",
                        "recorded_at": now,
                        "actor": uow.actor,
                    }
                )
    already = central.known_revisions(uow, (str(r["id"]) for r in revisions))
    fresh = [r for r in revisions if r["id"] not in already]
    if fresh:
        conn.execute(insert(table_of(Revision)), fresh)
    for plan in plans:
        if plan.payload is None or plan.head is None:
            continue
        table = table_of(RECORDS[plan.entity][0])
        values = _row_values(plan.entity, plan.row_id, plan.head, plan.payload)
        if plan.outcome == "new":
            conn.execute(insert(table), values)
            if plan.entity == "dataset":
                _copy_dataset_rows(uow, source, plan.row_id, str(plan.payload["shape"]))
        else:
            key = values.pop("id")
            conn.execute(update(table).where(table.c.id == key), values)
    merge_source = uuid.uuid4()
    conn.execute(
        insert(table_of(MergeSource)),
        {
            "id": merge_source,
            "source_name": source.name,
            "source_sha256": source.sha256,
            "replica_id": uuid.UUID(source.replica_id),
            "department": source.department,
            "app_version": source.app_version,
            "schema_generation": source.generation,
            "operator": uow.actor,
            "merged_at": now,
            "counts": dict(entry.counts),
        },
    )
    _add_conflicts(uow, plans, merge_source, now)
    origins = [
        {
            "entity": p.entity,
            "row_id": uuid.UUID(p.row_id),
            "merge_source_id": merge_source,
            "outcome": p.outcome,
        }
        for p in plans
        if p.outcome in ("new", "fast-forward", "auto-merged", "conflict")
    ]
    if origins:
        conn.execute(insert(table_of(RecordOrigin)), origins)
    if new_events:
        conn.execute(insert(table_of(AuditEvent)), [_event(e) for e in new_events])
    uow.record_event(
        "merge",
        summary=f"merged {source.name} from {source.department or 'a department'}",
        detail={
            "file": source.name,
            "sha256": source.sha256,
            "replica": source.replica_id,
            "counts": dict(entry.counts),
            "app_version": __version__,
        },
    )
    uow.session.flush()
    return merge_source


def _aware(value: Any) -> dt.datetime:
    """A stored timestamp as an aware UTC datetime (SQLite hands them back as text)."""
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _event(event: dict[str, Any]) -> dict[str, Any]:
    detail = event["detail"]
    return {
        **event,
        "replica_id": uuid.UUID(str(event["replica_id"])),
        "row_id": uuid.UUID(str(event["row_id"])) if event["row_id"] else None,
        "at": _aware(event["at"]),
        "detail": json.loads(detail) if isinstance(detail, str) else detail,
    }


def _add_replicas(uow: UnitOfWork, source: Source) -> None:
    table = table_of(Replica)
    have = {str(r) for r in uow.conn.execute(select(table.c.id)).scalars()}
    for replica in source.replicas:
        key = str(uuid.UUID(str(replica["id"])))
        if key in have:
            continue
        uow.conn.execute(
            insert(table),
            {
                "id": uuid.UUID(key),
                "is_self": False,
                "department": replica["department"],
                "created_at": _aware(replica["created_at"]),
                "app_version": replica["app_version"],
            },
        )
        have.add(key)


def _copy_dataset_rows(uow: UnitOfWork, source: Source, dataset_id: str, shape: str) -> None:
    from testlearn.domain.fingerprint import AGGREGATE_COLUMNS, UNIT_COLUMNS
    from testlearn.store.tables import AggregateRow, Observation

    table = table_of(Observation if shape == "unit" else AggregateRow)
    columns = ("row_no", *(UNIT_COLUMNS if shape == "unit" else AGGREGATE_COLUMNS))
    key = uuid.UUID(dataset_id)
    for chunk in source.dataset_rows(dataset_id, shape):
        uow.conn.execute(
            insert(table),
            [{"dataset_id": key, **dict(zip(columns, row, strict=True))} for row in chunk],
        )


def _add_conflicts(
    uow: UnitOfWork, plans: list[RecordPlan], merge_source: uuid.UUID, now: dt.datetime
) -> None:
    table = table_of(Conflict)
    specs = [(plan, spec) for plan in plans for spec in plan.conflicts]
    if not specs:
        return
    existing = set(
        uow.conn.execute(
            select(table.c.id).where(table.c.id.in_([s.id for _, s in specs]))
        ).scalars()
    )
    rows = [
        {
            "id": spec.id,
            "kind": spec.kind,
            "entity": plan.entity,
            "row_id": uuid.UUID(plan.row_id),
            "field": spec.field,
            "base": spec.base,
            "value_a": spec.value_a,
            "value_b": spec.value_b,
            "rev_a": spec.rev_a,
            "rev_b": spec.rev_b,
            "shown": spec.shown,
            "detail": spec.detail,
            "merge_source_id": merge_source,
            "detected_at": now,
            "status": "open",
        }
        for plan, spec in specs
        if spec.id not in existing
    ]
    if rows:
        uow.conn.execute(insert(table), rows)


__all__ = ["canonical_hash", "merge_files"]
