"""Clearance: who cleared a report of a pilot for release, and exactly what they cleared.

A final brief or full report says "Cleared by NAME, ROLE, on DATE" and carries a version.
Both come from a clearance record, never from the report writer: the record names the
person, their role and the date, the pilot and the kind of report, and the **content
fingerprint** of what was cleared (:func:`report_fingerprint`). A final can only be made of
content that has a clearance; once anything the report is made from changes, the
fingerprint changes and the report needs clearing again.

Versions count cleared contents, per pilot and kind of report: the first content cleared is
v1.0, the next different content v2.0, and so on. Content that was cleared before keeps the
version it was first given, so making a final again from the same content prints the same
version, and clearing it again (someone else signing it off) does not move the version on.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, StringConstraints
from sqlmodel import Field, SQLModel

from testlearn.domain.canonical import canonical_hash
from testlearn.domain.pilot_detail import PilotDetail
from testlearn.domain.views import Identity

ReportKind = Literal["brief", "full"]
KindCode = Annotated[str, StringConstraints(pattern=r"^(brief|full)$")]
KIND_NAMES: dict[str, str] = {"brief": "brief", "full": "full report"}


def _not_blank(value: str) -> str:
    if not value:
        raise ValueError("is required")
    return value


Name = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=200), AfterValidator(_not_blank)
]

_BRITISH = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")


def parse_day(value: Any) -> Any:
    """A date typed the British way (15/12/2026) or as ISO (2026-12-15); others unchanged."""
    if not isinstance(value, str):
        return value
    match = _BRITISH.match(value)
    if match:
        day, month, year = (int(part) for part in match.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise ValueError(f"{value.strip()} is not a date on the calendar") from None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{value.strip()!r} is not a date; write it like 15/12/2026") from None


class ClearanceFields(SQLModel):
    """One clearance of one report's content. Made once and never edited."""

    pilot_id: uuid.UUID = Field(title="Pilot")
    kind: KindCode = Field(title="Report")
    include_commercial: bool = Field(False, title="Includes commercially sensitive figures")
    content_hash: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] = Field(
        title="Content fingerprint"
    )
    version: int = Field(ge=1, title="Version")
    cleared_by: Name = Field(title="Cleared by")
    role: Name = Field(title="Role")
    cleared_on: Annotated[dt.date, BeforeValidator(parse_day)] = Field(title="Cleared on")
    recorded_at: dt.datetime = Field(title="Recorded at")
    recorded_by: str = Field("", title="Recorded by")


# Typed loosely: SQLModel narrows model_config to its own TypedDict of the same keys.
_FROZEN: Any = ConfigDict(frozen=True)


class ClearanceView(ClearanceFields, Identity):
    model_config = _FROZEN

    @property
    def version_label(self) -> str:
        return version_label(self.version)


class ClearanceState(BaseModel):
    """Whether the current content of one report of a pilot is cleared, and by whom.

    Attributes:
        reference: the pilot.
        kind: "brief" or "full".
        include_commercial: whether the report prints commercially sensitive figures.
        fingerprint: the content fingerprint of the report as it would be made now.
        clearance: the clearance of exactly this content (the latest, if several), or None.
        latest: the latest clearance of this report of the pilot, of whatever content.
        problems: why the report cannot be cleared as it stands (it does not stand).
    """

    model_config = ConfigDict(frozen=True)

    reference: str
    kind: ReportKind
    include_commercial: bool
    fingerprint: str
    clearance: ClearanceView | None
    latest: ClearanceView | None
    problems: tuple[str, ...] = ()

    @property
    def cleared(self) -> bool:
        return self.clearance is not None

    def describe(self) -> str:
        """One line for a person: cleared by whom, or what changed since."""
        name = KIND_NAMES[self.kind]
        if self.clearance is not None:
            line = cleared_line(self.clearance)
            return (
                f"The {name} as it stands is {self.clearance.version_label}, "
                f"{line[:1].lower()}{line[1:]}."
            )
        if self.latest is not None:
            return (
                f"The {name} is not cleared as it stands: it changed since "
                f"{self.latest.version_label} was cleared by {self.latest.cleared_by} on "
                f"{long_day(self.latest.cleared_on)}."
            )
        return f"The {name} has never been cleared."


def version_label(version: int) -> str:
    return f"v{version}.0"


def long_day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def cleared_line(clearance: ClearanceView) -> str:
    """ "Cleared by NAME, ROLE, on DATE", as every final prints it."""
    return (
        f"Cleared by {clearance.cleared_by}, {clearance.role}, on {long_day(clearance.cleared_on)}"
    )


def next_version(earlier: Sequence[ClearanceView], fingerprint: str) -> int:
    """The version a clearance of ``fingerprint`` gets, given the pilot's earlier clearances.

    ``earlier`` are the live clearances of the same pilot and kind of report, any order.
    """
    for clearance in earlier:
        if clearance.content_hash == fingerprint:
            return clearance.version
    return max((c.version for c in earlier), default=0) + 1


def recorded_order(clearance: ClearanceView) -> tuple[dt.datetime, bytes]:
    """Sort key: when a clearance was recorded (UUIDv7 ids alone only order by millisecond)."""
    moment = clearance.recorded_at
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC), clearance.id.bytes)


def clearance_of(clearances: Sequence[ClearanceView], fingerprint: str) -> ClearanceView | None:
    """The latest clearance of exactly ``fingerprint``."""
    found = [c for c in clearances if c.content_hash == fingerprint]
    return max(found, key=recorded_order) if found else None


def report_fingerprint(detail: PilotDetail, *, kind: str, include_commercial: bool) -> str:
    """The sha256 of everything a report of this pilot is made from, in canonical form.

    Every field of the pilot and of its contracts, KPIs and ratings, comparators,
    hypotheses, deviations, datasets, stored results, registrations and their check, costs,
    lessons and decisions; the kind of report; and whether commercially sensitive figures are
    printed. Left out: revision pointers (so undoing an edit returns to the cleared
    content, and a merged copy of the same records has the same fingerprint), and empty
    values (so a field added to the records in a later version of testlearn does not
    unclear every report). Records are taken in id order, not display order, so the same
    records read from another database give the same fingerprint.
    """
    hypotheses = [
        {
            "hypothesis": _plain(h.hypothesis),
            "registration": str(h.registration.id) if h.registration else None,
            "deviations": _records(h.deviations),
            "dataset": _plain(h.dataset),
            "result": _plain(h.result),
            "stale": h.stale_reason,
        }
        for h in sorted(detail.hypotheses, key=lambda h: str(h.hypothesis.id))
    ]
    content = {
        "kind": kind,
        "include_commercial": include_commercial,
        "pilot": _plain(detail.pilot),
        "procurements": _records(detail.procurements),
        "kpis": [
            {"kpi": _plain(k.kpi), "ratings": _records(k.ratings)}
            for k in sorted(detail.kpis, key=lambda k: str(k.kpi.id))
        ],
        "comparators": _records(detail.comparators),
        "hypotheses": hypotheses,
        "registrations": [
            {"hash": r.content_hash, "intact": check.intact, "problems": list(check.problems)}
            for r, check in sorted(
                zip(detail.registrations, detail.registration_checks, strict=True),
                key=lambda pair: str(pair[0].id),
            )
        ],
        "costs": _records(detail.costs),
        "lessons": _records(detail.lessons),
        "decisions": _records(detail.decisions),
    }
    return canonical_hash(content)


def _records(views: Sequence[Any]) -> list[Any]:
    return [_plain(v) for v in sorted(views, key=lambda v: str(v.id))]


def _plain(view: Any) -> Any:
    if view is None:
        return None
    data = view.model_dump()
    return {k: v for k, v in data.items() if k != "rev" and v not in (None, "", [], {})}
