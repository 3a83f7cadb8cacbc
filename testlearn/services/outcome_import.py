"""`testlearn import-results`: outcome data for a registered hypothesis, all or nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from testlearn.domain.fingerprint import AGGREGATE_COLUMNS, Fingerprint
from testlearn.domain.ids import new_id
from testlearn.domain.views import DatasetView, HypothesisView
from testlearn.domain.vocabulary import StudyDesign
from testlearn.errors import InputFileError, RegistrationLocked, TestlearnError
from testlearn.services.outcome_files import (
    Expectations,
    OutcomeFile,
    open_outcome_file,
)
from testlearn.services.outcome_mapping import ColumnMapping
from testlearn.services.pilots import require_hypothesis
from testlearn.store.database import Database
from testlearn.store.outcome_rows import insert_rows
from testlearn.store.storage_errors import expecting, room_to_store
from testlearn.store.unit_of_work import UnitOfWork
from testlearn.temporary_files import private_folder, scratch_folder


class ImportCancelled(TestlearnError):
    """The user stopped an import; nothing from it was stored."""


@dataclass(frozen=True)
class ImportSummary:
    dataset: DatasetView
    replaced: tuple[DatasetView, ...]  # earlier imports this one replaced (kept, tombstoned)
    ignored_columns: tuple[str, ...]
    left_out: int = 0  # rows the recoding left out
    encoding: str = ""  # how a text file was decoded, in words

    def describe(self) -> str:
        d = self.dataset
        kind = "unit rows" if d.shape == "unit" else "aggregate rows"
        text = f"imported {d.row_count:,} {kind} from {d.source_name}"
        if self.encoding and not self.encoding.startswith("UTF-8"):
            text += f", read as {self.encoding}"
        text += f" (fingerprint {d.fingerprint})"
        if self.left_out:
            text += f"; {self.left_out:,} rows left out as the recoding said"
        for old in self.replaced:
            text += (
                f"; this replaces the data imported from {old.source_name} on "
                f"{old.imported_at:%d/%m/%Y %H:%M} ({old.row_count:,} rows), which are kept "
                "and named in every report"
            )
        if self.ignored_columns:
            text += f"; ignored columns: {', '.join(self.ignored_columns)}"
        return text


def expectations_for(hypothesis: HypothesisView) -> Expectations:
    return Expectations.for_design(
        hypothesis.outcome_type, hypothesis.design, baseline=hypothesis.baseline_covariate
    )


def import_results(
    reference: str,
    code: str,
    path: Path,
    *,
    db: Database,
    actor: str,
    mapping: ColumnMapping | None = None,
    encoding: str | None = None,
    progress: Callable[[float], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> ImportSummary:
    """Read ``path`` into a new dataset for hypothesis ``code`` of pilot ``reference``.

    The hypothesis must be registered: outcome data come after the registration, never
    before. ``mapping`` says which column is which and recodes values; ``encoding`` names
    the text's encoding when detection (UTF-8, else Windows-1252) is not wanted. Any bad
    cell aborts the whole import, and so does ``should_cancel`` answering True between
    chunks (:class:`ImportCancelled`): the database is left as it was.
    """
    path = Path(path)
    with expecting(room_to_store(path)), db.transaction(actor) as uow:
        hypothesis = _registered(uow, reference, code)
        source = open_outcome_file(path, expectations_for(hypothesis), mapping, encoding=encoding)
        try:
            chunks = _watched(source, progress, should_cancel)
            summary = _store(
                uow,
                reference,
                hypothesis,
                source.shape,
                source.columns,
                chunks,
                source_name=path.name,
                source_sha256=source.sha256,
                arms=source.arms,
                ignored=tuple(source.ignored),
                detail=_provenance(source, mapping),
            )
        finally:
            source.close()
        return ImportSummary(
            summary.dataset,
            summary.replaced,
            summary.ignored_columns,
            left_out=source.left_out,
            encoding=source.encoding,
        )


def _watched(
    source: OutcomeFile,
    progress: Callable[[float], None] | None,
    should_cancel: Callable[[], bool] | None,
) -> Iterator[list[tuple[Any, ...]]]:
    """The file's chunks, with progress reported and Cancel honoured between them."""
    for chunk in source.chunks:
        if should_cancel is not None and should_cancel():
            raise ImportCancelled(f"importing {source.path.name} was cancelled; nothing was saved")
        yield chunk
        if progress is not None:
            progress(source.fraction())
    if should_cancel is not None and should_cancel():
        raise ImportCancelled(f"importing {source.path.name} was cancelled; nothing was saved")


def _provenance(source: OutcomeFile, mapping: ColumnMapping | None) -> dict[str, Any]:
    """What the history keeps about how the file was read, beyond its name and sha256."""
    detail: dict[str, Any] = {}
    if source.encoding:
        detail["encoding"] = source.encoding
    if source.sheet:
        detail["sheet"] = source.sheet
    renamed = {name: column for column, name in source.names.items() if name != column}
    if renamed:
        detail["columns"] = renamed
    if mapping is not None and mapping.recode:
        detail["recode"] = {k: dict(v) for k, v in mapping.recode.items()}
    if source.left_out:
        detail["rows_left_out"] = source.left_out
    return detail


def import_aggregates(
    reference: str,
    code: str,
    rows: Sequence[Mapping[str, Any]],
    *,
    source_name: str,
    db: Database,
    actor: str,
    recorded_at: dt.datetime | None = None,
) -> ImportSummary:
    """Store aggregates typed in (the window's grid, the demo data), checked like a file.

    ``recorded_at`` (the demo's history only) dates the import instead of the clock.
    """
    with db.transaction(actor, recorded_at=recorded_at) as uow:
        hypothesis = _registered(uow, reference, code)
        # AGGREGATE_COLUMNS ends with the cluster: a stepped wedge's cluster-period rows keep it,
        # and counts typed per cluster are read by the file reader as unit rows.
        known = AGGREGATE_COLUMNS
        columns = [c for c in known if any(row.get(c) is not None for row in rows)]
        body = "\n".join(
            ",".join("" if row.get(c) is None else str(row.get(c)) for c in columns) for row in rows
        )
        text = ",".join(columns) + "\n" + body + "\n"
        with scratch_folder(private_folder(), "typed") as folder:
            path = folder / source_name
            path.write_text(text, encoding="utf-8")
            source = open_outcome_file(path, expectations_for(hypothesis))
            return _store(
                uow,
                reference,
                hypothesis,
                source.shape,
                source.columns,
                source.chunks,
                source_name=source_name,
                source_sha256=source.sha256,
                arms=source.arms,
                ignored=(),
            )


def _registered(uow: UnitOfWork, reference: str, code: str) -> HypothesisView:
    hypothesis = require_hypothesis(uow, reference, code)
    if hypothesis.registration_id is None:
        raise RegistrationLocked(
            f"{reference} {hypothesis.code} is not registered; register the "
            "hypotheses (`testlearn register`) before importing outcome data"
        )
    return hypothesis


def _store(
    uow: UnitOfWork,
    reference: str,
    hypothesis: HypothesisView,
    shape: str,
    columns: list[str],
    chunks: Iterator[list[tuple[Any, ...]]],
    *,
    source_name: str,
    source_sha256: str,
    arms: set[str],
    ignored: tuple[str, ...],
    detail: Mapping[str, Any] | None = None,
) -> ImportSummary:
    fingerprint = Fingerprint(shape)
    dataset_id = new_id()

    def fingerprinted() -> Iterator[list[tuple[Any, ...]]]:
        for chunk in chunks:
            fingerprint.add(chunk)
            yield chunk

    count = insert_rows(uow, dataset_id, shape, fingerprinted())
    if hypothesis.design == StudyDesign.BENCHMARK.value and "comparator" in arms:
        raise InputFileError(
            f"{source_name}: a benchmark design compares the pilot with a fixed value; "
            "the file has comparator rows"
        )
    previous = uow.find("dataset", hypothesis_id=hypothesis.id)
    for old in previous:
        uow.delete("dataset", old.id, summary=f"outcome data of {hypothesis.code} replaced")
    dataset: DatasetView = uow.create(
        "dataset",
        {
            "hypothesis_id": hypothesis.id,
            "shape": shape,
            "source_name": source_name,
            "source_sha256": source_sha256,
            "row_count": count,
            "fingerprint": fingerprint.hexdigest(),
            "columns": columns,
            "imported_at": uow.now(),
            "imported_by": uow.actor,
        },
        row_id=dataset_id,
        summary=f"imported {count} rows for {reference} {hypothesis.code} from {source_name}",
    )
    uow.record_event(
        "import",
        entity="dataset",
        row_id=dataset.id,
        revision_id=dataset.rev,
        summary=f"outcome data for {reference} {hypothesis.code}",
        detail={
            "file": source_name,
            "sha256": source_sha256,
            "rows": count,
            "fingerprint": dataset.fingerprint,
            **(detail or {}),
        },
    )
    return ImportSummary(dataset, tuple(previous), ignored)
