"""The portfolio's reading: what it needs of every pilot, in one query per kind of record.

Reading each pilot's full detail costs a dozen queries a pilot, most of it building
statements and read models rather than reading; ten thousand pilots took about a minute.
Here each kind of record is read once for the whole database, only in the columns the
portfolio uses, as plain rows, and gathered per pilot in Python.

Each query orders its rows by the same column as the pilot's detail does (after the pilot),
so the lists come out in the detail's order, ties included: both read in the table's own
order within a pilot before sorting.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from types import SimpleNamespace
from typing import Any

from sqlalchemy import ColumnElement, Table, false, select

from testlearn.domain.commercial_text import pilot_withheld
from testlearn.domain.portfolio_facts import (
    ContractFacts,
    KpiFacts,
    LessonFacts,
    PilotFacts,
    PrimaryFacts,
    ResultFacts,
)
from testlearn.store import tables
from testlearn.store.unit_of_work import UnitOfWork

#: How many queries ``portfolio_facts`` runs: its progress is counted in them.
STEPS = 11


def _rows(
    uow: UnitOfWork,
    record: type[tables.Versioned],
    columns: Sequence[str],
    *,
    order_by: Sequence[str] = (),
    where: Callable[[Table], ColumnElement[bool]] | None = None,
) -> Sequence[Any]:
    """Live rows of ``record``, only ``columns``, with the columns' own types."""
    table: Table = record.__table__  # type: ignore[attr-defined]  # set by table=True
    query = select(*(table.c[name] for name in columns)).where(table.c.deleted == false())
    if where is not None:
        query = query.where(where(table))
    return uow.conn.execute(query.order_by(*(table.c[name] for name in order_by))).all()


def portfolio_facts(
    uow: UnitOfWork, *, step: Callable[[float], None] | None = None
) -> list[PilotFacts]:
    """Every live pilot's portfolio facts, ordered by reference.

    ``step`` is called with the fraction done after each query; it may raise to stop.
    """
    done = 0

    def read(*args: Any, **kwargs: Any) -> Sequence[Any]:
        nonlocal done
        rows = _rows(uow, *args, **kwargs)
        done += 1
        if step is not None:
            step(done / STEPS)
        return rows

    pilots = read(
        tables.Pilot,
        (
            "id",
            "reference",
            "title",
            "lead_organisation",
            "primary_mission",
            "status",
            "marking",
            "marking_descriptor",
            "spend",
            "budget",
            "national_rollout_cost",
            "handling_instructions",
        ),
        order_by=("reference", "id"),
    )
    primary = _primaries(read)
    costs: dict[uuid.UUID, list[float]] = defaultdict(list)
    for pilot_id, amount in read(
        tables.Cost, ("pilot_id", "amount"), order_by=("pilot_id", "financial_year")
    ):
        if amount is not None:
            costs[pilot_id].append(amount)
    decisions = _group(
        read(
            tables.Decision, ("pilot_id", "decided_on", "kind"), order_by=("pilot_id", "decided_on")
        ),
        lambda row: (row[1], row[2]),
    )
    kpis = _kpis(read)
    contract_rows = read(
        tables.Procurement,
        (
            "pilot_id",
            "name",
            "contract_value",
            "pipeline_year",
            "commercial_specialist",
            "contract_manager",
            "contract_manager_accreditation",
            "engagement_methods",
            "suppliers_engaged",
            "bidders",
            "should_cost",
            "winning_bid",
            "outturn_cost",
        ),
        order_by=("pilot_id", "pipeline_year"),
    )
    contracts = _group(
        contract_rows,
        lambda row: ContractFacts(
            row[1], row[2], row[3], row[4], row[5], row[6], tuple(row[7] or ()), row[8], row[9]
        ),
    )
    sensitive = _group(
        contract_rows,
        lambda row: SimpleNamespace(
            contract_value=row[2], should_cost=row[10], winning_bid=row[11], outturn_cost=row[12]
        ),
    )
    lessons = _group(
        read(
            tables.Lesson,
            ("pilot_id", "category", "went_well", "recommendation"),
            order_by=("pilot_id", "category"),
        ),
        lambda row: LessonFacts(row[1], row[2], row[3]),
    )
    # Rows are unpacked by position: for ten thousand pilots, named access per field costs
    # more than the queries (as in ``queries.pilot_summaries``).
    return [
        PilotFacts(
            reference,
            title,
            organisation,
            mission,
            status,
            marking,
            descriptor,
            spend,
            budget,
            rollout,
            tuple(costs.get(pilot_id, ())),
            tuple(decisions.get(pilot_id, ())),
            primary.get(pilot_id),
            tuple(kpis.get(pilot_id, ())),
            tuple(contracts.get(pilot_id, ())),
            tuple(lessons.get(pilot_id, ())),
            handling,
            pilot_withheld(
                sensitive.get(pilot_id, []), (spend, budget, rollout), costs.get(pilot_id, [])
            ),
        )
        for (
            pilot_id,
            reference,
            title,
            organisation,
            mission,
            status,
            marking,
            descriptor,
            spend,
            budget,
            rollout,
            handling,
        ) in pilots
    ]


def _group(rows: Sequence[Any], make: Callable[[Any], Any]) -> dict[uuid.UUID, list[Any]]:
    """Rows (each starting with a pilot id) made into facts and listed per pilot, in order."""
    grouped: dict[uuid.UUID, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[row[0]].append(make(row))
    return grouped


def _primaries(read: Callable[..., Sequence[Any]]) -> dict[uuid.UUID, PrimaryFacts]:
    """Each pilot's first registered primary hypothesis by code, with its result and data."""
    registered = {
        (pilot_id, uuid.UUID(str(member)))
        for pilot_id, members in read(tables.Registration, ("pilot_id", "hypothesis_ids"))
        for member in members or ()
    }
    chosen: dict[uuid.UUID, tuple[uuid.UUID, str]] = {}
    levels: dict[uuid.UUID, int | None] = {}
    for hypothesis_id, pilot_id, rev, level in read(
        tables.Hypothesis,
        ("id", "pilot_id", "rev", "evidence_level"),
        order_by=("pilot_id", "code"),
        where=lambda t: t.c.role == "primary",
    ):
        if pilot_id not in chosen and (pilot_id, hypothesis_id) in registered:
            chosen[pilot_id] = (hypothesis_id, rev)
            levels[pilot_id] = level
    wanted = {hypothesis_id for hypothesis_id, _ in chosen.values()}
    results: dict[uuid.UUID, ResultFacts] = {}
    # Unordered, as the detail reads it: the first stored result of a hypothesis stands.
    for hypothesis_id, verdict, hypothesis_rev, dataset_id, grade in read(
        tables.AnalysisResult,
        ("hypothesis_id", "verdict", "hypothesis_rev", "dataset_id", "grade"),
    ):
        if hypothesis_id in wanted and hypothesis_id not in results:
            results[hypothesis_id] = ResultFacts(verdict, hypothesis_rev, dataset_id, grade)
    latest: dict[uuid.UUID, uuid.UUID] = {}
    for hypothesis_id, dataset_id in read(
        tables.Dataset, ("hypothesis_id", "id"), order_by=("hypothesis_id", "imported_at")
    ):
        if hypothesis_id in wanted:
            latest[hypothesis_id] = dataset_id  # the last by import time wins
    return {
        pilot_id: PrimaryFacts(
            rev, latest.get(hypothesis_id), results.get(hypothesis_id), levels.get(pilot_id)
        )
        for pilot_id, (hypothesis_id, rev) in chosen.items()
    }


def _kpis(read: Callable[..., Sequence[Any]]) -> dict[uuid.UUID, list[KpiFacts]]:
    latest: dict[uuid.UUID, str] = {}
    published: dict[uuid.UUID, tuple[str, str]] = {}
    for kpi_id, rating, source, assessed in read(
        tables.KpiRating,
        ("kpi_id", "rating", "source_notice", "assessed_on"),
        order_by=("kpi_id", "year"),
    ):
        if not source:
            latest[kpi_id] = rating  # the last by financial year wins
        else:
            # A statutory rating from a notice: the last by date assessed wins.
            when = str(assessed or "")
            if kpi_id not in published or when >= published[kpi_id][0]:
                published[kpi_id] = (when, rating)
    return _group(
        read(
            tables.Kpi,
            ("pilot_id", "id", "name", "level", "mission_alignment", "mission"),
            order_by=("pilot_id", "name"),
        ),
        lambda row: KpiFacts(
            row[2],
            row[3],
            row[4],
            row[5],
            latest.get(row[1]),
            published[row[1]][1] if row[1] in published else None,
        ),
    )
