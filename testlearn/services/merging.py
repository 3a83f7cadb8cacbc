"""Central teams' use cases: export for central, merge, list and resolve conflicts."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from testlearn.domain.merge_report import ConflictView, MergeReport, Provenance
from testlearn.services.pilots import require_pilot
from testlearn.store.database import Database


def export_for_central(*, db: Database, out: Path) -> dict[str, Any]:
    from testlearn.sync.export import export_snapshot

    return export_snapshot(db, out)


def merge(
    sources: Sequence[Path],
    *,
    db: Database,
    actor: str,
    dry_run: bool = False,
    progress: Callable[[float], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> MergeReport:
    """Merge department files into ``db``; a dry run reports exactly what a real run would do.

    When ``should_cancel`` returns True before the batch is committed, the merge raises a
    ``TestlearnError`` and nothing is written.
    """
    from testlearn.sync.merge import merge_files

    return merge_files(
        db,
        sources,
        operator=actor,
        dry_run=dry_run,
        progress=progress,
        should_cancel=should_cancel,
    )


def conflicts(*, db: Database, include_resolved: bool = False) -> list[ConflictView]:
    from testlearn.sync.conflicts import list_conflicts

    with db.reading() as uow:
        return list_conflicts(uow, include_resolved=include_resolved)


def resolve(
    conflict: str, take: str, value: Any = None, *, db: Database, actor: str
) -> ConflictView:
    from testlearn.sync.conflicts import resolve as settle

    with db.transaction(actor) as uow:
        return settle(uow, conflict, take, value)


def provenance_of_pilot(reference: str, *, db: Database) -> list[Provenance]:
    from testlearn.sync.conflicts import provenance

    with db.reading() as uow:
        pilot = require_pilot(uow, reference)
        return provenance(uow, "pilot", uuid.UUID(str(pilot.id)))
