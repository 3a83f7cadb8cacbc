"""From stored outcome rows to the shapes the analysis engine reads."""

from __future__ import annotations

import uuid

from testlearn.domain.analysis import AggregateData, UnitData
from testlearn.services.outcome_files import aggregate_data, unit_data
from testlearn.store.outcome_rows import read_columns
from testlearn.store.unit_of_work import UnitOfWork


def load_dataset(uow: UnitOfWork, dataset_id: uuid.UUID, shape: str) -> UnitData | AggregateData:
    columns = read_columns(uow, dataset_id, shape)
    if shape == "unit":
        return unit_data(columns)
    return aggregate_data(columns)
