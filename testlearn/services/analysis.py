"""Analysing registered hypotheses and keeping the results, with what they came from.

A stored result pins its inputs: the hypothesis revision (which changes with every deviation)
and the dataset (which changes with every import). When either moves on, the result is shown
as stale with the reason, until it is run again; it is never silently kept as current.
Re-running on unchanged inputs gives the same numbers and writes nothing new.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from testlearn.domain import plan_changes
from testlearn.domain.analysis import AggregateData, AnalysisResult, UnitData
from testlearn.domain.plan_changes import PostHocResult, change_record
from testlearn.domain.views import AnalysisResultView, DeviationView, HypothesisView, PilotView
from testlearn.errors import ConflictError
from testlearn.services import gates
from testlearn.services.outcome_data import load_dataset
from testlearn.services.pilots import require_pilot
from testlearn.services.specs import spec_for
from testlearn.store import queries
from testlearn.store.database import Database
from testlearn.store.unit_of_work import UnitOfWork

Progress = Callable[[float], None]
Cancel = Callable[[], bool]


@dataclass(frozen=True)
class HypothesisOutcome:
    """What happened to one hypothesis when its pilot was analysed."""

    code: str
    result: AnalysisResult | None
    stored: AnalysisResultView | None
    skipped: str | None = None  # why it was not analysed


@dataclass(frozen=True)
class PilotOutcome:
    reference: str
    hypotheses: tuple[HypothesisOutcome, ...]


@dataclass(frozen=True)
class _Input:
    hypothesis: HypothesisView
    dataset_id: uuid.UUID
    fingerprint: str
    registration_hash: str
    data: UnitData | AggregateData
    plan: HypothesisView  # as registered: changes after the data to what is success undone
    post_hoc: tuple[DeviationView, ...] = ()
    run_as: str = ""  # the pilot's evaluation design, for a warning when analysed weaker


def analyse_pilot(
    reference: str,
    *,
    db: Database,
    actor: str,
    progress: Progress | None = None,
    should_cancel: Cancel | None = None,
    recorded_at: dt.datetime | None = None,
) -> PilotOutcome:
    """Analyse every registered hypothesis of a pilot that has outcome data; store the results.

    ``recorded_at`` (the demo's history only) dates the results instead of the clock.
    """
    with db.reading() as uow:
        pilot = require_pilot(uow, reference)
    gates.require_verified(db, pilot.id, pilot.reference, "analyse")
    return _analyse(
        pilot,
        db=db,
        actor=actor,
        progress=progress,
        should_cancel=should_cancel,
        recorded_at=recorded_at,
    )


def _analyse(
    pilot: PilotView,
    *,
    db: Database,
    actor: str,
    progress: Progress | None,
    should_cancel: Cancel | None,
    recorded_at: dt.datetime | None = None,
) -> PilotOutcome:
    from testlearn import stats

    with db.reading() as uow:
        inputs, skipped = analysis_inputs(uow, pilot)
    # The verdict is always the registered plan's; a plan changed after the data is analysed
    # too, as a whole family (Holm adjusts across it), and shown beside it, labelled post hoc.
    changed = any(i.post_hoc for i in inputs)
    analysis = stats.analyse_pilot(
        [(spec_for(i.plan, evaluation_design=i.run_as), i.data) for i in inputs],
        progress=_part(progress, 0.5) if changed else progress,
        should_cancel=should_cancel,
    )
    post_hoc: list[AnalysisResult | None] = [None] * len(inputs)
    if changed:
        as_changed = stats.analyse_pilot(
            [(spec_for(i.hypothesis, evaluation_design=i.run_as), i.data) for i in inputs],
            progress=_part(progress, 0.5, 0.5),
            should_cancel=should_cancel,
        )
        post_hoc = list(as_changed.results)
    outcomes: dict[str, HypothesisOutcome] = dict(skipped)
    with db.transaction(actor, recorded_at=recorded_at) as uow:
        for item, result, later in zip(inputs, analysis.results, post_hoc, strict=True):
            stored = _store(uow, item, result, later if item.post_hoc else None)
            outcomes[item.hypothesis.code] = HypothesisOutcome(item.hypothesis.code, result, stored)
    ordered = tuple(outcomes[code] for code in sorted(outcomes))
    return PilotOutcome(pilot.reference, ordered)


def analyse_all(
    *,
    db: Database,
    actor: str,
    progress: Progress | None = None,
    should_cancel: Cancel | None = None,
) -> list[PilotOutcome]:
    """Analyse every registered pilot; one that fails verification is left unanalysed, with
    the reason on each of its hypotheses (the file is verified once, not once a pilot)."""
    from testlearn.services.pilots import list_pilots
    from testlearn.services.verification import verify

    summaries = [p for p in list_pilots(db=db) if p.registered]
    findings = verify(db=db).findings
    outcomes = []
    for i, summary in enumerate(summaries):

        def part(done: float, i: int = i) -> None:
            if progress is not None:
                progress((i + done) / max(1, len(summaries)))

        failing = tuple(f for f in findings if f.pilot_id in ("", str(summary.id)))
        with db.reading() as uow:
            pilot = require_pilot(uow, summary.reference)
            codes = [h.code for h in uow.find("hypothesis", pilot_id=pilot.id, order_by="code")]
        if failing:
            why = f"the pilot fails verification ({gates.describe(failing)})"
            outcomes.append(
                PilotOutcome(
                    pilot.reference,
                    tuple(HypothesisOutcome(code, None, None, why) for code in codes),
                )
            )
            continue
        outcomes.append(
            _analyse(pilot, db=db, actor=actor, progress=part, should_cancel=should_cancel)
        )
    return outcomes


def analysis_inputs(
    uow: UnitOfWork, pilot: PilotView
) -> tuple[list[_Input], list[tuple[str, HypothesisOutcome]]]:
    inputs: list[_Input] = []
    skipped: list[tuple[str, HypothesisOutcome]] = []
    for hypothesis in uow.find("hypothesis", pilot_id=pilot.id, order_by="code"):
        if hypothesis.registration_id is None:
            skipped.append(
                (
                    hypothesis.code,
                    HypothesisOutcome(
                        hypothesis.code, None, None, "not registered: register it before analysing"
                    ),
                )
            )
            continue
        datasets = uow.find("dataset", hypothesis_id=hypothesis.id, order_by="imported_at")
        if not datasets:
            skipped.append(
                (
                    hypothesis.code,
                    HypothesisOutcome(hypothesis.code, None, None, "no outcome data imported yet"),
                )
            )
            continue
        dataset = datasets[-1]
        registration = uow.get("registration", hypothesis.registration_id)
        deviations = uow.find("deviation", hypothesis_id=hypothesis.id, order_by="recorded_at")
        first = plan_changes.first_data_at(
            i.dataset.imported_at for i in queries.dataset_history(uow, hypothesis.id)
        )
        inputs.append(
            _Input(
                hypothesis,
                dataset.id,
                dataset.fingerprint,
                registration.content_hash,
                load_dataset(uow, dataset.id, dataset.shape),
                plan=plan_changes.registered_plan(hypothesis, deviations, first),
                post_hoc=plan_changes.post_hoc_changes(deviations, first),
                run_as=pilot.evaluation_design or "",
            )
        )
    return inputs, skipped


def _part(progress: Progress | None, size: float, start: float = 0.0) -> Progress | None:
    if progress is None:
        return None
    return lambda done: progress(start + size * done)


def post_hoc_record(item: _Input, result: AnalysisResult) -> dict[str, Any]:
    return PostHocResult(
        verdict=result.verdict.value,
        grade=result.grade.value if result.grade else None,
        sentence=result.sentence,
        estimate=finite(result.estimate),
        ci_low=finite(result.ci_low),
        ci_high=finite(result.ci_high),
        changes=tuple(change_record(d) for d in item.post_hoc),
    ).to_json()


def _store(
    uow: UnitOfWork, item: _Input, result: AnalysisResult, post_hoc: AnalysisResult | None
) -> AnalysisResultView:
    current = uow.get("hypothesis", item.hypothesis.id)
    if current.rev != item.hypothesis.rev:
        raise ConflictError(
            f"{item.hypothesis.code} changed while it was being analysed; run the analysis again"
        )
    detail = result.to_json_dict()
    if post_hoc is not None:
        detail["post_hoc"] = post_hoc_record(item, post_hoc)
    values = {
        "hypothesis_id": item.hypothesis.id,
        "dataset_id": item.dataset_id,
        "hypothesis_rev": item.hypothesis.rev,
        "data_fingerprint": item.fingerprint,
        "registration_hash": item.registration_hash,
        "engine_version": result.engine_version,
        "method": result.method,
        "seed": result.seed,
        "input_hash": result.input_hash,
        "verdict": result.verdict.value,
        "grade": result.grade.value if result.grade else None,
        "estimate": finite(result.estimate),
        "ci_low": finite(result.ci_low),
        "ci_high": finite(result.ci_high),
        "p_value": finite(result.p_value),
        "p_adjusted": finite(result.p_adjusted),
        "mde_achieved": finite(result.mde_achieved),
        "sentence": result.sentence,
        "warnings": list(result.warnings),
        "detail": detail,
        "analysed_at": uow.now(),
        "analysed_by": uow.actor,
    }
    existing: list[AnalysisResultView] = uow.find("result", hypothesis_id=item.hypothesis.id)
    code = item.hypothesis.code
    if existing:
        previous = existing[0]
        same_inputs = (
            previous.input_hash == result.input_hash
            and previous.engine_version == result.engine_version
            and previous.hypothesis_rev == item.hypothesis.rev
            and previous.dataset_id == item.dataset_id
            and previous.detail.get("post_hoc") == detail.get("post_hoc")
        )
        if same_inputs:
            return previous  # the same inputs give the same numbers: nothing new to record
        stored: AnalysisResultView = uow.update(
            "result",
            previous.id,
            values,
            summary=f"{code} re-analysed: {result.verdict.value}",
            action="analyse",
        )
        return stored
    created: AnalysisResultView = uow.create(
        "result", values, summary=f"{code} analysed: {result.verdict.value}"
    )
    return created


def finite(value: float | None) -> float | None:
    if value is None or value != value or value in (float("inf"), float("-inf")):
        return None
    return value
