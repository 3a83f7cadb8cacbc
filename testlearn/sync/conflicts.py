"""Listing and resolving the conflicts merges keep.

A resolution is an ordinary recorded change on top of the merge revision (which already has
both sides as parents): so merging either file again finds nothing new, and the conflict
does not come back.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select, update

from testlearn.domain.merge_report import ConflictView, Provenance
from testlearn.domain.records import FROZEN_HYPOTHESIS_FIELDS
from testlearn.errors import ConflictError, InvalidValue, NotFound
from testlearn.store.tables import RECORDS, Conflict, MergeSource, RecordOrigin, table_of
from testlearn.store.unit_of_work import UnitOfWork

TAKE = ("ours", "theirs", "value")


def _label(uow: UnitOfWork, entity: str, row_id: uuid.UUID) -> str:
    """The record in words: "pilot MOJ-TL-007", "hypothesis H1 of DFE-TL-004"."""
    table = table_of(RECORDS[entity][0])
    row = uow.conn.execute(select(table).where(table.c.id == row_id)).mappings().first()
    if row is None:
        return f"{entity} {str(row_id)[:8]}"
    name = row.get("reference") or row.get("code") or row.get("name") or str(row_id)[:8]
    label = f"{entity.replace('_', ' ')} {name}"
    if entity != "pilot" and row.get("pilot_id"):
        pilots = table_of(RECORDS["pilot"][0])
        reference = uow.conn.execute(
            select(pilots.c.reference).where(pilots.c.id == row["pilot_id"])
        ).scalar_one_or_none()
        if reference:
            label += f" of {reference}"
    return label


def _view(uow: UnitOfWork, row: Any, source: str | None) -> ConflictView:
    ours, theirs = (row.value_a, row.value_b) if row.shown == "a" else (row.value_b, row.value_a)
    return ConflictView(
        id=row.id,
        kind=row.kind,
        entity=row.entity,
        row_id=str(row.row_id),
        field=row.field,
        label=_label(uow, row.entity, row.row_id),
        base=row.base,
        ours=ours,
        theirs=theirs,
        status=row.status,
        source=source or "",
        detected_at=row.detected_at.isoformat(),
        detail=row.detail,
    )


def list_conflicts(uow: UnitOfWork, *, include_resolved: bool = False) -> list[ConflictView]:
    conflicts, sources = table_of(Conflict), table_of(MergeSource)
    query = select(conflicts, sources.c.source_name).join(
        sources, conflicts.c.merge_source_id == sources.c.id, isouter=True
    )
    if not include_resolved:
        query = query.where(conflicts.c.status == "open")
    rows = uow.conn.execute(query.order_by(conflicts.c.detected_at, conflicts.c.id))
    return [_view(uow, row, row.source_name) for row in rows]


def find_conflict(uow: UnitOfWork, prefix: str) -> Any:
    table = table_of(Conflict)
    matches = uow.conn.execute(
        select(table).where(table.c.id.startswith(prefix.strip().lower()))
    ).all()
    if not matches:
        raise NotFound(f"no conflict {prefix!r}; `testlearn conflicts` lists them")
    if len(matches) > 1:
        raise InvalidValue(f"{prefix!r} matches {len(matches)} conflicts; give more of the id")
    return matches[0]


def resolve(uow: UnitOfWork, prefix: str, take: str, value: Any = None) -> ConflictView:
    """Settle a conflict by keeping ours, taking theirs, or setting a value."""
    if take not in TAKE:
        raise InvalidValue(f"--take must be one of {', '.join(TAKE)}")
    conflict = find_conflict(uow, prefix)
    if conflict.status != "open":
        raise ConflictError(f"conflict {conflict.id[:12]} was already resolved")
    ours, theirs = (
        (conflict.value_a, conflict.value_b)
        if conflict.shown == "a"
        else (conflict.value_b, conflict.value_a)
    )
    if take == "value" and value is None:
        raise InvalidValue("--take value needs the value to set")
    if take != "ours":
        _refuse_registered(uow, conflict)
    chosen = {"ours": ours, "theirs": theirs, "value": value}[take]
    revision = ""
    summary = f"resolved {conflict.kind} conflict on {conflict.entity} {conflict.field}".strip()
    if conflict.kind == "edit-edit":
        view = uow.update(
            conflict.entity,
            conflict.row_id,
            {conflict.field: chosen},
            summary=summary,
            action="resolve",
        )
        revision = view.rev
    elif conflict.kind == "delete-edit":
        if bool(chosen):
            uow.delete(conflict.entity, conflict.row_id, summary=summary)
    elif conflict.kind == "id-collision" and take == "theirs":
        fields = RECORDS[conflict.entity][1].model_fields
        changes = {k: v for k, v in dict(theirs or {}).items() if k in fields}
        view = uow.update(
            conflict.entity, conflict.row_id, changes, summary=summary, action="resolve"
        )
        revision = view.rev
    now = dt.datetime.now(dt.UTC)
    uow.conn.execute(
        update(table_of(Conflict))
        .where(table_of(Conflict).c.id == conflict.id)
        .values(
            status="resolved",
            resolution={"take": take, "value": chosen},
            resolved_by=uow.actor,
            resolved_at=now,
            resolution_rev=revision,
        )
    )
    uow.record_event(
        "resolve",
        entity=conflict.entity,
        row_id=conflict.row_id,
        revision_id=revision or None,
        summary=summary,
        detail={"conflict": conflict.id, "take": take},
    )
    uow.session.flush()
    return next(c for c in list_conflicts(uow, include_resolved=True) if c.id == conflict.id)


def _refuse_registered(uow: UnitOfWork, conflict: Any) -> None:
    """A registration is written once, and a registered hypothesis changes only by a
    deviation: a resolution never installs the other side's registered content."""
    label = _label(uow, conflict.entity, conflict.row_id)
    if conflict.entity == "registration":
        raise ConflictError(
            f"{label}: a registration is written once, so this conflict keeps the central "
            f"store's; resolve it with `--take ours` (conflict {conflict.id[:12]})"
        )
    if conflict.entity != "hypothesis":
        return
    table = table_of(RECORDS["hypothesis"][0])
    registered = uow.conn.execute(
        select(table.c.registration_id).where(table.c.id == conflict.row_id)
    ).scalar_one_or_none()
    if registered is not None and conflict.field in (*FROZEN_HYPOTHESIS_FIELDS, ""):
        raise ConflictError(
            f"{label}: it is registered, so {conflict.field or 'its content'} changes only by "
            "a recorded deviation; resolve this conflict with `--take ours`, then record the "
            "deviation if the other value is right"
        )


def provenance(uow: UnitOfWork, entity: str, row_id: uuid.UUID) -> list[Provenance]:
    origins, sources = table_of(RecordOrigin), table_of(MergeSource)
    query = (
        select(origins.c.outcome, sources)
        .join(sources, origins.c.merge_source_id == sources.c.id)
        .where(origins.c.entity == entity, origins.c.row_id == row_id)
        .order_by(sources.c.merged_at)
    )
    return [
        Provenance(
            row.source_name,
            row.department,
            row.merged_at.isoformat(),
            row.operator,
            row.outcome,
            row.source_sha256,
        )
        for row in uow.conn.execute(query)
    ]
