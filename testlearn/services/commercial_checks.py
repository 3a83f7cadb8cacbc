"""Warnings, not refusals, for commercial figures typed into free text.

Someone who writes "the winning bid was 11% above the 6.1m should-cost" into a lesson has
written down something true; it is saved as typed. They are told, as they type and when the
record command saves it, that the sentence will be withheld from reports unless commercial
figures are included, so nobody is surprised by what a brief leaves out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from testlearn.domain.commercial_text import (
    WithheldValue,
    described,
    pilot_withheld,
    sensitive_spans,
)
from testlearn.domain.field_messages import label_of
from testlearn.domain.pilot_detail import PilotDetail
from testlearn.services.pilots import get_pilot
from testlearn.store.database import Database
from testlearn.store.tables import RECORDS

#: How messages name each kind of record ("Lessons: what happened mentions...").
_PLACES = {
    "pilot": "Pilot",
    "procurement": "Contracts",
    "kpi": "KPIs",
    "kpi_rating": "KPI ratings",
    "comparator": "Comparators",
    "hypothesis": "Hypotheses",
    "cost": "Costs",
    "lesson": "Lessons",
    "decision": "Decisions",
}


def withheld_of(detail: PilotDetail | None) -> tuple[WithheldValue, ...]:
    """The values reports withhold for this pilot (none when no pilot is known)."""
    if detail is None:
        return ()
    pilot = detail.pilot
    return pilot_withheld(
        detail.procurements,
        (pilot.budget, pilot.spend, pilot.national_rollout_cost),
        [c.amount for c in detail.costs],
    )


def commercial_warnings(
    entity: str, values: Mapping[str, Any], detail: PilotDetail | None
) -> dict[str, str]:
    """Field name -> warning for each text value of ``values`` that gives commercial figures.

    ``detail`` is the pilot the record belongs to: its withheld values are looked for too.
    """
    if entity not in RECORDS:
        raise KeyError(f"no kind of record called {entity!r}")
    fields_of = RECORDS[entity][1]
    withheld = withheld_of(detail)
    found: dict[str, str] = {}
    for name, value in values.items():
        if not isinstance(value, str) or name not in fields_of.model_fields:
            continue
        spans = sensitive_spans(value, withheld)
        if spans:
            label = label_of(fields_of, name)
            found[name] = (
                f"{_PLACES.get(entity, entity)}: {label[:1].lower()}{label[1:]} mentions "
                f"{described(spans)}; it will be withheld from reports unless commercial "
                "figures are included."
            )
    return found


def commercial_warnings_for(
    reference: str, entity: str, values: Mapping[str, Any], *, db: Database
) -> list[str]:
    """:func:`commercial_warnings` for a record of the pilot ``reference``, read from ``db``."""
    return list(commercial_warnings(entity, values, get_pilot(reference, db=db)).values())
