"""Paired designs: the same unit measured twice (pilot and comparator condition, or after and
before).

* continuous: paired t on the within-unit differences.
* binary: difference of the paired proportions, (b - c) / n, with Tango's score interval; its
  score test at zero is McNemar's test without continuity correction, (b - c) / sqrt(b + c).

Pairs are made from the `unit` column; units seen on one side only are left out and counted in
a warning.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from testlearn.domain.analysis import ArmSummary, OutcomeType
from testlearn.stats.fit import Fit, NotEvaluable, critical, two_sided_p, wald_fit
from testlearn.stats.inputs import BoolArray, Units
from testlearn.stats.score_intervals import invert, tango_statistic
from testlearn.stats.t_tests import one_sample

FloatArray = NDArray[np.float64]


def pair_values(units: Units, first: BoolArray) -> tuple[FloatArray, FloatArray, int]:
    """Values of complete pairs (first side, second side) and the number of unpaired units.

    Raises:
        NotEvaluable: no unit ids, or a unit appearing twice on one side.
    """
    if units.unit is None:
        raise NotEvaluable("a paired analysis needs the unit column to match the pairs")
    codes = units.unit
    size = int(codes.max()) + 1
    sides = []
    for rows in (first, ~first):
        counts = np.bincount(codes[rows], minlength=size)
        if (counts > 1).any():
            raise NotEvaluable(
                "a unit appears more than once on the same side of the pair, so the pairs "
                "are ambiguous"
            )
        values = np.full(size, np.nan)
        values[codes[rows]] = units.value[rows]
        sides.append(values)
    complete = ~np.isnan(sides[0]) & ~np.isnan(sides[1])
    seen = ~np.isnan(sides[0]) | ~np.isnan(sides[1])
    return sides[0][complete], sides[1][complete], int(seen.sum() - complete.sum())


def paired(
    a: FloatArray,
    b: FloatArray,
    outcome: OutcomeType,
    alpha: float,
    *,
    names: tuple[str, str],
    arms: tuple[ArmSummary, ...],
    unpaired: int,
) -> Fit:
    """Paired t (continuous) or McNemar / Tango (binary) on complete pairs a (first), b."""
    n = int(a.shape[0])
    warnings: tuple[str, ...] = ()
    if unpaired:
        warnings = (f"{unpaired} units had no partner measurement and were left out.",)
    common = {"arms": arms, "n_pilot": float(n), "n_comparator": float(n), "warnings": warnings}
    if outcome is OutcomeType.CONTINUOUS:
        diff = a - b
        mean = float(diff.mean()) if n else float("nan")
        var = float(diff.var(ddof=1)) if n > 1 else float("nan")
        se, df = one_sample(mean, var, n)
        return wald_fit(
            method="paired t-test",
            estimand=f"mean within-pair difference, {names[0]} minus {names[1]}",
            estimate=mean,
            se=se,
            df=df,
            alpha=alpha,
            **common,  # type: ignore[arg-type]
        )
    if outcome is not OutcomeType.BINARY:
        raise NotEvaluable("the contract has no paired method for counts")
    if n == 0:
        raise NotEvaluable("there are no complete pairs")
    only_first = float(((a == 1) & (b == 0)).sum())
    only_second = float(((a == 0) & (b == 1)).sum())
    if only_first + only_second == 0:
        raise NotEvaluable(
            "no pair differed between the two conditions, so McNemar's test has nothing to test"
        )

    def statistic_at(delta: float) -> float:
        return tango_statistic(only_first, only_second, n, delta)

    estimate = (only_first - only_second) / n
    low, high = invert(statistic_at, estimate, -1.0, 1.0, critical(alpha, None))
    p1, p2 = float(a.mean()), float(b.mean())
    # Wald SE of a paired difference, for the achieved MDE only.
    se = float(np.sqrt(max((only_first + only_second) / n - estimate**2, 0.0) / n))
    return Fit(
        method="McNemar test with Tango score interval",
        estimand=f"difference in paired proportions, {names[0]} minus {names[1]}",
        ratio=False,
        estimate=estimate,
        ci_low=low,
        ci_high=high,
        p_value=two_sided_p(statistic_at(0.0), None),
        se=se if se > 0 else float(np.sqrt((p1 * (1 - p1) + p2 * (1 - p2)) / n)),
        df=None,
        statistic_at=statistic_at,
        **common,  # type: ignore[arg-type]
    )
