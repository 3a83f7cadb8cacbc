"""Quarantine: an incoming file is checked on a private copy before anything is planned.

The original is only ever read (copied byte for byte, with any -wal or -journal file beside
it folded into the one snapshot, ``snapshot.py``). The copy is classified from its header,
its schema compared with the known one before any query (``schema_check.py``), checked
with ``integrity_check`` and against its manifest, migrated if older, and verified: every
revision hash, every record against its head revision, every audit chain, every dataset
fingerprint and every registration; and every record is validated as testlearn validates
its own (``validation.py``). What fails is refused (the whole file) or rejected (the
records concerned), never quietly merged.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from testlearn.domain.registration import check_registration
from testlearn.errors import TestlearnError
from testlearn.store import integrity, withheld
from testlearn.store.database import Database
from testlearn.store.database_file import (
    SCHEMA_GENERATION,
    FileState,
    describe_refusal,
    read_header,
)
from testlearn.store.tables import RECORDS
from testlearn.sync.schema_check import schema_problem
from testlearn.sync.snapshot import (
    SourceRefused,
    check_manifest,
    integrity_check,
    snapshot,
)
from testlearn.sync.validation import parse, record_problem


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
    #: Records whose id cannot be read at all: (entity, the id as the file spells it, why).
    unreadable: list[tuple[str, str, str]] = field(default_factory=list)
    #: Revisions the file holds without their commercial values (an export left them out).
    withheld: set[str] = field(default_factory=set)

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
    _check_header(path, read_header(path))
    copy = workdir / f"{uuid.uuid4().hex}.sqlite"
    notes: list[str] = []
    brought, sha = snapshot(path, copy, notes)
    # What is hashed, checked and merged is the one consolidated snapshot; a sidecar can
    # have changed its header too.
    header = read_header(copy)
    _check_header(path, header)
    problem = schema_problem(copy, header.generation)
    if problem:
        raise SourceRefused(f"{path.name}: {problem}; refused")
    check_manifest(path, copy, sha, brought, notes)
    integrity_check(copy, path.name)
    try:
        # A file of this schema is read as it is; an older one is migrated (the copy only).
        if header.generation == SCHEMA_GENERATION:
            db = Database.open_for_reading(copy)
        else:
            db = Database.open(copy)
    except TestlearnError as error:
        raise SourceRefused(f"{path.name}: {error}") from None
    if header.generation < SCHEMA_GENERATION:
        notes.append(f"schema {header.generation} file: merged from a migrated copy")
    try:
        source = _load(db, path, copy, sha, header.generation)
    finally:
        db.close()
    source.notes[:0] = notes
    return source


def _check_header(path: Path, header: Any) -> None:
    if header.state is not FileState.TESTLEARN:
        raise SourceRefused(describe_refusal(path, header))
    if header.generation > SCHEMA_GENERATION:
        raise SourceRefused(
            f"{path.name}: written by a newer testlearn (schema {header.generation}); this "
            f"version merges up to schema {SCHEMA_GENERATION}. Install the newer version."
        )


def _load(db: Database, original: Path, copy: Path, sha: str, generation: int) -> Source:
    name = original.name
    with db.reading() as uow:
        findings = list(integrity.verify_history(uow))
        conn = uow.conn
        replica = conn.exec_driver_sql(
            "SELECT id, department, app_version FROM replica WHERE is_self"
        ).first()
        replica_id = _uuid(replica[0]) if replica is not None else None
        if replica is None or replica_id is None:
            raise SourceRefused(f"{name}: the file has no readable replica id; it is damaged")
        source = Source(
            name=name,
            original=original,
            copy=copy,
            sha256=sha,
            replica_id=replica_id,
            department=str(replica[1] or ""),
            generation=generation,
            app_version=str(replica[2] or ""),
        )
        for finding in findings:
            if finding.check == "guards":
                source.notes.append(f"{finding.where}: {finding.message}")
            elif finding.check != "audit" and finding.entity and finding.row_id:
                source.rejected[(finding.entity, finding.row_id)] = finding.message
            else:
                # The audit chain, or something no record accounts for: the whole file.
                raise SourceRefused(
                    f"{name}: {finding.where}: {finding.message}; the file was altered"
                )
        heads = _load_revisions(conn, source)
        source.withheld = {
            rev
            for rev in withheld.withheld_revisions(uow)
            if rev in source.revisions
            and withheld.shortened_as_exported(
                source.revisions[rev].entity, source.revisions[rev].payload
            )
        }
        for entity, (table, _) in RECORDS.items():
            for raw_id, rev in conn.exec_driver_sql(f"SELECT id, rev FROM {table.__tablename__}"):
                row_id = _uuid(raw_id)
                if row_id is None:
                    source.unreadable.append(
                        (entity, str(raw_id)[:40], "its id is not an id (a UUID)")
                    )
                    continue
                source.heads[(entity, row_id)] = str(rev)
        for (entity, row_id), rev in source.heads.items():
            payload = heads.get(str(rev))
            problem = record_problem(entity, payload) if payload is not None else None
            if problem:
                # The field is named first: it is what the department can put right.
                found = source.rejected.get((entity, row_id))
                source.rejected[(entity, row_id)] = problem + (f"; {found}" if found else "")
        for row in conn.exec_driver_sql(
            "SELECT replica_id, seq, at, actor, action, entity, row_id, revision_id, summary, "
            "detail, prev_hash, hash FROM audit_event ORDER BY replica_id, seq"
        ):
            source.audit.append(dict(row._mapping))
        for row in conn.exec_driver_sql(
            "SELECT id, department, created_at, app_version FROM replica"
        ):
            if _uuid(row[0]) is None or not _moment(row[2]):
                raise SourceRefused(
                    f"{name}: table replica: {str(row[0])[:40]!r} is not a replica testlearn "
                    "writes (its id or time cannot be read); the file was altered"
                )
            source.replicas.append(dict(row._mapping))
        _check_registrations(uow, source)
    return source


def _load_revisions(conn: Any, source: Source) -> dict[str, dict[str, Any]]:
    """Every readable revision into ``source``; returns the parsed payload of each.

    A revision that cannot be read (parents that are no list of ids, a payload that is not
    a JSON object) is left out, and its record rejected with the reason.
    """
    payloads: dict[str, dict[str, Any]] = {}
    for row in conn.exec_driver_sql(
        "SELECT id, entity, row_id, parents, replica_id, payload, op, recorded_at, actor "
        "FROM revision"
    ):
        rev, entity = str(row[0]), str(row[1])
        row_id, replica = _uuid(row[2]), _uuid(row[4])
        payload, problem = parse(row[5])
        parents = _parents(row[3])
        if row_id is None:
            source.unreadable.append((entity, str(row[2])[:40], f"revision {rev}: no id"))
            continue
        if problem is None and (replica is None or parents is None):
            problem = "its parents or replica cannot be read"
        if problem is not None or payload is None:
            source.rejected.setdefault((entity, row_id), f"revision {rev}: {problem}")
            continue
        payloads[rev] = payload
        source.revisions[rev] = RevisionRow(
            rev,
            entity,
            row_id,
            tuple(parents or ()),
            str(replica),
            row[5],
            str(row[6]),
            str(row[7]),
            str(row[8] or ""),
        )
    return payloads


def _uuid(value: Any) -> str | None:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return None


def _parents(text: Any) -> list[str] | None:
    try:
        parents = json.loads(text) if isinstance(text, str) else None
    except (ValueError, RecursionError):
        return None
    if not isinstance(parents, list) or not all(isinstance(p, str) for p in parents):
        return None
    return parents


def _moment(value: Any) -> bool:
    if isinstance(value, dt.datetime):
        return True
    try:
        dt.datetime.fromisoformat(str(value))
    except ValueError:
        return False
    return True


def _check_registrations(uow: Any, source: Source) -> None:
    """A registered hypothesis changed without a deviation in this copy is rejected."""
    try:
        hypotheses = {h.id: h for h in uow.find("hypothesis")}
        deviations = uow.find("deviation")
        registrations = uow.find("registration")
    except (ValidationError, ValueError, TypeError):
        # A record no testlearn writes (rejected above, by name) stops the reading of the
        # registrations: none of them can be shown intact, so none is merged.
        for entity, row_id in list(source.heads):
            if entity == "registration":
                source.rejected.setdefault(
                    (entity, row_id),
                    "its registered content cannot be checked: the file holds records "
                    "testlearn cannot read",
                )
        return
    for registration in registrations:
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


__all__ = ["Source", "SourceRefused", "quarantine"]
