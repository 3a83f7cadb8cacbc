"""Frozen read models: what services hand to the window, the command line and reports.

A view is a record's fields plus its identity and head revision. Views are immutable and
carry no database session, so they can cross threads and outlive the transaction that made
them.
"""

from __future__ import annotations

import uuid

from pydantic import ConfigDict
from sqlmodel import Field, SQLModel

from testlearn.domain.records import (
    ComparatorFields,
    CostFields,
    DatasetFields,
    DecisionFields,
    DeviationFields,
    HypothesisFields,
    KpiFields,
    KpiRatingFields,
    LessonFields,
    PilotFields,
    ProcurementFields,
    RegistrationFields,
)

_FROZEN = ConfigDict(frozen=True)


class Identity(SQLModel):
    model_config = _FROZEN  # type: ignore[assignment]

    id: uuid.UUID
    rev: str = Field("", title="Revision")


class PilotView(PilotFields, Identity):
    model_config = _FROZEN  # type: ignore[assignment]


class ProcurementView(ProcurementFields, Identity):
    model_config = _FROZEN  # type: ignore[assignment]


class KpiView(KpiFields, Identity):
    model_config = _FROZEN  # type: ignore[assignment]


class KpiRatingView(KpiRatingFields, Identity):
    model_config = _FROZEN  # type: ignore[assignment]


class ComparatorView(ComparatorFields, Identity):
    model_config = _FROZEN  # type: ignore[assignment]


class HypothesisView(HypothesisFields, Identity):
    model_config = _FROZEN  # type: ignore[assignment]

    registration_id: uuid.UUID | None = None


class CostView(CostFields, Identity):
    model_config = _FROZEN  # type: ignore[assignment]


class LessonView(LessonFields, Identity):
    model_config = _FROZEN  # type: ignore[assignment]


class DecisionView(DecisionFields, Identity):
    model_config = _FROZEN  # type: ignore[assignment]


class RegistrationView(RegistrationFields, Identity):
    model_config = _FROZEN  # type: ignore[assignment]


class DeviationView(DeviationFields, Identity):
    model_config = _FROZEN  # type: ignore[assignment]


class DatasetView(DatasetFields, Identity):
    model_config = _FROZEN  # type: ignore[assignment]
