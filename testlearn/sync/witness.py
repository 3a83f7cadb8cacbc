"""The outside witness: chain heads read from a file, kept by a central store, checked.

A chain head (``testlearn.domain.receipt.ChainHead``) is the last audit event of a replica.
The central store keeps the head of each replica it merged a file from, in
``database_info`` (no record table changes, so no file's hashes move); at the next merge
of a file from that replica, the file's history must still hold that event, with that
hash. A history cut short or rewritten, however consistently re-hashed, fails this.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select

from testlearn.domain.receipt import ChainHead
from testlearn.store.tables import AuditEvent, Replica, table_of
from testlearn.store.unit_of_work import UnitOfWork
from testlearn.sync.quarantine import Source

_KEPT = "witnessed_chain_head:"


def own_replica(uow: UnitOfWork) -> str | None:
    """The replica this file is (``replica.is_self``), or None for a damaged file."""
    table = table_of(Replica)
    found = uow.conn.execute(select(table.c.id).where(table.c.is_self)).scalar_one_or_none()
    return None if found is None else str(found)


def chain_head(uow: UnitOfWork, replica_id: str | None = None) -> ChainHead | None:
    """The last audit event of ``replica_id`` (the file's own replica when None)."""
    replica = replica_id or own_replica(uow)
    if replica is None:
        return None
    table = table_of(AuditEvent)
    row = uow.conn.execute(
        select(table.c.seq, table.c.hash)
        .where(table.c.replica_id == uuid.UUID(replica))
        .order_by(table.c.seq.desc())
        .limit(1)
    ).first()
    return None if row is None else ChainHead(replica, int(row[0]), str(row[1]))


def chain_head_at(uow: UnitOfWork, replica_id: str, moment: dt.datetime) -> ChainHead | None:
    """The last audit event of ``replica_id`` recorded at or before ``moment``: the head a
    report made then printed, so a check of it months later (or on a copy) can rebuild it."""
    table = table_of(AuditEvent)
    at = moment.astimezone(dt.UTC) if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    row = uow.conn.execute(
        select(table.c.seq, table.c.hash)
        .where(table.c.replica_id == uuid.UUID(replica_id), table.c.at <= at)
        .order_by(table.c.seq.desc())
        .limit(1)
    ).first()
    return None if row is None else ChainHead(replica_id, int(row[0]), str(row[1]))


def chain_of(uow: UnitOfWork, replica_id: str) -> list[tuple[int, str, str]]:
    """(seq, prev_hash, hash) of every audit event of one replica, in order."""
    table = table_of(AuditEvent)
    query = (
        select(table.c.seq, table.c.prev_hash, table.c.hash)
        .where(table.c.replica_id == uuid.UUID(replica_id))
        .order_by(table.c.seq)
    )
    return [(int(seq), str(prev), str(digest)) for seq, prev, digest in uow.conn.execute(query)]


def kept_head(uow: UnitOfWork, replica_id: str) -> dict[str, Any] | None:
    """The head this store witnessed for a replica: seq, hash, department, file, merged_at.

    A store that merged the replica before heads were kept still holds the events it
    merged; the last of them is the head it witnessed then.
    """
    stored = uow.get_info(_KEPT + replica_id)
    if stored is not None:
        kept: dict[str, Any] = json.loads(stored)
        return kept
    head = chain_head(uow, replica_id)
    if head is None:
        return None
    return {"seq": head.seq, "hash": head.hash, "department": "", "file": "", "merged_at": ""}


def keep_head(
    uow: UnitOfWork,
    head: ChainHead,
    *,
    department: str,
    file: str,
    sha256: str,
    merged_at: dt.datetime,
) -> None:
    """Remember the head of a merged file's replica; a later head only ever moves it on."""
    before = kept_head(uow, head.replica_id)
    if before is not None and int(before["seq"]) > head.seq:
        return
    department = department or str((before or {}).get("department") or "")
    uow.set_info(
        _KEPT + head.replica_id,
        json.dumps(
            {
                **head.to_json(),
                "department": department,
                "file": file,
                "sha256": sha256,
                "merged_at": merged_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            },
            sort_keys=True,
        ),
    )


def chains(events: Iterable[Mapping[str, Any]]) -> dict[str, dict[int, str]]:
    """replica -> {seq: hash} of a file's audit events, read in one pass."""
    out: dict[str, dict[int, str]] = {}
    for event in events:
        replica = str(uuid.UUID(str(event["replica_id"])))
        out.setdefault(replica, {})[int(event["seq"])] = str(event["hash"])
    return out


def extends(
    kept: Mapping[str, Any], chain: Mapping[int, str], *, who: str, name: str
) -> tuple[str | None, str | None]:
    """(refusal, note): whether one replica's chain in a file extends the kept head.

    A history that stops before the kept head is an older copy (a Monday export merged after
    Wednesday's): the events it has are checked one by one against those merged before, so
    it can add nothing that was not witnessed; it gets a note, not a refusal.
    """
    seq, digest = int(kept["seq"]), str(kept["hash"])
    when = f" on {kept['merged_at']}" if kept.get("merged_at") else ""
    witnessed = f"event {seq} (hash {digest}) was merged{when}"
    found = chain.get(seq)
    if found is None:
        return None, (
            f"an older copy: the history of {who} ends at event {max(chain, default=0)}, and "
            f"{witnessed}; each event it holds matches the one merged before"
        )
    if found != digest:
        return (
            f"{name}: event {seq} of the history of {who} now has hash {found}, but "
            f"{witnessed}: this copy's history was rewritten; refused"
        ), None
    return None, None


def who(department: str, replica_id: str) -> str:
    """A replica named for a person: its department and its full id."""
    return f"{department} (replica {replica_id})" if department else f"replica {replica_id}"


def check(uow: UnitOfWork, source: Source) -> tuple[str | None, str | None]:
    """(refusal, note): the file's history against the heads this store kept.

    Every replica whose events the file carries is checked, not only the file's own: a
    department file that merged another's holds that history too, and must not rewrite it.
    Only the file's own history stopping short earns a note (an older copy of the file).
    """
    notes = []
    for replica, chain in sorted(chains(source.audit).items()):
        kept = kept_head(uow, replica)
        if kept is None:
            continue
        department = source.department if replica == source.replica_id else ""
        refused, note = extends(
            kept,
            chain,
            who=who(department or str(kept.get("department") or ""), replica),
            name=source.name,
        )
        if refused:
            first = _first_difference(uow, chain, replica)
            if first is not None and first != int(kept["seq"]):
                refused += f" (the first event that differs from those merged is event {first})"
            return refused, None
        if note and replica == source.replica_id:
            notes.append(note)
    return None, "; ".join(notes) or None


def _first_difference(uow: UnitOfWork, chain: Mapping[int, str], replica: str) -> int | None:
    """The earliest event of ``replica`` in the file that differs from the one merged."""
    from testlearn.sync.central import audit_hashes

    merged = audit_hashes(uow, [replica])
    differing = [
        seq for seq, digest in chain.items() if merged.get((replica, seq), digest) != digest
    ]
    return min(differing, default=None)


def keep_heads(uow: UnitOfWork, source: Source, merged_at: dt.datetime) -> None:
    """After a merge: the head of every replica the file brought, moved on where it grew."""
    for replica, chain in sorted(chains(source.audit).items()):
        last = max(chain)
        keep_head(
            uow,
            ChainHead(replica, last, chain[last]),
            department=source.department if replica == source.replica_id else "",
            file=source.name,
            sha256=source.sha256,
            merged_at=merged_at,
        )


def unrecorded(source: Source) -> str | None:
    """A revision no event of the file's history records was added outside testlearn.

    Every change testlearn makes appends a revision and an audit event naming it, in one
    transaction, and a merge copies both; only merge revisions (made alike by every central
    store) have no event of their own. A revision appended by hand with a correct hash but
    no event would otherwise arrive as an ordinary edit, a "fast-forward".
    """
    from testlearn.sync.immutable import pilot_of
    from testlearn.sync.plan import MERGE_REPLICA

    recorded = {str(e["revision_id"]) for e in source.audit if e.get("revision_id")}
    for rev in sorted(source.revisions.values(), key=lambda r: (r.recorded_at, r.id)):
        if rev.id in recorded or rev.replica_id == MERGE_REPLICA:
            continue
        payload = json.loads(rev.payload)
        name = str(payload.get("reference") or payload.get("code") or rev.row_id)
        if rev.entity != "pilot":
            name += f" of {pilot_of(source, rev.row_id, payload)}"
        return (
            f"{source.name}: {rev.entity.replace('_', ' ')} {name} has a revision ({rev.id}, "
            f"recorded {rev.recorded_at} by {rev.actor or 'nobody named'}) that no event of "
            "the file's history records: it was added outside testlearn; refused"
        )
    return None
