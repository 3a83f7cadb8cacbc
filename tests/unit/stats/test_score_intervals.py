"""Score intervals against a direct numerical maximisation of the constrained likelihood.

Library score intervals have been caught with wrong restricted estimates and failures on zero
cells, so the closed forms are checked here against scipy.optimize: maximise the likelihood
under the null, form the score statistic from those estimates, and invert it by root-finding.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
from scipy import optimize

from testlearn.stats.score_intervals import (
    invert,
    koopman_restricted,
    koopman_statistic,
    mn_restricted,
    mn_statistic,
    rate_ratio_statistic,
    tango_statistic,
)

Z975 = 1.959963984540054
EPS = 1e-12


def _binom_ll(x: float, n: float, p: float) -> float:
    p = min(max(p, EPS), 1 - EPS)
    return x * math.log(p) + (n - x) * math.log(1 - p)


def _restricted_difference(
    x1: float, n1: float, x2: float, n2: float, delta: float
) -> tuple[float, float]:
    """Maximise the two-binomial likelihood over p2 with p1 = p2 + delta."""
    low, high = max(0.0, -delta), min(1.0, 1.0 - delta)
    fit = optimize.minimize_scalar(
        lambda p2: -(_binom_ll(x1, n1, p2 + delta) + _binom_ll(x2, n2, p2)),
        bounds=(low, high),
        method="bounded",
        options={"xatol": 1e-14},
    )
    return fit.x + delta, fit.x


def _restricted_ratio(
    x1: float, n1: float, x2: float, n2: float, phi: float
) -> tuple[float, float]:
    """Maximise over p2 with p1 = phi * p2."""
    high = min(1.0, 1.0 / phi)
    fit = optimize.minimize_scalar(
        lambda p2: -(_binom_ll(x1, n1, phi * p2) + _binom_ll(x2, n2, p2)),
        bounds=(0.0, high),
        method="bounded",
        options={"xatol": 1e-14},
    )
    return phi * fit.x, fit.x


def _restricted_rates(
    e1: float, t1: float, e0: float, t0: float, ratio: float
) -> tuple[float, float]:
    """Maximise the two-Poisson likelihood over the comparator rate with rate1 = ratio * rate0."""

    def nll(log_rate: float) -> float:
        rate0 = math.exp(log_rate)
        mu1, mu0 = ratio * rate0 * t1, rate0 * t0
        return -(e1 * math.log(mu1) - mu1 + e0 * math.log(mu0) - mu0)

    fit = optimize.minimize_scalar(
        nll, bounds=(-40.0, 10.0), method="bounded", options={"xatol": 1e-13}
    )
    rate0 = math.exp(fit.x)
    return ratio * rate0, rate0


def _numeric_mn(x1: float, n1: float, x2: float, n2: float, delta: float) -> float:
    p1, p2 = _restricted_difference(x1, n1, x2, n2, delta)
    total = n1 + n2
    var = (p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2) * total / (total - 1)
    return (x1 / n1 - x2 / n2 - delta) / math.sqrt(var)


def _numeric_koopman(x1: float, n1: float, x2: float, n2: float, phi: float) -> float:
    p1, p2 = _restricted_ratio(x1, n1, x2, n2, phi)
    var = p1 * (1 - p1) / n1 + phi**2 * p2 * (1 - p2) / n2
    return (x1 / n1 - phi * x2 / n2) / math.sqrt(var)


def _numeric_rates(e1: float, t1: float, e0: float, t0: float, ratio: float) -> float:
    # Score test for log(ratio) with the nuisance rate profiled out: (e1 - mu1) over the square
    # root of the efficient information mu1 mu0 / (mu1 + mu0), all at the restricted MLE.
    rate1, rate0 = _restricted_rates(e1, t1, e0, t0, ratio)
    mu1, mu0 = rate1 * t1, rate0 * t0
    return (e1 - mu1) / math.sqrt(mu1 * mu0 / (mu1 + mu0))


def _numeric_interval(
    stat: Callable[[float], float], estimate: float, low: float, high: float
) -> tuple[float, float]:
    lower = optimize.brentq(lambda d: stat(d) - Z975, low, estimate, xtol=1e-12)
    upper = optimize.brentq(lambda d: stat(d) + Z975, estimate, high, xtol=1e-12)
    return lower, upper


TABLES = [(7, 34, 1, 34), (56, 70, 48, 80), (9, 10, 3, 10), (3, 200, 9, 210), (120, 1000, 150, 900)]


@pytest.mark.parametrize(("x1", "n1", "x2", "n2"), TABLES)
def test_mn_restricted_estimates_maximise_the_constrained_likelihood(
    x1: int, n1: int, x2: int, n2: int
) -> None:
    for delta in (-0.3, -0.05, 0.0, 0.1, 0.25):
        if not -1 < x1 / n1 - x2 / n2 - delta < 1:
            continue
        closed = mn_restricted(x1, n1, x2, n2, delta)
        numeric = _restricted_difference(x1, n1, x2, n2, delta)
        assert closed == pytest.approx(numeric, abs=1e-7)


@pytest.mark.parametrize(("x1", "n1", "x2", "n2"), TABLES)
def test_mn_interval_matches_numerical_inversion(x1: int, n1: int, x2: int, n2: int) -> None:
    estimate = x1 / n1 - x2 / n2
    ours = invert(lambda d: mn_statistic(x1, n1, x2, n2, d), estimate, -1.0, 1.0, Z975)
    numeric = _numeric_interval(
        lambda d: _numeric_mn(x1, n1, x2, n2, d), estimate, -0.999999, 0.999999
    )
    assert ours == pytest.approx(numeric, abs=1e-6)


@pytest.mark.parametrize(("x1", "n1", "x2", "n2"), [t for t in TABLES])
def test_koopman_interval_matches_numerical_inversion(x1: int, n1: int, x2: int, n2: int) -> None:
    estimate = (x1 / n1) / (x2 / n2)
    for phi in (0.5, 1.0, 2.0):
        assert koopman_restricted(x1, n1, x2, n2, phi) == pytest.approx(
            _restricted_ratio(x1, n1, x2, n2, phi), abs=1e-7
        )
    ours = invert(
        lambda r: koopman_statistic(x1, n1, x2, n2, r),
        estimate,
        0.0,
        math.inf,
        Z975,
        log_scale=True,
    )
    numeric = _numeric_interval(
        lambda lr: _numeric_koopman(x1, n1, x2, n2, math.exp(lr)), math.log(estimate), -8, 8
    )
    assert ours == pytest.approx(tuple(math.exp(v) for v in numeric), rel=1e-6)


@pytest.mark.parametrize(
    ("e1", "t1", "e0", "t0"),
    [(60, 51477.5, 30, 54308.7), (41, 28010, 15, 19017), (3, 10.0, 12, 11.0), (212, 1, 390, 1)],
)
def test_rate_ratio_interval_matches_numerical_inversion(
    e1: float, t1: float, e0: float, t0: float
) -> None:
    estimate = (e1 / t1) / (e0 / t0)
    for ratio in (0.5, 1.0, 1.5):
        assert rate_ratio_statistic(e1, t1, e0, t0, ratio) == pytest.approx(
            _numeric_rates(e1, t1, e0, t0, ratio), abs=1e-6
        )
    ours = invert(
        lambda r: rate_ratio_statistic(e1, t1, e0, t0, r),
        estimate,
        0.0,
        math.inf,
        Z975,
        log_scale=True,
    )
    numeric = _numeric_interval(
        lambda lr: _numeric_rates(e1, t1, e0, t0, math.exp(lr)), math.log(estimate), -8, 8
    )
    assert ours == pytest.approx(tuple(math.exp(v) for v in numeric), rel=1e-6)


def test_zero_cells_give_open_or_closed_ends_not_failures() -> None:
    # Zero successes in the pilot arm: the MN interval is proper and the numeric one agrees.
    ours = invert(lambda d: mn_statistic(0, 25, 6, 25, d), -0.24, -1.0, 1.0, Z975)
    numeric = _numeric_interval(lambda d: _numeric_mn(0, 25, 6, 25, d), -0.24, -0.999999, 0.999999)
    assert ours == pytest.approx(numeric, abs=1e-6)
    # All successes in one arm and none in the other: the estimate sits on the bound 1.
    low, high = invert(lambda d: mn_statistic(10, 10, 0, 10, d), 1.0, -1.0, 1.0, Z975)
    assert high == 1.0 and 0 < low < 1
    assert mn_statistic(10, 10, 0, 10, low) == pytest.approx(Z975, abs=1e-8)
    # Zero events in the comparator: the rate ratio has no upper bound, a finite lower one.
    low, high = invert(
        lambda r: rate_ratio_statistic(5, 10.0, 0, 10.0, r),
        math.inf,
        0.0,
        math.inf,
        Z975,
        log_scale=True,
    )
    assert high == math.inf and 0 < low < math.inf
    assert rate_ratio_statistic(5, 10.0, 0, 10.0, low) == pytest.approx(Z975, abs=1e-8)
    # Zero events in the pilot: lower bound 0.
    low, high = invert(
        lambda r: rate_ratio_statistic(0, 10.0, 5, 10.0, r),
        0.0,
        0.0,
        math.inf,
        Z975,
        log_scale=True,
    )
    assert low == 0.0 and 0 < high < math.inf


def test_tango_statistic_is_the_score_statistic_of_the_paired_multinomial() -> None:
    # Numerical restricted MLE of the multinomial (p11, p10, p01, p00) with p10 - p01 = delta.
    a, b, c, d = 30, 12, 5, 53
    n = a + b + c + d
    for delta in (-0.05, 0.0, 0.04, 0.15):

        def nll(params: tuple[float, float], delta: float = delta) -> float:
            p01, p11 = params
            p10 = p01 + delta
            p00 = 1 - p11 - p10 - p01
            probs = [p11, p10, p01, p00]
            if min(probs) <= 0:
                return 1e10
            return -sum(k * math.log(p) for k, p in zip((a, b, c, d), probs, strict=True))

        fit = optimize.minimize(
            nll,
            x0=[0.1, 0.3],
            method="Nelder-Mead",
            options={"xatol": 1e-12, "fatol": 1e-12, "maxiter": 20000},
        )
        p01 = fit.x[0]
        var = n * (2 * p01 + delta - delta**2)
        numeric = (b - c - n * delta) / math.sqrt(var)
        assert tango_statistic(b, c, n, delta) == pytest.approx(numeric, abs=1e-5)
    # At delta = 0 it is McNemar's statistic (b - c) / sqrt(b + c).
    assert tango_statistic(b, c, n, 0.0) == pytest.approx((b - c) / math.sqrt(b + c))
