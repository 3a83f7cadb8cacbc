"""What a design x outcome analysis produced before the verdict: the fit and what else to run.

Shared by the unit-row and aggregate paths.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from testlearn.domain.analysis import Design, OutcomeType, SensitivityResult
from testlearn.stats.bootstrap import Cancel, Progress
from testlearn.stats.fit import Fit

SensitivityRun = Callable[[int, int, Progress | None, Cancel | None], tuple[SensitivityResult, ...]]


@dataclass(frozen=True)
class Plan:
    """A fit, the clusters per arm the data show, and the sensitivity analyses to run.

    Attributes:
        fit: the headline fit.
        clusters_known: clusters per arm seen in the data (used or not), else None.
        sensitivity: runs the sensitivity analyses given (resamples, seed, progress, cancel);
            None when there are none for this cell of the table.
        sensitivity_note: why there are none, when that needs saying.
    """

    fit: Fit
    clusters_known: tuple[int, ...] | None = None
    sensitivity: SensitivityRun | None = None
    sensitivity_note: str = ""


def estimand(design: Design, outcome: OutcomeType) -> str:
    """The estimand in words for the two-group and before-after designs."""
    first, second = (
        ("after", "before")
        if design is Design.BEFORE_AFTER
        else (
            "pilot",
            "comparator",
        )
    )
    if outcome is OutcomeType.CONTINUOUS:
        return f"difference in means, {first} minus {second}"
    if outcome is OutcomeType.BINARY:
        return f"difference in proportions, {first} minus {second}"
    return f"rate ratio, {first} over {second}"
