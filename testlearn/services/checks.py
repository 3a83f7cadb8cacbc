"""Checking what someone typed before it is saved, without touching the database.

The window asks before it saves (a dialog stays open on a mistake, with the message beside the
field), and the checks are the very ones the store applies when it saves: the same ``XFields``
classes and the same plain messages. What only the database can know (a reference already in
use) is checked when saving, or by the caller with what it already holds.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from pydantic import ValidationError
from sqlmodel import SQLModel

from testlearn.domain.canonical import normalise
from testlearn.domain.field_messages import label_of, plain_messages
from testlearn.domain.records import FROZEN_HYPOTHESIS_FIELDS, HypothesisFields
from testlearn.store.tables import RECORDS


def check_fields(
    fields_of: type[SQLModel],
    values: Mapping[str, Any],
    *,
    shown: Collection[str] | None = None,
) -> dict[str, str]:
    """Field name -> plain message for each wrong value in ``values``; empty when all is well.

    Only fields in ``shown`` (by default the keys of ``values``) are reported: the others, such
    as the pilot a lesson belongs to, are filled in by the service that saves the record. A
    required field in ``shown`` that has no value is reported as needing one.
    """
    wanted = set(values if shown is None else shown)
    try:
        fields_of.model_validate(dict(values))
    except ValidationError as error:
        found = plain_messages(error, fields_of)
        return {name: message for name, message in found.items() if name in wanted}
    return {}


def check_record(
    entity: str, values: Mapping[str, Any], *, shown: Collection[str] | None = None
) -> dict[str, str]:
    """:func:`check_fields` for a record named as the command line names it ("lesson")."""
    if entity not in RECORDS:
        raise KeyError(f"no kind of record called {entity!r}")
    return check_fields(RECORDS[entity][1], values, shown=shown)


def check_new_pilot(
    values: Mapping[str, Any], *, existing_references: Collection[str] = ()
) -> dict[str, str]:
    """A new pilot's values, and its reference against those already in use (any case)."""
    found = check_fields(RECORDS["pilot"][1], values, shown={"reference", "title", *values.keys()})
    reference = str(values.get("reference") or "").strip()
    taken = {r.casefold() for r in existing_references}
    if reference and reference.casefold() in taken and "reference" not in found:
        found["reference"] = (
            f"Reference: {reference} is already used by another pilot; choose another"
        )
    return found


def check_deviation(hypothesis: Any, field: str, value: Any, reason: str) -> dict[str, str]:
    """What is wrong with a deviation: keys "field", "value" and "reason".

    ``hypothesis`` is the registered hypothesis (a view); the new value is checked as the
    field's type, and must differ from the registered one.
    """
    found: dict[str, str] = {}
    if field not in FROZEN_HYPOTHESIS_FIELDS or field.endswith("_id"):
        found["field"] = "Field: choose one of the registered fields"
        return found
    current = {name: getattr(hypothesis, name, None) for name in HypothesisFields.model_fields}
    proposed = {**current, field: value}
    wrong = check_fields(HypothesisFields, proposed, shown={field})
    if wrong:
        found["value"] = wrong[field]
    else:
        new = getattr(HypothesisFields.model_validate(proposed), field)
        if normalise(new) == normalise(current[field]):
            found["value"] = f"{label_of(HypothesisFields, field)}: already has that value"
    if not reason.strip():
        found["reason"] = "Reason: say why the registered value changes; every report shows it"
    return found


#: Above this value (GBP) the Procurement Act 2023 requires a contract's contract details
#: notice to publish at least three KPIs, or say why it does not (section 52).
KPI_DUTY_VALUE = 5_000_000
KPIS_REQUIRED = 3


def contract_concerns(detail: Any) -> list[str]:
    """What the pilot's contracts and KPIs fall short on, one plain sentence each.

    A contract above £5m with fewer than three KPIs and no published reason for it, and KPIs
    that measure inputs or outputs rather than outcomes or are not linked to a mission (the
    Institute for Government's "poorly aligned" KPIs). ``detail`` is a ``PilotDetail``.
    """
    from testlearn.domain.formats import format_money
    from testlearn.domain.portfolio import kpi_reasons

    found = []
    for contract in detail.procurements:
        value = contract.contract_value
        if value is None or value <= KPI_DUTY_VALUE or contract.no_agreed_metrics_rationale:
            continue
        count = sum(
            1
            for item in detail.kpis
            if item.kpi.procurement_id == contract.id
            or (item.kpi.procurement_id is None and len(detail.procurements) == 1)
        )
        if count < KPIS_REQUIRED:
            found.append(
                f"Contract {contract.name or '(unnamed)'} is worth {format_money(value)}, above "
                f"£5m, with {count} KPI{'s' if count != 1 else ''} and no reason given for "
                "publishing fewer than three"
            )
    for item in detail.kpis:
        kpi = item.kpi
        reasons = kpi_reasons(kpi.level, kpi.mission_alignment, kpi.mission)
        if reasons:
            found.append(f"KPI {kpi.name}: {'; '.join(reasons)}")
    return found
