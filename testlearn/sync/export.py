"""`testlearn export`: a consistent snapshot for central teams, with a manifest.

Never a raw copy of a live file: ``VACUUM INTO`` takes a transactionally consistent copy
that includes whatever is still in the -wal file. The manifest beside it lists what the
snapshot holds (counts, each replica's audit-chain head), the department it comes from and
its sha256, so the merge can tell a complete copy from a damaged or partial one.

The department is the database's own (its replica's), given once (``testlearn init
--department`` or the first ``testlearn export --department``) and kept in the file, so the
snapshot and its manifest name the same department.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

from testlearn import __version__
from testlearn.errors import DatabaseFileError, InvalidValue
from testlearn.store.database import Database, vacuum_into
from testlearn.store.tables import RECORDS, Replica
from testlearn.store.unit_of_work import UnitOfWork
from testlearn.sync import withholding
from testlearn.temporary_files import remove_leftovers, replace_durably, temporary_name

MANIFEST_FORMAT = "testlearn-export/1"
COUNTED = (*(t.__tablename__ for t, _ in RECORDS.values()), "revision", "audit_event")
DEPARTMENT_LENGTH = 100


class DepartmentNeeded(InvalidValue):
    """An export must say which department it comes from, and this database does not know."""


def department_of(uow: UnitOfWork) -> str:
    """The department this database belongs to ("" when it was never given)."""
    replica = uow.session.get(Replica, uow.replica_id)
    return (replica.department or "").strip() if replica is not None else ""


def set_department(uow: UnitOfWork, department: str) -> str:
    """Record the department this database belongs to (an audited change); returns it."""
    name = " ".join(department.split())
    if not name:
        raise DepartmentNeeded("the department is empty; give its name, for example DHSC")
    if len(name) > DEPARTMENT_LENGTH:
        raise InvalidValue(f"the department name is longer than {DEPARTMENT_LENGTH} characters")
    before = department_of(uow)
    replica = uow.session.get(Replica, uow.replica_id)
    if replica is not None and name != before:
        replica.department = name
        uow.session.flush()
        uow.record_event(
            "department",
            summary=f"department set to {name}",
            detail={"department": name, "was": before},
        )
    return name


def manifest_path(snapshot: Path) -> Path:
    return snapshot.with_name(snapshot.name + ".manifest.json")


def sha256_of(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def describe_snapshot(path: Path) -> dict[str, Any]:
    """Counts and audit-chain heads of a database file, read without writing."""
    conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
    try:
        # A file of an older schema lacks the newer tables (clearance, at schema 3), and so
        # does the manifest its own version wrote: count what the file has, so that an older
        # department's export is checked against its manifest before it is migrated.
        present = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        counts = {
            str(table): int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
            for table in COUNTED
            if table in present
        }
        heads = {
            str(replica): {"seq": int(seq), "hash": str(digest)}
            for replica, seq, digest in conn.execute(
                "SELECT replica_id, seq, hash FROM audit_event a WHERE seq = "
                "(SELECT max(seq) FROM audit_event b WHERE b.replica_id = a.replica_id)"
            )
        }
        self_row = conn.execute("SELECT id, department FROM replica WHERE is_self").fetchone()
        generation = int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()
    return {
        "counts": counts,
        "audit_heads": heads,
        "replica_id": str(self_row[0]) if self_row else "",
        "department": self_row[1] if self_row else "",
        "schema_generation": generation,
    }


def export_snapshot(db: Database, out: Path, *, without_commercial: bool = False) -> dict[str, Any]:
    """Write ``out`` and ``out.manifest.json``; both appear whole or not at all.

    ``without_commercial`` leaves the commercially sensitive values out of the snapshot,
    with their history (``withholding``); the manifest lists which records' fields went,
    never the values, and says the export is without them. An export that carries such
    values is marked, in its manifest, as the reports that print them are.
    """
    if db.path is None:
        raise DatabaseFileError("export works on a database file, not on a server")
    out = Path(out)
    if out.exists():
        raise DatabaseFileError(f"{out}: a file already exists there; choose a new name")
    if not out.parent.is_dir():
        raise DatabaseFileError(f"{out.parent}: no such folder")
    remove_leftovers(out.parent)  # a killed export's, never a running one's
    partial = temporary_name(out)
    try:
        vacuum_into(db.path, partial)
        commercial: dict[str, Any]
        if without_commercial:
            withheld = withholding.leave_out_commercial(partial)
            commercial = {
                "commercial": withholding.WITHOUT_COMMERCIAL,
                "withheld": [item.to_json() for item in withheld],
            }
        elif withholding.carries_commercial(partial):
            commercial = {
                "commercial": "with commercial values",
                "marking": withholding.commercial_marking(),
            }
        else:
            commercial = {"commercial": "no commercial values recorded"}
        facts = describe_snapshot(partial)
        manifest = {
            "format": MANIFEST_FORMAT,
            "file": out.name,
            "sha256": sha256_of(partial),
            "app_version": __version__,
            "exported_at": dt.datetime.now(dt.UTC).isoformat(),
            **facts,
            **commercial,
        }
        manifest_partial = manifest_path(partial)
        manifest_partial.write_text(
            json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8"
        )
        # The snapshot first, then its manifest: a crash between them leaves a snapshot
        # without a manifest, which the merge notes, never a manifest without its file.
        replace_durably(partial, out)
        replace_durably(manifest_partial, manifest_path(out))
    finally:
        partial.unlink(missing_ok=True)
        manifest_path(partial).unlink(missing_ok=True)
    return manifest
