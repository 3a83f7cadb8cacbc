"""Frozen read models: what services hand to the window, the command line and reports.

A view is a record's fields plus its identity and head revision. Views are immutable and
carry no database session, so they can cross threads and outlive the transaction that made
them.
"""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import ConfigDict
from sqlmodel import Field, SQLModel

from testlearn.domain.records import (
    AnalysisResultFields,
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

# Typed loosely: SQLModel narrows model_config to its own TypedDict of the same keys.
_FROZEN: Any = ConfigDict(frozen=True)


class Identity(SQLModel):
    model_config = _FROZEN

    id: uuid.UUID
    rev: str = Field("", title="Revision")


class PilotView(PilotFields, Identity):
    model_config = _FROZEN


class ProcurementView(ProcurementFields, Identity):
    model_config = _FROZEN


class KpiView(KpiFields, Identity):
    model_config = _FROZEN


class KpiRatingView(KpiRatingFields, Identity):
    model_config = _FROZEN


class ComparatorView(ComparatorFields, Identity):
    model_config = _FROZEN


class HypothesisView(HypothesisFields, Identity):
    model_config = _FROZEN

    registration_id: uuid.UUID | None = None


class CostView(CostFields, Identity):
    model_config = _FROZEN


class LessonView(LessonFields, Identity):
    model_config = _FROZEN


class DecisionView(DecisionFields, Identity):
    model_config = _FROZEN


class RegistrationView(RegistrationFields, Identity):
    model_config = _FROZEN


class DeviationView(DeviationFields, Identity):
    model_config = _FROZEN


class DatasetView(DatasetFields, Identity):
    model_config = _FROZEN


class AnalysisResultView(AnalysisResultFields, Identity):
    model_config = _FROZEN
