"""The estimate a method hands to the verdict, and the reference distributions it uses.

A `Fit` is what every design x outcome method returns before any verdict is drawn: the estimate
on its natural scale (a difference, or a ratio), its interval and p, its standard error, and a
`statistic_at` function giving the signed test statistic against any null value. The verdict
uses that function for the two one-sided tests, so a score method's equivalence test is a score
test too, not a Wald test in disguise.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from testlearn.domain.analysis import ArmSummary, Estimate, SensitivityResult
from testlearn.stats.distributions import norm_cdf, norm_ppf, norm_sf, t_cdf, t_ppf, t_sf


class NotEvaluable(Exception):
    """Raised inside the engine when an integrity check fails; becomes a not-evaluable result."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Fit:
    """One method's answer, before the verdict.

    Attributes:
        method: the method in words.
        estimand: what the estimate is.
        ratio: True when the estimate is a ratio (verdicts are then read on the log scale).
        estimate: on the natural scale (difference, or ratio).
        ci_low: lower bound of the (1 - alpha) interval, natural scale.
        ci_high: upper bound.
        p_value: two-sided p against no effect.
        se: standard error of the estimate (of its log for ratios), used for the achieved MDE.
        df: degrees of freedom of the reference t distribution; None for the normal.
        statistic_at: signed test statistic against a null value on the natural scale,
            increasing in (estimate - null); referred to t(df) or the normal.
        arms: per-arm summaries.
        n_pilot: units analysed on the pilot (or after) side.
        n_comparator: units on the comparator (or before) side.
        clustering: how clustering was handled, in words; "none" when it was not.
        clusters_per_arm: clusters observed per arm, where known.
        warnings: method-specific warnings.
        extra_estimates: further estimates to show.
        sensitivity: sensitivity analyses already computed by the method.
    """

    method: str
    estimand: str
    ratio: bool
    estimate: float
    ci_low: float
    ci_high: float
    p_value: float
    se: float
    df: float | None
    statistic_at: Callable[[float], float]
    arms: tuple[ArmSummary, ...]
    n_pilot: float | None
    n_comparator: float | None
    clustering: str = "none"
    clusters_per_arm: tuple[int, ...] | None = None
    warnings: tuple[str, ...] = ()
    extra_estimates: tuple[Estimate, ...] = ()
    sensitivity: tuple[SensitivityResult, ...] = ()


def critical(alpha: float, df: float | None) -> float:
    """Two-sided critical value of t(df) or the normal."""
    if df is None:
        return norm_ppf(1 - alpha / 2)
    return t_ppf(1 - alpha / 2, df)


def cdf(statistic: float, df: float | None) -> float:
    """Lower-tail probability of the reference distribution."""
    if df is None:
        return norm_cdf(statistic)
    return t_cdf(statistic, df)


def two_sided_p(statistic: float, df: float | None) -> float:
    """Two-sided p of a signed statistic."""
    if math.isnan(statistic):
        return float("nan")
    tail = norm_sf(abs(statistic)) if df is None else t_sf(abs(statistic), df)
    return float(min(1.0, 2 * tail))


def wald_fit(
    *,
    method: str,
    estimand: str,
    estimate: float,
    se: float,
    df: float | None,
    alpha: float,
    arms: tuple[ArmSummary, ...],
    n_pilot: float | None,
    n_comparator: float | None,
    ratio: bool = False,
    **extra: object,
) -> Fit:
    """A Wald (or t) fit: estimate +/- critical x SE, on the log scale for ratios.

    Raises:
        NotEvaluable: when the standard error is zero or not finite, since an interval of
            width zero would be a silent fallback, not an answer.
    """
    if not (math.isfinite(se) and se > 0):
        raise NotEvaluable(
            "the standard error is zero or cannot be computed, so there is no interval "
            "(the data have no variation where the method needs it)"
        )
    centre = math.log(estimate) if ratio else estimate
    crit = critical(alpha, df)
    low, high = centre - crit * se, centre + crit * se

    def statistic_at(null: float) -> float:
        return (centre - (math.log(null) if ratio else null)) / se

    return Fit(
        method=method,
        estimand=estimand,
        ratio=ratio,
        estimate=estimate,
        ci_low=math.exp(low) if ratio else low,
        ci_high=math.exp(high) if ratio else high,
        p_value=two_sided_p(statistic_at(1.0 if ratio else 0.0), df),
        se=se,
        df=df,
        statistic_at=statistic_at,
        arms=arms,
        n_pilot=n_pilot,
        n_comparator=n_comparator,
        **extra,  # type: ignore[arg-type]
    )
