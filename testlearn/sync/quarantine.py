"""Quarantine: an incoming file is checked on a private copy before anything is planned.

The original is only ever read (copied byte for byte, with its -wal file if one lies beside
it). The copy is classified from its header, checked with ``integrity_check``, migrated if
older, and verified: every revision hash, every record against its head revision, every
audit chain, every dataset fingerprint and every registration. What fails is refused (the
whole file) or rejected (the records concerned), never quietly merged.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from testlearn.domain.registration import check_registration
from testlearn.errors import TestlearnError
from testlearn.store import integrity
from testlearn.store.database import SCHEMA_GENERATION, Database
from testlearn.store.database_file import FileState, describe_refusal, read_header
from testlearn.store.tables import RECORDS
from testlearn.sync.export import describe_snapshot, manifest_path, sha256_of


class SourceRefused(TestlearnError):
    """The whole incoming file is refused; the message says why."""


@dataclass(frozen=True)
class RevisionRow:
    id: str
    entity: str
    row_id: str
    parents: tuple[str, ...]
    replica_id: str
    payload: str  # canonical JSON, as hashed
    op: str
    recorded_at: str
    actor: str


@dataclass
class Source:
    """A verified private copy of an incoming file, loaded for planning."""

    name: str
    original: Path
    copy: Path
    sha256: str
    replica_id: str
    department: str
    generation: int
    app_version: str
    revisions: dict[str, RevisionRow] = field(default_factory=dict)
    heads: dict[tuple[str, str], str] = field(default_factory=dict)  # (entity, id) -> rev
    audit: list[dict[str, Any]] = field(default_factory=list)
    replicas: list[dict[str, Any]] = field(default_factory=list)
    rejected: dict[tuple[str, str], str] = field(default_factory=dict)  # record -> reason
    #: Registered hypotheses whose content differs from their registration and deviations:
    #: the merge refuses the whole file for these (``immutable.py``), not just the records.
    unregistered_changes: dict[str, str] = field(default_factory=dict)  # hypothesis -> reason
    notes: list[str] = field(default_factory=list)

    def dataset_rows(self, shape: str, wanted: set[str]) -> Iterator[list[tuple[Any, ...]]]:
        """Rows of the wanted datasets, as (dataset id, row number, columns...), in chunks."""
        from testlearn.domain.fingerprint import AGGREGATE_COLUMNS, OBSERVATION_COLUMNS

        table, columns = (
            ("observation", OBSERVATION_COLUMNS)
            if shape == "unit"
            else ("aggregate_row", AGGREGATE_COLUMNS)
        )
        hexes = {uuid.UUID(key).hex: key for key in wanted}
        conn = sqlite3.connect(f"file:{self.copy.as_posix()}?mode=ro", uri=True)
        try:
            cursor = conn.execute(
                f"SELECT dataset_id, row_no, {', '.join(columns)} FROM {table} "
                "ORDER BY dataset_id, row_no"
            )
            while chunk := cursor.fetchmany(50_000):
                rows = [(hexes[row[0]], *row[1:]) for row in chunk if row[0] in hexes]
                if rows:
                    yield rows
        finally:
            conn.close()


def quarantine(path: Path, workdir: Path) -> Source:
    """Copy, check, migrate and verify ``path``; raise SourceRefused if it cannot be merged."""
    path = Path(path)
    header = read_header(path)
    if header.state is not FileState.TESTLEARN:
        raise SourceRefused(describe_refusal(path, header))
    if header.generation > SCHEMA_GENERATION:
        raise SourceRefused(
            f"{path.name}: written by a newer testlearn (schema {header.generation}); this "
            f"version merges up to schema {SCHEMA_GENERATION}. Install the newer version."
        )
    original_sha = sha256_of(path)
    copy = workdir / f"{uuid.uuid4().hex}.sqlite"
    shutil.copyfile(path, copy)
    wal = Path(f"{path}-wal")
    notes: list[str] = []
    if wal.exists() and wal.stat().st_size:
        shutil.copyfile(wal, Path(f"{copy}-wal"))
        notes.append("a -wal file lay beside the file; its committed changes were included")
    _check_manifest(path, copy, original_sha, notes)
    _integrity_check(copy, path.name)
    try:
        db = Database.open(copy)  # migrates an older copy (the original is untouched)
    except TestlearnError as error:
        raise SourceRefused(f"{path.name}: {error}") from None
    if header.generation < SCHEMA_GENERATION:
        notes.append(f"schema {header.generation} file: merged from a migrated copy")
    try:
        source = _load(db, path, copy, original_sha, header.generation)
    finally:
        db.close()
    source.notes[:0] = notes
    return source


def _check_manifest(original: Path, copy: Path, sha: str, notes: list[str]) -> None:
    manifest_file = manifest_path(original)
    if not manifest_file.exists():
        notes.append("no manifest beside the file: its completeness could not be checked")
        return
    try:
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise SourceRefused(f"{manifest_file.name}: not a readable manifest ({error})") from None
    if manifest.get("sha256") != sha:
        raise SourceRefused(
            f"{original.name}: the file does not match its manifest (sha256 differs): it was "
            "changed or damaged after export"
        )
    facts = describe_snapshot(copy)
    if facts["counts"] != manifest.get("counts") or facts["audit_heads"] != manifest.get(
        "audit_heads"
    ):
        raise SourceRefused(
            f"{original.name}: the file holds less than its manifest lists; it may have been "
            "copied without its -wal file. Export it again with `testlearn export`."
        )


def _integrity_check(copy: Path, name: str) -> None:
    try:
        conn = sqlite3.connect(copy)
        try:
            conn.execute("PRAGMA trusted_schema=OFF")
            rows = conn.execute("PRAGMA integrity_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        raise SourceRefused(f"{name}: the database is damaged ({error})") from None
    if rows != [("ok",)]:
        raise SourceRefused(f"{name}: the database is damaged ({rows[0][0]})")


def _load(db: Database, original: Path, copy: Path, sha: str, generation: int) -> Source:
    with db.reading() as uow:
        findings = list(integrity.verify_history(uow))
        conn = uow.conn
        replica = conn.exec_driver_sql(
            "SELECT id, department, app_version FROM replica WHERE is_self"
        ).first()
        if replica is None:
            raise SourceRefused(f"{original.name}: the file has no replica id; it is damaged")
        source = Source(
            name=original.name,
            original=original,
            copy=copy,
            sha256=sha,
            replica_id=str(uuid.UUID(str(replica[0]))),
            department=replica[1],
            generation=generation,
            app_version=replica[2],
        )
        for finding in findings:
            if finding.check == "audit":
                raise SourceRefused(
                    f"{original.name}: {finding.where}: {finding.message}; the file was altered"
                )
            if finding.check == "guards":
                source.notes.append(f"{finding.where}: {finding.message}")
            elif finding.entity:
                source.rejected[(finding.entity, finding.row_id)] = finding.message
        for row in conn.exec_driver_sql(
            "SELECT id, entity, row_id, parents, replica_id, payload, op, recorded_at, actor "
            "FROM revision"
        ):
            source.revisions[row[0]] = RevisionRow(
                row[0],
                row[1],
                str(uuid.UUID(str(row[2]))),
                tuple(json.loads(row[3])),
                str(uuid.UUID(str(row[4]))),
                row[5],
                row[6],
                str(row[7]),
                row[8],
            )
        for entity, (table, _) in RECORDS.items():
            for row_id, rev in conn.exec_driver_sql(f"SELECT id, rev FROM {table.__tablename__}"):
                source.heads[(entity, str(uuid.UUID(str(row_id))))] = rev
        for row in conn.exec_driver_sql(
            "SELECT replica_id, seq, at, actor, action, entity, row_id, revision_id, summary, "
            "detail, prev_hash, hash FROM audit_event ORDER BY replica_id, seq"
        ):
            source.audit.append(dict(row._mapping))
        for row in conn.exec_driver_sql(
            "SELECT id, department, created_at, app_version FROM replica"
        ):
            source.replicas.append(dict(row._mapping))
        _check_registrations(uow, source)
    return source


def _check_registrations(uow: Any, source: Source) -> None:
    """A registered hypothesis changed without a deviation in this copy is rejected."""
    hypotheses = {h.id: h for h in uow.find("hypothesis")}
    deviations = uow.find("deviation")
    for registration in uow.find("registration"):
        check = check_registration(
            registration,
            hypotheses,
            [d for d in deviations if d.registration_id == registration.id],
            labels={h: v.code for h, v in hypotheses.items()},
        )
        if check.intact:
            continue
        for hypothesis_id in registration.hypothesis_ids:
            reason = "registered content was changed in this copy without a recorded deviation: "
            source.rejected[("hypothesis", str(hypothesis_id))] = reason + "; ".join(check.problems)
            source.unregistered_changes[str(hypothesis_id)] = "; ".join(check.problems)
