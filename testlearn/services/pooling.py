"""Pooling across pilots for the central team: one random-effects meta-analysis per outcome
measure that two or more pilots registered.

A group is the registered primary and secondary hypotheses with the same outcome type, the
same design family (``testlearn.domain.pooling.DESIGN_FAMILIES``) and the same outcome name
and unit, compared casefolded with whitespace collapsed (``measure_key``). Exploratory
hypotheses are not pooled: they were not registered as confirmatory tests.

Nothing is selected on the verdict: successes, nulls and harms are pooled alike, and each
pilot's own verdict is carried beside the pooled estimate. What is left out is left out for
a reason that has nothing to do with the finding, and is listed with that reason: no result
yet, an out-of-date or not-evaluable result, no standard error, a pilot that fails
verification (the portfolio does not count those either), or a second hypothesis of a pilot
already in the group (two results of one pilot are not independent, so its first usable one,
the primary before the secondaries and then by code, stands for it).
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from testlearn.domain.analysis import Design, OutcomeType, Role
from testlearn.domain.pooling import (
    DESIGN_FAMILIES,
    LOG_RATIO,
    LeftOut,
    PilotEstimate,
    PooledOutcome,
    Pooling,
    measure_key,
    scale_for,
)
from testlearn.domain.results import stale_reason
from testlearn.domain.views import AnalysisResultView, HypothesisView, PilotView
from testlearn.store.database import Database
from testlearn.store.unit_of_work import UnitOfWork

POOLED_ROLES = (Role.PRIMARY.value, Role.SECONDARY.value)
NOT_EVALUABLE = "not_evaluable"


@dataclass
class _Group:
    outcome_type: str
    family: str
    name: str
    unit: str
    included: list[PilotEstimate] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)
    pilots: set[str] = field(default_factory=set)
    directions: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class PoolingRows:
    """What a pooling reads, in one read transaction: the portfolio reads it in its own, so
    that the pooling and the counts beside it are of the same moment."""

    pilots: dict[uuid.UUID, PilotView]
    hypotheses: list[HypothesisView]
    results: dict[uuid.UUID, AnalysisResultView]
    latest: dict[uuid.UUID, uuid.UUID]


def pool_pilots(*, db: Database, failing: Collection[str] | None = None) -> Pooling:
    """Every outcome measure registered by two or more pilots, pooled where two have results.

    ``failing``: references of the pilots that fail verification, when the caller has just
    verified the file (the portfolio does); else the file is verified here.
    """
    if failing is None:
        failing = _failing(db)
    with db.reading() as uow:
        rows = read_pooling(uow)
    return pool_rows(rows, failing=failing)


def read_pooling(uow: UnitOfWork, *, step: Callable[[], None] | None = None) -> PoolingRows:
    """The registered hypotheses a pooling may use, their results and current data.

    ``step`` is called after each read; it may raise to stop (the portfolio's Cancel).
    """
    pilots: dict[uuid.UUID, PilotView] = {p.id: p for p in uow.find("pilot")}
    hypotheses: list[HypothesisView] = [
        h
        for h in uow.find("hypothesis", order_by="code")
        if h.registration_id is not None and h.role in POOLED_ROLES and h.pilot_id in pilots
    ]
    if step is not None:
        step()
    results: dict[uuid.UUID, AnalysisResultView] = {}
    for result in uow.find("result"):
        results.setdefault(result.hypothesis_id, result)  # the first stands, as in a pilot
    if step is not None:
        step()
    latest: dict[uuid.UUID, uuid.UUID] = {}
    for dataset in uow.find("dataset", order_by="imported_at"):
        latest[dataset.hypothesis_id] = dataset.id  # the last import is the current data
    return PoolingRows(pilots, hypotheses, results, latest)


def pool_rows(rows: PoolingRows, *, failing: Collection[str]) -> Pooling:
    """The pooling of what ``read_pooling`` read; ``failing`` as for ``pool_pilots``."""
    from testlearn.stats.meta_analysis import meta_analyse

    pilots, results, latest = rows.pilots, rows.results, rows.latest
    hypotheses = list(rows.hypotheses)
    # Primary first within a pilot, then by code: the order a pilot's results are read in.
    hypotheses.sort(
        key=lambda h: (pilots[h.pilot_id].reference, h.role != Role.PRIMARY.value, h.code)
    )
    groups: dict[tuple[str, str, str, str], _Group] = {}
    for h in hypotheses:
        family = DESIGN_FAMILIES[Design(h.design)]
        key = (h.outcome_type, family, measure_key(h.outcome_name), measure_key(h.outcome_unit))
        group = groups.setdefault(
            key, _Group(h.outcome_type, family, h.outcome_name, h.outcome_unit)
        )
        reference = pilots[h.pilot_id].reference
        result = results.get(h.id)
        # A failing pilot's stored verdict cannot be trusted, so it is not shown either.
        verdict = None if result is None or reference in failing else result.verdict
        group.pilots.add(reference)
        estimate, reason = _estimate(h, result, latest.get(h.id), reference in failing)
        if estimate is None:
            group.left_out.append(LeftOut(reference, h.code, verdict, reason))
            continue
        if any(p.pilot == reference for p in group.included):
            group.left_out.append(
                LeftOut(
                    reference,
                    h.code,
                    verdict,
                    "the pilot is already in this pooling through another hypothesis, and two "
                    "results of one pilot are not independent",
                )
            )
            continue
        group.directions.add(h.direction)
        group.included.append(PilotEstimate(reference, h.code, *estimate))
    outcomes = []
    for group in sorted(
        groups.values(), key=lambda g: (g.outcome_type, g.family, g.name.casefold())
    ):
        if len(group.pilots) < 2:
            continue  # one pilot's measure: its own result is all there is
        analysis = (
            meta_analyse(group.included, scale=scale_for(group.outcome_type))
            if group.included
            else None
        )
        outcomes.append(
            PooledOutcome(
                outcome_type=group.outcome_type,
                design_family=group.family,
                outcome_name=group.name,
                outcome_unit=group.unit,
                analysis=analysis,
                left_out=tuple(group.left_out),
                notes=_notes(group),
            )
        )
    return Pooling(tuple(outcomes))


def _estimate(
    h: HypothesisView,
    result: AnalysisResultView | None,
    dataset_id: uuid.UUID | None,
    fails_verification: bool,
) -> tuple[tuple[Any, ...] | None, str]:
    """The pooling-scale estimate, SE, verdict, n, role, design, the pilot's own interval,
    grade and evidence level (``PilotEstimate``'s fields in order), or why there is none."""
    if fails_verification:
        return None, "the pilot fails verification, so its result is not counted"
    if result is None:
        return None, "not analysed yet"
    stale = stale_reason(result, h, dataset_id)
    if stale is not None:
        return None, f"the stored result is out of date ({stale}); analyse the pilot again"
    if result.verdict == NOT_EVALUABLE or result.estimate is None:
        why = result.detail.get("not_evaluable_reason") or "it has no estimate"
        return None, f"not evaluable: {why}"
    se = result.detail.get("se")
    if not isinstance(se, int | float) or not (math.isfinite(se) and se > 0):
        return None, (
            "the stored result has no standard error to weight it by; analyse the pilot "
            "again with this version"
        )
    estimate = float(result.estimate)
    log_ratio = scale_for(h.outcome_type) == LOG_RATIO
    if log_ratio:
        if not (math.isfinite(estimate) and estimate > 0):
            return None, "the rate ratio is zero or not finite (an arm had no events)"
        estimate = math.log(estimate)
    low, high = (_bound(b, log_ratio) for b in (result.ci_low, result.ci_high))
    counts = [result.detail.get(name) for name in ("n_pilot", "n_comparator")]
    known = [float(c) for c in counts if isinstance(c, int | float)]
    n = sum(known) if known else None
    own = (low, high, result.grade, h.evidence_level)
    return (estimate, float(se), result.verdict, n, h.role, h.design, *own), ""


def _bound(value: float | None, log_ratio: bool) -> float | None:
    """An end of a pilot's own interval on the pooling scale; None where it has no limit."""
    if value is None or not math.isfinite(value):
        return None
    if log_ratio:
        return math.log(value) if value > 0 else None
    return float(value)


def _notes(group: _Group) -> tuple[str, ...]:
    notes = []
    if len(group.directions) > 1:
        notes.append(
            "The pilots registered different directions of benefit for this measure; the "
            "pooled estimate is on the outcome's own scale (pilot minus comparator), "
            "whichever way is better."
        )
    if group.outcome_type == OutcomeType.COUNT.value:
        notes.append(
            "Counts are pooled as log rate ratios; the pooled ratio and its intervals are "
            "the exponentials."
        )
    if len(group.included) < 2:
        notes.append(
            "Fewer than two of these pilots have a usable result, so nothing is pooled yet."
        )
    return tuple(notes)


def _failing(db: Database) -> frozenset[str]:
    """References of the pilots that fail verification; a finding that belongs to no pilot
    (a removed guard, a broken audit chain) concerns them all."""
    from testlearn.services.verification import verify

    findings = verify(db=db).findings
    with db.reading() as uow:
        references = {str(p.id): p.reference for p in uow.find("pilot")}
    if any(not f.pilot_id for f in findings):
        return frozenset(references.values())
    return frozenset(references[f.pilot_id] for f in findings if f.pilot_id in references)
