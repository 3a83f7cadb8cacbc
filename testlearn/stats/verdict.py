"""The verdict of the statistics contract, section 3.

The effect is oriented so that positive means benefit (the sign flips when benefit is a decrease;
ratios are read on the log scale). A threshold of X% for a ratio is the ratio 1 + X/100 in the
direction of benefit when benefit is an increase and 1 - X/100 when it is a decrease; a harm
margin of Y% likewise in the other direction. Then, with (low, high) the oriented headline
interval, b the benefit threshold and h the harm margin:

    success               low > 0            graded: meaningful low >= b, trivial high < b,
                                                     otherwise size uncertain
    harm                  high < 0           graded: meaningful high <= -h, trivial low > -h,
                                                     otherwise size uncertain
    no meaningful effect  -h < low <= 0 <= high < b
    non-inferior          low > -h, 0 inside, high >= b
    inconclusive          anything else (low <= -h and 0 inside)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from testlearn.domain.analysis import Direction, Grade, HypothesisSpec, Verdict
from testlearn.stats.distributions import norm_ppf, t_ppf
from testlearn.stats.fit import Fit, cdf

POWER = 0.8


@dataclass(frozen=True)
class Oriented:
    """The headline on the oriented scale (positive = benefit; log scale for ratios)."""

    estimate: float
    low: float
    high: float
    benefit: float
    harm: float


def _log(value: float) -> float:
    return -math.inf if value <= 0 else math.log(value)


def margins(spec: HypothesisSpec, ratio: bool) -> tuple[float, float]:
    """(benefit threshold, harm margin) on the oriented scale."""
    b, h = spec.benefit_threshold, spec.effective_harm_margin
    if not ratio:
        return b, h
    if spec.direction is Direction.INCREASE:
        return math.log1p(b / 100), -math.log1p(-h / 100)
    return -math.log1p(-b / 100), math.log1p(h / 100)


def null_values(spec: HypothesisSpec, ratio: bool) -> tuple[float, float]:
    """(harm boundary, benefit boundary) on the natural scale of the estimate."""
    b, h = spec.benefit_threshold, spec.effective_harm_margin
    increase = spec.direction is Direction.INCREASE
    if ratio:
        return (1 - h / 100, 1 + b / 100) if increase else (1 + h / 100, 1 - b / 100)
    return (-h, b) if increase else (h, -b)


def orient(fit: Fit, spec: HypothesisSpec) -> Oriented:
    """The fit's estimate and interval on the oriented scale."""
    sign = 1.0 if spec.direction is Direction.INCREASE else -1.0
    to_scale = _log if fit.ratio else float
    est, low, high = (sign * to_scale(v) for v in (fit.estimate, fit.ci_low, fit.ci_high))
    if sign < 0:
        low, high = high, low
    benefit, harm = margins(spec, fit.ratio)
    return Oriented(est, low, high, benefit, harm)


def decide(low: float, high: float, benefit: float, harm: float) -> tuple[Verdict, Grade | None]:
    """The verdict and grade for an oriented interval (see the module docstring)."""
    if low > 0:
        if low >= benefit:
            return Verdict.SUCCESS, Grade.MEANINGFUL
        if high < benefit:
            return Verdict.SUCCESS, Grade.TRIVIAL
        return Verdict.SUCCESS, Grade.SIZE_UNCERTAIN
    if high < 0:
        if high <= -harm:
            return Verdict.HARM, Grade.MEANINGFUL
        if low > -harm:
            return Verdict.HARM, Grade.TRIVIAL
        return Verdict.HARM, Grade.SIZE_UNCERTAIN
    if -harm < low and high < benefit:
        return Verdict.NO_MEANINGFUL_EFFECT, None
    if low > -harm and high >= benefit:
        return Verdict.NON_INFERIOR, None
    return Verdict.INCONCLUSIVE, None


def tost_p(fit: Fit, spec: HypothesisSpec) -> float:
    """Two one-sided tests against the harm margin and the benefit threshold: the larger p.

    Each one-sided test uses the fit's own statistic (score statistics stay score statistics).
    Written here rather than taken from statsmodels' `ttost_ind` / `ttost_paired`: those take
    raw observations (statsmodels has no tests from summary statistics,
    statsmodels/statsmodels#1843), while the engine works from cell summaries so that unit
    rows and aggregates agree, and they are t tests only, where the engine's TOST is the
    method's own test (score, cluster-robust, Newey-West). For Welch and paired t it gives
    `ttost_ind(usevar="unequal")` and `ttost_paired` exactly (test_equivalence_and_power.py).
    """
    lower, upper = sorted(null_values(spec, fit.ratio))
    p_above_lower = 1.0 - cdf(fit.statistic_at(lower), fit.df)
    p_below_upper = cdf(fit.statistic_at(upper), fit.df)
    return float(max(p_above_lower, p_below_upper))


def z_sum(alpha: float) -> float:
    """z(1 - alpha/2) + z(0.8)."""
    return norm_ppf(1 - alpha / 2) + norm_ppf(POWER)


def quantile_sum(alpha: float, df: float | None) -> float:
    """t(1 - alpha/2, df) + t(0.8, df) for a t-based method, else z(1 - alpha/2) + z(0.8).

    With few units the z quantiles understate what the interval itself shows: at 2 units an
    arm (df 1.1) t(0.975) is about 10.7, not 1.96, and an MDE from z would sit far inside
    the method's own interval.
    """
    if df is None:
        return z_sum(alpha)
    return t_ppf(1 - alpha / 2, df) + t_ppf(POWER, df)


def to_threshold_units(oriented_size: float, spec: HypothesisSpec, ratio: bool) -> float:
    """An oriented effect size in the units thresholds are given in (per cent for ratios)."""
    if not ratio:
        return oriented_size
    if spec.direction is Direction.INCREASE:
        return math.expm1(oriented_size) * 100
    return -math.expm1(-oriented_size) * 100


def achieved_mde(fit: Fit, spec: HypothesisSpec) -> float | None:
    """(q(1-alpha/2) + q(0.8)) x SE in threshold units, q the method's own reference
    distribution (t at its df, else the normal); None when the SE is infinite."""
    if not math.isfinite(fit.se):
        return None
    return to_threshold_units(quantile_sum(spec.alpha, fit.df) * fit.se, spec, fit.ratio)
