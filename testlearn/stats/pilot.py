"""A pilot's set of hypotheses: each analysed, Holm applied across the secondaries.

The primary hypothesis is tested at alpha on its own; secondaries are Holm-adjusted among
themselves and the adjusted p is reported next to the raw one; exploratory results are labelled
and not adjusted. Holm adjusts p-values, not intervals, so the verdict still reads the
unadjusted interval; when adjustment takes a secondary's p above alpha, a warning says so.
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
from testlearn.stats.engine import DEFAULT_RESAMPLES, DEFAULT_SEED, analyse
from testlearn.stats.multiplicity import holm


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
    results: list[AnalysisResult] = []
    for i, (spec, data) in enumerate(hypotheses):

        def part(done: float, i: int = i) -> None:
            if progress is not None:
                progress((i + done) / count)

        results.append(
            analyse(
                spec,
                data,
                seed=seed,
                sensitivity=sensitivity,
                bootstrap_resamples=bootstrap_resamples,
                progress=part,
                should_cancel=should_cancel,
            )
        )
    secondary = [
        i for i, r in enumerate(results) if r.role is Role.SECONDARY and r.p_value is not None
    ]
    adjusted = holm([results[i].p_value for i in secondary])  # type: ignore[misc]
    for i, p_adj in zip(secondary, adjusted, strict=True):
        result = results[i]
        alpha = 1 - result.ci_level
        warnings = result.warnings
        if p_adj >= alpha > (result.p_value or 1.0):
            warnings = (
                *warnings,
                f"After Holm adjustment across {len(secondary)} secondary hypotheses, p = "
                f"{p_adj:.3g} is no longer below {alpha:g}; the interval is unadjusted.",
            )
        results[i] = replace(result, p_adjusted=p_adj, warnings=warnings)
    if progress is not None:
        progress(1.0)
    return PilotAnalysis(results=tuple(results))
