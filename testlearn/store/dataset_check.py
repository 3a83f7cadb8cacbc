"""Outcome data and stored results: the rows still give their fingerprint, and every stored
result names the inputs it was computed from.

Rows are matched to their dataset by the dataset id's text exactly as the analysis matches
them, so a row whose dataset_id is spelled another way counts as gone (and
``canonical_ids`` names it). A stored result cannot be recomputed here (that needs the
statistics engine; reports re-derive what they quote), but what it says it was computed
from can be checked: the dataset is the hypothesis's, its fingerprint is that dataset's,
its registration hash is the registration's, its hypothesis revision is in the history,
and its input hash is the one in its full result. A forged result that gets all of these
right still differs from what the engine computes, which the report gate checks.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from sqlalchemy import literal_column, select, text

from testlearn.domain.fingerprint import AGGREGATE_COLUMNS, OBSERVATION_COLUMNS, Fingerprint
from testlearn.domain.verification import Finding
from testlearn.store.record_names import RecordNames, full_id, key, raw_text
from testlearn.store.tables import AnalysisResult, Registration, table_of
from testlearn.store.unit_of_work import UnitOfWork


def check(
    uow: UnitOfWork, names: RecordNames, of_record: Mapping[tuple[str, str], list[str]]
) -> Iterator[Finding]:
    datasets = {
        raw_text(row[0]): row
        for row in uow.conn.execute(
            text("SELECT id, shape, fingerprint, source_name, hypothesis_id, deleted FROM dataset")
        )
    }
    yield from _fingerprints(uow, names, datasets)
    yield from _results(uow, names, datasets, of_record)


def _fingerprints(
    uow: UnitOfWork, names: RecordNames, datasets: dict[str, Any]
) -> Iterator[Finding]:
    """Recompute every live dataset's fingerprint in one ordered pass over its rows."""
    live = {raw: row for raw, row in datasets.items() if not row.deleted}
    for shape, table, columns in (
        ("unit", "observation", OBSERVATION_COLUMNS),
        ("aggregate", "aggregate_row", AGGREGATE_COLUMNS),
    ):
        wanted = {raw for raw, row in live.items() if row.shape == shape}
        if not wanted:
            continue
        result = uow.conn.execute(
            text(
                f"SELECT dataset_id, {', '.join(columns)} FROM {table} ORDER BY dataset_id, row_no"
            )
        )
        fingerprints = {raw: Fingerprint(shape) for raw in wanted}
        for row in result:
            fingerprint = fingerprints.get(raw_text(row[0]))
            if fingerprint is not None:
                fingerprint.add([tuple(row[1:])])
        for raw, fingerprint in fingerprints.items():
            dataset = live[raw]
            if fingerprint.hexdigest() != dataset.fingerprint:
                yield Finding(
                    "data",
                    names.describe("dataset", raw),
                    "the outcome data no longer match the fingerprint recorded at import: rows "
                    "were changed, added, removed or hidden outside testlearn",
                    entity="dataset",
                    row_id=full_id(raw),
                    pilot_id=names.pilot_id("dataset", raw),
                )


def _results(
    uow: UnitOfWork,
    names: RecordNames,
    datasets: dict[str, Any],
    of_record: Mapping[tuple[str, str], list[str]],
) -> Iterator[Finding]:
    by_key = {key(raw): row for raw, row in datasets.items()}
    registrations = table_of(Registration)
    hashes: dict[str, str] = {}
    for hypothesis_ids, content_hash in uow.conn.execute(
        select(registrations.c.hypothesis_ids, registrations.c.content_hash)
    ):
        for hypothesis in hypothesis_ids or []:
            hashes[key(hypothesis)] = str(content_hash)
    results = table_of(AnalysisResult)
    query = select(
        literal_column("analysis_result.id"),
        results.c.hypothesis_id,
        results.c.dataset_id,
        results.c.hypothesis_rev,
        results.c.data_fingerprint,
        results.c.registration_hash,
        results.c.input_hash,
        results.c.detail,
    ).where(results.c.deleted.is_(False))
    for row in uow.conn.execute(query):
        result_id, hypothesis, dataset_id, hypothesis_rev, fingerprint, registration_hash = row[:6]
        input_hash, detail = row[6], row[7] or {}
        problems = []
        dataset = by_key.get(key(dataset_id))
        if dataset is None:
            problems.append(f"it names dataset {full_id(dataset_id)}, which is not in the file")
        else:
            if key(dataset.hypothesis_id) != key(hypothesis):
                problems.append("its dataset holds the data of another hypothesis")
            if dataset.fingerprint != fingerprint:
                problems.append(
                    f"its data fingerprint {fingerprint} is not its dataset's "
                    f"({dataset.fingerprint})"
                )
        expected_hash = hashes.get(key(hypothesis))
        if expected_hash is None:
            problems.append("its hypothesis is not registered")
        elif registration_hash != expected_hash:
            problems.append(
                f"its registration hash {registration_hash} is not the registration's "
                f"({expected_hash})"
            )
        if hypothesis_rev not in of_record.get(("hypothesis", key(hypothesis)), []):
            problems.append(
                f"it names hypothesis revision {hypothesis_rev}, which is not in the "
                "hypothesis's history"
            )
        if isinstance(detail, dict) and detail.get("input_hash") not in (None, input_hash):
            problems.append(
                f"its input hash {input_hash} is not the one in its full result "
                f"({detail['input_hash']})"
            )
        if problems:
            yield Finding(
                "results",
                f"stored result of {names.hypothesis(hypothesis)}",
                "the result does not match what it was computed from: " + "; ".join(problems),
                entity="result",
                row_id=full_id(result_id),
                pilot_id=names.pilot_id("hypothesis", hypothesis),
            )
