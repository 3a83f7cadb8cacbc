"""Welch's two-sample t and the one-sample t, from summary statistics.

Working from (n, mean, variance) rather than from raw values is what lets unit rows and
aggregates give the same answer. Welch is written out rather than taken from
`scipy.stats.ttest_ind`, whose default is the pooled variance (equal_var=True), which the
contract rules out, and statsmodels' t tests take raw observations only (no tests from summary
statistics: statsmodels/statsmodels#1843); the result matches R's `t.test(var.equal = FALSE)`.
"""

from __future__ import annotations

import math

from testlearn.stats.fit import NotEvaluable


def welch(
    mean1: float, var1: float, n1: float, mean2: float, var2: float, n2: float
) -> tuple[float, float, float]:
    """Difference in means (1 - 2), its standard error and the Welch-Satterthwaite df.

    Raises:
        NotEvaluable: an arm has fewer than two units, or no variation.
    """
    for n, var, name in ((n1, var1, "first"), (n2, var2, "second")):
        if not n >= 2:
            raise NotEvaluable(f"the {name} group has fewer than 2 units")
        if not (math.isfinite(var) and var > 0):
            raise NotEvaluable(
                f"every value in the {name} group is the same, so its spread cannot be "
                "estimated (check the data)"
            )
    a, b = var1 / n1, var2 / n2
    se = math.sqrt(a + b)
    df = (a + b) ** 2 / (a * a / (n1 - 1) + b * b / (n2 - 1))
    return mean1 - mean2, se, df


def one_sample(mean: float, var: float, n: float) -> tuple[float, float]:
    """Standard error and df of a mean.

    Raises:
        NotEvaluable: fewer than two units, or no variation.
    """
    if not n >= 2:
        raise NotEvaluable("fewer than 2 units were analysed")
    if not (math.isfinite(var) and var > 0):
        raise NotEvaluable(
            "every value is the same, so the spread cannot be estimated (check the data)"
        )
    return math.sqrt(var / n), n - 1


def satterthwaite(parts: list[tuple[float, float]]) -> tuple[float, float]:
    """SE and Satterthwaite df of a signed sum of independent means.

    Args:
        parts: (variance of the mean, df) of each term.
    """
    total = sum(v for v, _ in parts)
    denominator = sum(v * v / d for v, d in parts if d > 0)
    return math.sqrt(total), (total * total / denominator if denominator > 0 else math.inf)
