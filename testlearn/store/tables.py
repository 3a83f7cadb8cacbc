"""The tables. Every synced record has a UUID key, its head revision and a tombstone flag.

A record's table class adds identity to its ``XFields`` class from ``testlearn.domain``;
list and mapping fields are stored as JSON. Outcome data rows (observations, aggregates)
are not records of their own: they belong to a dataset, whose revision carries their
fingerprint, so a million rows cost one revision, not a million.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, Index, MetaData, Table, Uuid
from sqlmodel import Field, SQLModel

from testlearn.domain import records
from testlearn.domain.clearance import ClearanceFields
from testlearn.domain.ids import new_id

# Named constraints keep Alembic batch migrations on SQLite able to find and alter them.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata


class Versioned(SQLModel):
    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    rev: str = Field("", max_length=64)
    deleted: bool = Field(False)


def json_list() -> Any:
    return Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class Pilot(records.PilotFields, Versioned, table=True):
    __tablename__ = "pilot"
    __table_args__ = (Index("ix_pilot_reference", "reference"),)

    partner_organisations: list[str] = json_list()
    secondary_missions: list[str] = json_list()
    milestones: list[str] = json_list()
    evaluation_types: list[str] = json_list()
    policy_areas: list[str] = json_list()
    unpublished_reasons: list[str] = json_list()


class Procurement(records.ProcurementFields, Versioned, table=True):
    __tablename__ = "procurement"

    pilot_id: uuid.UUID = Field(foreign_key="pilot.id", index=True)
    engagement_methods: list[str] = json_list()
    notices: list[dict[str, str]] = json_list()


class Kpi(records.KpiFields, Versioned, table=True):
    __tablename__ = "kpi"

    pilot_id: uuid.UUID = Field(foreign_key="pilot.id", index=True)
    procurement_id: uuid.UUID | None = Field(None, foreign_key="procurement.id")


class KpiRating(records.KpiRatingFields, Versioned, table=True):
    __tablename__ = "kpi_rating"

    kpi_id: uuid.UUID = Field(foreign_key="kpi.id", index=True)


class Comparator(records.ComparatorFields, Versioned, table=True):
    __tablename__ = "comparator"

    pilot_id: uuid.UUID = Field(foreign_key="pilot.id", index=True)


class Hypothesis(records.HypothesisFields, Versioned, table=True):
    __tablename__ = "hypothesis"

    pilot_id: uuid.UUID = Field(foreign_key="pilot.id", index=True)
    comparator_id: uuid.UUID | None = Field(None, foreign_key="comparator.id")
    registration_id: uuid.UUID | None = Field(None, foreign_key="registration.id")


class Registration(records.RegistrationFields, Versioned, table=True):
    __tablename__ = "registration"

    pilot_id: uuid.UUID = Field(foreign_key="pilot.id", index=True)
    hypothesis_ids: list[uuid.UUID] = json_list()  # stored as text in JSON
    snapshot: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class Deviation(records.DeviationFields, Versioned, table=True):
    __tablename__ = "deviation"

    hypothesis_id: uuid.UUID = Field(foreign_key="hypothesis.id", index=True)
    registration_id: uuid.UUID = Field(foreign_key="registration.id")
    old_value: Any = Field(None, sa_column=Column(JSON))
    new_value: Any = Field(None, sa_column=Column(JSON))


class Dataset(records.DatasetFields, Versioned, table=True):
    __tablename__ = "dataset"

    hypothesis_id: uuid.UUID = Field(foreign_key="hypothesis.id", index=True)
    columns: list[str] = json_list()


class Cost(records.CostFields, Versioned, table=True):
    __tablename__ = "cost"

    pilot_id: uuid.UUID = Field(foreign_key="pilot.id", index=True)


class Lesson(records.LessonFields, Versioned, table=True):
    __tablename__ = "lesson"

    pilot_id: uuid.UUID = Field(foreign_key="pilot.id", index=True)


class Decision(records.DecisionFields, Versioned, table=True):
    __tablename__ = "decision"

    pilot_id: uuid.UUID = Field(foreign_key="pilot.id", index=True)


class AnalysisResult(records.AnalysisResultFields, Versioned, table=True):
    __tablename__ = "analysis_result"

    hypothesis_id: uuid.UUID = Field(foreign_key="hypothesis.id", index=True)
    dataset_id: uuid.UUID = Field(foreign_key="dataset.id")
    warnings: list[str] = json_list()
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class Clearance(ClearanceFields, Versioned, table=True):
    """Who cleared a report of a pilot, and the fingerprint of the content they cleared."""

    __tablename__ = "clearance"

    pilot_id: uuid.UUID = Field(foreign_key="pilot.id", index=True)


class Observation(SQLModel, table=True):
    """One unit-level outcome row of a dataset (statistics contract, section 5)."""

    __tablename__ = "observation"

    dataset_id: uuid.UUID = Field(foreign_key="dataset.id", primary_key=True)
    row_no: int = Field(primary_key=True)
    arm: str
    value: float
    period: str | None = None
    cluster: str | None = None
    unit: str | None = None
    time: float | None = None
    exposure: float | None = None
    baseline: float | None = None  # the unit's registered baseline measure (schema 7)


class AggregateRow(SQLModel, table=True):
    """One aggregate row of a dataset: an arm (and period, and time point) summarised."""

    __tablename__ = "aggregate_row"

    dataset_id: uuid.UUID = Field(foreign_key="dataset.id", primary_key=True)
    row_no: int = Field(primary_key=True)
    arm: str
    period: str | None = None
    time: float | None = None
    n: int | None = None
    mean: float | None = None
    sd: float | None = None
    successes: int | None = None
    events: float | None = None
    exposure: float | None = None
    clusters: int | None = None
    cluster: str | None = None  # which cluster: a stepped wedge's cluster-period rows


class Revision(SQLModel, table=True):
    """Append-only history: one row per change of any record (docs/registration.md)."""

    __tablename__ = "revision"
    __table_args__ = (Index("ix_revision_entity_row", "entity", "row_id"),)

    id: str = Field(primary_key=True, max_length=64)
    entity: str
    row_id: uuid.UUID
    parents: list[str] = json_list()
    replica_id: uuid.UUID
    payload: str  # canonical JSON, exactly the bytes that were hashed
    op: str  # create | update | delete | resolve
    recorded_at: dt.datetime
    actor: str = ""


class AuditEvent(SQLModel, table=True):
    """Append-only, hash-chained log of what happened, one chain per replica."""

    __tablename__ = "audit_event"

    replica_id: uuid.UUID = Field(primary_key=True)
    seq: int = Field(primary_key=True)
    at: dt.datetime
    actor: str = ""
    action: str
    entity: str = ""
    row_id: uuid.UUID | None = None
    revision_id: str | None = None
    summary: str = ""
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    prev_hash: str
    hash: str


class Replica(SQLModel, table=True):
    """Replicas known to this file; ``is_self`` marks the one this file is."""

    __tablename__ = "replica"

    id: uuid.UUID = Field(primary_key=True)
    is_self: bool = False
    department: str = ""
    created_at: dt.datetime
    app_version: str = ""


class MergeSource(SQLModel, table=True):
    """Provenance of one merged file: where it came from, who merged it, what it brought."""

    __tablename__ = "merge_source"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    source_name: str
    source_sha256: str
    replica_id: uuid.UUID
    department: str = ""
    app_version: str = ""
    schema_generation: int = 0
    operator: str = ""
    merged_at: dt.datetime
    counts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class RecordOrigin(SQLModel, table=True):
    """Which merged file each record came from (or was changed by), and how."""

    __tablename__ = "record_origin"

    entity: str = Field(primary_key=True)
    row_id: uuid.UUID = Field(primary_key=True)
    merge_source_id: uuid.UUID = Field(foreign_key="merge_source.id", primary_key=True)
    outcome: str  # new | fast-forward | auto-merged | conflict


class Conflict(SQLModel, table=True):
    """A disagreement a merge could not settle alone; both sides are kept until resolved.

    The id is a hash of what disagrees (record, field, the two revisions), so finding the
    same disagreement again, in any merge order, is the same conflict.
    """

    __tablename__ = "conflict"

    id: str = Field(primary_key=True, max_length=64)
    kind: str  # edit-edit | delete-edit | id-collision | immutable | possible-duplicate
    entity: str
    row_id: uuid.UUID
    field: str = ""
    base: Any = Field(None, sa_column=Column(JSON))
    value_a: Any = Field(None, sa_column=Column(JSON))
    value_b: Any = Field(None, sa_column=Column(JSON))
    rev_a: str = ""
    rev_b: str = ""
    shown: str = ""  # "a" or "b": which value the record shows while the conflict is open
    detail: str = ""
    merge_source_id: uuid.UUID | None = Field(None, foreign_key="merge_source.id")
    detected_at: dt.datetime
    status: str = "open"  # open | resolved
    resolution: Any = Field(None, sa_column=Column(JSON))
    resolved_by: str = ""
    resolved_at: dt.datetime | None = None
    resolution_rev: str = ""


class DatabaseInfo(SQLModel, table=True):
    """Key-value facts about the file that the SQLite header cannot hold (and PostgreSQL)."""

    __tablename__ = "database_info"

    key: str = Field(primary_key=True)
    value: str


class VocabularyTerm(SQLModel, table=True):
    """Reference data: the vocabularies of ``testlearn.domain.vocabulary``, mirrored."""

    __tablename__ = "vocabulary_term"

    vocabulary: str = Field(primary_key=True)
    code: str = Field(primary_key=True)
    label: str
    position: int


#: Synced record kinds: entity name -> (table class, fields class).
RECORDS: dict[str, tuple[type[Versioned], type[SQLModel]]] = {
    "pilot": (Pilot, records.PilotFields),
    "procurement": (Procurement, records.ProcurementFields),
    "kpi": (Kpi, records.KpiFields),
    "kpi_rating": (KpiRating, records.KpiRatingFields),
    "comparator": (Comparator, records.ComparatorFields),
    "hypothesis": (Hypothesis, records.HypothesisFields),
    "registration": (Registration, records.RegistrationFields),
    "deviation": (Deviation, records.DeviationFields),
    "dataset": (Dataset, records.DatasetFields),
    "cost": (Cost, records.CostFields),
    "lesson": (Lesson, records.LessonFields),
    "decision": (Decision, records.DecisionFields),
    "result": (AnalysisResult, records.AnalysisResultFields),
    "clearance": (Clearance, ClearanceFields),
}


def table_of(model: type[SQLModel]) -> Table:
    """The SQLAlchemy table behind a table model, for Core statements (bulk paths)."""
    table: Table = model.__table__  # type: ignore[attr-defined]  # set by table=True
    return table


def canonical_id_condition(column: str) -> str:
    """SQLite's test that a UUID column holds its one canonical text: 32 lowercase hex digits.

    SQLAlchemy writes UUIDs so on SQLite, but reads back any spelling Python's ``uuid`` parses
    ('{...}', upper case, hyphens), while queries match the text exactly: an id spelled
    another way hides its row from every list and analysis yet still looks the same to a
    check that goes through SQLAlchemy. The constraint refuses such text; ``testlearn
    verify`` reads the raw text and checks that the constraints are still in the schema.
    PostgreSQL's uuid type is canonical already.
    """
    return f"length({column}) = 32 AND {column} NOT GLOB '*[^0-9a-f]*'"


def uuid_columns(table: Table) -> list[str]:
    return [column.name for column in table.columns if isinstance(column.type, Uuid)]


for _table in metadata.sorted_tables:
    for _column in uuid_columns(_table):
        _table.append_constraint(
            CheckConstraint(canonical_id_condition(_column), name=f"{_column}_canonical").ddl_if(
                dialect="sqlite"
            )
        )
