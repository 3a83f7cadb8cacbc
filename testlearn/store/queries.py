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
    PilotSummary,
    code_order,
)
from testlearn.domain.registration import check_registration
from testlearn.domain.results import stale_reason
from testlearn.domain.views import AnalysisResultView, DatasetView, HypothesisView
from testlearn.store.tables import RECORDS
from testlearn.store.unit_of_work import UnitOfWork


def pilot_summaries(uow: UnitOfWork, *, search: bool = False) -> list[PilotSummary]:
    """Every live pilot, one row each, ordered by reference.

    With ``search``, each summary carries the text a search of the pilot list reads (its
    problem statement, hypotheses and lessons, casefolded); callers that only count or
    walk the pilots leave it out. One query for the rows, and with ``search`` one more for
    every pilot's text, whatever the count.
    """
    rows = uow.conn.execute(
        text(
            """
            SELECT p.id, p.reference, p.title, p.lead_organisation, p.primary_mission,
                   p.status, p.spend, p.marking,
                   count(DISTINCT h.id) AS hypotheses,
                   count(DISTINCT CASE WHEN h.registration_id IS NOT NULL THEN h.id END)
                       AS registered,
                   max(CASE WHEN h.role = 'primary' THEN r.verdict END) AS primary_verdict,
                   max(CASE WHEN h.role = 'primary' AND r.id IS NOT NULL AND (
                           r.hypothesis_rev != h.rev OR d.id IS NULL OR r.dataset_id != d.id)
                       THEN 1 ELSE 0 END) AS primary_stale,
                   max(CASE WHEN h.role = 'primary' THEN r.grade END) AS primary_grade,
                   max(CASE WHEN h.role = 'primary' THEN h.evidence_level END)
                       AS primary_evidence_level
            FROM pilot p
            LEFT JOIN hypothesis h ON h.pilot_id = p.id AND NOT h.deleted
            LEFT JOIN analysis_result r ON r.hypothesis_id = h.id AND NOT r.deleted
            LEFT JOIN dataset d ON d.hypothesis_id = h.id AND NOT d.deleted
            WHERE NOT p.deleted
            GROUP BY p.id
            ORDER BY p.reference
            """
        )
    )
    searchable = _search_text(uow) if search else {}
    summaries = []
    # Rows are unpacked by position and the summaries built positionally: for a register
    # of ten thousand pilots, named access per field costs more than the query itself.
    for (
        pilot_id,
        reference,
        title,
        organisation,
        mission,
        status,
        spend,
        marking,
        hypotheses,
        registered,
        verdict,
        stale,
        grade,
        evidence_level,
    ) in rows:
        found = searchable.get(str(pilot_id), [])
        words = ""
        if search:
            words = f"{reference}\n{title}\n{organisation}".casefold()
            if found:
                words = "\n".join([words, *[t for _w, t in found]])
        summaries.append(
            PilotSummary(
                uuid.UUID(str(pilot_id)),
                reference,
                title,
                organisation,
                mission,
                status,
                spend,
                marking,
                hypotheses,
                hypotheses > 0 and registered == hypotheses,
                verdict,
                bool(stale),
                tuple(found),
                words,
                grade,
                evidence_level,
            )
        )
    return summaries


def _search_text(uow: UnitOfWork) -> dict[str, list[tuple[str, str]]]:
    """Each pilot's problem statement, hypotheses and lessons, casefolded, by pilot id.

    One query for every pilot (a per-pilot query would be ten thousand round trips), with
    each record's fields joined by the database and fetched at once; the caller keeps only
    the live pilots. They come in the order of the pilot's tabs.
    """
    # The line breaks keep words of two fields from running together into a false match;
    # a literal newline inside quotes is read the same by SQLite and PostgreSQL.
    rows = uow.conn.execute(
        text(
            """
            SELECT id, 'problem statement', problem_statement
            FROM pilot WHERE problem_statement != ''
            UNION ALL
            SELECT pilot_id, 'hypothesis ' || code, statement || '
' || outcome_name
            FROM hypothesis WHERE NOT deleted
            UNION ALL
            SELECT pilot_id, 'lesson', what_happened || '
' || root_cause || '
' || recommendation || '
' || owner
            FROM lesson WHERE NOT deleted
            """
        )
    ).all()
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for pilot_id, where, words in rows:
        found[str(pilot_id)].append((where, words.casefold()))
    return found


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
