"""The one snapshot of a department file that a merge reads, hashes and checks.

SQLite reads a -wal file beside a database whatever the database's header says, and rolls a
hot -journal back into it, so either sidecar can change what the file holds while the file's
own bytes (and the sha256 its manifest gives) stay the same. The merge therefore folds any
sidecar into a private copy first, and that one consolidated snapshot is what is hashed,
checked against the manifest (which covers the exported file alone) and merged.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from testlearn.errors import TestlearnError
from testlearn.sync.export import describe_snapshot, manifest_path, sha256_of
from testlearn.sync.schema_check import open_defensively


class SourceRefused(TestlearnError):
    """The whole incoming file is refused; the message says why."""


def snapshot(original: Path, copy: Path, notes: list[str]) -> tuple[list[str], str]:
    """Make ``copy`` the one file SQLite would read ``original`` as.

    Returns the sidecars folded in and the snapshot's sha256. A file with no sidecar is its
    own snapshot, hashed as it came (folding a live file's header to one file changes two
    bytes of it and nothing it holds).

    SQLite reads a -wal file beside a database whatever its header says, and rolls a hot
    -journal back into it: either can change what the file holds. Both are copied beside
    the private copy and folded into it there (a checkpoint, then back to a single file),
    so that the snapshot hashed, checked against the manifest and merged is what SQLite
    would have read. A -shm file holds no data (SQLite rebuilds it from the -wal) and is not
    read.
    """
    shutil.copyfile(original, copy)
    brought = []
    for suffix in ("-wal", "-journal"):
        sidecar = Path(f"{original}{suffix}")
        if sidecar.is_file() and sidecar.stat().st_size:
            shutil.copyfile(sidecar, Path(f"{copy}{suffix}"))
            brought.append(sidecar.name)
    if Path(f"{original}-shm").is_file():
        notes.append(f"{original.name}-shm lay beside the file; it holds no data and was not read")
    with copy.open("rb") as handle:
        # Bytes 18-19 of the header say 2 for a file in WAL mode (a live database, not an
        # export): read-only connections to it would need -wal and -shm files beside it.
        wal_mode = handle.read(20)[18:20] == b"\x02\x02"
    sha = sha256_of(copy)
    if not brought and not wal_mode:
        return brought, sha
    try:
        conn = sqlite3.connect(copy, isolation_level=None)
        try:
            conn.execute("PRAGMA trusted_schema=OFF")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("PRAGMA journal_mode=DELETE")
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        raise SourceRefused(
            f"{original.name}: {', '.join(brought)} beside it cannot be read with it ({error}); "
            "move it away and merge again, or ask for a new export"
        ) from None
    for suffix in ("-wal", "-journal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    return brought, (sha256_of(copy) if brought else sha)


def check_manifest(
    original: Path, copy: Path, sha: str, brought: list[str], notes: list[str]
) -> None:
    manifest_file = manifest_path(original)
    if not manifest_file.exists():
        if brought:
            notes.append(
                f"{', '.join(brought)} lay beside the file; its committed changes were included"
            )
        notes.append("no manifest beside the file: its completeness could not be checked")
        return
    try:
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
        if not isinstance(manifest, dict):
            raise ValueError("not a JSON object")
    except (OSError, ValueError, RecursionError) as error:
        raise SourceRefused(f"{manifest_file.name}: not a readable manifest ({error})") from None
    if manifest.get("sha256") != sha:
        if brought:
            raise SourceRefused(
                f"{original.name}: {', '.join(brought)} beside it changes what the file holds, "
                f"but its manifest covers {original.name} alone (an export is one file): move "
                f"{', '.join(brought)} away and merge again, or ask for a new export"
            )
        raise SourceRefused(
            f"{original.name}: the file does not match its manifest (sha256 differs): it was "
            "changed or damaged after export"
        )
    if brought:
        notes.append(f"{', '.join(brought)} lay beside the export; it changed nothing in it")
    facts = describe_snapshot(copy)
    if facts["counts"] != manifest.get("counts") or facts["audit_heads"] != manifest.get(
        "audit_heads"
    ):
        raise SourceRefused(
            f"{original.name}: the file holds less than its manifest lists; it may have been "
            "copied without its -wal file. Export it again with `testlearn export`."
        )


def integrity_check(copy: Path, name: str) -> None:
    try:
        conn = open_defensively(copy)
        try:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        raise SourceRefused(f"{name}: the database is damaged ({error})") from None
    if rows != [("ok",)]:
        raise SourceRefused(f"{name}: the database is damaged ({rows[0][0]})")
