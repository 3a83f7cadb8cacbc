"""A pilot's own records: procurement, KPIs and their ratings, comparators, hypotheses, costs,
lessons and decisions, added, edited and removed by kind.

Every change is one transaction through the unit of work, so each leaves a revision and an
audit event, and a removal leaves a tombstone: the record stays in the history, marked
deleted. Records are named as people name them (a KPI by its name, a lesson by what
happened) or by the short id ``testlearn show`` prints beside each.

What stays put: a registered hypothesis cannot be edited or removed (deviations record its
changes), and a comparator that a registered hypothesis is compared against cannot be
removed either, since the registered claim names it. A draft hypothesis that uses a removed
comparator is left without one, in the same transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from testlearn.domain.views import PilotView
from testlearn.errors import ConflictError, InvalidValue, NotFound, RegistrationLocked
from testlearn.services.pilots import require_pilot, update_in
from testlearn.store.database import Database
from testlearn.store.tables import RECORDS
from testlearn.store.unit_of_work import UnitOfWork

#: The kinds of record, by the name used on the command line, and the entity each is stored as.
KINDS: dict[str, str] = {
    "procurement": "procurement",
    "kpi": "kpi",
    "kpi-rating": "kpi_rating",
    "comparator": "comparator",
    "hypothesis": "hypothesis",
    "cost": "cost",
    "lesson": "lesson",
    "decision": "decision",
}
#: What each kind is called in a sentence.
NOUNS: dict[str, str] = {
    "procurement": "procurement record",
    "kpi": "KPI",
    "kpi_rating": "KPI rating",
    "comparator": "comparator",
    "hypothesis": "hypothesis",
    "cost": "cost",
    "lesson": "lesson",
    "decision": "decision",
}
SHORT_ID = 6  # hex digits: the random end of a UUIDv7, whose start is its timestamp


def entity_of(kind: str) -> str:
    """The stored entity of a kind named by a user (``kpi-rating``, ``KPI_rating``...)."""
    key = kind.strip().casefold().replace("_", "-")
    if key in KINDS:
        return KINDS[key]
    if key in KINDS.values():
        return key
    raise InvalidValue(f"{kind!r} is not a kind of record; kinds are: {', '.join(KINDS)}")


def short_id(row_id: uuid.UUID) -> str:
    """The few characters of a record's id that name it on the command line."""
    return row_id.hex[-SHORT_ID:]


def user_fields(entity: str) -> list[str]:
    """The fields a user sets on a record: links to other records are set by the services."""
    return [name for name in RECORDS[entity][1].model_fields if not name.endswith("_id")]


def values_from_text(entity: str, pairs: Sequence[str]) -> dict[str, Any]:
    """``field=value`` pairs as typed, checked against the record's fields.

    Values stay text: the record's own validation parses them by the field's type, as
    ``testlearn set`` does, and blank means not set.
    """
    declared = RECORDS[entity][1].model_fields
    allowed = user_fields(entity)
    values: dict[str, Any] = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        name = name.strip()
        if not equals or not name:
            raise InvalidValue(f'{pair!r} is not field=value (for example name="Days to decision")')
        if name not in allowed:
            raise InvalidValue(
                f"a {NOUNS[entity]} has no field {name!r}; fields are: {', '.join(allowed)}"
            )
        values[name] = None if value == "" and declared[name].default is None else value
    return values


def label_of(entity: str, view: Any, kpi_names: Mapping[uuid.UUID, str] | None = None) -> str:
    """What a person calls the record: its name, or the words that tell it apart."""
    if entity == "kpi_rating":
        kpi = (kpi_names or {}).get(view.kpi_id, "KPI")
        return f"{kpi} {view.year}"
    if entity == "hypothesis":
        return str(view.code)
    if entity == "cost":
        return str(view.description or view.category)
    if entity == "lesson":
        return str(view.what_happened)
    if entity == "decision":
        return f"{view.kind} {view.decided_on}" if view.decided_on else str(view.kind)
    return str(view.name)


# -- finding a record ---------------------------------------------------------------------


def _records(uow: UnitOfWork, pilot: PilotView, entity: str) -> list[Any]:
    if entity == "kpi_rating":
        return [
            rating
            for kpi in uow.find("kpi", pilot_id=pilot.id)
            for rating in uow.find("kpi_rating", kpi_id=kpi.id)
        ]
    return uow.find(entity, pilot_id=pilot.id)


def _find(uow: UnitOfWork, pilot: PilotView, entity: str, name: uuid.UUID | str) -> Any:
    """The pilot's record named ``name`` (an id, its short id, or its label)."""
    records = _records(uow, pilot, entity)
    noun = NOUNS[entity]
    if isinstance(name, uuid.UUID):
        for record in records:
            if record.id == name:
                return record
        raise NotFound(f"{pilot.reference} has no {noun} with id {name}")
    wanted = name.strip().removeprefix("#").casefold()
    if not wanted:
        raise InvalidValue(f"name the {noun}: its name or the short id `testlearn show` prints")
    kpi_names = {k.id: k.name for k in uow.find("kpi", pilot_id=pilot.id)}
    by_label = [r for r in records if label_of(entity, r, kpi_names).casefold() == wanted]
    by_id = [r for r in records if len(wanted) >= 4 and r.id.hex.endswith(wanted)]
    found = by_label or by_id
    if not found and entity == "procurement" and wanted == "procurement" and len(records) == 1:
        found = records  # a pilot's one procurement record, whatever its name
    if not found:
        raise NotFound(f"{pilot.reference} has no {noun} {name!r}; `testlearn show` lists them")
    if len(found) > 1:
        ids = ", ".join(short_id(r.id) for r in found)
        raise InvalidValue(
            f"{len(found)} records of {pilot.reference} ({noun}) are called {name!r}; "
            f"name one by its id ({ids})"
        )
    return found[0]


def find_record(
    reference: str, kind: str, name: uuid.UUID | str, *, db: Database
) -> tuple[str, Any]:
    """The entity and the view of the record ``name`` of ``kind`` on pilot ``reference``."""
    entity = entity_of(kind)
    with db.reading() as uow:
        return entity, _find(uow, require_pilot(uow, reference), entity, name)


# -- adding, editing, removing --------------------------------------------------------------


def add(
    reference: str,
    kind: str,
    values: Mapping[str, Any],
    *,
    kpi: uuid.UUID | str | None = None,
    db: Database,
    actor: str,
) -> Any:
    """Add a record of ``kind`` to the pilot; a rating names its ``kpi`` (id or name)."""
    entity = entity_of(kind)
    values = dict(values)
    with db.transaction(actor) as uow:
        pilot = require_pilot(uow, reference)
        noun = NOUNS[entity]
        if entity == "kpi_rating":
            if kpi is None:
                raise InvalidValue("a KPI rating belongs to a KPI: name the KPI it rates")
            rated = _find(uow, pilot, "kpi", kpi)
            values["kpi_id"] = rated.id
            return uow.create(
                entity, values, summary=f"rated KPI {rated.name} of {pilot.reference}"
            )
        values["pilot_id"] = pilot.id
        existing = uow.find(entity, pilot_id=pilot.id)
        if entity == "kpi":
            contracts = uow.find("procurement", pilot_id=pilot.id)
            if len(contracts) == 1:
                values.setdefault("procurement_id", contracts[0].id)  # the contract it measures
        if entity == "hypothesis":
            code = str(values.get("code", "")).strip()
            if any(h.code.casefold() == code.casefold() for h in existing):
                raise ConflictError(f"{pilot.reference} already has a hypothesis {code}")
        return uow.create(entity, values, summary=f"added {noun} to {pilot.reference}")


def edit(
    reference: str,
    kind: str,
    name: uuid.UUID | str,
    changes: Mapping[str, Any],
    *,
    db: Database,
    actor: str,
) -> Any:
    """Change fields of one of the pilot's records, as one new revision."""
    entity = entity_of(kind)
    allowed = user_fields(entity)
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise InvalidValue(
            f"a {NOUNS[entity]} has no field {', '.join(unknown)}; fields are: {', '.join(allowed)}"
        )
    with db.transaction(actor) as uow:
        pilot = require_pilot(uow, reference)
        record = _find(uow, pilot, entity, name)
        return update_in(uow, entity, record.id, changes)


def remove(reference: str, kind: str, name: uuid.UUID | str, *, db: Database, actor: str) -> str:
    """Tombstone one of the pilot's records (and what belongs to it); says what was removed."""
    entity = entity_of(kind)
    with db.transaction(actor) as uow:
        pilot = require_pilot(uow, reference)
        record = _find(uow, pilot, entity, name)
        noun = NOUNS[entity]
        label = label_of(entity, record, {k.id: k.name for k in uow.find("kpi", pilot_id=pilot.id)})
        said = f"removed {noun} {label!r} from {pilot.reference}"
        also = remove_in(uow, pilot, entity, record)
        return said + (f" ({'; '.join(also)})" if also else "")


def remove_in(uow: UnitOfWork, pilot: PilotView, entity: str, record: Any) -> list[str]:
    """Tombstone ``record`` inside ``uow``, with what hangs off it; returns what else changed."""
    also: list[str] = []
    where = pilot.reference
    if entity == "hypothesis":
        if record.registration_id is not None:
            raise RegistrationLocked(
                f"hypothesis {record.code} is registered and cannot be removed: registered "
                "claims must stay checkable; record a deviation instead"
            )
        for other in ("result", "dataset"):
            for row in uow.find(other, hypothesis_id=record.id):
                uow.delete(other, row.id, summary=f"deleted {other} of {record.code} of {where}")
    if entity == "comparator":
        users = uow.find("hypothesis", comparator_id=record.id)
        registered = [h.code for h in users if h.registration_id is not None]
        if registered:
            raise RegistrationLocked(
                f"comparator {record.name!r} is part of registered hypothesis "
                f"{', '.join(registered)}: registered claims must stay checkable, so it "
                "cannot be removed"
            )
        for hypothesis in users:
            uow.update(
                "hypothesis",
                hypothesis.id,
                {"comparator_id": None},
                summary=f"{hypothesis.code} of {where} lost its removed comparator",
            )
            also.append(f"{hypothesis.code} no longer has a comparator")
    if entity == "procurement":
        for kpi in uow.find("kpi", procurement_id=record.id):
            uow.update("kpi", kpi.id, {"procurement_id": None}, summary=f"unlinked KPI of {where}")
    if entity == "kpi":
        ratings = uow.find("kpi_rating", kpi_id=record.id)
        for rating in ratings:
            uow.delete("kpi_rating", rating.id, summary=f"deleted rating of KPI of {where}")
        if ratings:
            also.append(f"and its {len(ratings)} rating{'s' if len(ratings) > 1 else ''}")
    uow.delete(entity, record.id, summary=f"deleted {NOUNS[entity]} of {where}")
    return also
