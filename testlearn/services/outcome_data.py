"""From stored outcome rows to the shapes the analysis engine reads."""

from __future__ import annotations

import uuid

from testlearn.domain.analysis import AggregateData, AggregateRow, UnitData
from testlearn.store.outcome_rows import read_columns
from testlearn.store.unit_of_work import UnitOfWork


def load_dataset(uow: UnitOfWork, dataset_id: uuid.UUID, shape: str) -> UnitData | AggregateData:
    columns = read_columns(uow, dataset_id, shape)
    if shape == "unit":
        return unit_data(columns)
    return aggregate_data(columns)


def unit_data(columns: dict[str, list[object]]) -> UnitData:
    def optional(name: str) -> list[object] | None:
        values = columns.get(name)
        return values if values is not None and any(v is not None for v in values) else None

    return UnitData(
        arm=columns["arm"],  # type: ignore[arg-type]
        value=columns["value"],  # type: ignore[arg-type]
        period=optional("period"),  # type: ignore[arg-type]
        cluster=optional("cluster"),  # type: ignore[arg-type]
        unit=optional("unit"),  # type: ignore[arg-type]
        time=optional("time"),  # type: ignore[arg-type]
        exposure=optional("exposure"),  # type: ignore[arg-type]
    )


def aggregate_data(columns: dict[str, list[object]]) -> AggregateData:
    names = list(columns)
    rows = zip(*(columns[name] for name in names), strict=True)
    return AggregateData(
        rows=tuple(AggregateRow(**dict(zip(names, row, strict=True))) for row in rows)
    )
