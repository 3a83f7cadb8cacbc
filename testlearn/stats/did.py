"""Difference-in-differences from the 2 x 2 of cell summaries (Wald).

* continuous: (pilot after - before) - (comparator after - before) of the means; SE from the four
  cell variances, t with Satterthwaite df (the Welch idea for four means; it equals the OLS
  interaction with HC2 errors and tends to the normal as the cells grow).
* binary: the same on proportions, Wald SE sqrt(sum p(1-p)/n), normal.
* count: the ratio of the two rate ratios, Wald on the log scale, SE sqrt(sum 1/events).

Clustered unit rows go to `cluster_robust.clustered_contrast` instead.
"""

from __future__ import annotations

import math

from testlearn.domain.analysis import ArmSummary, OutcomeType
from testlearn.stats.fit import Fit, NotEvaluable, wald_fit
from testlearn.stats.inputs import Cell
from testlearn.stats.t_tests import satterthwaite

# (pilot after, pilot before, comparator after, comparator before)
SIGNS = (1.0, -1.0, -1.0, 1.0)
NAMES = (
    "pilot arm after",
    "pilot arm before",
    "comparator arm after",
    "comparator arm before",
)


def did(
    cells: tuple[Cell, Cell, Cell, Cell],
    outcome: OutcomeType,
    alpha: float,
    *,
    arms: tuple[ArmSummary, ...],
    method_note: str = "",
) -> Fit:
    """The difference in differences (or ratio of rate ratios) of four cells.

    Args:
        cells: pilot after, pilot before, comparator after, comparator before.
        outcome: the outcome type.
        alpha: for the (1 - alpha) interval.
        arms: summaries to carry.
        method_note: e.g. the design effect applied.
    """
    for cell, name in zip(cells, NAMES, strict=True):
        if not (cell.n_raw > 0 or cell.exposure > 0):
            raise NotEvaluable(f"the {name} has no data")
    n_pilot = cells[0].n_raw
    n_comparator = cells[2].n_raw
    common = {"alpha": alpha, "arms": arms, "n_pilot": n_pilot, "n_comparator": n_comparator}
    if outcome is OutcomeType.CONTINUOUS:
        parts = []
        for cell, name in zip(cells, NAMES, strict=True):
            if not cell.n >= 2:
                raise NotEvaluable(f"the {name} has fewer than 2 units")
            if not cell.var > 0:
                raise NotEvaluable(f"every value in the {name} is the same (check the data)")
            parts.append((cell.var / cell.n, cell.n - 1))
        estimate = sum(s * c.mean for s, c in zip(SIGNS, cells, strict=True))
        se, df = satterthwaite(parts)
        return wald_fit(
            method="difference in differences of means, Wald with Satterthwaite df" + method_note,
            estimand="difference in differences of means: (pilot after - before) - "
            "(comparator after - before)",
            estimate=estimate,
            se=se,
            df=df if math.isfinite(df) else None,
            **common,  # type: ignore[arg-type]
        )
    if outcome is OutcomeType.BINARY:
        props = [c.successes / c.n for c in cells]
        estimate = sum(s * p for s, p in zip(SIGNS, props, strict=True))
        var = sum(p * (1 - p) / c.n for p, c in zip(props, cells, strict=True))
        return wald_fit(
            method="difference in differences of proportions, Wald" + method_note,
            estimand="difference in differences of proportions: (pilot after - before) - "
            "(comparator after - before)",
            estimate=estimate,
            se=math.sqrt(var),
            df=None,
            **common,  # type: ignore[arg-type]
        )
    for cell, name in zip(cells, NAMES, strict=True):
        if not cell.events > 0:
            raise NotEvaluable(
                f"the {name} had no events, so the ratio of rate ratios does not exist"
            )
    log_ratio = sum(s * math.log(c.events / c.exposure) for s, c in zip(SIGNS, cells, strict=True))
    return wald_fit(
        method="ratio of rate ratios, Wald on the log scale" + method_note,
        estimand="ratio of rate ratios: (pilot after / before) / (comparator after / before)",
        estimate=math.exp(log_ratio),
        se=math.sqrt(sum(1 / c.events for c in cells)),
        df=None,
        ratio=True,
        **common,  # type: ignore[arg-type]
    )
