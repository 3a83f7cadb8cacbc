"""A pilot's set of hypotheses: each analysed, Holm applied across the secondaries.

The primary hypothesis is tested at alpha on its own; secondaries are the confirmatory family,
Holm-adjusted among themselves, with the adjusted p reported next to the raw one; exploratory
results are labelled exploratory and not adjusted. Holm adjusts p-values, not intervals: a
secondary's verdict uses the adjusted decision (no success or harm unless the adjusted p is
below alpha) while its interval stays unadjusted, and its sentence and a warning say so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from testlearn.domain.analysis import (
    AggregateData,
    AnalysisResult,
    HypothesisSpec,
    PilotAnalysis,
    Role,
    UnitData,
)
from testlearn.stats.bootstrap import Cancel, Progress
from testlearn.stats.engine import DEFAULT_RESAMPLES, DEFAULT_SEED, finish, prepare
from testlearn.stats.multiplicity import Adjustment, holm


def analyse_pilot(
    hypotheses: Sequence[tuple[HypothesisSpec, UnitData | AggregateData]],
    *,
    seed: int = DEFAULT_SEED,
    sensitivity: bool = True,
    bootstrap_resamples: int = DEFAULT_RESAMPLES,
    progress: Progress | None = None,
    should_cancel: Cancel | None = None,
) -> PilotAnalysis:
    """Analyse every hypothesis of one pilot, in the order given.

    Args:
        hypotheses: (spec, data) pairs.
        seed: bootstrap seed, shared by all hypotheses.
        sensitivity: run the sensitivity analyses.
        bootstrap_resamples: bootstrap resamples per hypothesis.
        progress: fraction done over the whole pilot.
        should_cancel: polled during long steps.
    """
    count = max(1, len(hypotheses))
    prepared = [prepare(spec, data, seed=seed) for spec, data in hypotheses]
    # Holm needs every secondary's p before any secondary's verdict can be drawn.
    secondary = [
        i
        for i, item in enumerate(prepared)
        if item.spec.role is Role.SECONDARY and item.p_value is not None
    ]
    adjusted = holm([prepared[i].p_value for i in secondary])  # type: ignore[misc]
    adjustments = {
        i: Adjustment(p_adj, len(secondary)) for i, p_adj in zip(secondary, adjusted, strict=True)
    }
    results: list[AnalysisResult] = []
    for i, item in enumerate(prepared):

        def part(done: float, i: int = i) -> None:
            if progress is not None:
                progress((i + done) / count)

        result = finish(
            item,
            adjustment=adjustments.get(i),
            sensitivity=sensitivity,
            bootstrap_resamples=bootstrap_resamples,
            progress=part,
            should_cancel=should_cancel,
        )
        adjustment = adjustments.get(i)
        alpha = item.spec.alpha
        if adjustment is not None and adjustment.p_adjusted >= alpha > (result.p_value or 1.0):
            result = replace(
                result,
                warnings=(
                    *result.warnings,
                    f"After Holm adjustment across {adjustment.family} secondary hypotheses, "
                    f"p = {adjustment.p_adjusted:.3g} is no longer below {alpha:g}: the "
                    "verdict uses the adjusted decision, so the unadjusted interval's "
                    "exclusion of no effect is not claimed.",
                ),
            )
        results.append(result)
    if progress is not None:
        progress(1.0)
    return PilotAnalysis(results=tuple(results))
