"""Score statistics and the intervals got by inverting them.

Each statistic is written as a function of the null value, using the restricted maximum
likelihood estimates under that null (closed forms, checked in the tests against a direct
numerical maximisation of the constrained likelihood). The interval is the set of null values
the two-sided score test does not reject, found by root-finding on each side of the estimate;
an end that never reaches the critical value (a zero cell) is the parameter's bound itself
(0 or infinity for a ratio, -1 or 1 for a difference), never a made-up number.

Why not statsmodels' `confint_proportions_2indep(method="score")`: its restricted estimate for
a difference has `count0` where `nobs0` belongs in the cubic's linear coefficient
(statsmodels/statsmodels#10269, fix proposed in #10270), so for 7/34 against 1/34 it gives
0.02732 to 0.34343 where R's `PropCIs::diffscoreci` gives 0.02704 to 0.34529. Its Koopman
ratio interval (`compare="ratio"`, `correction=False`) agrees with this one to 1e-14 and its
Poisson score interval (`confint_poisson_2indep`) to 1e-9, its root-finder's tolerance; they
stay here beside the difference because the equivalence test needs each statistic as a
function of the null, and a binary or count analysis should not wait half a second for
statsmodels (and the pandas it imports) to load.

References:
    Miettinen O, Nurminen M (1985) Comparative analysis of two rates. Stat Med 4:213-226.
    Koopman PAR (1984) Confidence intervals for the ratio of two binomial proportions.
        Biometrics 40:513-517.
    Fagerland MW, Lydersen S, Laake P (2015) Recommended confidence intervals for two
        independent binomial proportions. Stat Methods Med Res 24:224-254.
    Gu K, Ng HKT, Tang ML, Schucany WR (2008) Testing the ratio of two Poisson rates.
        Biometrical Journal 50:283-298.
    Wilson EB (1927) Probable inference... JASA 22:209-212.
    Tango T (1998) Equivalence test and confidence interval for the difference in
        proportions for the paired-sample design. Stat Med 17:891-908.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from testlearn.stats.roots import bracketed_root

_EDGE = 1e-12


def mn_restricted(x1: float, n1: float, x2: float, n2: float, delta: float) -> tuple[float, float]:
    """Restricted MLEs (p1, p2) of two binomials under p1 - p2 = delta (closed-form cubic root)."""
    p1_hat, p2_hat = x1 / n1, x2 / n2
    theta = n2 / n1
    a = 1 + theta
    b = -(1 + theta + p1_hat + theta * p2_hat + delta * (theta + 2))
    c = delta**2 + delta * (2 * p1_hat + theta + 1) + p1_hat + theta * p2_hat
    d = -p1_hat * delta * (1 + delta)
    v = b**3 / (27 * a**3) - b * c / (6 * a**2) + d / (2 * a)
    u_sq = b**2 / (9 * a**2) - c / (3 * a)
    u = math.copysign(math.sqrt(max(u_sq, 0.0)), v)
    if u == 0:
        p1 = -b / (3 * a)
    else:
        w = (math.pi + math.acos(max(-1.0, min(1.0, v / u**3)))) / 3
        p1 = 2 * u * math.cos(w) - b / (3 * a)
    p1 = min(1.0, max(0.0, p1))
    p2 = min(1.0, max(0.0, p1 - delta))
    return p1, p2


def mn_statistic(x1: float, n1: float, x2: float, n2: float, delta: float) -> float:
    """Miettinen-Nurminen score statistic for H0: p1 - p2 = delta, with the N/(N-1) factor."""
    p1, p2 = mn_restricted(x1, n1, x2, n2, delta)
    total = n1 + n2
    var = (p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2) * total / (total - 1)
    return _ratio_or_limit(x1 / n1 - x2 / n2 - delta, var)


def koopman_restricted(
    x1: float, n1: float, x2: float, n2: float, phi: float
) -> tuple[float, float]:
    """Restricted MLEs (p1, p2) under p1 = phi * p2 (root of a quadratic)."""
    big_n = n1 + n2
    a = phi * big_n
    b = -(phi * n1 + x1 + n2 + phi * x2)
    c = x1 + x2
    disc = max(b * b - 4 * a * c, 0.0)
    # The smaller root, written as 2c / (-b + sqrt(disc)): b < 0, so no cancellation when
    # phi is tiny (the textbook form loses every digit there).
    p2 = 2 * c / (-b + math.sqrt(disc)) if c > 0 else 0.0
    p2 = min(1.0, max(0.0, p2))
    return min(1.0, phi * p2), p2


def koopman_statistic(x1: float, n1: float, x2: float, n2: float, phi: float) -> float:
    """Koopman asymptotic score statistic for H0: p1 / p2 = phi."""
    p1, p2 = koopman_restricted(x1, n1, x2, n2, phi)
    var = p1 * (1 - p1) / n1 + phi**2 * p2 * (1 - p2) / n2
    return _ratio_or_limit(x1 / n1 - phi * x2 / n2, var)


def rate_ratio_statistic(e1: float, t1: float, e0: float, t0: float, ratio: float) -> float:
    """Score statistic for H0: (e1/t1) / (e0/t0) = ratio (Gu et al. 2008, their W3).

    Under the null, conditional on the total, e1 is binomial with p = r / (1 + r) where
    r = ratio * t1 / t0, and the unconditional score statistic equals the conditional one.
    """
    r = ratio * t1 / t0
    return _ratio_or_limit(e1 - e0 * r, (e1 + e0) * r)


def wilson_statistic(x: float, n: float, p0: float) -> float:
    """Score statistic for one proportion, H0: p = p0."""
    return _ratio_or_limit(x / n - p0, p0 * (1 - p0) / n)


def tango_statistic(b: float, c: float, n: float, delta: float) -> float:
    """Tango's score statistic for paired proportions, H0: p_pilot - p_comparator = delta.

    b: pairs where only the pilot member had the outcome; c: only the comparator member.
    """
    a_ = 2 * n
    b_ = -b - c + (2 * n - b + c) * delta
    c_ = -c * delta * (1 - delta)
    disc = max(b_ * b_ - 4 * a_ * c_, 0.0)
    q21 = (math.sqrt(disc) - b_) / (2 * a_)
    var = n * (2 * q21 + delta * (1 - delta))
    return _ratio_or_limit(b - c - n * delta, var * 1.0)


def _ratio_or_limit(numerator: float, variance: float) -> float:
    """numerator / sqrt(variance), with the limits the score test takes at a zero variance."""
    if variance > 0:
        return numerator / math.sqrt(variance)
    if numerator == 0:
        return 0.0
    return math.copysign(math.inf, numerator)


def invert(
    statistic: Callable[[float], float],
    estimate: float,
    lower_bound: float,
    upper_bound: float,
    crit: float,
    *,
    log_scale: bool = False,
) -> tuple[float, float]:
    """Interval of null values where |statistic| <= crit.

    `statistic(null)` must decrease in `null` and cross zero at `estimate`. On the log scale the
    bounds are of the ratio (0, inf) and the search runs on log(null).
    """

    def f(x: float) -> float:
        return statistic(math.exp(x) if log_scale else x)

    if log_scale:
        lo_end, hi_end = -50.0, 50.0  # ratios of e^-50 and e^50: beyond any real data
        if estimate <= 0:
            centre_low, centre_high = None, lo_end
        elif math.isinf(estimate):
            centre_low, centre_high = hi_end, None
        else:
            centre_low = centre_high = math.log(estimate)
    else:
        lo_end, hi_end = lower_bound + _EDGE, upper_bound - _EDGE
        centre_low = centre_high = min(max(estimate, lo_end), hi_end)
    low = None if centre_low is None else _root(f, crit, lo_end, centre_low)
    high = None if centre_high is None else _root(f, -crit, centre_high, hi_end)
    if log_scale:
        return (
            0.0 if low is None else math.exp(low),
            math.inf if high is None else math.exp(high),
        )
    return (lower_bound if low is None else low, upper_bound if high is None else high)


def _root(f: Callable[[float], float], target: float, a: float, b: float) -> float | None:
    """Where f (decreasing) equals target on [a, b]; None when it never does (an open end)."""
    if b <= a:
        return None
    fa, fb = f(a) - target, f(b) - target
    if fa == 0:
        return a
    if fb == 0:
        return b
    if (fa > 0) == (fb > 0):
        return None
    return bracketed_root(lambda x: f(x) - target, a, b, xtol=1e-14, rtol=1e-14)
