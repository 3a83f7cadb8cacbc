"""Pilots and the records that hang off them: create, read, edit one field, archive, delete.

Adding, editing and removing a pilot's own records by kind is in ``pilot_records``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

from testlearn.domain.pilot_detail import PilotDetail, PilotSummary
from testlearn.domain.views import HypothesisView, PilotView
from testlearn.domain.vocabulary import LifecycleStatus
from testlearn.errors import ConflictError, InvalidValue, NotFound, RegistrationLocked
from testlearn.store import queries
from testlearn.store.database import Database
from testlearn.store.tables import RECORDS
from testlearn.store.unit_of_work import UnitOfWork

#: Child records a user adds to a pilot, by the name used on the command line.
CHILD_RECORDS = ("procurement", "kpi", "comparator", "hypothesis", "cost", "lesson", "decision")


def list_pilots(*, db: Database, include_archived: bool = True) -> list[PilotSummary]:
    """Every live pilot, with the text a search of the list reads."""
    with db.reading() as uow:
        found = queries.pilot_summaries(uow, search=True)
    if include_archived:
        return found
    return [p for p in found if p.status != LifecycleStatus.ARCHIVED.value]


def require_pilot(uow: UnitOfWork, reference: str) -> PilotView:
    pilot = uow.pilot_by_reference(reference)
    if pilot is None:
        raise NotFound(f"no pilot with reference {reference!r}; `testlearn pilots` lists them")
    return pilot


def require_hypothesis(uow: UnitOfWork, reference: str, code: str) -> HypothesisView:
    """Hypothesis ``code`` (any case) of pilot ``reference``, or say which one is missing."""
    pilot = require_pilot(uow, reference)
    for hypothesis in uow.find("hypothesis", pilot_id=pilot.id):
        if hypothesis.code.casefold() == code.strip().casefold():
            found: HypothesisView = hypothesis
            return found
    raise NotFound(f"{pilot.reference} has no hypothesis {code!r}")


def get_pilot(reference: str, *, db: Database) -> PilotDetail:
    with db.reading() as uow:
        return queries.pilot_detail(uow, require_pilot(uow, reference).id)


def get_pilot_by_id(pilot_id: uuid.UUID, *, db: Database) -> PilotDetail:
    with db.reading() as uow:
        return queries.pilot_detail(uow, pilot_id)


def create_pilot(
    values: Mapping[str, Any],
    *,
    db: Database,
    actor: str,
    recorded_at: dt.datetime | None = None,
) -> PilotView:
    """Create a pilot; ``recorded_at`` (the demo's history only) dates it instead of the clock."""
    with db.transaction(actor, recorded_at=recorded_at) as uow:
        reference = str(values.get("reference", "")).strip()
        if reference and uow.pilot_by_reference(reference) is not None:
            raise ConflictError(f"a pilot with reference {reference!r} already exists")
        pilot: PilotView = uow.create("pilot", values, summary=f"created pilot {reference}")
        return pilot


def add_record(
    reference: str,
    entity: str,
    values: Mapping[str, Any],
    *,
    db: Database,
    actor: str,
    recorded_at: dt.datetime | None = None,
) -> Any:
    """Add a child record (procurement, KPI, hypothesis, lesson...) to a pilot.

    ``recorded_at`` (the demo's history only) dates the record instead of the clock.
    """
    if entity not in RECORDS or entity in (
        "pilot",
        "registration",
        "deviation",
        "dataset",
        "clearance",
    ):
        raise InvalidValue(f"{entity!r} is not something that can be added to a pilot")
    with db.transaction(actor, recorded_at=recorded_at) as uow:
        pilot = require_pilot(uow, reference)
        values = dict(values)
        if entity == "kpi_rating":
            return uow.create(entity, values, summary=f"rated KPI of {pilot.reference}")
        values["pilot_id"] = pilot.id
        if entity == "hypothesis":
            code = str(values.get("code", "")).strip()
            if any(
                h.code.casefold() == code.casefold()
                for h in uow.find("hypothesis", pilot_id=pilot.id)
            ):
                raise ConflictError(f"{pilot.reference} already has a hypothesis {code}")
        return uow.create(entity, values, summary=f"added {entity} to {pilot.reference}")


def update_record(
    entity: str,
    row_id: uuid.UUID,
    changes: Mapping[str, Any],
    *,
    db: Database,
    actor: str,
    recorded_at: dt.datetime | None = None,
) -> Any:
    """Edit fields of one record as one action. Registered hypothesis content is refused.

    ``recorded_at`` (the demo's history only) dates the change instead of the clock.
    """
    with db.transaction(actor, recorded_at=recorded_at) as uow:
        return update_in(uow, entity, row_id, changes)


def update_in(uow: UnitOfWork, entity: str, row_id: uuid.UUID, changes: Mapping[str, Any]) -> Any:
    """Apply ``changes`` inside ``uow``, refusing what registration and permanence forbid."""
    if entity == "pilot" and "reference" in changes:
        other = uow.pilot_by_reference(str(changes["reference"]))
        if other is not None and other.id != row_id:
            raise ConflictError(f"a pilot with reference {changes['reference']!r} already exists")
    if entity == "hypothesis":
        hypothesis = uow.get("hypothesis", row_id)
        if hypothesis.registration_id is not None:
            raise RegistrationLocked(
                f"hypothesis {hypothesis.code} is registered; its fields can only change as a "
                "recorded deviation with a reason (`testlearn deviate`)"
            )
    if entity in ("registration", "deviation", "dataset", "clearance"):
        raise RegistrationLocked(f"a {entity} is a permanent record and cannot be edited")
    return uow.update(entity, row_id, changes)


def delete_record(entity: str, row_id: uuid.UUID, *, db: Database, actor: str) -> None:
    with db.transaction(actor) as uow:
        if entity == "hypothesis" and uow.get("hypothesis", row_id).registration_id is not None:
            raise RegistrationLocked("a registered hypothesis cannot be deleted")
        if entity in ("registration", "deviation", "clearance"):
            raise RegistrationLocked(f"a {entity} is a permanent record and cannot be deleted")
        uow.delete(entity, row_id)


def set_field(reference: str, field: str, value: str, *, db: Database, actor: str) -> Any:
    """Edit one field named on the command line.

    ``FIELD`` is a pilot field (``status``), a hypothesis field after its code (``H1.alpha``),
    or a field of the pilot's procurement or latest decision (``procurement.route``,
    ``decision.kind``). Values are text, parsed by the field's type.
    """
    with db.transaction(actor) as uow:
        pilot = require_pilot(uow, reference)
        owner, _, name = field.rpartition(".")
        entity, row_id = _resolve_owner(uow, pilot, owner)
        fields = RECORDS[entity][1].model_fields
        if name not in fields or name in ("pilot_id",):
            choices = ", ".join(n for n in fields if not n.endswith("_id"))
            raise InvalidValue(f"{entity} has no field {name!r}; fields are: {choices}")
        parsed: Any = None if value == "" and fields[name].default is None else value
        if name in ("partner_organisations",) and isinstance(value, str):
            parsed = value
        return update_in(uow, entity, row_id, {name: parsed})


def _resolve_owner(uow: UnitOfWork, pilot: PilotView, owner: str) -> tuple[str, uuid.UUID]:
    if not owner:
        return "pilot", pilot.id
    if owner.casefold() in ("procurement", "decision"):
        found = uow.find(owner.casefold(), pilot_id=pilot.id)
        if not found:
            raise NotFound(
                f"{pilot.reference} has no {owner.casefold()} record yet; add one with "
                f"`testlearn add {pilot.reference} {owner.casefold()} "
                + ("route=...`" if owner.casefold() == "procurement" else "kind=...`")
            )
        if owner.casefold() == "procurement" and len(found) > 1:
            raise InvalidValue(
                f"{pilot.reference} has {len(found)} procurement records; name the one to change "
                f"with `testlearn edit {pilot.reference} procurement NAME FIELD=VALUE`"
            )
        return owner.casefold(), found[-1].id
    for hypothesis in uow.find("hypothesis", pilot_id=pilot.id):
        if hypothesis.code.casefold() == owner.casefold():
            return "hypothesis", hypothesis.id
    raise NotFound(
        f"{pilot.reference} has no hypothesis {owner!r} "
        f"(and {owner!r} is not procurement or decision)"
    )


#: What a pilot is made of, tombstoned with it, children before the records they belong to.
PILOT_PARTS = ("procurement", "comparator", "hypothesis", "cost", "lesson", "decision")


def archive_pilot(reference: str, *, db: Database, actor: str) -> PilotView:
    """Set the pilot's status to Archived: it stays in the register, with all its history.

    Archiving is a status, not a removal, so it can be undone by setting the status again;
    the status it had is kept in the history and named in the audit event.
    """
    with db.transaction(actor) as uow:
        pilot = require_pilot(uow, reference)
        archived = LifecycleStatus.ARCHIVED.value
        if pilot.status == archived:
            raise ConflictError(f"{pilot.reference} is already archived")
        done: PilotView = uow.update(
            "pilot",
            pilot.id,
            {"status": archived},
            summary=f"archived pilot {pilot.reference} (it was {pilot.status})",
            action="archive",
        )
        return done


def delete_pilot(reference: str, *, db: Database, actor: str) -> int:
    """Tombstone the pilot and every record of it in one transaction; returns how many.

    A pilot with a registration is refused: its registered claims must stay checkable by
    anyone with the file, so it can be archived but not deleted.
    """
    with db.transaction(actor) as uow:
        pilot = require_pilot(uow, reference)
        hypotheses = uow.find("hypothesis", pilot_id=pilot.id)
        registered = [h.code for h in hypotheses if h.registration_id is not None]
        if registered or uow.find("registration", pilot_id=pilot.id):
            raise RegistrationLocked(
                f"{pilot.reference} has registered hypotheses ({', '.join(registered)}): "
                "registered claims must stay checkable, so it cannot be deleted; archive it "
                f"instead (`testlearn archive {pilot.reference}`)"
            )
        where = f"of deleted pilot {pilot.reference}"
        doomed: list[tuple[str, uuid.UUID]] = []
        for kpi in uow.find("kpi", pilot_id=pilot.id):
            doomed += [("kpi_rating", r.id) for r in uow.find("kpi_rating", kpi_id=kpi.id)]
            doomed.append(("kpi", kpi.id))
        for hypothesis in hypotheses:
            for part in ("result", "dataset"):
                doomed += [(part, r.id) for r in uow.find(part, hypothesis_id=hypothesis.id)]
        for part in PILOT_PARTS:
            doomed += [(part, r.id) for r in uow.find(part, pilot_id=pilot.id)]
        for entity, row_id in doomed:
            uow.delete(entity, row_id, summary=f"deleted {entity.replace('_', ' ')} {where}")
        uow.delete("pilot", pilot.id, summary=f"deleted pilot {pilot.reference}")
        return len(doomed) + 1
