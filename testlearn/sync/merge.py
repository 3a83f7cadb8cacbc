"""`testlearn merge`: bring department files into a central store, losing nothing.

For each file: quarantine (``quarantine.py``), then plan every record against the central
store (``plan.py``), then apply, all files in one transaction. A dry run is the same run
rolled back, so it reports exactly what a real run would do. docs/merge.md has the design.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import logging
import sqlite3
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, cast

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from testlearn import __version__
from testlearn.domain.canonical import canonical_hash
from testlearn.domain.merge_report import ConflictItem, MergeReport, RejectedItem, SourceReport
from testlearn.domain.records import OMITTED_WHILE_EMPTY
from testlearn.errors import TestlearnError
from testlearn.store.database import Database
from testlearn.store.storage_errors import storage_failure
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
from testlearn.store.withheld import add_withheld
from testlearn.sync import central, immutable, plan_checks, witness
from testlearn.sync.plan import MERGE_REPLICA, RecordPlan, plan_record
from testlearn.sync.quarantine import Source, SourceRefused, quarantine
from testlearn.temporary_files import private_folder, scratch_folder

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
    "clearance",
)
Progress = Callable[[float], None]
log = logging.getLogger(__name__)


class _DryRun(Exception):
    """Raised inside the transaction of a dry run, so that it rolls back."""


class MergeCancelled(TestlearnError):
    """The person merging asked to stop; the central store was left as it was."""


def merge_files(
    db: Database,
    sources: Sequence[Path],
    *,
    operator: str,
    dry_run: bool = False,
    progress: Progress | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> MergeReport:
    """Merge ``sources`` into ``db`` in one transaction.

    ``should_cancel`` is asked between files and once more just before the commit; when it
    says yes, :class:`MergeCancelled` is raised and the transaction rolls back whole.
    """

    def check_cancel() -> None:
        if should_cancel is not None and should_cancel():
            raise MergeCancelled("the merge was cancelled; the database was left as it was")

    report = MergeReport(central=db.location, dry_run=dry_run)
    # The private copies of department files live in the app's own folder under names that
    # say whose they are, so the next start clears what a killed merge left (hundreds of MB).
    with scratch_folder(private_folder(), "merge") as work:
        accepted: list[tuple[Source, SourceReport]] = []
        for i, path in enumerate(sources):
            check_cancel()
            entry = SourceReport(source=str(path))
            report.sources.append(entry)
            try:
                if _already_merged(db, Path(path), entry):
                    continue
                source = quarantine(Path(path), Path(work))
            except SourceRefused as refusal:
                entry.refused = str(refusal)
                continue
            except (
                OSError,
                ValueError,
                TypeError,
                KeyError,
                RecursionError,
                sqlite3.Error,
            ) as error:
                # A full drive or a file-size limit is this computer's, not the file's: the
                # merge stops and says so in one line, rather than blaming the department.
                if storage_failure(error, Path(work)) is not None:
                    raise
                # A file from outside can hold what no check above foresaw: it is refused,
                # named, and the other files go on.
                entry.refused = _unreadable(Path(path).name, error)
                continue
            entry.sha256, entry.replica_id = source.sha256, source.replica_id
            entry.department, entry.schema_generation = source.department, source.generation
            entry.notes = list(source.notes)
            accepted.append((source, entry))
            if progress:
                progress(0.5 * (i + 1) / max(1, len(sources)))
        try:
            with db.transaction(operator) as batch:
                for j, (source, entry) in enumerate(accepted):
                    check_cancel()
                    _merge_alone(batch, source, entry)
                    if progress:
                        progress(0.5 + 0.5 * (j + 1) / max(1, len(accepted)))
                check_cancel()  # the last moment: after this the batch is committed
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
    return report


def _merge_alone(batch: UnitOfWork, source: Source, entry: SourceReport) -> None:
    """Merge one file inside the batch's transaction, all of it or none of it.

    Each file runs in a savepoint with a unit of work of its own: if it fails part way (a
    value the checks did not foresee, a constraint the central store holds), what it wrote
    is rolled back, the file is refused by name, and the files before and after it stand.
    """
    batch.session.flush()
    # A plain SAVEPOINT, which SQLite and PostgreSQL both know, kept out of SQLAlchemy's
    # sight: the units of work's sessions join the connection's transaction as they are.
    batch.conn.exec_driver_sql("SAVEPOINT merge_file")
    uow = UnitOfWork(batch.conn, actor=batch.actor, writable=True)
    try:
        _merge_one(uow, source, entry)
        uow.session.flush()
    except (MergeCancelled, OperationalError):
        raise  # the batch stops: a cancel, or a central store that cannot be written
    except (
        SQLAlchemyError,
        ValueError,
        TypeError,
        KeyError,
        AttributeError,
        RecursionError,
    ) as error:
        batch.conn.exec_driver_sql("ROLLBACK TO SAVEPOINT merge_file")
        batch.conn.exec_driver_sql("RELEASE SAVEPOINT merge_file")
        uow.session.expunge_all()
        log.exception("merging %s failed", source.name)
        entry.refused = _unreadable(source.name, error)
        entry.counts = dict.fromkeys(entry.counts, 0)
        entry.conflicts.clear()
        entry.rejected.clear()
        entry.merge_source_id = None
        return
    batch.conn.exec_driver_sql("RELEASE SAVEPOINT merge_file")


def _unreadable(name: str, error: BaseException) -> str:
    reason = " ".join(str(getattr(error, "orig", None) or error).split())[:200]
    return (
        f"{name}: it holds something testlearn cannot merge ({type(error).__name__}: "
        f"{reason}); nothing of it was merged. Ask the department for a new export"
    )


def _already_merged(db: Database, path: Path, entry: SourceReport) -> bool:
    """Exactly these bytes were merged into this store before: there is nothing to do.

    Merging is idempotent record by record; this is the same answer found without
    re-verifying a file whose every byte was verified when it was first merged.
    """
    from testlearn.sync.export import sha256_of

    if not path.is_file() or any(
        Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-journal")
    ):
        return False  # a sidecar can change what the file holds: it is read as a snapshot
    entry.sha256 = sha256_of(path)
    with db.reading() as uow:
        earlier = central.merged_before(uow, entry.sha256)
    if earlier is None:
        return False
    entry.replica_id, entry.department = str(earlier["replica_id"]), earlier["department"]
    entry.schema_generation = earlier["schema_generation"]
    counts = earlier["counts"]
    entry.counts["identical"] = sum(n for k, n in counts.items() if k != "rejected")
    entry.counts["rejected"] = counts.get("rejected", 0)
    when = earlier["merged_at"]
    entry.notes.append(
        f"nothing new: this exact file (sha256 {entry.sha256[:12]}) was merged on "
        f"{when:%Y-%m-%d %H:%M} UTC by {earlier['operator']}"
    )
    return True


def _merge_one(uow: UnitOfWork, source: Source, entry: SourceReport) -> None:
    central_replica = str(uow.replica_id)
    refused, note = witness.check(uow, source)
    entry.refused = refused or immutable.refusal(uow, source) or witness.unrecorded(source)
    if entry.refused:
        return
    if note:
        entry.notes.append(note)
    if source.withheld:
        entry.notes.append(
            "exported without commercial values: what it left out changes nothing here, and "
            "the central store's own commercial values were kept"
        )
    present = central.audit_hashes(uow, {str(e["replica_id"]) for e in source.audit})
    new_events = []
    for event in source.audit:
        key = (str(uuid.UUID(str(event["replica_id"]))), int(event["seq"]))
        if key in present:
            if present[key] != event["hash"]:
                entry.refused = (
                    f"{source.name}: audit event {key[1]} of replica {key[0]} differs from "
                    "the one merged before: this copy's history was rewritten"
                )
                return
        else:
            new_events.append(event)
    plans = _plan(uow, source, central_replica)
    plan_checks.reject_invalid(plans)
    plan_checks.reject_taken_references(uow, plans)
    plan_checks.reject_orphans(uow, plans)
    entry.rejected.extend(RejectedItem(*item) for item in source.unreadable)
    entry.counts["rejected"] += len(source.unreadable)
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
                # The central store's copy of a revision both hold is the one merged with:
                # the file's may lack the commercial values the store's has.
                payloads.setdefault(rev.id, rev.payload)
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


def _label(plan: RecordPlan) -> str:
    payload = plan.payload or {}
    name = payload.get("reference") or payload.get("code") or payload.get("name") or plan.row_id[:8]
    return f"{plan.entity.replace('_', ' ')} {name}"


def _converter(column: Any) -> Callable[[Any], Any]:
    """How a canonical payload value becomes the column's Python value."""
    if column.type.__class__.__name__ == "JSON":
        return lambda value: value
    try:
        # A TypeDecorator (SQLModel's UTCDateTime) names its Python type through its impl.
        kind = getattr(column.type, "impl", column.type).python_type
    except NotImplementedError:
        return lambda value: value
    if kind is uuid.UUID:
        return lambda value: None if value is None else uuid.UUID(str(value))
    if kind is dt.datetime:
        return lambda value: None if value is None else _aware(value)
    if kind is dt.date:
        return lambda value: None if value is None else dt.date.fromisoformat(value)
    if kind in (float, int, bool):
        return lambda value: None if value is None else kind(value)
    return lambda value: value


_CONVERTERS: dict[str, list[tuple[str, Callable[[Any], Any]]]] = {}
_EMPTY: dict[str, dict[str, Callable[[], Any]]] = {}


def _empty_values(entity: str) -> dict[str, Callable[[], Any]]:
    """Each field left out of a revision while empty, with what makes its declared default.

    Worked out once per kind of record: pydantic's ``get_default`` inspects the signature of
    the default factory on every call, which was a tenth of a merge's time.
    """
    fields = RECORDS[entity][1].model_fields
    empty: dict[str, Callable[[], Any]] = {}
    for name in OMITTED_WHILE_EMPTY.get(entity, ()):
        factory = fields[name].default_factory
        if factory is not None:
            empty[name] = cast("Callable[[], Any]", factory)
        else:
            empty[name] = functools.partial(copy.deepcopy, fields[name].default)
    return empty


def _row_values(entity: str, row_id: str, head: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The column values of a record from its canonical payload (as its revision holds it)."""
    converters = _CONVERTERS.get(entity)
    if converters is None:
        table = table_of(RECORDS[entity][0])
        converters = [(c.name, _converter(c)) for c in table.columns if c.name not in ("id", "rev")]
        _CONVERTERS[entity] = converters
    # A field added after the revision was written (or left out while empty) is empty: its
    # declared default ("" for text, None for a date, [] for a list).
    empty = _EMPTY.get(entity)
    if empty is None:
        empty = _EMPTY[entity] = _empty_values(entity)
    values = {
        name: convert(
            payload[name] if name in payload else (empty[name]() if name in empty else None)
        )
        for name, convert in converters
    }
    values["id"], values["rev"] = uuid.UUID(row_id), head
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
        add_withheld(uow, (str(r["id"]) for r in fresh if r["id"] in source.withheld))
    new_datasets: dict[str, set[str]] = {"unit": set(), "aggregate": set()}
    for entity in ENTITY_ORDER:  # parents before children, as the foreign keys need
        table = table_of(RECORDS[entity][0])
        chosen = [p for p in plans if p.entity == entity and p.payload is not None and p.head]
        fresh_rows = [
            _row_values(entity, p.row_id, str(p.head), p.payload or {})
            for p in chosen
            if p.outcome == "new"
        ]
        if fresh_rows:
            conn.execute(insert(table), fresh_rows)
        changed = [p for p in chosen if p.outcome != "new"]
        moved = _moved_datasets(uow, changed) if entity == "dataset" else set()
        for plan in chosen:
            if entity == "dataset" and (plan.outcome == "new" or plan.row_id in moved):
                new_datasets[str((plan.payload or {})["shape"])].add(plan.row_id)
            if plan.outcome == "new":
                continue
            values = _row_values(entity, plan.row_id, str(plan.head), plan.payload or {})
            key = values.pop("id")
            conn.execute(update(table).where(table.c.id == key), values)
    _copy_dataset_rows(uow, source, new_datasets)
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
    witness.keep_heads(uow, source, now)
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


def _moved_datasets(uow: UnitOfWork, plans: list[RecordPlan]) -> set[str]:
    """Datasets the central store holds whose fingerprint the merge changes: their rows are
    the incoming file's (verified against that fingerprint), so the old rows are removed."""
    from testlearn.store.tables import AggregateRow, Dataset, Observation

    changing = {p.row_id: str((p.payload or {}).get("fingerprint")) for p in plans}
    changing = {k: v for k, v in changing.items() if k and v}
    table = table_of(Dataset)
    moved: set[str] = set()
    for chunk in central.batches(uuid.UUID(r) for r in changing):
        query = select(table.c.id, table.c.fingerprint).where(table.c.id.in_(chunk))
        for row_id, fingerprint in uow.conn.execute(query):
            if changing.get(str(row_id)) != fingerprint:
                moved.add(str(row_id))
    for chunk in central.batches(uuid.UUID(r) for r in moved):
        for rows in (table_of(Observation), table_of(AggregateRow)):
            uow.conn.execute(delete(rows).where(rows.c.dataset_id.in_(chunk)))
    return moved


def _copy_dataset_rows(uow: UnitOfWork, source: Source, new: dict[str, set[str]]) -> None:
    """The outcome rows of every new dataset, read in one pass per shape, bulk inserted."""
    from testlearn.domain.fingerprint import AGGREGATE_COLUMNS, OBSERVATION_COLUMNS
    from testlearn.store.tables import AggregateRow, Observation

    for shape, wanted in new.items():
        if not wanted:
            continue
        table = table_of(Observation if shape == "unit" else AggregateRow)
        columns = (
            "dataset_id",
            "row_no",
            *(OBSERVATION_COLUMNS if shape == "unit" else AGGREGATE_COLUMNS),
        )
        for chunk in source.dataset_rows(shape, wanted):
            rows = [dict(zip(columns, (uuid.UUID(r[0]), *r[1:]), strict=True)) for r in chunk]
            uow.conn.execute(insert(table), rows)


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
