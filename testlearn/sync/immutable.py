"""Merges refuse changes to what is written once: registrations and registered content.

A registration is made once and never edited (``testlearn.services.registration``); after it
the only change to a registered hypothesis is a deviation. A file that carries anything else
(a registration with a later revision, one that differs from the registration the central
store holds, a registration whose time disagrees with its hashed snapshot, a registered
hypothesis that differs from its registration plus its deviations) is refused whole, with
the record named: merging it as a "fast-forward" would make the change look legitimate.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from testlearn.domain.canonical import normalise
from testlearn.domain.records import FROZEN_HYPOTHESIS_FIELDS, OMITTED_WHILE_EMPTY
from testlearn.domain.registration import snapshot_hash
from testlearn.store.tables import RECORDS, Revision, table_of
from testlearn.store.unit_of_work import UnitOfWork
from testlearn.sync.plan import ancestors
from testlearn.sync.quarantine import Source

#: Registration fields a merge compares with the central store's copy.
WRITTEN_ONCE = ("pilot_id", "registered_at", "registered_by", "content_hash", "hypothesis_ids")


def refusal(uow: UnitOfWork, source: Source) -> str | None:
    """Why ``source`` changes written-once content (one line), or None when it does not."""
    name = source.name
    registrations = _source_payloads(source, "registration")
    central_registrations = _central_payloads(uow, "registration", registrations)
    made = _making_events(source)
    by_row = _parents_of_row(source)
    for row_id, payload in sorted(registrations.items()):
        label = f"the registration of {pilot_of(source, row_id, payload)}"
        problem = _registration_problem(
            source, row_id, payload, central_registrations.get(row_id), by_row.get(row_id, {})
        ) or _history_problem(source, row_id, payload, made.get(row_id, []))
        if problem:
            return f"{name}: {label} {problem}; a registration is written once; refused"
    deviations = _deviations(uow, source)
    for row_id, payload in sorted(_source_payloads(source, "hypothesis").items()):
        registration_id = payload.get("registration_id")
        if not registration_id:
            continue
        label = f"hypothesis {payload.get('code')} of {pilot_of(source, row_id, payload)}"
        registration = central_registrations.get(registration_id) or registrations.get(
            registration_id
        )
        if registration is not None:
            problem = _hypothesis_problem(row_id, payload, registration, deviations)
            if problem:
                return f"{name}: {label} {problem}; refused"
        changed = source.unregistered_changes.get(row_id)
        if changed:
            return (
                f"{name}: {label} does not match its registration ({changed}); a registered "
                "hypothesis changes only by a deviation; refused"
            )
    return None


def _registration_problem(
    source: Source,
    row_id: str,
    payload: dict[str, Any],
    central: dict[str, Any] | None,
    parents: dict[str, tuple[str, ...]],
) -> str:
    head = source.heads[("registration", row_id)]
    line = ancestors(head, parents)
    if len(line) > 1:
        later = [source.revisions[r] for r in line if r in source.revisions and r != head]
        last = source.revisions[head]
        return (
            f"was changed after it was made ({len(later)} later revision(s); the last, "
            f"{last.id}, recorded {last.recorded_at} by {last.actor or 'nobody named'})"
        )
    snapshot = payload.get("snapshot") or {}
    if payload.get("registered_at") != snapshot.get("registered_at"):
        return (
            f"says it was registered at {payload.get('registered_at')}, but its hashed snapshot "
            f"says {snapshot.get('registered_at')}"
        )
    if snapshot_hash(snapshot) != payload.get("content_hash"):
        return "has a snapshot that does not match its registration hash"
    if central is not None:
        changed = [
            f for f in (*WRITTEN_ONCE, "snapshot", "deleted") if central.get(f) != payload.get(f)
        ]
        if changed:
            return (
                "differs from the registration the central store holds "
                f"({', '.join(changed)}; central has {central.get('content_hash')}, registered "
                f"at {central.get('registered_at')})"
            )
    elif payload.get("deleted"):
        return "was deleted"
    return ""


def _parents_of_row(source: Source) -> dict[str, dict[str, tuple[str, ...]]]:
    """row id -> {revision: parents} of every revision in the file, gathered in one pass
    (a pass per registration would grow with the square of the file)."""
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for rev in source.revisions.values():
        out.setdefault(rev.row_id, {})[rev.id] = rev.parents
    return out


def _making_events(source: Source) -> dict[str, list[dict[str, Any]]]:
    """registration id -> the events that recorded its making (create, register)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for event in source.audit:
        making = event["entity"] == "registration" and event["action"] in ("create", "register")
        if making and event["row_id"]:
            out.setdefault(str(uuid.UUID(str(event["row_id"]))), []).append(event)
    return out


def _history_problem(
    source: Source, row_id: str, payload: dict[str, Any], events: list[dict[str, Any]]
) -> str:
    """The registration must be the one the history recorded when it was made.

    A registration replaced by a new first revision (same id, another time or snapshot, the
    hashes recomputed) is consistent in itself; the event written when it was made still
    names the original revision and hash.
    """
    head = source.heads[("registration", row_id)]
    for event in events:
        detail = event["detail"]
        if isinstance(detail, str):
            detail = json.loads(detail)
        if event["revision_id"] and event["revision_id"] != head:
            return (
                f"is not the one its history recorded when it was made (event {event['seq']} "
                f"names revision {event['revision_id']}, the file holds {head})"
            )
        recorded = (detail or {}).get("hash")
        if recorded and recorded != payload.get("content_hash"):
            return (
                f"has hash {payload.get('content_hash')}, but its history recorded {recorded} "
                f"when it was made (event {event['seq']})"
            )
    return ""


def _hypothesis_problem(
    row_id: str,
    payload: dict[str, Any],
    registration: dict[str, Any],
    deviations: dict[str, list[dict[str, Any]]],
) -> str:
    expected = dict((registration.get("snapshot") or {}).get("hypotheses", {}).get(row_id) or {})
    if not expected:
        return ""
    if payload.get("deleted"):
        return "was deleted although it is registered"
    # Fields added later are left out of older snapshots and revisions while empty.
    later = OMITTED_WHILE_EMPTY.get("hypothesis", ())
    for deviation in sorted(deviations.get(row_id, []), key=lambda d: str(d["recorded_at"])):
        if deviation.get("field") in expected or deviation.get("field") in later:
            expected[deviation["field"]] = normalise(deviation.get("new_value"))
    actual = {f: normalise(payload.get(f)) for f in FROZEN_HYPOTHESIS_FIELDS}
    for f in later:
        expected[f] = expected.get(f) or ""
        actual[f] = actual.get(f) or ""
    changed = sorted(f for f in expected if actual.get(f) != expected[f])
    if not changed:
        return ""
    shown = ", ".join(f"{f} {expected[f]!r} -> {actual.get(f)!r}" for f in changed)
    return f"differs from its registration without a recorded deviation ({shown})"


def _source_payloads(source: Source, entity: str) -> dict[str, dict[str, Any]]:
    """row id -> head payload of each record of ``entity`` in the file."""
    out = {}
    for (kind, row_id), head in source.heads.items():
        if kind == entity and head in source.revisions:
            out[row_id] = json.loads(source.revisions[head].payload)
    return out


def _central_payloads(
    uow: UnitOfWork, entity: str, row_ids: Iterable[str]
) -> dict[str, dict[str, Any]]:
    """row id -> head payload of the records the central store holds among ``row_ids``."""
    table, revisions = table_of(RECORDS[entity][0]), table_of(Revision)
    wanted = [uuid.UUID(r) for r in row_ids]
    if not wanted:
        return {}
    query = (
        select(table.c.id, revisions.c.payload)
        .join(revisions, revisions.c.id == table.c.rev)
        .where(table.c.id.in_(wanted))
    )
    return {str(row_id): json.loads(text) for row_id, text in uow.conn.execute(query)}


def _deviations(uow: UnitOfWork, source: Source) -> dict[str, list[dict[str, Any]]]:
    """hypothesis id -> its deviations, those in the file and those the central store holds."""
    found = _source_payloads(source, "deviation")
    table, revisions = table_of(RECORDS["deviation"][0]), table_of(Revision)
    query = select(table.c.id, revisions.c.payload).join(revisions, revisions.c.id == table.c.rev)
    for row_id, text in uow.conn.execute(query):
        found.setdefault(str(row_id), json.loads(text))
    by_hypothesis: dict[str, list[dict[str, Any]]] = {}
    for deviation in found.values():
        if not deviation.get("deleted"):
            by_hypothesis.setdefault(str(deviation["hypothesis_id"]), []).append(deviation)
    return by_hypothesis


def pilot_of(source: Source, row_id: str, payload: dict[str, Any] | None = None) -> str:
    """The pilot a record belongs to, by reference (its id when the file does not say)."""
    payload = payload or {}
    pilot_id = payload.get("pilot_id")
    hypothesis = source.heads.get(("hypothesis", str(payload.get("hypothesis_id"))))
    if not pilot_id and hypothesis in source.revisions:
        pilot_id = json.loads(source.revisions[str(hypothesis)].payload).get("pilot_id")
    if pilot_id:
        head = source.heads.get(("pilot", str(pilot_id)))
        if head in source.revisions:
            return str(json.loads(source.revisions[str(head)].payload).get("reference"))
    snapshot = payload.get("snapshot") or {}
    return str(snapshot.get("pilot_reference") or f"record {row_id}")
