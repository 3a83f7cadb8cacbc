"""Central teams' use cases: export for central, merge, list and resolve conflicts."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from testlearn.domain.merge_report import ConflictView, MergeReport, Provenance
from testlearn.errors import DatabaseFileError, InvalidValue
from testlearn.services.pilots import require_pilot
from testlearn.store.database import Database
from testlearn.store.storage_errors import expecting, room_to_store
from testlearn.sync.export import DepartmentNeeded

__all__ = [
    "DepartmentNeeded",
    "conflicts",
    "export_department",
    "export_for_central",
    "export_summary",
    "merge",
    "provenance_of_pilot",
    "resolve",
]


def export_for_central(
    *,
    db: Database,
    out: Path,
    department: str | None = None,
    actor: str = "testlearn",
    without_commercial: bool = False,
) -> dict[str, Any]:
    """Write a snapshot for the central team, with a manifest naming the department.

    ``department`` is needed once: it is kept in the database (an audited change), and later
    exports use it. The demo database is refused: its pilots are fictional.
    ``without_commercial`` leaves the commercially sensitive values out, history and all;
    the manifest lists what was left out. Otherwise an export that carries such values is
    marked (the manifest's ``marking``), as a report that prints them is.
    """
    from testlearn.services.demo import is_demo
    from testlearn.sync.export import department_of, export_snapshot
    from testlearn.sync.export import set_department as record_department

    if is_demo(db):
        raise InvalidValue(
            "this is the demo database (ten fictional pilots), which is never exported for "
            "the central team; open your own database and export that"
        )
    if db.path is None:
        raise DatabaseFileError("export works on a database file, not on a server")
    if department is not None and department.strip():
        with db.transaction(actor) as uow:
            record_department(uow, department)
    else:
        with db.reading() as uow:
            if not department_of(uow):
                raise DepartmentNeeded(
                    "say which department this export comes from, for example "
                    "`testlearn export --department DHSC --out FILE`; it is kept in the "
                    "database, so it is asked for only once"
                )
    return export_snapshot(db, out, without_commercial=without_commercial)


def export_summary(
    out: Path,
    manifest: dict[str, Any],
    *,
    leave_out: str = "export with --without-commercial",
) -> str:
    """What an export wrote, in one line; its marking first when it carries commercial
    values, as a report that prints them is marked. ``leave_out`` says how to leave them
    out, in the words of the command line or the window."""
    line = (
        f"exported {out} from {manifest['department']} "
        f"({sum(manifest['counts'].values()):,} rows; sha256 "
        f"{manifest['sha256'][:16]}…) with {out.name}.manifest.json"
    )
    if "withheld" in manifest:
        records = len(manifest["withheld"])
        return (
            f"{line}, {manifest['commercial']}: commercially sensitive values of {records} "
            f"record{'s' if records != 1 else ''} were left out, with their history; the "
            "manifest lists which"
        )
    if "marking" in manifest:
        return (
            f"{manifest['marking']}: {line}. It carries commercially sensitive values "
            f"(should-cost, bids, outturn) and their history; handle it at that marking, or "
            f"{leave_out}"
        )
    return line


def export_department(*, db: Database) -> str:
    """The department exports from ``db`` are named with ("" until it is given)."""
    from testlearn.sync.export import department_of

    with db.reading() as uow:
        return department_of(uow)


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

    with expecting(room_to_store(*sources)):
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
