"""The audit log: one hash chain per replica, read once, in order.

Besides the links themselves: a clock that goes backwards (an event written more than a
few minutes before the one it follows, as a machine with its clock set back writes them,
or as events appended by hand to make a change look old) is flagged with both times; and
every revision the log says was recorded must still be in the history, so deleting a
record together with its revisions (guards dropped) is found too. A store that merges files
holds their replicas' events but not the revisions a merge rejected, so there only its own
replica's events are held to that (the chain heads a central store keeps cover the rest).
Registration events are handed on to the registration checks, which compare their times
and hashes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import func, select

from testlearn.domain.verification import Finding
from testlearn.store.record_names import RecordNames, full_id, key
from testlearn.store.tables import RECORDS, AuditEvent, MergeSource, table_of
from testlearn.store.unit_of_work import GENESIS, UnitOfWork, audit_hash

#: How far back one event may be dated from the event before it: clocks are corrected by a
#: few seconds now and then, never by minutes in an honest file.
CLOCK_TOLERANCE = dt.timedelta(minutes=5)


@dataclass
class RegistrationEvents:
    """The audit events about each registration (by key): when, what action, what detail."""

    by_registration: dict[str, list[tuple[dt.datetime, str, dict[str, object]]]] = field(
        default_factory=dict
    )
    #: Every revision id an event says it recorded.
    recorded: set[str] = field(default_factory=set)


def _utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def check(
    uow: UnitOfWork,
    revisions: set[str],
    names: RecordNames,
    registrations: RegistrationEvents,
) -> Iterator[Finding]:
    events = table_of(AuditEvent)
    query = select(events).order_by(events.c.replica_id, events.c.seq)
    merges = uow.conn.execute(select(func.count()).select_from(table_of(MergeSource))).scalar()
    own = uow.replica_id if merges else None
    replica, expected_seq, prev, prev_at = None, 1, GENESIS, None
    for event in uow.conn.execute(query).mappings():
        if event["replica_id"] != replica:
            replica, expected_seq, prev, prev_at = event["replica_id"], 1, GENESIS, None
        seq = event["seq"]
        where = f"audit event {seq} of replica {replica}"
        if seq != expected_seq:
            yield Finding("audit", where, f"the audit log has a gap before event {seq}")
        if event["prev_hash"] != prev:
            yield Finding(
                "audit", where, "the audit chain is broken: an earlier event was altered or removed"
            )
        if audit_hash({k: v for k, v in event.items() if k != "hash"}) != event["hash"]:
            yield Finding("audit", where, "the audit event was altered after it was written")
        at = _utc(event["at"])
        if prev_at is not None and at < prev_at - CLOCK_TOLERANCE:
            yield Finding(
                "clock",
                where,
                f"the clock went backwards: this event is dated {at:%Y-%m-%d %H:%M:%S} UTC, "
                f"before the event it follows ({prev_at:%Y-%m-%d %H:%M:%S} UTC)",
            )
        if own is None or event["replica_id"] == own:
            yield from _recorded_revision(event, where, revisions, names)
        if event["revision_id"]:
            registrations.recorded.add(str(event["revision_id"]))
        if event["entity"] == "registration" and event["row_id"] is not None:
            registrations.by_registration.setdefault(key(event["row_id"]), []).append(
                (at, str(event["action"]), dict(event["detail"] or {}))
            )
        expected_seq, prev, prev_at = seq + 1, event["hash"], at


def _recorded_revision(
    event: dict[str, object] | object, where: str, revisions: set[str], names: RecordNames
) -> Iterator[Finding]:
    revision = event["revision_id"]  # type: ignore[index]
    entity = str(event["entity"])  # type: ignore[index]
    if not revision or revision in revisions or entity not in RECORDS:
        return
    row = event["row_id"]  # type: ignore[index]
    yield Finding(
        "history",
        names.describe(entity, row) if names.known(entity, row) else f"{entity} {full_id(row)}",
        f"the audit log recorded revision {revision} ({where}), which is no longer in the "
        "history: the record's history was deleted outside testlearn",
        entity=entity,
        row_id=full_id(row),
        revision=str(revision),
        pilot_id=names.pilot_id(entity, row),
    )
