"""The pilot against a fixed status-quo value.

* continuous: one-sample t; estimate = pilot mean - benchmark.
* binary: Wilson score interval for the proportion (shifted by the benchmark), exact binomial p
  (R `binom.test`: two-sided by the likelihood ordering); estimate = proportion - benchmark.
* count: exact Poisson (Garwood) interval for the rate, divided by the benchmark; exact p by the
  likelihood ordering (R `poisson.test`); estimate = rate / benchmark.

With a design effect the counts are no longer whole numbers and the exact p gives way to the
score test, which the method text then says.
"""

from __future__ import annotations

import math

import numpy as np

from testlearn.domain.analysis import ArmSummary, OutcomeType
from testlearn.stats.fit import Fit, NotEvaluable, critical, two_sided_p, wald_fit
from testlearn.stats.inputs import Cell
from testlearn.stats.score_intervals import invert, wilson_statistic
from testlearn.stats.t_tests import one_sample

_REL_ERR = 1 + 1e-7  # R's tolerance for ties in the likelihood ordering


def exact_poisson_p(events: int, expected: float) -> float:
    """Two-sided exact Poisson p (sum of probabilities no larger than that observed)."""
    from scipy import stats as sps  # imported when needed: see stats/distributions.py

    if expected <= 0:
        return 1.0 if events == 0 else 0.0
    spread = max(events, expected, 1.0)
    top = math.ceil(max(events, expected) + 40 * math.sqrt(spread) + 40)
    k = np.arange(top + 1)
    pmf = sps.poisson.pmf(k, expected)
    observed = sps.poisson.pmf(events, expected)
    return float(min(1.0, pmf[pmf <= observed * _REL_ERR].sum()))


def garwood(events: float, exposure: float, alpha: float) -> tuple[float, float]:
    """Exact (Garwood) interval for a Poisson rate."""
    from scipy import stats as sps  # imported when needed: see stats/distributions.py

    low = 0.0 if events == 0 else sps.chi2.ppf(alpha / 2, 2 * events) / 2
    high = sps.chi2.ppf(1 - alpha / 2, 2 * events + 2) / 2
    return float(low / exposure), float(high / exposure)


def benchmark(
    cell: Cell, value: float, outcome: OutcomeType, alpha: float, *, arms: tuple[ArmSummary, ...]
) -> Fit:
    """Compare the pilot cell with the benchmark value."""
    if not (cell.n_raw > 0 or cell.exposure > 0):
        raise NotEvaluable("the pilot arm has no data")
    whole = cell.design_effect == 1.0
    common = {"arms": arms, "n_pilot": cell.n_raw, "n_comparator": None}
    if outcome is OutcomeType.CONTINUOUS:
        se, df = one_sample(cell.mean, cell.var, cell.n)
        return wald_fit(
            method="one-sample t-test against the benchmark",
            estimand="pilot mean minus the benchmark value",
            estimate=cell.mean - value,
            se=se,
            df=df,
            alpha=alpha,
            **common,  # type: ignore[arg-type]
        )
    crit = critical(alpha, None)
    if outcome is OutcomeType.BINARY:
        if not 0 < value < 1:
            raise NotEvaluable("a benchmark proportion must lie strictly between 0 and 1")
        x, n = cell.successes, cell.n
        p = x / n

        def statistic_at(delta: float) -> float:
            return wilson_statistic(x, n, value + delta)

        low, high = invert(statistic_at, p - value, -value, 1 - value, crit)
        if whole:
            from scipy import stats as sps  # imported when needed: stats/distributions.py

            p_value = float(sps.binomtest(round(x), round(n), value).pvalue)
            method = "Wilson score interval, exact binomial test"
        else:
            p_value = two_sided_p(statistic_at(0.0), None)
            method = "Wilson score interval and score test on effective counts"
        se = math.sqrt(max(p * (1 - p), value * (1 - value)) / n)
        return Fit(
            method=method,
            estimand="pilot proportion minus the benchmark proportion",
            ratio=False,
            estimate=p - value,
            ci_low=low,
            ci_high=high,
            p_value=p_value,
            se=se,
            df=None,
            statistic_at=statistic_at,
            **common,  # type: ignore[arg-type]
        )
    if not value > 0:
        raise NotEvaluable("a benchmark rate must be above 0")
    events, exposure = cell.events, cell.exposure
    low, high = garwood(events, exposure, alpha)
    expected_at = exposure * value

    def rate_statistic(ratio: float) -> float:
        mean = expected_at * ratio
        return (events - mean) / math.sqrt(mean)

    if whole:
        p_value = exact_poisson_p(round(events), expected_at)
        method = "exact Poisson interval (Garwood) and exact Poisson test"
    else:
        p_value = two_sided_p(rate_statistic(1.0), None)
        method = "exact Poisson interval (Garwood) and score test on effective counts"
    return Fit(
        method=method,
        estimand="pilot rate over the benchmark rate",
        ratio=True,
        estimate=events / exposure / value,
        ci_low=low / value,
        ci_high=high / value,
        p_value=p_value,
        se=1 / math.sqrt(events) if events > 0 else math.inf,
        df=None,
        statistic_at=rate_statistic,
        **common,  # type: ignore[arg-type]
    )


def against_benchmark(fit: Fit, value: float, outcome: OutcomeType, alpha: float) -> Fit:
    """A clustered mean (or rate) turned into its comparison with the benchmark."""
    ratio = outcome is OutcomeType.COUNT
    if ratio and not value > 0:
        raise NotEvaluable("a benchmark rate must be above 0")
    kind = {"continuous": "mean", "binary": "proportion", "count": "rate"}[outcome.value]
    return wald_fit(
        method=fit.method,
        estimand=f"pilot {kind} {'over' if ratio else 'minus'} the benchmark",
        estimate=fit.estimate / value if ratio else fit.estimate - value,
        se=fit.se,
        df=fit.df,
        alpha=alpha,
        arms=fit.arms,
        n_pilot=fit.n_pilot,
        n_comparator=None,
        ratio=ratio,
        clustering=fit.clustering,
        clusters_per_arm=fit.clusters_per_arm,
    )
