"""Recording who cleared a report, and finding the clearance of a report's current content.

A clearance is a permanent record (like a registration): it is added, never edited, and it
merges into central stores like every other record. See ``testlearn.domain.clearance`` for
the fingerprint and the version rule.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from testlearn.domain.clearance import (
    KIND_NAMES,
    ClearanceState,
    ClearanceView,
    clearance_of,
    next_version,
    recorded_order,
    report_fingerprint,
    version_label,
)
from testlearn.domain.pilot_detail import PilotDetail
from testlearn.domain.pilot_report import report_problems
from testlearn.errors import ConflictError, InvalidValue
from testlearn.services.pilots import require_pilot
from testlearn.store import queries
from testlearn.store.database import Database
from testlearn.store.unit_of_work import UnitOfWork


class NotCleared(ConflictError):
    """A final was asked for, but nobody has cleared the report's current content."""


def clearance_state(
    reference: str, *, kind: str, include_commercial: bool = False, db: Database
) -> ClearanceState:
    """Whether the report of ``reference`` as it would be made now is cleared."""
    with db.reading() as uow:
        detail = queries.pilot_detail(uow, require_pilot(uow, reference).id)
        return state_of(uow, detail, kind=kind, include_commercial=include_commercial)


def state_of(
    uow: UnitOfWork, detail: PilotDetail, *, kind: str, include_commercial: bool
) -> ClearanceState:
    """:func:`clearance_state` for a pilot already read in this unit of work."""
    _check_kind(kind)
    fingerprint = report_fingerprint(detail, kind=kind, include_commercial=include_commercial)
    clearances = _clearances(uow, detail, kind)
    latest = max(clearances, key=recorded_order) if clearances else None
    return ClearanceState(
        reference=detail.pilot.reference,
        kind=kind,
        include_commercial=include_commercial,
        fingerprint=fingerprint,
        clearance=clearance_of(clearances, fingerprint),
        latest=latest,
        problems=report_problems(detail),
    )


def record_clearance(
    reference: str,
    *,
    kind: str,
    cleared_by: str,
    role: str,
    cleared_on: dt.date | str | None = None,
    include_commercial: bool = False,
    db: Database,
    actor: str,
) -> ClearanceView:
    """Record that ``cleared_by`` (``role``) cleared the report as it stands now.

    The clearance pins the report's current content by its fingerprint. Content cleared
    before keeps its version; new content gets the next one.

    Raises:
        NotFound: no pilot has that reference.
        InvalidValue: a name, role or date is missing or wrong (the message names it).
        ConflictError: the report does not stand as it is (nothing registered, results
            missing or out of date), so there is nothing fit to clear.
    """
    _check_kind(kind)
    with db.transaction(actor) as uow:
        detail = queries.pilot_detail(uow, require_pilot(uow, reference).id)
        ref = detail.pilot.reference
        fingerprint = report_fingerprint(detail, kind=kind, include_commercial=include_commercial)
        version = next_version(_clearances(uow, detail, kind), fingerprint)
        values: dict[str, Any] = {
            "pilot_id": detail.pilot.id,
            "kind": kind,
            "include_commercial": include_commercial,
            "content_hash": fingerprint,
            "version": version,
            "cleared_by": cleared_by,
            "role": role,
            "cleared_on": cleared_on if cleared_on not in (None, "") else dt.date.today(),
            "recorded_at": dt.datetime.now(dt.UTC),
            "recorded_by": actor,
        }
        clearance: ClearanceView = uow.create(
            "clearance",
            values,
            summary=f"{ref} {KIND_NAMES[kind]} {version_label(version)} cleared by "
            f"{str(cleared_by).strip()}",
        )
        # Checked after the values, so that a mistyped date is named first; raising here
        # rolls the clearance back with the rest of the transaction.
        problems = report_problems(detail)
        if problems:
            raise ConflictError(
                f"cannot clear the {KIND_NAMES[kind]} of {ref}: it does not stand as it is ("
                + "; ".join(problems)
                + ")"
            )
        return clearance


def list_clearances(reference: str, *, db: Database) -> list[ClearanceView]:
    """Every clearance of the pilot's reports, oldest first."""
    with db.reading() as uow:
        pilot = require_pilot(uow, reference)
        found: list[ClearanceView] = uow.find("clearance", pilot_id=pilot.id)
    return sorted(found, key=recorded_order)


def require_clearance(state: ClearanceState) -> ClearanceView:
    """The clearance of the current content, or the one-line refusal a final gets."""
    if state.clearance is not None:
        return state.clearance
    commercial = " --include-commercial" if state.include_commercial else ""
    raise NotCleared(
        f"the {KIND_NAMES[state.kind]} of {state.reference} has no clearance of its current "
        f"content; record one with `testlearn clear {state.reference} --kind {state.kind}"
        f'{commercial} --by "Name" --role "Role"`'
    )


def _clearances(uow: UnitOfWork, detail: PilotDetail, kind: str) -> list[ClearanceView]:
    found: list[ClearanceView] = uow.find("clearance", pilot_id=detail.pilot.id, kind=kind)
    return found


def _check_kind(kind: str) -> None:
    if kind not in KIND_NAMES:
        raise InvalidValue(f"{kind!r} is not a kind of report; choose brief or full")
