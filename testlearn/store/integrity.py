"""Tamper evidence: recompute every hash the file holds and say where they disagree.

Checks, each independent of the others so one edit is caught by several:
1. every revision's id is the hash of its content (a flipped byte in history shows);
2. every record equals the payload of its head revision, carries that revision's id as its
   own, and stands at the end of its history (an edit, a swap of ids or a roll-back shows);
3. every record is accounted for by its revisions and every revision by its record, a
   deleted one kept as a tombstone (a DELETE by raw SQL shows);
4. every replica's audit chain links up, hash by hash, with no gaps, no clock going
   backwards, and no recorded revision missing (``audit_chain``);
5. the append-only guards and the canonical-id constraints are in the schema, word for
   word (``schema_guards``), and every id is written in its one canonical form
   (``canonical_ids``);
6. every dataset's rows still hash to the fingerprint its revision recorded, and every
   stored result names the dataset, fingerprint and registration it was computed from
   (``dataset_check``);
7. registrations are write-once and agree with their hashed snapshot, their audit event
   and the hypotheses' deviations (``registration_history``).
A revision an export left its commercial values out of (``withheld``) cannot have its id
recomputed; it is checked for being shortened as an export shortens, and counted.
Everything is read in one pass per table, never a query per record, and as raw text where
SQLAlchemy would make two spellings of an id look the same.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import literal_column, select, text
from sqlalchemy.exc import SQLAlchemyError

from testlearn.domain import records
from testlearn.domain.canonical import canonical_bytes, revision_id_from_text
from testlearn.domain.verification import Finding
from testlearn.store import (
    audit_chain,
    canonical_ids,
    dataset_check,
    registration_history,
    schema_guards,
    withheld,
)
from testlearn.store.record_names import RecordNames, full_id, key, raw_text
from testlearn.store.tables import RECORDS, Revision, table_of
from testlearn.store.unit_of_work import UnitOfWork, payload_columns

#: Entities whose revision payloads are kept after the pass: the registration checks read them.
KEPT_PAYLOADS = frozenset({"registration"})


@dataclass(frozen=True)
class Stored:
    """One revision as the file holds it."""

    entity: str
    row_key: str
    raw_row_id: str
    parents: tuple[str, ...]
    op: str
    recorded_at: object


@dataclass
class History:
    """What one pass over the revision table learnt."""

    revisions: dict[str, Stored] = field(default_factory=dict)
    of_record: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    superseded: set[tuple[str, str, str]] = field(default_factory=set)
    payloads: dict[str, str] = field(default_factory=dict)
    records: set[tuple[str, str]] = field(default_factory=set)
    unreadable: set[str] = field(default_factory=set)  # entities whose table could not be read
    withheld: set[str] = field(default_factory=set)  # revisions held without commercial values


def verify_history(uow: UnitOfWork) -> Iterator[Finding]:
    """Every finding about the file, check by check."""
    names = RecordNames()
    history = History()
    events = audit_chain.RegistrationEvents()
    checks: list[tuple[str, Callable[[], Iterator[Finding]]]] = [
        ("the history", lambda: _revisions(uow, history)),
        ("the schema", lambda: schema_guards.check(uow)),
        ("the records", lambda: _heads(uow, history, names)),
        ("the records", lambda: _unaccounted(uow, history, names)),
        ("the ids", lambda: canonical_ids.check(uow, names)),
        ("the audit log", lambda: audit_chain.check(uow, set(history.revisions), names, events)),
        ("the audit log", lambda: _unrecorded(history, names, events.recorded)),
        ("the outcome data", lambda: dataset_check.check(uow, names, history.of_record)),
        (
            "the registrations",
            lambda: registration_history.check(
                uow, names, history.of_record, history.revisions, history.payloads, events
            ),
        ),
    ]
    for part, check in checks:
        try:
            yield from check()
        except (SQLAlchemyError, ValueError, TypeError, KeyError) as error:
            # A value no testlearn version writes (an id that is no UUID at all) stops one
            # check, not the others: the id check names the row.
            yield Finding(
                "records",
                part,
                f"the check of {part} could not be finished: the file holds a value testlearn "
                f"cannot read ({error}); it was written outside testlearn",
            )


def count_checked(uow: UnitOfWork) -> dict[str, int]:
    """How much was checked, by what a reader would call it."""

    def rows(table: str) -> int:
        return int(uow.conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())

    checked = {
        "records": sum(rows(str(table.__tablename__)) for table, _ in RECORDS.values()),
        "revisions": rows("revision"),
        "audit events": rows("audit_event"),
        "datasets": rows("dataset"),
        "registrations": rows("registration"),
    }
    # Said only where there are some: those revisions' ids could not be recomputed.
    shortened = len(withheld.withheld_revisions(uow))
    if shortened:
        checked["revisions without their commercial values"] = shortened
    return checked


def _revisions(uow: UnitOfWork, history: History) -> Iterator[Finding]:
    rows = uow.conn.execute(
        text(
            "SELECT id, entity, row_id, parents, replica_id, payload, op, recorded_at FROM revision"
        )
    )
    listed = withheld.withheld_revisions(uow)
    for rev, entity, row_id, parents, replica, payload, op, recorded_at in rows:
        parent_list = json.loads(parents) if isinstance(parents, str) else list(parents or [])
        try:
            expected = revision_id_from_text(
                entity=entity,
                row_id=full_id(row_id),
                parents=parent_list,
                replica=full_id(replica),
                payload_text=payload,
            )
        except (ValueError, TypeError, AttributeError):
            expected = ""
        row = key(row_id)
        stored = Stored(entity, row, raw_text(row_id), tuple(parent_list), op, recorded_at)
        history.revisions[rev] = stored
        history.of_record.setdefault((entity, row), []).append(rev)
        for parent in parent_list:
            history.superseded.add((entity, row, parent))
        if entity in KEPT_PAYLOADS:
            history.payloads[rev] = payload
        if expected != rev and rev in listed and withheld.shortened_as_exported(entity, payload):
            history.withheld.add(rev)
        elif expected != rev:
            yield Finding(
                "history",
                f"revision {rev} of {entity} {full_id(row_id)}",
                "the stored revision does not match its hash: history was altered",
                entity=entity,
                row_id=full_id(row_id),
                revision=rev,
            )
        if entity not in RECORDS:
            yield Finding(
                "history",
                f"revision {rev}",
                f"the history holds a revision of {entity!r}, which testlearn never records",
                revision=rev,
            )


def _heads(uow: UnitOfWork, history: History, names: RecordNames) -> Iterator[Finding]:
    revisions = table_of(Revision)
    for entity, (model, _fields) in RECORDS.items():
        table = table_of(model)
        columns = payload_columns(model)
        query = select(
            table,
            revisions.c.payload.label("head_payload"),
            # Untyped, so the text arrives as stored: the Uuid type would read any spelling.
            literal_column(f"{table.name}.id").label("raw_id"),
        ).select_from(table.outerjoin(revisions, revisions.c.id == table.c.rev))
        try:
            rows = list(uow.conn.execute(query).mappings())
        except (SQLAlchemyError, ValueError, TypeError) as error:
            history.unreadable.add(entity)
            # Still learn whose the records are, from the raw text, to name them elsewhere.
            for raw in uow.conn.execute(text(f"SELECT * FROM {table.name}")).mappings():
                names.add(entity, raw["id"], raw)
            yield Finding(
                "records",
                f"table {table.name}",
                f"the table holds values testlearn cannot read ({type(error).__name__}): "
                "it was written outside testlearn",
            )
            continue
        for row in rows:
            names.add(entity, row["raw_id"], row)
        for row in rows:
            yield from _head(entity, row, columns, history, names)


def _head(
    entity: str,
    row: Mapping[Any, Any],
    columns: list[str],
    history: History,
    names: RecordNames,
) -> Iterator[Finding]:
    raw_id = raw_text(row["raw_id"])
    history.records.add((entity, key(raw_id)))
    rev = str(row["rev"])

    def finding(check: str, message: str) -> Finding:
        # Named only when found: naming every healthy record would cost more than checking it.
        return Finding(
            check,
            names.describe(entity, raw_id),
            message,
            entity=entity,
            row_id=full_id(raw_id),
            revision=rev,
            pilot_id=names.pilot_id(entity, raw_id),
        )

    stored = history.revisions.get(rev)
    if row["head_payload"] is None or stored is None:
        yield finding("records", "the record has no revision in the history")
        return
    if stored.entity != entity or stored.raw_row_id != raw_id:
        yield finding(
            "ids",
            f"the record's id does not match its history: its last revision {rev} is of "
            f"{stored.entity} {full_id(stored.raw_row_id)} (ids were swapped or rewritten)",
        )
    payload = records.revision_payload(entity, {name: row[name] for name in columns})
    try:
        same = canonical_bytes(payload).decode("utf-8") == row["head_payload"]
    except (TypeError, ValueError):
        same = False
    if not same and entity in withheld.COMMERCIAL_FIELDS:
        same = _same_but_withheld(entity, payload, row["head_payload"])
    if not same:
        yield finding(
            "records",
            "the record differs from its last recorded revision: it was changed outside testlearn",
        )
    if (entity, key(raw_id), rev) in history.superseded:
        yield finding(
            "records",
            f"the record was set back to revision {rev}, which its history has already "
            "replaced: a later revision was undone outside testlearn",
        )


def _same_but_withheld(entity: str, payload: dict[str, Any], head_payload: str) -> bool:
    """Whether a record matches a head revision that leaves its commercial values out: each
    field the revision leaves out is empty in the record, and the rest is the same."""
    try:
        head = json.loads(head_payload)
    except (ValueError, TypeError, RecursionError):
        return False
    if not isinstance(head, dict):
        return False
    absent = withheld.withheld_from(entity, head)
    if not absent or any(payload.get(name) is not None for name in absent):
        return False
    kept = {k: v for k, v in payload.items() if k not in absent}
    try:
        return canonical_bytes(kept).decode("utf-8") == head_payload
    except (TypeError, ValueError):
        return False


def _unaccounted(uow: UnitOfWork, history: History, names: RecordNames) -> Iterator[Finding]:
    """Revisions whose record is gone: testlearn never deletes a record, it tombstones it."""
    missing = [
        (entity, row, revs)
        for (entity, row), revs in history.of_record.items()
        if entity in RECORDS
        and entity not in history.unreadable
        and (entity, row) not in history.records
    ]
    if not missing:
        return
    # Only the payloads of the missing records are parsed: they say whose the records were.
    wanted = [revs[-1] for _entity, _row, revs in missing]
    payloads = dict(
        uow.conn.execute(
            select(table_of(Revision).c.id, table_of(Revision).c.payload).where(
                table_of(Revision).c.id.in_(wanted)
            )
        ).all()
    )
    for entity, row, revs in missing:
        with contextlib.suppress(ValueError):
            names.add(entity, row, json.loads(payloads.get(revs[-1], "{}")))
    for entity, row, revs in missing:
        yield Finding(
            "records",
            names.describe(entity, row),
            f"the record was deleted outside testlearn: its history has {len(revs)} "
            f"revision(s), the last {revs[-1]}, but the record itself is gone (testlearn "
            "keeps a deleted record, marked deleted)",
            entity=entity,
            row_id=full_id(row),
            revision=revs[-1],
            pilot_id=names.pilot_id(entity, row),
        )


def _unrecorded(history: History, names: RecordNames, recorded: set[str]) -> Iterator[Finding]:
    """Revisions no audit event recorded: testlearn writes both in one transaction.

    A merge writes its merge revisions (two parents) under one "merge" event rather than
    one event each, so those are the exception.
    """
    for rev, stored in history.revisions.items():
        if rev in recorded or (stored.op == "merge" and len(stored.parents) >= 2):
            continue
        yield Finding(
            "history",
            names.describe(stored.entity, stored.row_key),
            f"revision {rev} ({stored.op}, recorded {stored.recorded_at}) is in the history "
            "but no audit event recorded it: it was added outside testlearn",
            entity=stored.entity,
            row_id=full_id(stored.row_key),
            revision=rev,
            pilot_id=names.pilot_id(stored.entity, stored.row_key),
        )
