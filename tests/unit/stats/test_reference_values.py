"""The engine against published reference values. Each value says where it comes from."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from testlearn.domain.analysis import (
    AggregateData,
    AggregateRow,
    HypothesisSpec,
    UnitData,
)
from testlearn.stats import analyse, holm
from testlearn.stats.benchmark import exact_poisson_p, garwood
from testlearn.stats.clustering import cluster_covariance, ols
from testlearn.stats.newey_west import default_lag, newey_west
from testlearn.stats.score_intervals import (
    invert,
    rate_ratio_statistic,
    wilson_statistic,
)

Z975 = 1.959963984540054

# R's `sleep` data (Cushny and Peebles), `extra` by group.
SLEEP_1 = (0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0)
SLEEP_2 = (1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4)

# The `clinic` data of R's equivalence package, column var1 (rows 1-15 then 16-30), as used by
# R `equivalence::tost(clinic$var1[1:15], clinic$var1[16:30], epsilon = 0.6)`.
CLINIC_1 = (
    2.84,
    2.51,
    2.41,
    2.95,
    3.14,
    3.79,
    4.14,
    3.85,
    3.02,
    3.45,
    5.37,
    3.81,
    4.19,
    3.16,
    3.84,
)
CLINIC_2 = (
    2.60,
    2.82,
    2.18,
    3.46,
    4.01,
    3.04,
    3.47,
    4.06,
    2.91,
    3.59,
    4.51,
    3.16,
    3.86,
    3.31,
    3.02,
)


def _two_group_units(first: tuple[float, ...], second: tuple[float, ...]) -> UnitData:
    return UnitData(
        arm=("pilot",) * len(first) + ("comparator",) * len(second), value=first + second
    )


def _spec(**kwargs: object) -> HypothesisSpec:
    base: dict[str, object] = {
        "outcome_type": "continuous",
        "design": "two-group",
        "benefit_threshold": 1.0,
        "evidence_level": 5,
    }
    base.update(kwargs)
    return HypothesisSpec(**base)  # type: ignore[arg-type]


def test_welch_matches_r_t_test_on_sleep() -> None:
    # R 4.x: t.test(extra ~ group, data = sleep)  (Welch is R's default)
    # t = -1.8608, df = 17.776, p-value = 0.07939,
    # 95 percent CI: -3.3654832  0.2054832
    result = analyse(_spec(), _two_group_units(SLEEP_1, SLEEP_2))
    assert result.estimate == pytest.approx(-1.58, abs=1e-12)
    assert result.estimate / result.se == pytest.approx(-1.8608, abs=5e-5)
    assert result.df == pytest.approx(17.776, abs=5e-4)
    assert result.p_value == pytest.approx(0.07939, abs=5e-6)
    assert result.ci_low == pytest.approx(-3.3654832, abs=5e-8)
    assert result.ci_high == pytest.approx(0.2054832, abs=5e-8)


def test_paired_t_matches_r_on_sleep() -> None:
    # R: t.test(sleep$extra[1:10], sleep$extra[11:20], paired = TRUE)
    # t = -4.0621, df = 9, p-value = 0.002833, 95 percent CI: -2.4598858 -0.7001142
    ids = tuple(str(i) for i in range(10))
    data = UnitData(
        arm=("pilot",) * 10 + ("comparator",) * 10, value=SLEEP_1 + SLEEP_2, unit=ids + ids
    )
    result = analyse(_spec(design="paired"), data)
    assert result.estimate / result.se == pytest.approx(-4.0621, abs=5e-5)
    assert result.df == 9
    assert result.p_value == pytest.approx(0.002833, abs=5e-7)
    assert result.ci_low == pytest.approx(-2.4598858, abs=5e-8)
    assert result.ci_high == pytest.approx(-0.7001142, abs=5e-8)


def test_tost_matches_r_equivalence_package() -> None:
    # R: equivalence::tost(clinic$var1[1:15], clinic$var1[16:30], epsilon = 0.6), Welch:
    # mean diff 0.1646666666666667, se 0.2531625991083627, df 26.7484787582315,
    # p = 0.04853083976236974 (values recorded in statsmodels' test suite, test_tost.py).
    spec = _spec(benefit_threshold=0.6, harm_margin=0.6)
    result = analyse(spec, _two_group_units(CLINIC_1, CLINIC_2))
    assert result.estimate == pytest.approx(0.1646666666666667, abs=1e-13)
    assert result.se == pytest.approx(0.2531625991083627, abs=1e-13)
    assert result.df == pytest.approx(26.7484787582315, abs=1e-10)
    assert result.tost_p == pytest.approx(0.04853083976236974, abs=1e-12)


def test_tost_is_the_larger_one_sided_p_with_uneven_margins() -> None:
    # Harm margin 0.2 and benefit threshold 0.6: the harm side dominates; TOST p is the max.
    from scipy import stats

    result = analyse(
        _spec(benefit_threshold=0.6, harm_margin=0.2), _two_group_units(CLINIC_1, CLINIC_2)
    )
    t_low = (result.estimate + 0.2) / result.se
    t_high = (result.estimate - 0.6) / result.se
    p_low, p_high = stats.t.sf(t_low, result.df), stats.t.cdf(t_high, result.df)
    assert result.tost_p == pytest.approx(max(p_low, p_high), abs=1e-14)
    assert result.tost_p == pytest.approx(p_low)


def test_miettinen_nurminen_on_fagerland_example() -> None:
    # Fagerland, Lydersen & Laake (2015) Stat Methods Med Res 24:224-254, example 7/34 vs 1/34:
    # Miettinen-Nurminen interval 0.028 to 0.34 (two decimals in their table). To 7 decimals,
    # R PropCIs::diffscoreci(7, 34, 1, 34, 0.95) gives 0.0270416, 0.3452912 (recorded in
    # statsmodels' test_proportion.py); both use the N/(N-1) variance factor, which widens the
    # interval slightly (without it the lower end is 0.0284).
    spec = _spec(outcome_type="binary", benefit_threshold=0.05)
    data = AggregateData(
        (AggregateRow("pilot", n=34, successes=7), AggregateRow("comparator", n=34, successes=1))
    )
    result = analyse(spec, data)
    assert result.ci_low == pytest.approx(0.0270416, abs=5e-8)
    assert result.ci_high == pytest.approx(0.3452912, abs=5e-8)
    assert result.ci_low == pytest.approx(0.028, abs=0.0015)
    assert result.ci_high == pytest.approx(0.34, abs=0.006)
    # Koopman score interval for the risk ratio: Fagerland et al. 1.21 to 43; R
    # PropCIs::riskscoreci(7, 34, 1, 34, 0.95) gives 1.220853, 42.575718.
    rr = result.extra_estimates[0]
    assert rr.ci_low == pytest.approx(1.220853, abs=5e-7)
    assert rr.ci_high == pytest.approx(42.575718, abs=5e-6)


def test_rate_ratio_score_test_matches_gu_et_al_2008() -> None:
    # Gu, Ng, Tang & Schucany (2008) Biometrical Journal 50:283-298.
    # Example 1: 60 events in 51,477.5 vs 30 in 54,308.7 person-years, H0: ratio = 1; the score
    # test (their W3) has one-sided p = 0.000316 (statistic 3.417402 as statsmodels records).
    z = rate_ratio_statistic(60, 51477.5, 30, 54308.7, 1.0)
    from scipy import stats

    assert z == pytest.approx(3.417402, abs=5e-7)
    assert stats.norm.sf(z) == pytest.approx(0.000316, abs=5e-7)
    # Example 2: 41 in 28,010 vs 15 in 19,017, H0: ratio = 1.5, one-sided p = 0.2398. We get
    # 0.23990 (statistic 0.706631, as statsmodels also gets): the published figure is 1e-4 off,
    # as statsmodels' own test notes for every method of this example.
    z2 = rate_ratio_statistic(41, 28010, 15, 19017, 1.5)
    assert z2 == pytest.approx(0.706631, abs=5e-7)
    assert stats.norm.sf(z2) == pytest.approx(0.2398, abs=1.5e-4)
    # Through the engine: p against 1 is two-sided, and the interval inverts the same test.
    spec = _spec(outcome_type="count", benefit_threshold=10)
    data = AggregateData(
        (
            AggregateRow("pilot", events=60, exposure=51477.5),
            AggregateRow("comparator", events=30, exposure=54308.7),
        )
    )
    result = analyse(spec, data)
    assert result.p_value == pytest.approx(2 * 0.000316, abs=1e-6)
    for end in (result.ci_low, result.ci_high):
        assert abs(rate_ratio_statistic(60, 51477.5, 30, 54308.7, end)) == pytest.approx(Z975)


def test_wilson_interval_matches_newcombe_1998() -> None:
    # Newcombe (1998) Stat Med 17:857-872, Table I, method 3 (Wilson score):
    # 81/263: 0.2553 to 0.3662; 0/20: 0 to 0.1611; 1/29: 0.0061 to 0.1718.
    for x, n, low, high in (
        (81, 263, 0.2553, 0.3662),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ):
        lo, hi = invert(lambda p, x=x, n=n: wilson_statistic(x, n, p), x / n, 0.0, 1.0, Z975)
        assert lo == pytest.approx(low, abs=5e-5)
        assert hi == pytest.approx(high, abs=5e-5)


def test_exact_poisson_matches_r_poisson_test() -> None:
    # R documentation example: poisson.test(137, 24.19893)
    # 95 percent CI: 4.753125 6.692709; p-value < 2.2e-16 (against rate 1).
    low, high = garwood(137, 24.19893, 0.05)
    assert low == pytest.approx(4.753125, abs=5e-7)
    assert high == pytest.approx(6.692709, abs=5e-7)
    assert exact_poisson_p(137, 24.19893) < 2.2e-16


def test_exact_binomial_matches_r_binom_test() -> None:
    # R documentation example (Mendel's peas): binom.test(682, 925, p = 3/4): p-value = 0.3825.
    spec = _spec(
        outcome_type="binary", design="benchmark", benefit_threshold=0.02, benchmark_value=0.75
    )
    result = analyse(spec, AggregateData((AggregateRow("pilot", n=925, successes=682),)))
    assert result.p_value == pytest.approx(0.3825, abs=5e-5)


def test_cluster_robust_errors_match_petersen() -> None:
    # Petersen (2009) Rev Financ Stud 22:435-480, test data (500 firms x 10 years; the copy in
    # R sandwich's PetersenCL). Published on Petersen's web page (Stata, clustered by firm):
    # x coefficient 1.034833, SE 0.0505957; intercept 0.0296797, SE 0.0670127.
    rows = np.loadtxt(Path(__file__).parent / "data" / "petersen.csv", delimiter=",", skiprows=1)
    firm, x, y = rows[:, 0].astype(np.intp) - 1, rows[:, 2], rows[:, 3]
    design = np.column_stack([np.ones_like(x), x])
    coef, resid, bread = ols(design, y)
    cov, groups = cluster_covariance(bread, design * resid[:, None], firm)
    assert groups == 500
    assert coef[1] == pytest.approx(1.034833, abs=5e-7)
    assert coef[0] == pytest.approx(0.0296797, abs=5e-8)
    assert math.sqrt(cov[1, 1]) == pytest.approx(0.0505957, abs=5e-8)
    assert math.sqrt(cov[0, 0]) == pytest.approx(0.0670127, abs=5e-8)


def test_newey_west_matches_r_sandwich() -> None:
    # R: sandwich::NeweyWest(lm(g_inv ~ ggdp + lint), lag = 4, prewhite = FALSE,
    # adjust = TRUE) on the US macro data shipped with statsmodels (values recorded in
    # statsmodels' test_sandwich.py, test_hac_simple).
    from statsmodels.datasets import macrodata

    d = macrodata.load_pandas().data
    g_gdp = 400 * np.diff(np.log(d["realgdp"].to_numpy()))
    g_inv = 400 * np.diff(np.log(d["realinv"].to_numpy()))
    design = np.column_stack([np.ones_like(g_gdp), g_gdp, d["realint"].to_numpy()[:-1]])
    _, resid, bread = ols(design, g_inv)
    cov = newey_west(bread, design * resid[:, None], 4)
    expected = np.array(
        [
            [1.40643899878678802, -0.3180328707083329709, -0.060621111216488610],
            [-0.31803287070833292, 0.1097308348999818661, 0.000395311760301478],
            [-0.06062111121648865, 0.0003953117603014895, 0.087511528912470993],
        ]
    )
    np.testing.assert_allclose(cov, expected, rtol=1e-9)
    assert default_lag(100) == 4 and default_lag(24) == 2


def test_holm_is_true_holm_not_holm_sidak() -> None:
    # Holm (1979): sorted p times (m, m-1, ...), made monotone. Hand-worked example.
    assert holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx((0.03, 0.06, 0.06, 0.02))
    from statsmodels.stats.multitest import multipletests

    p = [0.012, 0.3, 0.049, 0.0001, 0.021]
    assert holm(p) == pytest.approx(tuple(multipletests(p, method="holm")[1]))
    # statsmodels' default is Holm-Sidak, which differs:
    assert holm(p) != pytest.approx(tuple(multipletests(p)[1]))
