"""The result of checking a database's tamper evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Finding:
    """One thing that does not add up, in words a reviewer can act on."""

    check: str  # history | records | audit | guards | data | registration
    where: str
    message: str
    entity: str = ""  # the record concerned, where there is one
    row_id: str = ""
    revision: str = ""
    #: The pilot the finding belongs to (its id as text), where it can be traced to one.
    #: A finding with none (a removed guard, a broken audit chain) concerns the whole file,
    #: so it stops analyses and reports of every pilot.
    pilot_id: str = ""

    def to_json(self) -> dict[str, str]:
        found = {"check": self.check, "where": self.where, "message": self.message}
        # The record and pilot, where known, so a script can act on a finding by id.
        found.update(
            {
                k: v
                for k, v in (
                    ("entity", self.entity),
                    ("row_id", self.row_id),
                    ("revision", self.revision),
                    ("pilot_id", self.pilot_id),
                )
                if v
            }
        )
        return found


@dataclass(frozen=True)
class VerificationReport:
    findings: tuple[Finding, ...]
    checked: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.findings

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "findings": [f.to_json() for f in self.findings],
        }
