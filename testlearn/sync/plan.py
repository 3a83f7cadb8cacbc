"""Planning a merge: what each incoming record is, and what the central store should become.

Pure functions over revision graphs and payloads, Git- and Zotero-style: each record is
compared with the central copy through their common ancestor, field by field. Nothing here
writes; ``apply`` does.

While a conflict is open the record shows one of the two values, chosen so that the result
does not depend on the order files are merged in: the central store's own edit if one side
is that, otherwise the side whose revision id sorts first. Both values stay in the conflict
record, and the merge revision has both heads as parents, so merging either file again is a
no-op, and resolving the conflict is an ordinary edit on top.

A file exported without commercial values leaves those fields out of its revisions. Their
absence is no change: the central store's own values stay, and are never a conflict.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from testlearn.domain.canonical import canonical_bytes, canonical_hash, revision_id
from testlearn.domain.records import revision_payload
from testlearn.store.withheld import withheld_from

NOT_MERGED = frozenset({"deleted"})
#: The replica named in merge revisions. A merge revision is a function of what it merges
#: (its two parents and the merged payload), not of which central store computed it, so
#: two central teams merging the same files write the same history.
MERGE_REPLICA = str(uuid.uuid5(uuid.NAMESPACE_URL, "testlearn:merge"))


@dataclass(frozen=True)
class ConflictSpec:
    id: str
    kind: str
    field: str
    base: Any
    value_a: Any
    value_b: Any
    rev_a: str
    rev_b: str
    shown: str
    detail: str = ""


@dataclass
class RecordPlan:
    entity: str
    row_id: str
    outcome: str  # new | identical | fast-forward | stale | auto-merged | conflict | rejected
    reason: str = ""
    new_revisions: list[str] = field(default_factory=list)  # source revision ids to add
    head: str | None = None  # the head the central row should point at afterwards
    payload: dict[str, Any] | None = None  # the row content to write (None: leave the row)
    merge_revision: tuple[str, list[str], str] | None = None  # (id, parents, payload text)
    conflicts: list[ConflictSpec] = field(default_factory=list)


def ancestors(start: str, parents: Mapping[str, tuple[str, ...]]) -> set[str]:
    """``start`` and every revision it descends from (as far as ``parents`` knows)."""
    seen = {start}
    stack = [start]
    while stack:
        for parent in parents.get(stack.pop(), ()):
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return seen


def common_base(a: str, b: str, parents: Mapping[str, tuple[str, ...]]) -> str | None:
    """The best common ancestor of two heads: one no other common ancestor descends from."""
    common = ancestors(a, parents) & ancestors(b, parents)
    if not common:
        return None
    best = [c for c in common if not any(c != o and c in ancestors(o, parents) for o in common)]
    return min(best)


def conflict_id(entity: str, row_id: str, name: str, revs: list[str]) -> str:
    return canonical_hash({"entity": entity, "row_id": row_id, "field": name, "revs": sorted(revs)})


def three_way(
    *,
    entity: str,
    row_id: str,
    base: dict[str, Any],
    ours: dict[str, Any],
    theirs: dict[str, Any],
    ours_rev: str,
    theirs_rev: str,
    ours_is_central: bool,
    theirs_is_central: bool,
) -> tuple[dict[str, Any], list[ConflictSpec]]:
    """Merge two payloads against their base; return the merged payload and its conflicts."""
    # Side "a" is the one whose revision id sorts first; it is shown unless "b" is the
    # central store's own edit. Both rules ignore which file arrived first.
    if ours_rev < theirs_rev:
        a, b, rev_a, rev_b, b_central, a_central = (
            ours,
            theirs,
            ours_rev,
            theirs_rev,
            theirs_is_central,
            ours_is_central,
        )
    else:
        a, b, rev_a, rev_b, b_central, a_central = (
            theirs,
            ours,
            theirs_rev,
            ours_rev,
            ours_is_central,
            theirs_is_central,
        )
    shown = "b" if b_central and not a_central else "a"
    merged: dict[str, Any] = {}
    conflicts: list[ConflictSpec] = []
    for name in sorted(set(base) | set(a) | set(b)):
        if name in NOT_MERGED:
            continue
        vb, va, vv = base.get(name), a.get(name), b.get(name)
        if va == vv or vv == vb:
            merged[name] = va
        elif va == vb:
            merged[name] = vv
        else:
            merged[name] = va if shown == "a" else vv
            conflicts.append(
                ConflictSpec(
                    conflict_id(entity, row_id, name, [rev_a, rev_b]),
                    "edit-edit",
                    name,
                    vb,
                    va,
                    vv,
                    rev_a,
                    rev_b,
                    shown,
                )
            )
    deleted_a, deleted_b = bool(a.get("deleted")), bool(b.get("deleted"))
    if deleted_a == deleted_b:
        merged["deleted"] = deleted_a
    else:
        editor = b if deleted_a else a
        edited = any(editor.get(n) != base.get(n) for n in editor if n not in NOT_MERGED)
        if edited:
            # One side deleted what the other changed: keep the record (nothing is lost) and
            # ask a person.
            merged["deleted"] = False
            conflicts.append(
                ConflictSpec(
                    conflict_id(entity, row_id, "deleted", [rev_a, rev_b]),
                    "delete-edit",
                    "deleted",
                    False,
                    deleted_a,
                    deleted_b,
                    rev_a,
                    rev_b,
                    "b" if deleted_a else "a",
                    "deleted on one side, changed on the other",
                )
            )
        else:
            merged["deleted"] = True
    return merged, conflicts


def plan_record(
    *,
    entity: str,
    row_id: str,
    source_head: str,
    central_head: str | None,
    parents: Mapping[str, tuple[str, ...]],
    payloads: Mapping[str, str],
    replicas: Mapping[str, str],
    central_replica: str,
    known_in_central: set[str],
) -> RecordPlan:
    """Classify one incoming record and, where needed, merge it.

    ``parents``, ``payloads`` and ``replicas`` cover the revisions of this record on both
    sides; ``known_in_central`` says which of them the central store already holds.
    """
    source_line = ancestors(source_head, parents)
    missing = sorted(source_line - known_in_central, key=lambda r: _depth(r, parents))
    if central_head is None:
        return RecordPlan(
            entity,
            row_id,
            "new",
            new_revisions=missing,
            head=source_head,
            payload=json.loads(payloads[source_head]),
        )
    if central_head == source_head:
        return RecordPlan(entity, row_id, "identical")
    if source_head in known_in_central:
        return RecordPlan(entity, row_id, "stale")
    if central_head in source_line:
        incoming = json.loads(payloads[source_head])
        kept = with_values_of(entity, incoming, json.loads(payloads[central_head]))
        if kept == incoming:
            return RecordPlan(
                entity,
                row_id,
                "fast-forward",
                new_revisions=missing,
                head=source_head,
                payload=incoming,
            )
        # The file left out commercial values the central store holds: the store keeps
        # them, in a merge revision on top of the file's, so the record matches its head.
        return _merged_plan(
            entity, row_id, "fast-forward", kept, [central_head, source_head], missing, []
        )
    base = common_base(central_head, source_head, parents)
    if base is None:
        return RecordPlan(
            entity,
            row_id,
            "conflict",
            reason="the same id with an unrelated history",
            conflicts=[
                ConflictSpec(
                    conflict_id(entity, row_id, "", [central_head, source_head]),
                    "id-collision",
                    "",
                    None,
                    json.loads(payloads[central_head]),
                    json.loads(payloads[source_head]),
                    central_head,
                    source_head,
                    "a",
                    "the same id with an unrelated history",
                )
            ],
        )
    ours = json.loads(payloads[central_head])
    theirs = json.loads(payloads[source_head])
    merged, conflicts = three_way(
        entity=entity,
        row_id=row_id,
        base=json.loads(payloads[base]),
        ours=with_values_of(entity, ours, theirs),
        theirs=with_values_of(entity, theirs, ours),
        ours_rev=central_head,
        theirs_rev=source_head,
        ours_is_central=replicas.get(central_head) in (central_replica, MERGE_REPLICA),
        theirs_is_central=replicas.get(source_head) in (central_replica, MERGE_REPLICA),
    )
    outcome = "conflict" if conflicts else "auto-merged"
    return _merged_plan(
        entity, row_id, outcome, merged, [central_head, source_head], missing, conflicts
    )


def with_values_of(entity: str, payload: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """``payload`` with each commercial field it leaves out taken from ``other``, where
    ``other`` has it: a value left out of an export is no change to the value."""
    absent = withheld_from(entity, payload)
    if not absent:
        return payload
    return {**payload, **{name: other[name] for name in absent if name in other}}


def _merged_plan(
    entity: str,
    row_id: str,
    outcome: str,
    payload: dict[str, Any],
    heads: list[str],
    missing: list[str],
    conflicts: list[ConflictSpec],
) -> RecordPlan:
    merged = revision_payload(entity, payload)
    merge_parents = sorted(heads)
    text = canonical_bytes(merged).decode("utf-8")
    merge_id = revision_id(
        entity=entity, row_id=row_id, parents=merge_parents, replica=MERGE_REPLICA, payload=merged
    )
    return RecordPlan(
        entity,
        row_id,
        outcome,
        new_revisions=missing,
        head=merge_id,
        payload=merged,
        merge_revision=(merge_id, merge_parents, text),
        conflicts=conflicts,
    )


def _depth(revision: str, parents: Mapping[str, tuple[str, ...]]) -> int:
    """Longest path to a root: inserting by depth puts parents before children."""
    depth, frontier = 0, [revision]
    seen: set[str] = set()
    while frontier:
        following = []
        for rev in frontier:
            for parent in parents.get(rev, ()):
                if parent not in seen:
                    seen.add(parent)
                    following.append(parent)
        if following:
            depth += 1
        frontier = following
    return depth
