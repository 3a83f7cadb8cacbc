"""Read queries that gather records for display, in as few round trips as possible."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict

from sqlalchemy import text

from testlearn.domain.pilot_detail import (
    DatasetImport,
    HypothesisDetail,
    KpiWithRatings,
    PilotDetail,
    code_order,
)
from testlearn.domain.pilot_summary import PilotSummary
from testlearn.domain.registration import check_registration
from testlearn.domain.results import stale_reason
from testlearn.domain.views import AnalysisResultView, DatasetView, HypothesisView
from testlearn.store import pilot_list
from testlearn.store.tables import RECORDS
from testlearn.store.unit_of_work import UnitOfWork


def pilot_summaries(uow: UnitOfWork, *, search: bool = False) -> list[PilotSummary]:
    """Every live pilot, one row each, ordered by reference (see ``pilot_list``)."""
    return pilot_list.pilot_summaries(lambda sql: uow.conn.execute(text(sql)), search=search)


def pilot_detail(uow: UnitOfWork, pilot_id: uuid.UUID) -> PilotDetail:
    pilot = uow.get("pilot", pilot_id)
    hypotheses = sorted(
        uow.find("hypothesis", pilot_id=pilot_id, order_by="code"), key=lambda h: code_order(h.code)
    )
    registrations = uow.find("registration", pilot_id=pilot_id, order_by="registered_at")
    deviations = defaultdict(list)
    datasets = {}
    history: dict[uuid.UUID, tuple[DatasetImport, ...]] = {}
    results = {}
    for hypothesis in hypotheses:
        deviations[hypothesis.id] = uow.find(
            "deviation", hypothesis_id=hypothesis.id, order_by="recorded_at"
        )
        found = uow.find("dataset", hypothesis_id=hypothesis.id, order_by="imported_at")
        datasets[hypothesis.id] = found[-1] if found else None
        history[hypothesis.id] = dataset_history(uow, hypothesis.id)
        stored = uow.find("result", hypothesis_id=hypothesis.id)
        results[hypothesis.id] = stored[0] if stored else None
    by_id = {h.id: h for h in hypotheses}
    labels = {h.id: f"{h.code}" for h in hypotheses}
    checks = tuple(
        check_registration(
            registration,
            by_id,
            [d for h in registration.hypothesis_ids for d in deviations.get(h, [])],
            labels=labels,
        )
        for registration in registrations
    )
    registration_of = {
        h_id: registration for registration in registrations for h_id in registration.hypothesis_ids
    }
    kpis = uow.find("kpi", pilot_id=pilot_id, order_by="name")
    return PilotDetail(
        pilot=pilot,
        procurements=tuple(uow.find("procurement", pilot_id=pilot_id, order_by="pipeline_year")),
        kpis=tuple(
            KpiWithRatings(k, tuple(uow.find("kpi_rating", kpi_id=k.id, order_by="year")))
            for k in kpis
        ),
        comparators=tuple(uow.find("comparator", pilot_id=pilot_id, order_by="name")),
        hypotheses=tuple(
            HypothesisDetail(
                hypothesis=h,
                registration=registration_of.get(h.id),
                deviations=tuple(deviations[h.id]),
                dataset=datasets[h.id],
                result=results[h.id],
                stale_reason=_stale(results[h.id], h, datasets[h.id]),
                imports=history[h.id],
            )
            for h in hypotheses
        ),
        registrations=tuple(registrations),
        registration_checks=checks,
        costs=tuple(uow.find("cost", pilot_id=pilot_id, order_by="financial_year")),
        lessons=tuple(uow.find("lesson", pilot_id=pilot_id, order_by="category")),
        decisions=tuple(uow.find("decision", pilot_id=pilot_id, order_by="decided_on")),
    )


def dataset_history(uow: UnitOfWork, hypothesis_id: uuid.UUID) -> tuple[DatasetImport, ...]:
    """Every import of outcome data for a hypothesis, the replaced ones too, oldest first.

    A replaced dataset is kept (tombstoned, its rows untouched); when it was replaced is the
    time of the revision that tombstoned it.
    """
    rows = uow.conn.execute(
        text(
            """
            SELECT d.id, d.deleted, (
                       SELECT max(r.recorded_at) FROM revision r
                       WHERE r.entity = 'dataset' AND r.row_id = d.id AND r.op = 'delete'
                   ) AS replaced_at
            FROM dataset d WHERE d.hypothesis_id = :hypothesis
            ORDER BY d.imported_at
            """
        ),
        {"hypothesis": hypothesis_id.hex if uow.conn.dialect.name == "sqlite" else hypothesis_id},
    ).all()
    table = RECORDS["dataset"][0]
    found = []
    for row_id, deleted, replaced_at in rows:
        row = uow.session.get(table, uuid.UUID(str(row_id)))
        if row is None:
            continue
        view: DatasetView = uow.view("dataset", row)  # type: ignore[assignment]
        moment = _as_datetime(replaced_at) if deleted and replaced_at else None
        found.append(DatasetImport(view, bool(deleted), moment))
    return tuple(found)


def _as_datetime(value: object) -> dt.datetime:
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _stale(
    result: AnalysisResultView | None, hypothesis: HypothesisView, dataset: DatasetView | None
) -> str | None:
    if result is None:
        return None
    return stale_reason(result, hypothesis, dataset.id if dataset else None)
