"""What a merge did (or, on a dry run, would do): per file, per outcome, with reasons."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

#: What can happen to one incoming record.
OUTCOMES = ("new", "identical", "fast-forward", "stale", "auto-merged", "conflict", "rejected")


@dataclass(frozen=True)
class RejectedItem:
    entity: str
    row_id: str
    reason: str


@dataclass(frozen=True)
class ConflictItem:
    id: str
    kind: str
    entity: str
    row_id: str
    field: str
    label: str  # the record in words: "pilot MOJ-TL-007"
    value_a: Any
    value_b: Any
    shown: str


@dataclass
class SourceReport:
    """One incoming file."""

    source: str
    sha256: str = ""
    replica_id: str = ""
    department: str = ""
    schema_generation: int = 0
    refused: str | None = None  # why the whole file was refused, if it was
    notes: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    conflicts: list[ConflictItem] = field(default_factory=list)
    rejected: list[RejectedItem] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    merge_source_id: uuid.UUID | None = None

    @property
    def changed(self) -> bool:
        return any(self.counts[k] for k in ("new", "fast-forward", "auto-merged", "conflict"))

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "sha256": self.sha256,
            "replica_id": self.replica_id,
            "department": self.department,
            "schema_generation": self.schema_generation,
            "refused": self.refused,
            "notes": self.notes,
            "counts": self.counts,
            "conflicts": [c.__dict__ for c in self.conflicts],
            "rejected": [r.__dict__ for r in self.rejected],
            "possible_duplicates": self.duplicates,
            "merge_source_id": str(self.merge_source_id) if self.merge_source_id else None,
        }


@dataclass
class MergeReport:
    central: str
    dry_run: bool
    sources: list[SourceReport] = field(default_factory=list)

    @property
    def totals(self) -> dict[str, int]:
        totals = dict.fromkeys(OUTCOMES, 0)
        for source in self.sources:
            for key, value in source.counts.items():
                totals[key] += value
        return totals

    def to_json(self) -> dict[str, Any]:
        return {
            "central": self.central,
            "dry_run": self.dry_run,
            "totals": self.totals,
            "sources": [s.to_json() for s in self.sources],
        }


@dataclass(frozen=True)
class ConflictView:
    """A kept conflict as a person sees it: base, the value shown (ours) and the other."""

    id: str
    kind: str
    entity: str
    row_id: str
    field: str
    label: str
    base: Any
    ours: Any  # the value the record shows now
    theirs: Any  # the other side's value
    status: str
    source: str
    detected_at: str
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Provenance:
    """Where a record came from: each merged file that brought or changed it."""

    source: str
    department: str
    merged_at: str
    operator: str
    outcome: str
    sha256: str
